//! The Council's list over real HTTP: two blocs' published proposals by award type, outcomes
//! recorded (and refused where the rules say), a decision made from an approved proposal in one
//! step (a new public revision), the audit, who may do what, and the list as Word and PDF read
//! back by LibreOffice and poppler.

mod common;

use std::process::Command;

use common::{people, TestServer, Who};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use thidua_domain::admin::blocs::BlocSetupView;
use thidua_domain::admin::units::UnitAdmin;
use thidua_domain::council::{CouncilList, CouncilProposal, Outcome, StaleReason};
use thidua_domain::documents::share_vi;
use thidua_domain::error::FieldError;
use thidua_domain::results::BlocResults;
use thidua_domain::revisions::RevisionEntry;

const LIST: &str = "/api/years/2018/council";

/// A second bloc of 2018, published: two new units with the demo bloc's criteria, both sheets
/// approved (full marks for the first, half for the second), the first given 2 votes of 2 for
/// the provincial merit, published with its problems acknowledged. Answers its id and units.
async fn second_bloc(s: &TestServer, staff: &Who) -> (i64, [i64; 2]) {
    let mut units = [0; 2];
    for (i, name) in ["Sở Tài chính", "Sở Xây dựng"].into_iter().enumerate() {
        let u: UnitAdmin = serde_json::from_value(
            s.expect(
                staff,
                Method::POST,
                "/api/admin/units",
                Some(&json!({"name": name, "from_year": 2018})),
                StatusCode::CREATED,
            )
            .await,
        )
        .unwrap();
        units[i] = u.id;
    }
    let created: BlocSetupView = serde_json::from_value(
        s.expect(
            staff,
            Method::POST,
            "/api/admin/years/2018/blocs",
            Some(&json!({"name": "Khối Kinh tế"})),
            StatusCode::CREATED,
        )
        .await,
    )
    .unwrap();
    let bloc = created.bloc_id;
    let admin = format!("/api/admin/years/2018/blocs/{bloc}");
    let setup = json!({
        "members": units, "leader": units[0], "deputy": null, "pact_signed_on": null, "pact_note": "",
        "pact_document_url": null, "version": created.version,
    });
    let saved: BlocSetupView =
        serde_json::from_value(s.expect(staff, Method::PUT, &admin, Some(&setup), StatusCode::OK).await).unwrap();
    let csv = s.request(staff, Method::GET, "/api/admin/years/2018/blocs/1/criteria.csv").send().await.unwrap();
    let csv = csv.bytes().await.unwrap().to_vec();
    let imported = s
        .request(staff, Method::POST, &format!("{admin}/criteria/import"))
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(imported.status(), StatusCode::OK);
    let draft: Value = imported.json().await.unwrap();
    let update = json!({"criteria": draft, "version": saved.version});
    s.expect(staff, Method::PUT, &format!("{admin}/criteria"), Some(&update), StatusCode::OK).await;

    let db = s.db().await;
    for (unit, share) in [(units[0], 1), (units[1], 2)] {
        let scored = sqlx::query(
            "INSERT INTO criterion_scores (sheet_id, criterion_id, self_score, verified_score)
             SELECT s.id, c.id, c.max_points / $3, c.max_points / $3
             FROM score_sheets s JOIN criteria c ON c.bloc_id = s.bloc_id AND c.year = s.year
             WHERE s.bloc_id = $1 AND s.year = 2018 AND s.unit_id = $2
               AND NOT EXISTS (SELECT 1 FROM criteria k WHERE k.parent_id = c.id)",
        )
        .bind(bloc)
        .bind(unit)
        .bind(share)
        .execute(&db)
        .await
        .unwrap();
        assert!(scored.rows_affected() >= 10, "{}", scored.rows_affected());
    }
    sqlx::query("UPDATE score_sheets SET state = 'approved' WHERE bloc_id = $1 AND year = 2018")
        .bind(bloc)
        .execute(&db)
        .await
        .unwrap();

    let awards = format!("/api/years/2018/blocs/{bloc}");
    let results: BlocResults = s.ok(staff, Method::GET, &format!("{awards}/results"), None).await;
    let merit = results.award_types.iter().find(|t| t.code == "bang_khen_chu_tich_ubnd_tinh").unwrap().id;
    let tally = json!({"tally": {"voters_present": 2, "votes": [{"unit_id": units[0], "award_type_id": merit, "votes": 2}]},
                       "version": results.version});
    s.expect(staff, Method::PUT, &format!("{awards}/tally"), Some(&tally), StatusCode::OK).await;
    let publish = s.send(staff, Method::POST, &format!("{awards}/publish"), None).await;
    if publish.status() == StatusCode::CONFLICT {
        let e: Value = publish.json().await.unwrap();
        let body = json!({"acknowledge": e["problems"], "reason": "Hội nghị khối đã thống nhất"});
        s.expect(staff, Method::POST, &format!("{awards}/publish"), Some(&body), StatusCode::OK).await;
    } else {
        assert_eq!(publish.status(), StatusCode::OK);
    }
    (bloc, units)
}

