//! Published results as revisions, over HTTP (issue 10): the stored bytes and their ETag, a
//! change after publication only with a reason and as a new revision, earlier revisions
//! unchanged at their URLs, withdrawal, and a database published before revisions existed.

mod common;

use std::borrow::Cow;

use common::{new_database, postgres_server, TestServer, Who};
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, ETAG, IF_NONE_MATCH};
use reqwest::{Method, StatusCode};
use serde_json::json;
use thidua_domain::model::BlocSummary;
use thidua_domain::results::BlocResults;
use thidua_domain::revisions::{ResultsDiff, RevisionEntry, RevisionKind};
use thidua_server::db::Engine;

async fn bloc_2018(s: &TestServer) -> String {
    let blocs: Vec<BlocSummary> = s.ok(&Who::anonymous(), Method::GET, "/api/years/2018/blocs", None).await;
    format!("/api/years/2018/blocs/{}", blocs[0].id)
}

/// Status, ETag, Cache-Control and the bytes of a GET.
async fn get(s: &TestServer, path: &str, if_none_match: Option<&str>) -> (StatusCode, String, String, Vec<u8>) {
    let mut request = s.request(&Who::anonymous(), Method::GET, path);
    if let Some(tag) = if_none_match {
        request = request.header(IF_NONE_MATCH, tag);
    }
    let response = request.send().await.unwrap();
    let header = |name| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let (status, etag, cache) = (response.status(), header(ETAG), header(CACHE_CONTROL));
    (status, etag, cache, response.bytes().await.unwrap().to_vec())
}

fn sha256_hex(bytes: &[u8]) -> String {
    thidua_server::revisions::content_hash(bytes)
}

