//! The score sheets over real HTTP: who may do what (the whole matrix), conflicts, every
//! kind of bad input, the audit trail, and the 2019 year from first score to the results.

mod common;

use common::{people, TestServer, Who};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use thidua_domain::auth::{Me, Role};
use thidua_domain::criteria::Criterion;
use thidua_domain::error::{ApiErrorBody, FieldError};
use thidua_domain::model::BlocSummary;
use thidua_domain::results::{BlocResults, NotVerified};
use thidua_domain::sheet_edit::{SheetSummary, SheetView, LINKS_MAX, NOTE_MAX};
use thidua_domain::workflow::{SheetPermissions, SheetState};
use thidua_domain::Points;

const Y_TE: &str = "Sở Y tế";
const GIAO_DUC: &str = "Sở Giáo dục và Đào tạo";
const LAO_DONG: &str = "Sở Lao động - Thương binh và Xã hội";
const VAN_HOA: &str = "Sở Văn hóa, Thể thao và Du lịch";

fn path(id: i64, action: &str) -> String {
    format!("/api/sheets/{id}/{action}")
}

/// A self-assessment of every criterion, at what `points` says for it.
fn self_by(view: &SheetView, points: impl Fn(&Criterion) -> f64) -> Value {
    let scores: Vec<Value> = view
        .criteria
        .leaves()
        .map(|c| json!({"criterion_id": c.id, "self_score": points(c), "note": "", "evidence": []}))
        .collect();
    json!({"base_version": view.version, "scores": scores, "bonuses": [], "deductions": []})
}

/// A self-assessment of every criterion at `points` (at most 5, the smallest maximum).
fn self_all(view: &SheetView, points: f64) -> Value {
    self_by(view, |_| points)
}

/// Verification of every criterion, at what `points` says for it.
fn verify_by(view: &SheetView, points: impl Fn(&Criterion) -> f64) -> Value {
    let scores: Vec<Value> = view
        .criteria
        .leaves()
        .map(|c| json!({"criterion_id": c.id, "verified_score": points(c), "comment": ""}))
        .collect();
    json!({"base_version": view.version, "scores": scores})
}

fn verify_all(view: &SheetView, points: f64) -> Value {
    verify_by(view, |_| points)
}

fn max(c: &Criterion) -> f64 {
    c.max_points.to_f64()
}

fn transition(view: &SheetView, comment: &str) -> Value {
    json!({"base_version": view.version, "comment": comment})
}

impl TestServer {
    /// Does `action` as `who` with a body built from the sheet as staff sees it now, and
    /// expects `status` (with `code` when refused).
    async fn act(
        &self,
        who: &Who,
        id: i64,
        action: &str,
        body: impl Fn(&SheetView) -> Value,
        status: StatusCode,
        code: &str,
    ) {
        let staff = self.login("staff").await;
        let now = self.view(&staff, id).await;
        let method = if matches!(action, "self" | "verification") { Method::PUT } else { Method::POST };
        let before = now.version;
        if status == StatusCode::OK {
            let after: SheetView = self.ok(who, method, &path(id, action), Some(&body(&now))).await;
            assert_eq!(after.version, before + 1, "{} {action}", who.name);
        } else {
            self.refused(who, method, &path(id, action), Some(&body(&now)), status, code).await;
            assert_eq!(self.view(&staff, id).await.version, before, "{} {action}: a refusal changes nothing", who.name);
        }
    }

    async fn state(&self, id: i64) -> SheetState {
        let staff = self.login("staff").await;
        self.view(&staff, id).await.state
    }
}

const OK: StatusCode = StatusCode::OK;
const UNAUTHORIZED: StatusCode = StatusCode::UNAUTHORIZED;
const FORBIDDEN: StatusCode = StatusCode::FORBIDDEN;