fn find(list: &CouncilList, bloc: i64, unit: i64) -> &CouncilProposal {
    list.groups
        .iter()
        .flat_map(|g| &g.proposals)
        .find(|p| p.bloc_id == bloc && p.unit.id == unit)
        .unwrap_or_else(|| panic!("no proposal of unit {unit} in bloc {bloc}"))
}

fn award_of(list: &CouncilList, bloc: i64, unit: i64) -> i64 {
    list.groups
        .iter()
        .find(|g| g.proposals.iter().any(|p| p.bloc_id == bloc && p.unit.id == unit))
        .unwrap()
        .award_type
        .id
}

#[tokio::test]
async fn the_council_decides_on_two_blocs_proposals_and_a_decision_follows_an_approval() {
    let s = TestServer::start().await;
    let p = people(&s).await;
    let (bloc2, units) = second_bloc(&s, &p.staff).await;

    // Who may: staff only, for reading and writing; the public not at all.
    for who in [&p.anon, &p.yte, &p.leader] {
        let status = if who.cookie.is_none() { StatusCode::UNAUTHORIZED } else { StatusCode::FORBIDDEN };
        let code = if who.cookie.is_none() { "unauthenticated" } else { "forbidden" };
        s.refused(who, Method::GET, LIST, None, status, code).await;
        s.refused(who, Method::GET, &format!("{LIST}/documents/list.docx"), None, status, code).await;
        let path = format!("/api/years/2018/blocs/{bloc2}/council/{}/1", units[0]);
        s.refused(who, Method::PUT, &path, Some(&json!({"outcome": "approved"})), status, code).await;
        s.refused(who, Method::DELETE, &path, None, status, code).await;
        let d = json!({"number": "1/QĐ", "date": "2019-03-01", "issuer": "UBND tỉnh"});
        s.refused(who, Method::POST, &format!("{path}/decision"), Some(&d), status, code).await;
    }
    s.refused(&p.staff, Method::GET, "/api/years/1999/council", None, StatusCode::NOT_FOUND, "year_not_found").await;

    let list: CouncilList = s.ok(&p.staff, Method::GET, LIST, None).await;
    assert_eq!(list.blocs.len(), 2);
    assert!(list.blocs.iter().all(|b| b.revision.is_some()), "both published");
    let demo: BlocResults = s.ok(&p.anon, Method::GET, "/api/years/2018/blocs/1/results", None).await;
    // Every proposal of both blocs is on the list, under its award type, with rank and votes.
    let mut want: Vec<(i64, i64, i64)> =
        demo.awards.iter().flat_map(|g| g.units.iter().map(move |u| (1, g.award_type.id, u.unit.id))).collect();
    let merit = award_of(&list, bloc2, units[0]);
    want.push((bloc2, merit, units[0]));
    let mut got: Vec<(i64, i64, i64)> = list
        .groups
        .iter()
        .flat_map(|g| g.proposals.iter().map(move |p| (p.bloc_id, g.award_type.id, p.unit.id)))
        .collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
    let ours = find(&list, bloc2, units[0]);
    assert_eq!((ours.rank, ours.votes, ours.base, ours.outcome.as_ref()), (Some(1), 2, Some(2), None));
    let yte = demo.awards[0].units[0].unit.id;
    let yte_award = demo.awards[0].award_type.id;
    let yte_path = format!("/api/years/2018/blocs/1/council/{yte}/{yte_award}");
    let ours_path = format!("/api/years/2018/blocs/{bloc2}/council/{}/{merit}", units[0]);

    // Refused: a unit not proposed (the second unit has no votes), not approved without a
    // reason, an unknown field, a decision before approval.
    let not = format!("/api/years/2018/blocs/{bloc2}/council/{}/{merit}", units[1]);
    s.refused(&p.staff, Method::PUT, &not, Some(&json!({"outcome": "approved"})), StatusCode::CONFLICT, "not_proposed")
        .await;
    let e = s
        .refused(
            &p.staff,
            Method::PUT,
            &ours_path,
            Some(&json!({"outcome": "not_approved", "reason": " "})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(e.fields["reason"], [FieldError::Required]);
    s.refused(
        &p.staff,
        Method::PUT,
        &ours_path,
        Some(&json!({"outcome": "approved", "by": "x"})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
    )
    .await;
    let decision = json!({"number": "125/QĐ-UBND", "date": "2019-03-04", "issuer": "UBND tỉnh Bắc Ninh"});
    s.refused(
        &p.staff,
        Method::POST,
        &format!("{ours_path}/decision"),
        Some(&decision),
        StatusCode::CONFLICT,
        "not_approved",
    )
    .await;
    s.refused(&p.staff, Method::DELETE, &ours_path, None, StatusCode::NOT_FOUND, "outcome_not_found").await;

    // Outcomes: one not approved with its reason, one approved.
    let no = json!({"outcome": "not_approved", "reason": "Chưa đủ thời gian công tác theo quy định"});
    let list: CouncilList = s.ok(&p.staff, Method::PUT, &yte_path, Some(&no)).await;
    let o = find(&list, 1, yte).outcome.clone().unwrap();
    assert_eq!(
        (o.outcome, o.reason.as_deref()),
        (Outcome::NotApproved, Some("Chưa đủ thời gian công tác theo quy định"))
    );
    s.refused(
        &p.staff,
        Method::POST,
        &format!("{yte_path}/decision"),
        Some(&decision),
        StatusCode::CONFLICT,
        "not_approved",
    )
    .await;
    // Nor on the bloc's awards page.
    let awards_page = format!("/api/years/2018/blocs/1/decisions/{yte}/{yte_award}?reason=QĐ");
    s.refused(&p.staff, Method::PUT, &awards_page, Some(&decision), StatusCode::CONFLICT, "not_approved").await;
    let list: CouncilList = s.ok(&p.staff, Method::PUT, &ours_path, Some(&json!({"outcome": "approved"}))).await;
    assert_eq!(find(&list, bloc2, units[0]).outcome.as_ref().map(|o| o.outcome), Some(Outcome::Approved));

    // The decision in one step: recorded, and the bloc's public results revised with a reason
    // that names it.
    let bad = json!({"number": "", "date": "2019-02-30", "issuer": "UBND tỉnh"});
    let e = s
        .refused(
            &p.staff,
            Method::POST,
            &format!("{ours_path}/decision"),
            Some(&bad),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(
        (e.fields["number"].clone(), e.fields["date"].clone()),
        (vec![FieldError::Required], vec![FieldError::Invalid])
    );
    let list: CouncilList = s.ok(&p.staff, Method::POST, &format!("{ours_path}/decision"), Some(&decision)).await;
    assert_eq!(find(&list, bloc2, units[0]).decision.as_ref().map(|d| d.number.as_str()), Some("125/QĐ-UBND"));
    let public: BlocResults = s.ok(&p.anon, Method::GET, &format!("/api/years/2018/blocs/{bloc2}/results"), None).await;
    let made = public.awards.iter().flat_map(|g| &g.units).find(|u| u.unit.id == units[0]).unwrap();
    assert_eq!(made.decision.as_ref().map(|d| d.issuer.as_str()), Some("UBND tỉnh Bắc Ninh"));
    let revisions: Vec<RevisionEntry> =
        s.ok(&p.anon, Method::GET, &format!("/api/years/2018/blocs/{bloc2}/results/revisions"), None).await;
    assert_eq!(revisions.len(), 2);
    assert!(
        revisions[0].reason.contains("125/QĐ-UBND") && revisions[0].reason.contains("Hội đồng"),
        "{}",
        revisions[0].reason
    );
    // The approval stands while the decision does.
    s.refused(&p.staff, Method::PUT, &ours_path, Some(&no), StatusCode::CONFLICT, "decision_recorded").await;
    s.refused(&p.staff, Method::DELETE, &ours_path, None, StatusCode::CONFLICT, "decision_recorded").await;
    // An outcome entered in error goes.
    let list: CouncilList = s.ok(&p.staff, Method::DELETE, &yte_path, None).await;
    assert_eq!(find(&list, 1, yte).outcome, None);

    // An approval holds for the votes it was given on: a corrected tally that changes them
    // leaves it apart, not applied, until the Council's outcome is recorded again.
    let gd = &list.groups[1].proposals[0];
    let (gd_unit, gd_award, gd_votes) = (gd.unit.id, list.groups[1].award_type.id, gd.votes);
    assert_eq!(gd.bloc_id, 1);
    let gd_path = format!("/api/years/2018/blocs/1/council/{gd_unit}/{gd_award}");
    s.ok::<CouncilList>(&p.staff, Method::PUT, &gd_path, Some(&json!({"outcome": "approved"}))).await;
    let now: BlocResults = s.ok(&p.staff, Method::GET, "/api/years/2018/blocs/1/results", None).await;
    let mut tally = serde_json::to_value(now.tally.as_ref().unwrap()).unwrap();
    for v in tally["votes"].as_array_mut().unwrap() {
        if v["unit_id"] == json!(gd_unit) && v["award_type_id"] == json!(gd_award) {
            v["votes"] = json!(gd_votes + 1);
        }
    }
    let corrected = json!({"tally": tally, "version": now.version});
    s.expect(
        &p.staff,
        Method::PUT,
        "/api/years/2018/blocs/1/tally?reason=S%E1%BB%ADa%20phi%E1%BA%BFu",
        Some(&corrected),
        StatusCode::OK,
    )
    .await;
    let list: CouncilList = s.ok(&p.staff, Method::GET, LIST, None).await;
    let gd = find(&list, 1, gd_unit);
    assert_eq!((gd.votes, gd.outcome.as_ref()), (gd_votes + 1, None));
    let stale = list.stale.iter().find(|o| o.unit_id == gd_unit).expect("the approval kept apart");
    assert_eq!((stale.why, stale.outcome.facts.votes), (StaleReason::FactsChanged, gd_votes));
    s.refused(
        &p.staff,
        Method::POST,
        &format!("{gd_path}/decision"),
        Some(&decision),
        StatusCode::CONFLICT,
        "not_approved",
    )
    .await;
    let list: CouncilList = s.ok(&p.staff, Method::PUT, &gd_path, Some(&json!({"outcome": "approved"}))).await;
    assert!(find(&list, 1, gd_unit).outcome.is_some() && list.stale.iter().all(|o| o.unit_id != gd_unit));

    // Audited, by whom.
    let db = s.db().await;
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.action, a.detail FROM award_audit a JOIN users u ON u.id = a.user_id
         WHERE u.username = 'staff' AND a.action IN ('council_outcome', 'put_decision') ORDER BY a.id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let actions: Vec<&str> = rows.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        ["council_outcome", "council_outcome", "put_decision", "council_outcome", "council_outcome", "council_outcome"]
    );
    assert!(rows[0].1.contains("not_approved") && rows[2].1.contains("council"), "{rows:?}");

    // The list as Word and PDF, read back.
    s.ok::<CouncilList>(&p.staff, Method::PUT, &yte_path, Some(&no)).await;
    let dir = tempfile::tempdir().unwrap();
    let docx = s.request(&p.staff, Method::GET, &format!("{LIST}/documents/list.docx")).send().await.unwrap();
    assert_eq!(docx.status(), StatusCode::OK);
    assert!(docx.headers()["content-disposition"].to_str().unwrap().contains("danh-sach-hoi-dong-2018.docx"));
    let file = dir.path().join("list.docx");
    std::fs::write(&file, docx.bytes().await.unwrap()).unwrap();
    let profile = format!("-env:UserInstallation=file://{}", dir.path().join("lo-profile").display());
    let out = Command::new("soffice")
        .arg(profile)
        .args(["--headless", "--convert-to", "txt:Text", "--outdir"])
        .arg(dir.path())
        .arg(&file)
        .output()
        .expect("soffice");
    assert!(out.status.success());
    let word = folded(&std::fs::read_to_string(file.with_extension("txt")).unwrap());
    let pdf = s.request(&p.staff, Method::GET, &format!("{LIST}/documents/list.pdf")).send().await.unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    let pdf_file = dir.path().join("list.pdf");
    std::fs::write(&pdf_file, pdf.bytes().await.unwrap()).unwrap();
    let out = Command::new("pdftotext").arg(&pdf_file).arg("-").output().expect("pdftotext");
    let pdf_text = folded(&String::from_utf8(out.stdout).unwrap());
    let yte_name = &demo.awards[0].units[0].unit.name;
    for text in [&word, &pdf_text] {
        for want in [
            "DANH SÁCH",
            "Đề nghị khen thưởng năm 2018",
            "Khối Kinh tế",
            "Sở Tài chính",
            yte_name.as_str(),
            "Không đồng ý: Chưa đủ thời gian công tác theo quy định",
            "Đồng ý. Đã có Quyết định số 125/QĐ-UBND ngày 04 tháng 3 năm 2019",
            &share_vi(2, 2),
        ] {
            assert!(text.contains(&folded(want)), "lacks {want:?}:\n{text}");
        }
    }
    // Vietnamese's two-mark letters came through (ệ, ồ, ấ).
    assert!(pdf_text.contains("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG TỈNH"), "{pdf_text}");
}

fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace('\u{a0}', " ")
}