#[tokio::test]
async fn published_results_are_stored_revisions_and_change_only_with_a_reason() {
    let s = TestServer::start().await;
    let staff = s.login("staff").await;
    let anon = Who::anonymous();
    let base = bloc_2018(&s).await;
    let results = format!("{base}/results");

    // The demo's publication is revision 1: the same bytes on every request, its hash the ETag.
    let (status, etag, cache, first) = get(&s, &results, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cache, "public, max-age=60, stale-while-revalidate=600");
    assert_eq!(etag, format!("\"{}\"", sha256_hex(&first)));
    let (_, etag_again, _, again) = get(&s, &results, None).await;
    assert_eq!((etag_again.as_str(), again.as_slice()), (etag.as_str(), first.as_slice()));
    let r1: BlocResults = serde_json::from_slice(&first).unwrap();
    let stamp = r1.revision.clone().unwrap();
    assert_eq!((stamp.number, stamp.kind), (1, RevisionKind::Published));
    // 304 when the client has it (a list, a weak tag), 200 otherwise.
    for tag in [etag.clone(), format!("\"x\", W/{etag}"), "*".to_owned()] {
        let (status, tag_back, cache, body) = get(&s, &results, Some(&tag)).await;
        assert_eq!((status, tag_back.as_str(), body.len()), (StatusCode::NOT_MODIFIED, etag.as_str(), 0), "{tag}");
        assert!(cache.starts_with("public"));
    }
    assert_eq!(get(&s, &results, Some("\"other\"")).await.0, StatusCode::OK);
    // Its permanent URL: the same bytes, immutable.
    let (status, etag_1, cache, at_1) = get(&s, &format!("{results}/revisions/1"), None).await;
    assert_eq!((status, etag_1.as_str(), at_1.as_slice()), (StatusCode::OK, etag.as_str(), first.as_slice()));
    assert_eq!(cache, "public, max-age=31536000, immutable");

    // A decision after publication: 409 without a reason, nothing written.
    let candidate = r1.candidates.iter().find(|c| c.proposed).unwrap();
    let decision_path = format!("{base}/decisions/{}/{}", candidate.unit_id, candidate.award_type_id);
    let decision = json!({"number": "99/QĐ-UBND", "date": "2019-02-01", "issuer": "UBND tỉnh"});
    let e =
        s.refused(&staff, Method::PUT, &decision_path, Some(&decision), StatusCode::CONFLICT, "reason_required").await;
    assert!(e.message.contains("reason"), "{}", e.message);
    assert_eq!(get(&s, &results, None).await.3, first);
    // With a reason: revision 2, which the public reads at once.
    let reason = "Bổ sung quyết định khen thưởng";
    let url = format!("{decision_path}?reason={}", urlencode(reason));
    let r2: BlocResults = s.ok(&staff, Method::PUT, &url, Some(&decision)).await;
    let stamp2 = r2.revision.clone().unwrap();
    assert_eq!((stamp2.number, stamp2.kind, stamp2.reason.as_str()), (2, RevisionKind::Revised, reason));
    let (_, etag2, _, second) = get(&s, &results, None).await;
    assert_ne!(etag2, etag);
    assert_eq!(serde_json::from_slice::<BlocResults>(&second).unwrap(), r2);
    assert_eq!(get(&s, &results, Some(&etag)).await.0, StatusCode::OK, "the old ETag is not current");
    // Revision 1 is unchanged at its URL.
    assert_eq!(get(&s, &format!("{results}/revisions/1"), None).await.3, first);
    assert_eq!(get(&s, &format!("{results}/revisions/2"), None).await.3, second);
    s.refused(&anon, Method::GET, &format!("{results}/revisions/3"), None, StatusCode::NOT_FOUND, "revision_not_found")
        .await;

    // The list says who, why and what changed; the diff names the unit and the decision.
    let list: Vec<RevisionEntry> = s.ok(&anon, Method::GET, &format!("{results}/revisions"), None).await;
    assert_eq!(list.iter().map(|r| r.number).collect::<Vec<_>>(), [2, 1], "newest first");
    assert_eq!((list[0].reason.as_str(), list[0].by.as_deref()), (reason, Some("Ban Thi đua – Khen thưởng tỉnh")));
    assert!(list[0].summary.contains("99/QĐ-UBND"), "{}", list[0].summary);
    assert_eq!(format!("\"{}\"", list[0].hash), etag2);
    let d: ResultsDiff = s.ok(&anon, Method::GET, &format!("{results}/diff?from=1&to=2"), None).await;
    assert_eq!(d.units.len(), 1);
    assert_eq!(d.units[0].unit.id, candidate.unit_id);
    assert_eq!(d.units[0].decisions[0].after.as_ref().unwrap().number, "99/QĐ-UBND");
    assert_eq!(d.summary, list[0].summary);

    // The downloads name the revision they were made from.
    let response = s.send(&anon, Method::GET, &format!("{base}/results.csv"), None).await;
    assert!(response.headers()[CONTENT_DISPOSITION].to_str().unwrap().ends_with("-r2.csv\""));

    // A sheet of a published bloc-year stays as published: 2019, published with its drafts
    // acknowledged, takes no submission until withdrawn.
    let base_2019 = base.replace("2018", "2019");
    let problems = s
        .refused(
            &staff,
            Method::POST,
            &format!("{base_2019}/publish"),
            None,
            StatusCode::CONFLICT,
            "publication_problems",
        )
        .await
        .problems;
    let ack = json!({"acknowledge": problems, "reason": "Công bố phần đã có"});
    s.expect(&staff, Method::POST, &format!("{base_2019}/publish"), Some(&ack), StatusCode::OK).await;
    let yte = s.login("yte").await;
    let sheet = s.sheet_of(&staff, 2019, "Sở Y tế").await;
    let version = s.view(&yte, sheet).await.version;
    let body = json!({"base_version": version});
    s.refused(
        &yte,
        Method::POST,
        &format!("/api/sheets/{sheet}/submit"),
        Some(&body),
        StatusCode::CONFLICT,
        "published",
    )
    .await;

    // Withdrawn with a reason: the public is told why; the revisions stay readable.
    s.refused(&staff, Method::POST, &format!("{base}/unpublish"), None, StatusCode::CONFLICT, "reason_required").await;
    let why = "Phát hiện sai sót trong phiếu chấm";
    s.expect(&staff, Method::POST, &format!("{base}/unpublish?reason={}", urlencode(why)), None, StatusCode::OK).await;
    let e = s.refused(&anon, Method::GET, &results, None, StatusCode::NOT_FOUND, "withdrawn").await;
    assert!(e.message.ends_with(why), "{}", e.message);
    let list: Vec<RevisionEntry> = s.ok(&anon, Method::GET, &format!("{results}/revisions"), None).await;
    assert_eq!((list[0].number, list[0].kind, list[0].reason.as_str()), (3, RevisionKind::Withdrawn, why));
    s.refused(&anon, Method::GET, &format!("{results}/revisions/3"), None, StatusCode::NOT_FOUND, "withdrawn").await;
    assert_eq!(get(&s, &format!("{results}/revisions/2"), None).await.3, second);
    // Staff still preview it live, never stored by a cache.
    let preview = s.send(&staff, Method::GET, &results, None).await;
    assert_eq!(preview.headers()[CACHE_CONTROL], "no-store");
    let preview: BlocResults = preview.json().await.unwrap();
    assert!(!preview.published && preview.revision.is_none());
    // Published again: revision 4, kind published.
    let r4: BlocResults = s.ok(&staff, Method::POST, &format!("{base}/publish"), None).await;
    assert_eq!(r4.revision.map(|r| (r.number, r.kind)), Some((4, RevisionKind::Published)));

    // The stored rows never change, whatever writes to the database.
    let db = s.db().await;
    let changed = sqlx::query("UPDATE result_revisions SET reason = 'x' WHERE number = 1").execute(&db).await;
    assert!(changed.is_err(), "a stored revision is frozen");
    assert!(sqlx::query("DELETE FROM result_revisions").execute(&db).await.is_err());
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A database in use before migration 0008, with a published bloc-year: the upgrade turns it
/// into revision 1 (the server fills its bytes at its first start), marked as recorded then.
#[tokio::test]
async fn the_upgrade_records_what_was_published_as_revision_1() {
    let dir = tempfile::tempdir().unwrap();
    let url = new_database(dir.path()).await;
    let engine = if postgres_server().is_some() { Engine::Postgres } else { Engine::Sqlite };
    {
        sqlx::any::install_default_drivers();
        let mut old = sqlx::migrate::Migrator::DEFAULT;
        old.migrations = Cow::Owned(engine.migrator().iter().filter(|m| m.version < 8).cloned().collect());
        let url = if engine == Engine::Sqlite { format!("{url}?mode=rwc") } else { url.clone() };
        let db = sqlx::AnyPool::connect(&url).await.unwrap();
        old.run(&db).await.unwrap();
        for sql in [
            "INSERT INTO years (year) VALUES (2017)",
            "INSERT INTO units (id, name) VALUES (1, 'Sở Y tế'), (2, 'Sở Tư pháp')",
            "INSERT INTO unit_names (unit_id, from_year, name) VALUES (1, 2017, 'Sở Y tế'), (2, 2017, 'Sở Tư pháp')",
            "INSERT INTO blocs (id, name) VALUES (1, 'Khối tổng hợp'), (2, 'Khối kinh tế')",
            "INSERT INTO bloc_years (bloc_id, year, published_at, publication_reason)
             VALUES (1, 2017, '2018-01-15T03:00:00Z', 'Hội nghị đã thống nhất'), (2, 2017, NULL, '')",
            "INSERT INTO memberships (bloc_id, year, unit_id, position) VALUES (1, 2017, 1, 0), (1, 2017, 2, 1)",
        ] {
            sqlx::query(sql).execute(&db).await.unwrap();
        }
        db.close().await;
    }

    let s = TestServer::start_with(|c| {
        c.database = url.clone();
        c.demo = false;
    })
    .await;
    let results = "/api/years/2017/blocs/1/results";
    let (status, etag, _, bytes) = get(&s, results, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(etag, format!("\"{}\"", sha256_hex(&bytes)));
    let r: BlocResults = serde_json::from_slice(&bytes).unwrap();
    let stamp = r.revision.unwrap();
    assert_eq!((stamp.number, stamp.kind, stamp.at.as_str()), (1, RevisionKind::Published, "2018-01-15T03:00:00Z"));
    assert!(stamp.reason.contains("nâng cấp"), "{}", stamp.reason);
    assert_eq!(r.publication.unwrap().reason, "Hội nghị đã thống nhất");
    assert_eq!(r.unranked.len(), 2);
    let list: Vec<RevisionEntry> = s.ok(&Who::anonymous(), Method::GET, &format!("{results}/revisions"), None).await;
    assert_eq!((list.len(), list[0].by.as_deref()), (1, None));
    // The unpublished bloc has none; a second start fills nothing again.
    let none: Vec<RevisionEntry> =
        s.ok(&Who::anonymous(), Method::GET, "/api/years/2017/blocs/2/results/revisions", None).await;
    assert!(none.is_empty());
    let db = thidua_server::open_database(&url).await.unwrap();
    let body: String = sqlx::query_scalar("SELECT body FROM result_revisions").fetch_one(&db).await.unwrap();
    assert_eq!(body.as_bytes(), bytes.as_slice());
}