#[tokio::test]
async fn who_may_do_what() {
    let s = TestServer::start().await;
    let p = people(&s).await;

    // /api/auth/me
    s.refused(&p.anon, Method::GET, "/api/auth/me", None, UNAUTHORIZED, "unauthenticated").await;
    for (who, role, unit) in [
        (&p.yte, Role::UnitOfficer, Some(Y_TE)),
        (&p.gddt, Role::UnitOfficer, Some(GIAO_DUC)),
        (&p.leader, Role::LeaderOfficer, Some(LAO_DONG)),
        (&p.staff, Role::Staff, None),
    ] {
        let me: Me = s.ok(who, Method::GET, "/api/auth/me", None).await;
        assert_eq!((me.username.as_str(), me.role, me.unit_name.as_deref()), (who.name, role, unit));
    }

    // The list: each sees what it may read, and nothing else.
    s.refused(&p.anon, Method::GET, "/api/sheets", None, UNAUTHORIZED, "unauthenticated").await;
    let list = |who: &Who| {
        let who = who.clone();
        let s = &s;
        async move { s.ok::<Vec<SheetSummary>>(&who, Method::GET, "/api/sheets", None).await }
    };
    let units = |l: &[SheetSummary]| l.iter().map(|x| (x.year, x.unit.name.clone())).collect::<Vec<_>>();
    let own = |unit: &str| vec![(2019, unit.to_owned()), (2018, unit.to_owned())];
    assert_eq!(units(&list(&p.yte).await), own(Y_TE), "officer A reads only A's sheets");
    assert_eq!(units(&list(&p.gddt).await), own(GIAO_DUC), "officer B reads only B's sheets");
    let all = list(&p.staff).await;
    assert_eq!(all.len(), 14, "staff: 7 members × 2 years");
    assert_eq!(list(&p.leader).await, all, "the leader reads every sheet of the bloc it leads");
    assert_eq!(all.iter().map(|x| x.year).collect::<Vec<_>>(), [[2019; 7], [2018; 7]].concat(), "newest year first");
    assert_eq!(all[0].unit.name, GIAO_DUC, "then in the bloc's order");
    assert!(all[..7].iter().all(|x| x.state == SheetState::Draft && x.scored == 0 && x.criteria_count == 10));
    assert!(all[7..].iter().all(|x| x.state == SheetState::Approved && x.scored == 10));
    let bloc = all[0].bloc_id;
    let filtered: Vec<SheetSummary> =
        s.ok(&p.staff, Method::GET, &format!("/api/sheets?year=2019&bloc_id={bloc}"), None).await;
    assert_eq!(filtered, all[..7]);
    let none: Vec<SheetSummary> = s.ok(&p.staff, Method::GET, "/api/sheets?year=2017", None).await;
    assert!(none.is_empty());
    s.refused(&p.staff, Method::GET, "/api/sheets?year=abc", None, StatusCode::BAD_REQUEST, "bad_request").await;

    let a = s.sheet_of(&p.staff, 2019, Y_TE).await;
    let l = s.sheet_of(&p.staff, 2019, LAO_DONG).await;
    let vh = s.sheet_of(&p.staff, 2019, VAN_HOA).await;
    let get = format!("/api/sheets/{a}");

    // GET one sheet (draft).
    s.refused(&p.anon, Method::GET, &get, None, UNAUTHORIZED, "unauthenticated").await;
    s.refused(&p.gddt, Method::GET, &get, None, FORBIDDEN, "forbidden").await;
    for who in [&p.yte, &p.leader, &p.staff] {
        let view: SheetView = s.ok(who, Method::GET, &get, None).await;
        assert_eq!(view.unit.name, Y_TE);
    }
    s.refused(&p.anon, Method::GET, "/api/sheets/99999", None, UNAUTHORIZED, "unauthenticated").await;
    s.refused(&p.staff, Method::GET, "/api/sheets/99999", None, StatusCode::NOT_FOUND, "sheet_not_found").await;
    let sv = |v: &SheetView| self_all(v, 5.0);
    s.refused(&p.anon, Method::PUT, "/api/sheets/99999/self", Some(&json!({})), UNAUTHORIZED, "unauthenticated").await;

    // What the view offers mirrors the domain's permissions.
    let offered = |who: &Who| {
        let who = who.clone();
        let s = &s;
        async move { s.view(&who, a).await.permissions }
    };
    assert_eq!(offered(&p.yte).await, SheetPermissions { edit_self: true, submit: true, ..Default::default() });
    assert_eq!(offered(&p.leader).await, SheetPermissions::default(), "nothing to verify in a draft");

    // PUT self on a draft: the unit and staff.
    s.act(&p.anon, a, "self", sv, UNAUTHORIZED, "unauthenticated").await;
    s.act(&p.gddt, a, "self", sv, FORBIDDEN, "forbidden").await;
    s.act(&p.leader, a, "self", sv, FORBIDDEN, "forbidden").await;
    s.act(&p.yte, a, "self", sv, OK, "").await;
    s.act(&p.staff, a, "self", sv, OK, "").await;

    // Submit a draft: the unit and staff.
    let t = |v: &SheetView| transition(v, "");
    s.act(&p.anon, a, "submit", t, UNAUTHORIZED, "unauthenticated").await;
    s.act(&p.gddt, a, "submit", t, FORBIDDEN, "forbidden").await;
    s.act(&p.leader, a, "submit", t, FORBIDDEN, "forbidden").await;
    s.act(&p.yte, a, "submit", t, OK, "").await;
    s.act(&p.staff, vh, "submit", t, OK, "").await;
    assert_eq!((s.state(a).await, s.state(vh).await), (SheetState::Submitted, SheetState::Submitted));

    // PUT verification on a submitted sheet: the leader and staff, not the unit itself.
    let vv = |v: &SheetView| verify_all(v, 4.0);
    s.act(&p.anon, a, "verification", vv, UNAUTHORIZED, "unauthenticated").await;
    s.act(&p.yte, a, "verification", vv, FORBIDDEN, "forbidden").await;
    s.act(&p.gddt, a, "verification", vv, FORBIDDEN, "forbidden").await;
    s.act(&p.leader, a, "verification", vv, OK, "").await;
    s.act(&p.staff, a, "verification", vv, OK, "").await;
    assert_eq!(
        offered(&p.leader).await,
        SheetPermissions { edit_verification: true, return_sheet: true, approve: true, ..Default::default() }
    );

    // Return a submitted sheet: the leader and staff.
    let r = |v: &SheetView| transition(v, "Bổ sung minh chứng");
    s.act(&p.anon, a, "return", r, UNAUTHORIZED, "unauthenticated").await;
    s.act(&p.yte, a, "return", r, FORBIDDEN, "forbidden").await;
    s.act(&p.gddt, a, "return", r, FORBIDDEN, "forbidden").await;
    s.act(&p.leader, a, "return", r, OK, "").await;
    s.act(&p.yte, a, "submit", t, OK, "").await;
    s.act(&p.staff, a, "return", r, OK, "").await;
    assert_eq!(s.state(a).await, SheetState::Returned);
    s.act(&p.yte, a, "self", sv, OK, "").await;
    s.act(&p.yte, a, "submit", t, OK, "").await;

    // Approve a submitted, fully verified sheet: the leader…
    let ap = |v: &SheetView| transition(v, "");
    s.act(&p.anon, a, "approve", ap, UNAUTHORIZED, "unauthenticated").await;
    s.act(&p.yte, a, "approve", ap, FORBIDDEN, "forbidden").await;
    s.act(&p.gddt, a, "approve", ap, FORBIDDEN, "forbidden").await;
    s.act(&p.leader, a, "approve", ap, OK, "").await;
    assert_eq!(s.state(a).await, SheetState::Approved);
    // …and staff, who alone verify the leader unit's own sheet.
    s.act(&p.leader, l, "self", sv, OK, "").await;
    s.act(&p.leader, l, "submit", t, OK, "").await;
    s.act(&p.leader, l, "verification", vv, FORBIDDEN, "forbidden").await;
    s.act(&p.staff, l, "verification", vv, OK, "").await;
    s.act(&p.leader, l, "return", r, FORBIDDEN, "forbidden").await;
    s.act(&p.leader, l, "approve", ap, FORBIDDEN, "forbidden").await;
    s.act(&p.staff, l, "approve", ap, OK, "").await;

    // An approved sheet is closed to everyone: the state, not the role, refuses.
    s.act(&p.yte, a, "self", sv, StatusCode::CONFLICT, "wrong_state").await;
    s.act(&p.staff, a, "verification", vv, StatusCode::CONFLICT, "wrong_state").await;
    assert_eq!(offered(&p.staff).await, SheetPermissions::default());
    // Officer B never saw any of it.
    s.refused(&p.gddt, Method::GET, &get, None, FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn conflicts_stale_version_and_wrong_state() {
    let s = TestServer::start().await;
    let p = people(&s).await;
    let a = s.sheet_of(&p.staff, 2019, Y_TE).await;
    let base = s.view(&p.yte, a).await;

    // Two writes from the same version: the second is told to reload.
    let first: SheetView = s.ok(&p.yte, Method::PUT, &path(a, "self"), Some(&self_all(&base, 5.0))).await;
    assert_eq!(first.version, base.version + 1);
    let e = s
        .refused(
            &p.staff,
            Method::PUT,
            &path(a, "self"),
            Some(&self_all(&base, 4.5)),
            StatusCode::CONFLICT,
            "stale_version",
        )
        .await;
    assert!(e.message.contains("reload"), "{}", e.message);
    let now = s.view(&p.yte, a).await;
    assert_eq!(now.version, first.version, "the stale write changed nothing");
    assert_eq!(now.sheet.scores[0].self_score, Some(Points::whole(5)));
    let stale_submit = transition(&base, "");
    s.refused(&p.yte, Method::POST, &path(a, "submit"), Some(&stale_submit), StatusCode::CONFLICT, "stale_version")
        .await;

    // A submitted sheet is not the unit's to edit any more.
    let submitted: SheetView = s.ok(&p.yte, Method::POST, &path(a, "submit"), Some(&transition(&now, ""))).await;
    assert_eq!(submitted.state, SheetState::Submitted);
    let e = s
        .refused(
            &p.yte,
            Method::PUT,
            &path(a, "self"),
            Some(&self_all(&submitted, 4.5)),
            StatusCode::CONFLICT,
            "wrong_state",
        )
        .await;
    assert!(e.message.contains("submitted"), "{}", e.message);
    s.refused(
        &p.yte,
        Method::POST,
        &path(a, "submit"),
        Some(&transition(&submitted, "")),
        StatusCode::CONFLICT,
        "wrong_state",
    )
    .await;
    // Verifying a draft is the state's refusal too.
    let d = s.sheet_of(&p.staff, 2019, GIAO_DUC).await;
    let draft = s.view(&p.leader, d).await;
    s.refused(
        &p.leader,
        Method::PUT,
        &path(d, "verification"),
        Some(&verify_all(&draft, 1.0)),
        StatusCode::CONFLICT,
        "wrong_state",
    )
    .await;
}

#[tokio::test]
async fn bad_input_is_422_413_415_or_400_never_500() {
    let s = TestServer::start().await;
    let p = people(&s).await;
    let a = s.sheet_of(&p.staff, 2019, Y_TE).await;
    let view = s.view(&p.yte, a).await;
    let leaves: Vec<_> = view.criteria.leaves().cloned().collect();
    let (c1, c2) = (&leaves[0], &leaves[1]); // 1.1 max 20, 1.2 max 10; step 0.5
    let put_self = |scores: Value| json!({"base_version": view.version, "scores": scores});
    let invalid = |body: Value| {
        let s = &s;
        let yte = p.yte.clone();
        async move {
            s.refused(
                &yte,
                Method::PUT,
                &path(a, "self"),
                Some(&body),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
            )
            .await
            .fields
        }
    };

    let f = invalid(put_self(json!([{"criterion_id": c1.id, "self_score": -1}]))).await;
    assert_eq!(f[&format!("scores.{}.self_score", c1.id)], [FieldError::Negative]);
    let f = invalid(put_self(json!([{"criterion_id": c1.id, "self_score": 20.5}]))).await;
    assert_eq!(f[&format!("scores.{}.self_score", c1.id)], [FieldError::AboveMax { max: Points::whole(20) }]);
    let f = invalid(put_self(json!([{"criterion_id": c2.id, "self_score": 7.25}]))).await;
    assert_eq!(f[&format!("scores.{}.self_score", c2.id)], [FieldError::OffStep { step: Points::from_hundredths(50) }]);
    let f = invalid(put_self(json!([{"criterion_id": c1.id, "self_score": "mười"}]))).await;
    // The wrong type is named like a rule error: the one field-path scheme.
    assert_eq!(f[&format!("scores.{}.self_score", c1.id)], [FieldError::Invalid], "the path of the wrong type");
    let f = invalid(put_self(json!([{"criterion_id": c1.id, "self_score": 10, "verified_score": 10}]))).await;
    assert_eq!(f[&format!("scores.{}.verified_score", c1.id)], [FieldError::UnknownField], "an unknown field");
    let f = invalid(json!({"base_version": view.version, "scores": [], "state": "approved"})).await;
    assert_eq!(f["state"], [FieldError::UnknownField]);
    let f = invalid(json!({"base_version": view.version, "scores": [], "bonuses": [{"reason": "x"}]})).await;
    assert_eq!(f["bonuses.0.points"], [FieldError::Required]);
    let f =
        invalid(put_self(json!([{"criterion_id": c1.id, "self_score": 10, "note": "x".repeat(NOTE_MAX + 1)}]))).await;
    assert_eq!(f[&format!("scores.{}.note", c1.id)], [FieldError::TooLong { max: NOTE_MAX as u32 }]);
    let links: Vec<String> = (0..=LINKS_MAX).map(|i| format!("https://example.org/{i}")).collect();
    let f = invalid(put_self(json!([{"criterion_id": c1.id, "self_score": 10, "evidence": links}]))).await;
    assert_eq!(f[&format!("scores.{}.evidence", c1.id)], [FieldError::TooMany { max: LINKS_MAX as u32 }]);
    let f = invalid(json!({"base_version": view.version, "scores": {"oops": 1}})).await;
    assert_eq!(f["scores"], [FieldError::Invalid], "an unknown shape");
    let f = invalid(json!({"scores": []})).await;
    assert_eq!(f["base_version"], [FieldError::Required]);
    assert_eq!(s.view(&p.yte, a).await.version, view.version, "nothing was saved");

    // Too large, not JSON, or broken JSON.
    let huge = put_self(json!([{"criterion_id": c1.id, "self_score": 10, "note": "x".repeat(300 * 1024)}]));
    s.refused(&p.yte, Method::PUT, &path(a, "self"), Some(&huge), StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
        .await;
    let text = s.request(&p.yte, Method::PUT, &path(a, "self")).body("scores").send().await.unwrap();
    assert_eq!(text.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(text.json::<ApiErrorBody>().await.unwrap().code, "unsupported_media_type");
    let broken = s
        .request(&p.yte, Method::PUT, &path(a, "self"))
        .header(CONTENT_TYPE, "application/json")
        .body("{\"base_version\": 1, \"scores\": [")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), StatusCode::BAD_REQUEST);
    assert_eq!(broken.json::<ApiErrorBody>().await.unwrap().code, "bad_request");

    // Return needs a comment; approval needs every criterion verified.
    let scored: SheetView = s.ok(&p.yte, Method::PUT, &path(a, "self"), Some(&self_all(&view, 5.0))).await;
    let submitted: SheetView = s.ok(&p.yte, Method::POST, &path(a, "submit"), Some(&transition(&scored, ""))).await;
    let e = s
        .refused(
            &p.leader,
            Method::POST,
            &path(a, "return"),
            Some(&transition(&submitted, "  ")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(e.fields["comment"], [FieldError::Required]);
    let one = json!({"base_version": submitted.version, "scores": [{"criterion_id": c1.id, "verified_score": 15}]});
    let partly: SheetView = s.ok(&p.leader, Method::PUT, &path(a, "verification"), Some(&one)).await;
    // The view offers no approval it would refuse: nine criteria are still unverified.
    assert!(!partly.permissions.approve && partly.permissions.return_sheet);
    let e = s
        .refused(
            &p.leader,
            Method::POST,
            &path(a, "approve"),
            Some(&transition(&partly, "")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(e.fields.len(), 9, "the nine criteria not verified: {:?}", e.fields);
    assert_eq!(e.fields[&format!("scores.{}.verified_score", c2.id)], [FieldError::Required]);
    let over = json!({"base_version": partly.version, "scores": [{"criterion_id": c2.id, "verified_score": 11}]});
    let e = s
        .refused(
            &p.leader,
            Method::PUT,
            &path(a, "verification"),
            Some(&over),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(
        e.fields[&format!("scores.{}.verified_score", c2.id)],
        [FieldError::AboveMax { max: Points::whole(10) }]
    );
}

#[tokio::test]
async fn every_change_is_audited_with_who_and_old_and_new() {
    let s = TestServer::start().await;
    let p = people(&s).await;
    let a = s.sheet_of(&p.staff, 2019, Y_TE).await;
    let view = s.view(&p.yte, a).await;
    assert!(view.audit.is_empty());
    let c1 = view.criteria.leaves().next().unwrap().id;

    let first = json!({"base_version": view.version, "scores": [
        {"criterion_id": c1, "self_score": 18.5, "note": "Đạt 95% chỉ tiêu", "evidence": ["https://example.org/bc.pdf"]}
    ], "bonuses": [{"reason": "Sáng kiến cấp tỉnh", "points": 2}]});
    let v1: SheetView = s.ok(&p.yte, Method::PUT, &path(a, "self"), Some(&first)).await;
    let second = json!({"base_version": v1.version, "scores": [
        {"criterion_id": c1, "self_score": 19, "note": "Đạt 95% chỉ tiêu", "evidence": ["https://example.org/bc.pdf"]}
    ], "bonuses": [{"reason": "Sáng kiến cấp tỉnh", "points": 2}]});
    let v2: SheetView = s.ok(&p.yte, Method::PUT, &path(a, "self"), Some(&second)).await;
    let v3: SheetView = s.ok(&p.yte, Method::POST, &path(a, "submit"), Some(&transition(&v2, ""))).await;
    let v4: SheetView =
        s.ok(&p.leader, Method::POST, &path(a, "return"), Some(&transition(&v3, "Thiếu minh chứng mục 1.2"))).await;
    assert_eq!(v4.return_comment, "Thiếu minh chứng mục 1.2");

    type Row = (String, String, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> = v4
        .audit
        .iter()
        .map(|e| {
            let action = serde_json::to_value(e.action).unwrap().as_str().unwrap().to_owned();
            (e.user.clone(), action, e.field.clone(), e.old.clone(), e.new.clone())
        })
        .collect();
    let row = |user: &str, action: &str, field: Option<String>, old: Option<&str>, new: Option<&str>| -> Row {
        (user.to_owned(), action.to_owned(), field, old.map(str::to_owned), new.map(str::to_owned))
    };
    let yte = "Cán bộ thi đua Sở Y tế";
    let leader = "Cán bộ thi đua Sở Lao động - Thương binh và Xã hội";
    let field = |f: &str| Some(f.to_owned());
    let score = format!("scores.{c1}.self_score");
    assert_eq!(
        rows,
        [
            // Newest first: the return (its state, then its comment), the submit, the two edits.
            row(leader, "return", None, Some("submitted"), Some("returned")),
            row(leader, "return", field("return_comment"), None, Some("Thiếu minh chứng mục 1.2")),
            row(yte, "submit", None, Some("draft"), Some("submitted")),
            row(yte, "edit_self", field(&score), Some("18.5"), Some("19")),
            row(yte, "edit_self", field("bonuses"), None, Some("Sáng kiến cấp tỉnh (2)")),
            row(yte, "edit_self", field(&format!("scores.{c1}.evidence")), None, Some("https://example.org/bc.pdf")),
            row(yte, "edit_self", field(&format!("scores.{c1}.note")), None, Some("Đạt 95% chỉ tiêu")),
            row(yte, "edit_self", field(&score), None, Some("18.5")),
        ]
    );
    assert!(v4.audit.iter().all(|e| e.at.len() == 20 && e.at.ends_with('Z')), "RFC 3339 UTC");

    // The unit's resubmission clears the return comment, and says so.
    let v5: SheetView = s.ok(&p.yte, Method::POST, &path(a, "submit"), Some(&transition(&v4, ""))).await;
    assert_eq!(v5.return_comment, "");
    assert_eq!(v5.audit[1].field.as_deref(), Some("return_comment"));
    assert_eq!((v5.audit[1].old.as_deref(), v5.audit[1].new.as_deref()), (Some("Thiếu minh chứng mục 1.2"), None));
}

#[tokio::test]
async fn the_2019_year_from_first_score_to_the_public_ranking() {
    let s = TestServer::start().await;
    let p = people(&s).await;
    let blocs: Vec<BlocSummary> = s.ok(&p.anon, Method::GET, "/api/years/2019/blocs", None).await;
    let results_path = format!("/api/years/2019/blocs/{}/results", blocs[0].id);

    // 2019 is not published: the public sees nothing, staff a preview.
    s.refused(&p.anon, Method::GET, &results_path, None, StatusCode::NOT_FOUND, "not_published").await;
    // Before anything is scored: no member ranked, each listed apart as a draft with 0 of 10
    // criteria verified, no proposals.
    let before: BlocResults = s.ok(&p.staff, Method::GET, &results_path, None).await;
    assert!(!before.published);
    assert!(before.ranking.is_empty());
    assert_eq!(before.unranked.len(), 7);
    assert!(before.unranked.iter().all(|r| r.state == NotVerified::Draft && r.verified == 0 && r.criteria_count == 10));
    assert!(before.awards.is_empty(), "no proposals before the conference");

    let a = s.sheet_of(&p.staff, 2019, Y_TE).await;
    let draft = s.view(&p.yte, a).await;
    assert_eq!(draft.criteria.criteria.len(), 13, "the criteria table is copied from 2018");
    let v: SheetView = s.ok(&p.yte, Method::PUT, &path(a, "self"), Some(&self_by(&draft, max))).await;
    let v: SheetView = s.ok(&p.yte, Method::POST, &path(a, "submit"), Some(&transition(&v, ""))).await;
    let v: SheetView =
        s.ok(&p.leader, Method::POST, &path(a, "return"), Some(&transition(&v, "Mục 1.1 chưa có minh chứng"))).await;
    assert_eq!((v.state, v.return_comment.as_str()), (SheetState::Returned, "Mục 1.1 chưa có minh chứng"));

    // The unit sees the comment, fixes and resubmits.
    let seen = s.view(&p.yte, a).await;
    assert_eq!(seen.return_comment, "Mục 1.1 chưa có minh chứng");
    let mut fixed = self_by(&seen, max);
    fixed["scores"][0]["evidence"] = json!(["https://example.org/minh-chung-1-1.pdf"]);
    let v: SheetView = s.ok(&p.yte, Method::PUT, &path(a, "self"), Some(&fixed)).await;
    let v: SheetView = s.ok(&p.yte, Method::POST, &path(a, "submit"), Some(&transition(&v, ""))).await;
    assert_eq!((v.state, v.return_comment.as_str()), (SheetState::Submitted, ""));

    // The leader verifies (half a point below the maximum on each of the ten) and approves.
    let body = verify_by(&v, |c| max(c) - 0.5);
    let v: SheetView = s.ok(&p.leader, Method::PUT, &path(a, "verification"), Some(&body)).await;
    // Not yet approved: not yet a result, but how far verification got is said.
    let pending: BlocResults = s.ok(&p.staff, Method::GET, &results_path, None).await;
    assert!(pending.ranking.is_empty());
    let yte = pending.unranked.iter().find(|r| r.unit.name == Y_TE).unwrap();
    assert_eq!((yte.state, yte.verified), (NotVerified::Submitted, 10));
    let v: SheetView = s.ok(&p.leader, Method::POST, &path(a, "approve"), Some(&transition(&v, ""))).await;
    assert_eq!(v.state, SheetState::Approved);
    assert!(v.sheet.scores.iter().all(|c| c.self_score.is_some_and(|p| p > c.verified_score.unwrap_or_default())));

    let after: BlocResults = s.ok(&p.staff, Method::GET, &results_path, None).await;
    assert_eq!(after.ranking[0].unit.name, Y_TE);
    assert_eq!((after.ranking[0].rank, after.ranking[0].total), (1, Points::whole(95)), "the verified total");
    assert_eq!(after.ranking[0].scored, 10);
    assert_eq!((after.ranking.len(), after.unranked.len()), (1, 6), "the others are not ranked, not 0");

    // 2018 is as published.
    let bloc = blocs[0].id;
    let r2018: BlocResults = s.ok(&p.anon, Method::GET, &format!("/api/years/2018/blocs/{bloc}/results"), None).await;
    assert_eq!(r2018.ranking[0].total, Points::from_hundredths(9750));
}
