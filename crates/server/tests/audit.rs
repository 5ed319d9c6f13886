//! `GET /api/audit`: every trail in one list, its filters, paging, the CSV, and who may see what.

mod common;

use common::{DemoBloc, TestServer, Who};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::json;
use thidua_domain::audit::{AuditPage, AuditSource};

#[tokio::test]
async fn the_audit_lists_every_trail_filtered_paged_and_only_the_own_unit_to_an_officer() {
    let s = TestServer::start().await;
    let staff = s.login("staff").await;
    let yte = s.login("yte").await;
    let b = DemoBloc::load(&s).await;
    let yte_unit = b.unit("Sở Y tế");

    // A sheet change (Sở Y tế submits its draft), an award write (2019 published with its
    // drafts acknowledged) and an administration write (a new unit).
    let sheet = s.sheet_of(&staff, 2019, "Sở Y tế").await;
    let version = s.view(&yte, sheet).await.version;
    s.expect(
        &yte,
        Method::POST,
        &format!("/api/sheets/{sheet}/submit"),
        Some(&json!({"base_version": version})),
        StatusCode::OK,
    )
    .await;
    let publish = format!("/api/years/2019/blocs/{}/publish", b.id);
    let problems =
        s.refused(&staff, Method::POST, &publish, None, StatusCode::CONFLICT, "publication_problems").await.problems;
    let ack = json!({"acknowledge": problems, "reason": "Công bố tạm"});
    s.expect(&staff, Method::POST, &publish, Some(&ack), StatusCode::OK).await;
    s.expect(
        &staff,
        Method::POST,
        "/api/admin/units",
        Some(&json!({"name": "Sở Nội vụ", "from_year": 2019})),
        StatusCode::CREATED,
    )
    .await;

    let all: AuditPage = s.ok(&staff, Method::GET, "/api/audit?per_page=200", None).await;
    assert_eq!(all.total as usize, all.entries.len());
    let sources: Vec<AuditSource> = all.entries.iter().map(|e| e.source).collect();
    for source in [AuditSource::Sheet, AuditSource::Award, AuditSource::Admin] {
        assert!(sources.contains(&source), "{source:?} in {sources:?}");
    }
    assert!(all.entries.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
    // Values are structured: the state change old → new, the publication's note as an object.
    let state = all.entries.iter().find(|e| e.source == AuditSource::Sheet && e.field.is_none()).unwrap();
    assert_eq!((state.old.clone(), state.new.clone()), (Some(json!("draft")), Some(json!("submitted"))));
    assert_eq!(
        (state.year, state.bloc_id, state.unit_id, state.user.as_str()),
        (Some(2019), Some(b.id), Some(yte_unit), "Cán bộ thi đua Sở Y tế")
    );
    let published = all.entries.iter().find(|e| e.action == "publish").unwrap();
    assert_eq!(published.new.as_ref().unwrap()["reason"], "Công bố tạm");
    let unit = all.entries.iter().find(|e| e.source == AuditSource::Admin).unwrap();
    assert!(unit.field.as_deref().unwrap().starts_with("unit:") && unit.unit_id.is_some(), "{unit:?}");

    // Filters: each narrows to what it names.
    let page = |q: String| {
        let (s, staff) = (&s, &staff);
        async move { s.ok::<AuditPage>(staff, Method::GET, &format!("/api/audit?{q}"), None).await }
    };
    let sheets = page(format!("source=sheet&year=2019&unit_id={yte_unit}")).await;
    assert!(
        sheets.total > 0
            && sheets.entries.iter().all(|e| e.source == AuditSource::Sheet && e.unit_id == Some(yte_unit))
    );
    let by_staff = page(format!("user_id={}", published.user_id)).await;
    assert!(by_staff.entries.iter().all(|e| e.user_id == published.user_id));
    assert_eq!(by_staff.total, all.entries.iter().filter(|e| e.user_id == published.user_id).count() as u64);
    let bloc = page(format!("year=2019&bloc_id={}", b.id)).await;
    assert!(bloc.entries.iter().all(|e| e.bloc_id == Some(b.id) && e.year == Some(2019)));
    assert!(bloc.entries.iter().any(|e| e.action == "publish"));
    assert_eq!(page("from=2000-01-01&to=2000-12-31".into()).await.total, 0);
    let today = &all.entries[0].at[..10];
    assert_eq!(page(format!("from={today}&to={today}")).await.total, all.total);
    // Paging: the same entries, one at a time.
    let second = page("per_page=1&page=2".into()).await;
    assert_eq!((second.total, second.entries.len(), second.page), (all.total, 1, 2));
    assert_eq!(second.entries[0], all.entries[1]);
    for bad in ["source=x", "from=2019-02-30", "page=0", "per_page=500"] {
        s.refused(
            &staff,
            Method::GET,
            &format!("/api/audit?{bad}"),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    }

    // The CSV: the same rows under a header.
    let response = s.send(&staff, Method::GET, "/api/audit.csv", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    let bytes = response.bytes().await.unwrap();
    let rows = csv::Reader::from_reader(&bytes[3..]).records().count();
    assert_eq!(rows as u64, all.total);

    // An officer sees its own unit's sheet audit, nothing else; the public nothing at all.
    let own: AuditPage = s.ok(&yte, Method::GET, "/api/audit", None).await;
    assert!(own.total > 0 && own.entries.iter().all(|e| e.source == AuditSource::Sheet && e.unit_id == Some(yte_unit)));
    let other = b.unit("Sở Giáo dục và Đào tạo");
    for q in [format!("unit_id={other}"), "source=award".to_owned(), "source=admin".to_owned()] {
        s.refused(&yte, Method::GET, &format!("/api/audit?{q}"), None, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let csv_own = s.send(&yte, Method::GET, "/api/audit.csv", None).await.bytes().await.unwrap();
    assert_eq!(csv::Reader::from_reader(&csv_own[3..]).records().count() as u64, own.total);
    s.refused(&Who::anonymous(), Method::GET, "/api/audit", None, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}
