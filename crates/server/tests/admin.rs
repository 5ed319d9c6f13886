//! Staff administration over real HTTP: who may use it, a new year copied from the last one
//! (renames and merges followed), a bloc's set-up, the criteria editor's saves and its CSV,
//! accounts, closed years, and the audit trail.

mod common;

use common::{DemoBloc, TestServer, Who};
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use thidua_domain::admin::blocs::BlocSetupView;
use thidua_domain::admin::criteria::{draft_to_rows, CriteriaDraft};
use thidua_domain::admin::units::UnitAdmin;
use thidua_domain::admin::users::UserAdmin;
use thidua_domain::admin::years::YearAdmin;
use thidua_domain::auth::Me;
use thidua_domain::award_types::AwardType;
use thidua_domain::error::{ApiErrorBody, Duplicated, FieldError};
use thidua_domain::history::UnitHistory;
use thidua_domain::model::BlocDetail;
use thidua_domain::ranking::TieBreak;
use thidua_domain::results::BlocResults;
use thidua_domain::sheet_edit::{SheetSummary, SheetView};
use thidua_domain::workflow::{SheetPermissions, SheetState};
use thidua_domain::Points;

const Y_TE: &str = "Sở Y tế";
const GIAO_DUC: &str = "Sở Giáo dục và Đào tạo";
const VAN_HOA: &str = "Sở Văn hóa, Thể thao và Du lịch";
const LAO_DONG: &str = "Sở Lao động - Thương binh và Xã hội";
const HANH_CHINH: &str = "Trung tâm Hành chính công tỉnh";
const VAN_HOA_2020: &str = "Sở Văn hóa và Thể thao";

/// Staff, and the demo bloc.
struct Admin {
    s: TestServer,
    staff: Who,
    bloc: DemoBloc,
}

impl Admin {
    async fn start() -> Admin {
        let s = TestServer::start().await;
        let staff = s.login("staff").await;
        let bloc = DemoBloc::load(&s).await;
        Admin { s, staff, bloc }
    }

    fn unit(&self, name: &str) -> i64 {
        self.bloc.unit(name)
    }

    fn bloc_path(&self, year: i32, rest: &str) -> String {
        format!("/api/admin/years/{year}/blocs/{}{rest}", self.bloc.id)
    }

    async fn setup(&self, year: i32) -> BlocSetupView {
        self.s.ok(&self.staff, Method::GET, &self.bloc_path(year, ""), None).await
    }

    async fn post(&self, path: &str, body: Value, status: StatusCode) -> Value {
        self.s.expect(&self.staff, Method::POST, path, Some(&body), status).await
    }

    async fn put(&self, path: &str, body: Value, status: StatusCode) -> Value {
        self.s.expect(&self.staff, Method::PUT, path, Some(&body), status).await
    }

    /// Staff's write refused with 422: the field errors.
    async fn invalid(&self, method: Method, path: &str, body: Value) -> ApiErrorBody {
        self.s.refused(&self.staff, method, path, Some(&body), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await
    }

    async fn refused(&self, method: Method, path: &str, body: Value, status: StatusCode, code: &str) -> ApiErrorBody {
        self.s.refused(&self.staff, method, path, Some(&body), status, code).await
    }

    /// The set-up body that keeps everything of `view` but what `change` changes.
    fn setup_input(view: &BlocSetupView, change: impl FnOnce(&mut Value)) -> Value {
        let mut body = json!({
            "members": view.members.iter().map(|u| u.id).collect::<Vec<_>>(),
            "leader": view.leader,
            "deputy": view.deputy,
            "pact_signed_on": view.pact_signed_on,
            "pact_note": view.pact_note,
            "pact_document_url": view.pact_document_url,
            "version": view.version,
        });
        change(&mut body);
        body
    }

    async fn audit_kinds(&self) -> Vec<(String, String)> {
        let db = self.s.db().await;
        sqlx::query_as("SELECT kind, target FROM admin_audit ORDER BY id").fetch_all(&db).await.unwrap()
    }

    /// A raw CSV upload as staff.
    async fn import(&self, year: i32, body: &str, content_type: &str) -> reqwest::Response {
        self.s
            .request(&self.staff, Method::POST, &self.bloc_path(year, "/criteria/import"))
            .header(CONTENT_TYPE, content_type)
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
    }
}

fn field(e: &ApiErrorBody, name: &str) -> Vec<FieldError> {
    e.fields.get(name).cloned().unwrap_or_else(|| panic!("no {name} in {:?}", e.fields))
}

#[tokio::test]
async fn administration_is_for_staff_only_and_never_cached() {
    let a = Admin::start().await;
    let s = &a.s;
    let (anon, yte, leader) = (Who::anonymous(), s.login("yte").await, s.login("ldtbxh").await);
    let unit = a.unit(Y_TE);
    let bloc = a.bloc_path(2019, "");
    // Bodies that would be refused anyway: the role is checked before the body is read.
    let junk = json!({"nothing": "here"});
    let endpoints: Vec<(Method, String)> = vec![
        (Method::GET, "/api/admin/years".into()),
        (Method::POST, "/api/admin/years".into()),
        (Method::PUT, "/api/admin/years/2019".into()),
        (Method::POST, "/api/admin/years/2019/blocs".into()),
        (Method::GET, bloc.clone()),
        (Method::PUT, bloc.clone()),
        (Method::PUT, format!("{bloc}/criteria")),
        (Method::GET, format!("{bloc}/criteria.csv")),
        (Method::POST, format!("{bloc}/criteria/import")),
        (Method::GET, "/api/admin/units".into()),
        (Method::POST, "/api/admin/units".into()),
        (Method::POST, format!("/api/admin/units/{unit}/names")),
        (Method::POST, format!("/api/admin/units/{unit}/end")),
        (Method::GET, "/api/admin/users".into()),
        (Method::POST, "/api/admin/users".into()),
        (Method::PUT, "/api/admin/users/1".into()),
        (Method::PUT, "/api/admin/users/1/password".into()),
    ];
    for (method, path) in &endpoints {
        let body = (*method != Method::GET).then_some(&junk);
        s.refused(&anon, method.clone(), path, body, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        for who in [&yte, &leader] {
            s.refused(who, method.clone(), path, body, StatusCode::FORBIDDEN, "forbidden").await;
        }
    }
    for path in ["/api/admin/years", "/api/admin/units", "/api/admin/users", &bloc, &format!("{bloc}/criteria.csv")] {
        let response = s.send(&a.staff, Method::GET, path, None).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()[CACHE_CONTROL], "no-store", "{path}");
    }
    assert!(a.audit_kinds().await.is_empty(), "nothing refused was written");
}

#[tokio::test]
async fn a_new_year_is_a_copy_of_the_last_without_its_scores_votes_or_publication() {
    let a = Admin::start().await;
    let s = &a.s;
    let years: Vec<YearAdmin> = s.ok(&a.staff, Method::GET, "/api/admin/years", None).await;
    assert_eq!(
        years,
        [
            YearAdmin { year: 2019, open: true, bloc_count: 1, published_blocs: 0, tie_break: TieBreak::SectionOrder },
            YearAdmin { year: 2018, open: false, bloc_count: 1, published_blocs: 1, tie_break: TieBreak::SectionOrder }
        ],
        "the demo's 2018 is closed, 2019 open"
    );
    let e = a.invalid(Method::POST, "/api/admin/years", json!({"year": 2019, "copy_from": 2017})).await;
    assert_eq!(
        (field(&e, "year"), field(&e, "copy_from")),
        (vec![FieldError::Duplicate { of: Duplicated::Year }], vec![FieldError::Invalid])
    );
    let e = a.invalid(Method::POST, "/api/admin/years", json!({"year": 1999, "copy_from": null})).await;
    assert_eq!(field(&e, "year"), [FieldError::Invalid]);

    let created = a.post("/api/admin/years", json!({"year": 2020, "copy_from": 2019}), StatusCode::CREATED).await;
    let created: YearAdmin = serde_json::from_value(created).unwrap();
    assert_eq!(
        created,
        YearAdmin { year: 2020, open: true, bloc_count: 1, published_blocs: 0, tie_break: TieBreak::SectionOrder }
    );

    // The same bloc, members in the same order, leader and deputy; no pact.
    let anon = Who::anonymous();
    let detail = |year: i32| format!("/api/years/{year}/blocs/{}", a.bloc.id);
    let d2019: BlocDetail = s.ok(&anon, Method::GET, &detail(2019), None).await;
    let d2020: BlocDetail = s.ok(&anon, Method::GET, &detail(2020), None).await;
    assert_eq!((&d2020.name, &d2020.members), (&d2019.name, &d2019.members));
    assert_eq!((d2020.leader_id, d2020.deputy_id), (Some(a.unit(LAO_DONG)), Some(a.unit(Y_TE))));
    assert_eq!(d2020.pact, None);

    // The criteria as new rows, the same tree and bonus cap.
    let (v2019, v2020) = (a.setup(2019).await, a.setup(2020).await);
    assert_eq!(v2020.criteria.without_ids(), v2019.criteria.without_ids());
    assert_eq!(v2020.criteria.bonus_cap, Points::whole(5));
    let ids = |v: &BlocSetupView| v.criteria.walk().iter().map(|(_, _, n)| n.id.unwrap()).collect::<Vec<_>>();
    assert_eq!(ids(&v2020).len(), 13);
    assert!(ids(&v2020).iter().all(|id| !ids(&v2019).contains(id)), "new criteria");
    assert_eq!((v2020.version, v2020.scored_criteria.len()), (0, 0));

    // The award types with their rules.
    let types = |year: i32| format!("/api/years/{year}/award-types");
    let t2019: Vec<AwardType> = s.ok(&anon, Method::GET, &types(2019), None).await;
    let t2020: Vec<AwardType> = s.ok(&anon, Method::GET, &types(2020), None).await;
    assert_eq!(
        t2020.iter().map(AwardType::input).collect::<Vec<_>>(),
        t2019.iter().map(AwardType::input).collect::<Vec<_>>()
    );
    assert!(t2020.iter().all(|t| t2019.iter().all(|o| o.id != t.id)));

    // An empty draft for every member; no tally, no decisions, unpublished.
    let sheets: Vec<SheetSummary> = s.ok(&a.staff, Method::GET, "/api/sheets?year=2020", None).await;
    assert_eq!(sheets.len(), 7);
    assert!(sheets.iter().all(|x| x.state == SheetState::Draft && x.scored == 0 && x.criteria_count == 10));
    s.refused(&anon, Method::GET, &format!("{}/results", detail(2020)), None, StatusCode::NOT_FOUND, "not_published")
        .await;
    let preview: BlocResults = s.ok(&a.staff, Method::GET, &format!("{}/results", detail(2020)), None).await;
    assert!(!preview.published && preview.tally.is_none() && preview.awards.iter().all(|g| g.units.is_empty()));

    // Copying from 2018 (published, approved, with a tally) carries none of that either.
    a.post("/api/admin/years", json!({"year": 2021, "copy_from": 2018}), StatusCode::CREATED).await;
    let sheets: Vec<SheetSummary> = s.ok(&a.staff, Method::GET, "/api/sheets?year=2021", None).await;
    assert!(sheets.len() == 7 && sheets.iter().all(|x| x.state == SheetState::Draft && x.scored == 0));
    let preview: BlocResults = s.ok(&a.staff, Method::GET, &format!("{}/results", detail(2021)), None).await;
    assert!(!preview.published && preview.tally.is_none());
    // An empty year.
    let empty = a.post("/api/admin/years", json!({"year": 2022, "copy_from": null}), StatusCode::CREATED).await;
    assert_eq!(empty["bloc_count"], 0);

    let kinds = a.audit_kinds().await;
    assert_eq!(
        kinds,
        [("create_year", "year:2020"), ("create_year", "year:2021"), ("create_year", "year:2022")]
            .map(|(k, t)| (k.to_owned(), t.to_owned()))
    );
}

#[tokio::test]
async fn a_rename_keeps_the_old_name_in_the_years_before_it() {
    let a = Admin::start().await;
    let s = &a.s;
    let vh = a.unit(VAN_HOA);
    let names = format!("/api/admin/units/{vh}/names");
    let e = a.invalid(Method::POST, &names, json!({"name": " sở y tế ", "from_year": 2020})).await;
    assert_eq!(field(&e, "name"), [FieldError::Duplicate { of: Duplicated::UnitName }]);
    s.refused(
        &a.staff,
        Method::POST,
        "/api/admin/units/999/names",
        Some(&json!({"name": "x", "from_year": 2020})),
        StatusCode::NOT_FOUND,
        "unit_not_found",
    )
    .await;

    let renamed = a.post(&names, json!({"name": VAN_HOA_2020, "from_year": 2020}), StatusCode::OK).await;
    let renamed: UnitAdmin = serde_json::from_value(renamed).unwrap();
    assert_eq!(renamed.name, VAN_HOA_2020);
    assert_eq!(
        renamed.names.iter().map(|n| (n.from_year, n.name.as_str())).collect::<Vec<_>>(),
        [(2018, VAN_HOA), (2020, VAN_HOA_2020)]
    );
    a.post("/api/admin/years", json!({"year": 2020, "copy_from": 2019}), StatusCode::CREATED).await;

    let anon = Who::anonymous();
    let name_in = |members: &[thidua_domain::model::Unit]| members.iter().find(|u| u.id == vh).unwrap().name.clone();
    // The 2018 results, bloc and the 2019 sheets keep the name of their time; 2020 has the new one.
    let r2018: BlocResults =
        s.ok(&anon, Method::GET, &format!("/api/years/2018/blocs/{}/results", a.bloc.id), None).await;
    assert_eq!(r2018.ranking.iter().find(|r| r.unit.id == vh).unwrap().unit.name, VAN_HOA);
    for (year, name) in [(2018, VAN_HOA), (2019, VAN_HOA), (2020, VAN_HOA_2020)] {
        let d: BlocDetail = s.ok(&anon, Method::GET, &format!("/api/years/{year}/blocs/{}", a.bloc.id), None).await;
        assert_eq!(name_in(&d.members), name, "{year}");
        let sheets: Vec<SheetSummary> = s.ok(&a.staff, Method::GET, &format!("/api/sheets?year={year}"), None).await;
        assert_eq!(sheets.iter().find(|x| x.unit.id == vh).unwrap().unit.name, name, "{year}");
    }
    // The history speaks of the unit as it is named now.
    let h: UnitHistory = s.ok(&anon, Method::GET, &format!("/api/units/{vh}/history"), None).await;
    assert_eq!(h.unit.name, VAN_HOA_2020);
    assert_eq!(h.points.iter().map(|p| p.year).collect::<Vec<_>>(), [2018]);

    // A new unit with a name of its own.
    let e = a.invalid(Method::POST, "/api/admin/units", json!({"name": VAN_HOA_2020, "from_year": 2020})).await;
    assert_eq!(field(&e, "name"), [FieldError::Duplicate { of: Duplicated::UnitName }]);
    let created =
        a.post("/api/admin/units", json!({"name": " Sở Nội vụ ", "from_year": 2020}), StatusCode::CREATED).await;
    assert_eq!(created["name"], "Sở Nội vụ");
    let units: Vec<UnitAdmin> = s.ok(&a.staff, Method::GET, "/api/admin/units", None).await;
    assert_eq!(units.len(), 8);
    assert_eq!(
        a.audit_kinds().await.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        ["rename_unit", "create_year", "create_unit"]
    );
}

#[tokio::test]
async fn a_merge_and_a_retirement_are_followed_by_the_copy() {
    let a = Admin::start().await;
    let (ld, yt, hc) = (a.unit(LAO_DONG), a.unit(Y_TE), a.unit(HANH_CHINH));
    let end = |unit: i64| format!("/api/admin/units/{unit}/end");
    let e = a.invalid(Method::POST, &end(ld), json!({"unit_id": yt, "from_year": 2020, "merged_into": ld})).await;
    assert_eq!(field(&e, "unit_id"), [FieldError::Invalid]);
    let e = a.invalid(Method::POST, &end(ld), json!({"unit_id": ld, "from_year": 2020, "merged_into": 999})).await;
    assert_eq!(field(&e, "merged_into"), [FieldError::Invalid]);

    // The leader merges into the deputy from 2020; the public administrative centre retires.
    let merged = a.post(&end(ld), json!({"unit_id": ld, "from_year": 2020, "merged_into": yt}), StatusCode::OK).await;
    let merged: UnitAdmin = serde_json::from_value(merged).unwrap();
    assert_eq!(merged.end.map(|e| (e.from_year, e.merged_into)), Some((2020, Some(yt))));
    let e = a.invalid(Method::POST, &end(yt), json!({"unit_id": yt, "from_year": 2020, "merged_into": ld})).await;
    assert_eq!(field(&e, "merged_into"), [FieldError::Invalid], "a cycle of merges");
    a.post(&end(hc), json!({"unit_id": hc, "from_year": 2020, "merged_into": null}), StatusCode::OK).await;

    a.post("/api/admin/years", json!({"year": 2020, "copy_from": 2019}), StatusCode::CREATED).await;
    let v = a.setup(2020).await;
    let members: Vec<&str> = v.members.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(
        members,
        [GIAO_DUC, Y_TE, VAN_HOA, "Đài Phát thanh và Truyền hình tỉnh", "Bảo hiểm xã hội tỉnh"],
        "the merged unit is one with the unit it joined, the retired one is gone"
    );
    assert_eq!((v.leader, v.deputy), (Some(yt), None), "the merged leader's successor leads; the deputy became it");
    // 2019 is as it was.
    assert_eq!(a.setup(2019).await.members.len(), 7);
    // A retired unit cannot join a bloc of a year it no longer exists in.
    let body = Admin::setup_input(&v, |b| b["members"].as_array_mut().unwrap().push(json!(hc)));
    let e = a.invalid(Method::PUT, &a.bloc_path(2020, ""), body).await;
    assert_eq!(field(&e, "members.5"), [FieldError::Invalid]);
}

#[tokio::test]
async fn a_blocs_setup_is_checked_and_keeps_what_sheets_hold() {
    let a = Admin::start().await;
    let s = &a.s;
    let path = a.bloc_path(2019, "");
    let v = a.setup(2019).await;
    assert_eq!((v.version, v.members.len(), v.leader), (0, 7, Some(a.unit(LAO_DONG))));
    let (gd, yt, hc) = (a.unit(GIAO_DUC), a.unit(Y_TE), a.unit(HANH_CHINH));

    // 422: a leader who is no member, a unit listed twice, a bad pact.
    let body = Admin::setup_input(&v, |b| {
        b["members"] = json!([gd, yt, gd]);
        b["leader"] = json!(hc);
        b["pact_signed_on"] = json!("20/02/2019");
        b["pact_document_url"] = json!("giao-uoc.pdf");
    });
    let e = a.invalid(Method::PUT, &path, body).await;
    assert_eq!(field(&e, "members.2"), [FieldError::Duplicate { of: Duplicated::Member }]);
    assert_eq!(field(&e, "leader"), [FieldError::Invalid]);
    assert_eq!(field(&e, "pact_signed_on"), [FieldError::Invalid]);
    assert_eq!(field(&e, "pact_document_url"), [FieldError::NotALink]);
    let e = a.invalid(Method::PUT, &path, Admin::setup_input(&v, |b| b["deputy"] = b["leader"].clone())).await;
    assert_eq!(field(&e, "deputy"), [FieldError::Duplicate { of: Duplicated::Leader }]);

    // A new leader and the pact.
    let body = Admin::setup_input(&v, |b| {
        b["leader"] = json!(gd);
        b["pact_signed_on"] = json!("2019-02-20");
        b["pact_note"] = json!("Ký kết giao ước thi đua năm 2019");
        b["pact_document_url"] = json!("https://bacninh.gov.vn/giao-uoc-2019.pdf");
    });
    let saved: BlocSetupView = serde_json::from_value(a.put(&path, body.clone(), StatusCode::OK).await).unwrap();
    assert_eq!((saved.version, saved.leader, saved.pact_signed_on.as_deref()), (1, Some(gd), Some("2019-02-20")));
    a.refused(Method::PUT, &path, body, StatusCode::CONFLICT, "stale_version").await;
    let d: BlocDetail =
        s.ok(&Who::anonymous(), Method::GET, &format!("/api/years/2019/blocs/{}", a.bloc.id), None).await;
    assert_eq!(d.leader_id, Some(gd));

    // Sở Y tế scores one criterion: it cannot leave the bloc any more.
    let yte = s.login("yte").await;
    let sheet = s.sheet_of(&a.staff, 2019, Y_TE).await;
    let view = s.view(&yte, sheet).await;
    let first = view.criteria.leaves().next().unwrap().id;
    let scored = json!({"base_version": view.version, "scores": [{"criterion_id": first, "self_score": 15}]});
    s.expect(&yte, Method::PUT, &format!("/api/sheets/{sheet}/self"), Some(&scored), StatusCode::OK).await;
    let without = |unit: i64| move |b: &mut Value| b["members"].as_array_mut().unwrap().retain(|m| *m != json!(unit));
    let body = Admin::setup_input(&saved, |b| {
        without(yt)(b);
        b["deputy"] = Value::Null;
    });
    let e = a.refused(Method::PUT, &path, body, StatusCode::CONFLICT, "member_has_scores").await;
    assert!(e.message.contains(&yt.to_string()), "{}", e.message);

    // The public administrative centre has an empty sheet: it leaves, and its sheet with it.
    let hc_sheet = s.sheet_of(&a.staff, 2019, HANH_CHINH).await;
    // An evidence file is a record too; an upload under way is not, and goes with the sheet.
    let target = format!("criterion:{first}");
    let pdf = b"%PDF-1.4\nevidence\n%%EOF\n";
    let file = s.upload_file(&a.staff, hc_sheet, &target, "minh chứng.pdf", pdf).await;
    a.refused(Method::PUT, &path, Admin::setup_input(&saved, without(hc)), StatusCode::CONFLICT, "member_has_scores")
        .await;
    s.expect(&a.staff, Method::DELETE, &format!("/api/files/{file}"), None, StatusCode::NO_CONTENT).await;
    let pending = s
        .request(&a.staff, Method::POST, &format!("/api/sheets/{hc_sheet}/uploads"))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", "100")
        .header("upload-metadata", "filename YS5wZGY=,target ".to_owned() + &base64_of(&target))
        .send()
        .await
        .unwrap();
    assert_eq!(pending.status(), StatusCode::CREATED);
    let fewer: BlocSetupView =
        serde_json::from_value(a.put(&path, Admin::setup_input(&saved, without(hc)), StatusCode::OK).await).unwrap();
    assert_eq!((fewer.members.len(), fewer.version), (6, 2));
    s.refused(
        &a.staff,
        Method::GET,
        &format!("/api/sheets/{hc_sheet}"),
        None,
        StatusCode::NOT_FOUND,
        "sheet_not_found",
    )
    .await;

    // A unit new in 2019 joins at the front, with an empty draft.
    let new = a.post("/api/admin/units", json!({"name": "Sở Nội vụ", "from_year": 2019}), StatusCode::CREATED).await;
    let nv = new["id"].as_i64().unwrap();
    let body = Admin::setup_input(&fewer, |b| b["members"].as_array_mut().unwrap().insert(0, json!(nv)));
    let more: BlocSetupView = serde_json::from_value(a.put(&path, body, StatusCode::OK).await).unwrap();
    assert_eq!(more.members[0].name, "Sở Nội vụ");
    let sheets: Vec<SheetSummary> = s.ok(&a.staff, Method::GET, "/api/sheets?year=2019", None).await;
    assert_eq!(sheets[0].unit.id, nv, "in the bloc's order");
    assert_eq!((sheets[0].state, sheets.len()), (SheetState::Draft, 7));
    // A unit named from 2021 on does not exist in 2019.
    let later =
        a.post("/api/admin/units", json!({"name": "Sở Khoa học", "from_year": 2021}), StatusCode::CREATED).await;
    let body = Admin::setup_input(&more, |b| b["members"].as_array_mut().unwrap().push(later["id"].clone()));
    assert_eq!(field(&a.invalid(Method::PUT, &path, body).await, "members.7"), [FieldError::Invalid]);

    // Published 2018 keeps its members and leader; its pact may still be completed.
    let v2018 = a.setup(2018).await;
    let path2018 = a.bloc_path(2018, "");
    a.refused(Method::PUT, &path2018, Admin::setup_input(&v2018, without(hc)), StatusCode::CONFLICT, "published").await;
    let link =
        Admin::setup_input(&v2018, |b| b["pact_document_url"] = json!("https://bacninh.gov.vn/giao-uoc-2018.pdf"));
    a.put(&path2018, link, StatusCode::OK).await;

    // A new bloc in 2019, and not twice.
    let blocs = "/api/admin/years/2019/blocs";
    let created: BlocSetupView =
        serde_json::from_value(a.post(blocs, json!({"name": "Khối các sở kinh tế"}), StatusCode::CREATED).await)
            .unwrap();
    assert!(created.members.is_empty() && created.criteria.sections.is_empty() && created.version == 0);
    let e = a.invalid(Method::POST, blocs, json!({"name": " khối các sở KINH TẾ "})).await;
    assert_eq!(field(&e, "name"), [FieldError::Duplicate { of: Duplicated::BlocName }]);
    s.refused(
        &a.staff,
        Method::POST,
        "/api/admin/years/2030/blocs",
        Some(&json!({"name": "x"})),
        StatusCode::NOT_FOUND,
        "year_not_found",
    )
    .await;
    s.refused(&a.staff, Method::GET, "/api/admin/years/2019/blocs/999", None, StatusCode::NOT_FOUND, "bloc_not_found")
        .await;

    let kinds: Vec<String> = a.audit_kinds().await.into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        kinds,
        ["update_bloc", "update_bloc", "create_unit", "update_bloc", "create_unit", "update_bloc", "create_bloc"]
    );
}

#[tokio::test]
async fn saving_criteria_asks_before_dropping_scores_and_keeps_the_unchanged_ones() {
    let a = Admin::start().await;
    let s = &a.s;
    let path = a.bloc_path(2019, "/criteria");
    let yte = s.login("yte").await;
    let sheet = s.sheet_of(&a.staff, 2019, Y_TE).await;
    let view = s.view(&yte, sheet).await;
    // 1.1 (max 20) and 1.2 (max 10) scored.
    let leaves: Vec<i64> = view.criteria.leaves().map(|c| c.id).collect();
    let (c11, c12) = (leaves[0], leaves[1]);
    let scores = json!({"base_version": view.version, "scores": [
        {"criterion_id": c11, "self_score": 15},
        {"criterion_id": c12, "self_score": 8, "note": "Đã ban hành 3 văn bản"},
    ]});
    s.expect(&yte, Method::PUT, &format!("/api/sheets/{sheet}/self"), Some(&scores), StatusCode::OK).await;

    let v = a.setup(2019).await;
    assert_eq!(v.scored_criteria, [c11, c12]);
    let update = |draft: &CriteriaDraft, version: i64, confirm: bool| json!({"criteria": draft, "version": version, "confirm_dropping_scores": confirm});

    // 422: an empty title, a maximum off the step.
    let mut bad = v.criteria.clone();
    bad.sections[0].children[0].title = " ".into();
    bad.sections[0].children[1].max_points = Points::from_hundredths(1025);
    let e = a.invalid(Method::PUT, &path, update(&bad, v.version, true)).await;
    assert_eq!(field(&e, "criteria.0.0.title"), [FieldError::Required]);
    assert_eq!(field(&e, "criteria.0.1.max_points"), [FieldError::OffStep { step: Points::from_hundredths(50) }]);

    // 1.1 reworded (kept), 1.2 to 12 points (changed), a new item 1.5.
    let mut draft = v.criteria.clone();
    draft.sections[0].children[0].title = "Kết quả thực hiện các chỉ tiêu chuyên môn".into();
    draft.sections[0].children[1].max_points = Points::whole(12);
    let mut new = draft.sections[0].children[3].clone();
    (new.id, new.code, new.title, new.max_points) =
        (None, "1.5".into(), "Chuyển đổi số trong chuyên môn".into(), Points::whole(5));
    draft.sections[0].children.push(new);
    draft.bonus_cap = Points::whole(6);
    a.refused(Method::PUT, &path, update(&draft, v.version + 1, false), StatusCode::CONFLICT, "stale_version").await;
    let e = a
        .refused(Method::PUT, &path, update(&draft, v.version, false), StatusCode::CONFLICT, "scores_would_be_dropped")
        .await;
    assert!(e.message.contains(&c12.to_string()) && !e.message.contains(&c11.to_string()), "{}", e.message);
    // Nothing was saved.
    assert_eq!(a.setup(2019).await, v);

    let saved: BlocSetupView =
        serde_json::from_value(a.put(&path, update(&draft, v.version, true), StatusCode::OK).await).unwrap();
    assert_eq!(saved.version, v.version + 1);
    assert_eq!(saved.criteria.max_total(), Points::whole(107));
    assert_eq!(saved.criteria.sections[0].max_points, Points::whole(57), "a parent's maximum is its children's sum");
    assert_eq!((saved.criteria.bonus_cap, saved.scored_criteria.clone()), (Points::whole(6), vec![c11]));
    assert_eq!(saved.criteria.sections[0].children[0].id, Some(c11));
    assert_eq!(saved.criteria.sections[0].children[1].id, Some(c12), "changed in place");
    // The sheet: 1.1's score kept, 1.2's gone (its note too), 1.5 there to score; the unit's
    // open form must reload.
    let after = s.view(&yte, sheet).await;
    assert_eq!(after.version, view.version + 2);
    let score = |id: i64| after.sheet.scores.iter().find(|x| x.criterion_id == id);
    assert_eq!(score(c11).and_then(|x| x.self_score), Some(Points::whole(15)));
    assert!(score(c12).is_none());
    assert_eq!(after.criteria.leaves().count(), 11);
    assert_eq!(after.criteria.get(c12).unwrap().max_points, Points::whole(12));

    // Deleting section V (unscored) needs no confirmation; its criteria are gone.
    let mut shorter = saved.criteria.clone();
    let gone: Vec<i64> = shorter.sections.remove(4).children.iter().filter_map(|c| c.id).collect();
    let saved: BlocSetupView =
        serde_json::from_value(a.put(&path, update(&shorter, saved.version, false), StatusCode::OK).await).unwrap();
    assert_eq!(saved.criteria.sections.len(), 4);
    let db = s.db().await;
    let left: i64 =
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM criteria WHERE id IN ({}, {})", gone[0], gone[1]))
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(left, 0);

    // Published 2018 is left alone.
    let v2018 = a.setup(2018).await;
    a.refused(
        Method::PUT,
        &a.bloc_path(2018, "/criteria"),
        update(&v2018.criteria, v2018.version, true),
        StatusCode::CONFLICT,
        "published",
    )
    .await;
    let kinds: Vec<String> = a.audit_kinds().await.into_iter().map(|(k, _)| k).collect();
    assert_eq!(kinds, ["update_criteria", "update_criteria"]);
}

#[tokio::test]
async fn criteria_go_out_and_come_back_as_csv() {
    let a = Admin::start().await;
    let s = &a.s;
    let response = s.send(&a.staff, Method::GET, &a.bloc_path(2019, "/criteria.csv"), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        response.headers()[CONTENT_DISPOSITION],
        format!("attachment; filename=\"thidua-2019-bloc-{}-criteria.csv\"", a.bloc.id).as_str()
    );
    let csv = response.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}level,code,title,max_points,step\n"), "{csv}");
    assert!(
        csv.contains("\n2,1.1,Kết quả thực hiện các chỉ tiêu, nhiệm vụ chuyên môn chủ yếu,20,0.5\n")
            || csv.contains("\n2,1.1,\"Kết quả thực hiện các chỉ tiêu, nhiệm vụ chuyên môn chủ yếu\",20,0.5\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 14);

    // Back in: the same tree, as new criteria, with the bloc-year's bonus cap.
    let v = a.setup(2019).await;
    let response = a.import(2019, &csv, "text/csv; charset=utf-8").await;
    assert_eq!(response.status(), StatusCode::OK);
    let draft: CriteriaDraft = response.json().await.unwrap();
    assert_eq!(draft, v.criteria.without_ids());
    assert_eq!(a.setup(2019).await, v, "an import saves nothing");

    // As Excel writes it in a Vietnamese locale: `;` and a decimal comma.
    let excel = "\u{feff}level;code;title;max_points;step\r\n1;I;Nhiệm vụ chuyên môn;;\r\n2;1.1;Chỉ tiêu chủ yếu;12,5;0,5\r\n2;1.2;Tham mưu;7,5;0,25\r\n";
    let response = a.import(2019, excel, "text/csv").await;
    assert_eq!(response.status(), StatusCode::OK);
    let draft: CriteriaDraft = response.json().await.unwrap();
    assert_eq!(draft.max_total(), Points::whole(20));
    assert_eq!(draft.sections[0].children[1].step, Points::from_hundredths(25));
    // And saved as it came in.
    let body = json!({"criteria": draft, "version": v.version});
    let saved: BlocSetupView =
        serde_json::from_value(a.put(&a.bloc_path(2019, "/criteria"), body, StatusCode::OK).await).unwrap();
    assert_eq!(draft_to_rows(&saved.criteria), draft_to_rows(&draft));

    // What is wrong, by record: a number that is not one, an item before any section.
    let wrong = "level,code,title,max_points,step\n1,I,Mục một,,\n2,1.1,Tiêu chí,mười,0.5\n";
    let response = a.import(2019, wrong, "text/csv").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e: ApiErrorBody = response.json().await.unwrap();
    assert_eq!((e.code.as_str(), field(&e, "rows.1.max_points")), ("invalid_input", vec![FieldError::NotANumber]));
    let orphan = "level,code,title,max_points,step\n2,0.1,Trước mục,5,\n";
    let e: ApiErrorBody = a.import(2019, orphan, "text/csv").await.json().await.unwrap();
    assert_eq!(field(&e, "rows.0.level"), [FieldError::Invalid]);
    let e: ApiErrorBody = a.import(2019, "level,code\n1,I\n", "text/csv").await.json().await.unwrap();
    assert_eq!(field(&e, "columns.title"), [FieldError::Required]);

    // Not CSV, too large, no such bloc.
    let response = a.import(2019, "{}", "application/json").await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(response.json::<ApiErrorBody>().await.unwrap().code, "unsupported_media_type");
    let huge = format!("level,code,title,max_points,step\n{}", "1,I,x,1,0.5\n".repeat(30_000));
    let response = a.import(2019, &huge, "text/csv").await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.json::<ApiErrorBody>().await.unwrap().code, "payload_too_large");
    let response = s
        .request(&a.staff, Method::POST, "/api/admin/years/2019/blocs/999/criteria/import")
        .header(CONTENT_TYPE, "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn staff_manage_accounts() {
    let a = Admin::start().await;
    let s = &a.s;
    let users: Vec<UserAdmin> = s.ok(&a.staff, Method::GET, "/api/admin/users", None).await;
    assert_eq!(users.iter().map(|u| u.username.as_str()).collect::<Vec<_>>(), ["gddt", "ldtbxh", "staff", "yte"]);
    let yte = users.iter().find(|u| u.username == "yte").unwrap().clone();
    assert_eq!((yte.unit_name.as_deref(), yte.disabled, yte.version), (Some(Y_TE), false, 0));
    let me = users.iter().find(|u| u.username == "staff").unwrap().clone();

    // 422: a taken username, an officer without a unit, a short password.
    let new = |username: &str, unit: Option<i64>, password: &str| {
        json!({"username": username, "display_name": "Cán bộ thi đua Sở Văn hóa", "role": "unit_officer",
               "unit_id": unit, "password": password})
    };
    let e = a.invalid(Method::POST, "/api/admin/users", new("yte", None, "ngan")).await;
    assert_eq!(field(&e, "username"), [FieldError::Duplicate { of: Duplicated::Username }]);
    assert_eq!(field(&e, "unit_id"), [FieldError::Required]);
    assert_eq!(field(&e, "password"), [FieldError::TooShort { min: 10 }]);
    let e = a.invalid(Method::POST, "/api/admin/users", new("Văn Hóa", Some(999), "mot-mat-khau-dai")).await;
    assert_eq!((field(&e, "username"), field(&e, "unit_id")), (vec![FieldError::Invalid], vec![FieldError::Invalid]));

    let vh = a.unit(VAN_HOA);
    let created = a.post("/api/admin/users", new("vhttdl", Some(vh), "mot-mat-khau-dai"), StatusCode::CREATED).await;
    let created: UserAdmin = serde_json::from_value(created).unwrap();
    assert_eq!((created.unit_name.as_deref(), created.version), (Some(VAN_HOA), 0));
    let signed_in = s.login_response("vhttdl", "mot-mat-khau-dai").await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    assert_eq!(signed_in.json::<Me>().await.unwrap().unit_id, Some(vh));

    // Disabling ends the sessions and bars signing in, alike with a wrong password.
    let officer = s.login("yte").await;
    let user_path = format!("/api/admin/users/{}", yte.id);
    let update = |disabled: bool, version: i64| {
        json!({"display_name": yte.display_name, "role": "unit_officer", "unit_id": yte.unit_id,
               "disabled": disabled, "version": version})
    };
    let saved: UserAdmin = serde_json::from_value(a.put(&user_path, update(true, 0), StatusCode::OK).await).unwrap();
    assert_eq!((saved.disabled, saved.version), (true, 1));
    s.refused(&officer, Method::GET, "/api/auth/me", None, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let refused = s.login_response("yte", common::PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(refused.json::<ApiErrorBody>().await.unwrap().code, "invalid_credentials");
    a.refused(Method::PUT, &user_path, update(false, 0), StatusCode::CONFLICT, "stale_version").await;
    a.put(&user_path, update(false, 1), StatusCode::OK).await;
    s.login("yte").await;

    // Staff cannot lock themselves out.
    let mine = json!({"display_name": me.display_name, "role": "unit_officer", "unit_id": vh, "disabled": true, "version": me.version});
    let e = a.invalid(Method::PUT, &format!("/api/admin/users/{}", me.id), mine).await;
    assert_eq!((field(&e, "disabled"), field(&e, "role")), (vec![FieldError::Invalid], vec![FieldError::Invalid]));
    a.refused(Method::PUT, "/api/admin/users/999", update(false, 0), StatusCode::NOT_FOUND, "user_not_found").await;

    // A new password: the old one and the old sessions stop working.
    let gddt = s.login("gddt").await;
    let gddt_id = users.iter().find(|u| u.username == "gddt").unwrap().id;
    let reset = format!("/api/admin/users/{gddt_id}/password");
    let e = a.invalid(Method::PUT, &reset, json!({"password": "ngan"})).await;
    assert_eq!(field(&e, "password"), [FieldError::TooShort { min: 10 }]);
    a.refused(
        Method::PUT,
        "/api/admin/users/999/password",
        json!({"password": "mat-khau-moi-2019"}),
        StatusCode::NOT_FOUND,
        "user_not_found",
    )
    .await;
    assert_eq!(a.put(&reset, json!({"password": "mat-khau-moi-2019"}), StatusCode::NO_CONTENT).await, Value::Null);
    s.refused(&gddt, Method::GET, "/api/auth/me", None, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    assert_eq!(s.login_response("gddt", common::PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(s.login_response("gddt", "mat-khau-moi-2019").await.status(), StatusCode::OK);

    // The audit trail has every write and never a password.
    let db = s.db().await;
    let rows: Vec<(String, String, String, i64)> =
        sqlx::query_as("SELECT kind, target, detail, user_id FROM admin_audit ORDER BY id")
            .fetch_all(&db)
            .await
            .unwrap();
    let kinds: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(kinds, ["create_user", "update_user", "update_user", "reset_password"]);
    assert!(rows.iter().all(|r| r.3 == me.id && !r.2.contains("mot-mat-khau") && !r.2.contains("mat-khau-moi")));
    assert_eq!(rows[3].1, format!("user:{gddt_id}"));
}

#[tokio::test]
async fn a_closed_year_is_read_only_to_officers_but_not_to_staff() {
    let a = Admin::start().await;
    let s = &a.s;
    let yte = s.login("yte").await;
    let leader = s.login("ldtbxh").await;
    let sheet = s.sheet_of(&a.staff, 2019, Y_TE).await;
    let self_path = format!("/api/sheets/{sheet}/self");
    let e = a.invalid(Method::PUT, "/api/admin/years/2019", json!({"open": "no"})).await;
    assert!(e.fields.contains_key("open"), "{:?}", e.fields);
    a.refused(Method::PUT, "/api/admin/years/2030", json!({"open": false}), StatusCode::NOT_FOUND, "year_not_found")
        .await;
    let closed: YearAdmin =
        serde_json::from_value(a.put("/api/admin/years/2019", json!({"open": false}), StatusCode::OK).await).unwrap();
    assert!(!closed.open);

    let view: SheetView = s.view(&yte, sheet).await;
    assert_eq!(view.permissions, SheetPermissions::default(), "the officer is offered nothing to write");
    let first = view.criteria.leaves().next().unwrap().id;
    let body = |version: i64| json!({"base_version": version, "scores": [{"criterion_id": first, "self_score": 10}]});
    s.refused(&yte, Method::PUT, &self_path, Some(&body(view.version)), StatusCode::CONFLICT, "year_closed").await;
    s.refused(
        &yte,
        Method::POST,
        &format!("/api/sheets/{sheet}/submit"),
        Some(&json!({"base_version": view.version})),
        StatusCode::CONFLICT,
        "year_closed",
    )
    .await;
    // Who may not write at all is still told so.
    let other = s.sheet_of(&a.staff, 2019, GIAO_DUC).await;
    s.refused(
        &yte,
        Method::PUT,
        &format!("/api/sheets/{other}/self"),
        Some(&body(1)),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let tally = json!({"tally": {"voters_present": 10, "votes": []}, "version": 0});
    let tally_path = format!("/api/years/2019/blocs/{}/tally", a.bloc.id);
    s.refused(&leader, Method::PUT, &tally_path, Some(&tally), StatusCode::CONFLICT, "year_closed").await;

    // Staff still write.
    let staff_view = s.view(&a.staff, sheet).await;
    assert!(staff_view.permissions.edit_self);
    s.expect(&a.staff, Method::PUT, &self_path, Some(&body(view.version)), StatusCode::OK).await;
    s.expect(&a.staff, Method::PUT, &tally_path, Some(&tally), StatusCode::OK).await;

    // Open again: the officer writes.
    a.put("/api/admin/years/2019", json!({"open": true}), StatusCode::OK).await;
    let view = s.view(&yte, sheet).await;
    assert!(view.permissions.edit_self && view.permissions.submit);
    s.expect(&yte, Method::PUT, &self_path, Some(&body(view.version)), StatusCode::OK).await;
    let targets: Vec<(String, String)> = a.audit_kinds().await;
    assert_eq!(
        targets,
        [("update_year", "year:2019"), ("update_year", "year:2019")].map(|(k, t)| (k.to_owned(), t.to_owned()))
    );
}

#[tokio::test]
async fn the_tie_break_rule_of_a_year_is_set_by_staff_and_the_ranking_follows() {
    let a = Admin::start().await;
    let s = &a.s;
    let results = |year: i32| format!("/api/years/{year}/blocs/{}/results", a.bloc.id);
    let saved: YearAdmin =
        s.ok(&a.staff, Method::PUT, "/api/admin/years/2019", Some(&json!({"tie_break": "shared_rank"}))).await;
    assert_eq!((saved.tie_break, saved.open), (TieBreak::SharedRank, true), "what is left out stays");
    let r: BlocResults = s.ok(&a.staff, Method::GET, &results(2019), None).await;
    assert_eq!(r.tie_break, TieBreak::SharedRank, "really saved: the results follow it");
    // A published year's rankings are not reordered behind the reader's back.
    a.refused(
        Method::PUT,
        "/api/admin/years/2018",
        json!({"tie_break": "shared_rank"}),
        StatusCode::CONFLICT,
        "published",
    )
    .await;
    let r: BlocResults = s.ok(&a.staff, Method::GET, &results(2018), None).await;
    assert_eq!(r.tie_break, TieBreak::SectionOrder);
    // Closing the published year is still allowed; an unknown field is refused by name.
    let closed: YearAdmin = s
        .ok(&a.staff, Method::PUT, "/api/admin/years/2018", Some(&json!({"open": false, "tie_break": "section_order"})))
        .await;
    assert!(!closed.open);
    let e = a.invalid(Method::PUT, "/api/admin/years/2019", json!({"tiebreak": "shared_rank"})).await;
    assert_eq!(field(&e, "tiebreak"), [FieldError::UnknownField]);
    let e = a.invalid(Method::PUT, "/api/admin/years/2019", json!({"tie_break": "coin_toss"})).await;
    assert_eq!(field(&e, "tie_break"), [FieldError::Invalid]);
}

#[tokio::test]
async fn a_bloc_is_renamed_from_a_year_on_and_an_empty_one_leaves_the_year() {
    let a = Admin::start().await;
    let s = &a.s;
    let anon = Who::anonymous();
    let names = |year: i32| async move {
        let blocs: Vec<thidua_domain::model::BlocSummary> =
            s.ok(&Who::anonymous(), Method::GET, &format!("/api/years/{year}/blocs"), None).await;
        blocs.into_iter().map(|b| b.name).collect::<Vec<_>>()
    };
    const NEW_NAME: &str = "Khối văn hóa - xã hội";

    // Published 2018 keeps the name it was published under.
    let v2018 = a.setup(2018).await;
    assert!(v2018.published && v2018.has_records && !v2018.removable());
    let rename2018 = Admin::setup_input(&v2018, |b| b["name"] = json!(NEW_NAME));
    a.refused(Method::PUT, &a.bloc_path(2018, ""), rename2018, StatusCode::CONFLICT, "published").await;

    // 2019 takes the new name; 2018 keeps the old one.
    let v2019 = a.setup(2019).await;
    assert!(!v2019.published && !v2019.has_records && v2019.removable());
    let e =
        a.invalid(Method::PUT, &a.bloc_path(2019, ""), Admin::setup_input(&v2019, |b| b["name"] = json!(" "))).await;
    assert_eq!(field(&e, "name"), [FieldError::Required]);
    let body = Admin::setup_input(&v2019, |b| b["name"] = json!(format!(" {NEW_NAME} ")));
    let renamed: BlocSetupView =
        serde_json::from_value(a.put(&a.bloc_path(2019, ""), body, StatusCode::OK).await).unwrap();
    assert_eq!(renamed.name, NEW_NAME);
    assert_eq!(names(2019).await, [NEW_NAME]);
    assert_eq!(names(2018).await, [v2018.name.as_str()]);
    let sheets: Vec<SheetSummary> = s.ok(&a.staff, Method::GET, "/api/sheets?year=2019", None).await;
    assert!(sheets.iter().all(|x| x.bloc_name == NEW_NAME), "the sheets say the new name");
    // Another bloc of 2019 cannot take it.
    let second: BlocSetupView = serde_json::from_value(
        a.post("/api/admin/years/2019/blocs", json!({"name": "Khối các sở kinh tế"}), StatusCode::CREATED).await,
    )
    .unwrap();
    let path2 = format!("/api/admin/years/2019/blocs/{}", second.bloc_id);
    let taken = json!({"name": NEW_NAME.to_uppercase(), "members": [], "leader": null, "deputy": null,
                       "pact_signed_on": null, "pact_note": "", "pact_document_url": null, "version": 0});
    let e = a.invalid(Method::PUT, &path2, taken).await;
    assert_eq!(field(&e, "name"), [FieldError::Duplicate { of: Duplicated::BlocName }]);

    // A year copied from 2019 with only the chosen bloc, under its new name.
    let e = a.invalid(Method::POST, "/api/admin/years", json!({"year": 2020, "copy_from": 2019, "blocs": [999]})).await;
    assert_eq!(field(&e, "blocs.0"), [FieldError::Invalid]);
    let e = a.invalid(Method::POST, "/api/admin/years", json!({"year": 2020, "copy_from": null, "blocs": [1]})).await;
    assert_eq!(field(&e, "blocs"), [FieldError::Invalid]);
    let created: YearAdmin = serde_json::from_value(
        a.post("/api/admin/years", json!({"year": 2020, "copy_from": 2019, "blocs": [a.bloc.id]}), StatusCode::CREATED)
            .await,
    )
    .unwrap();
    assert_eq!(created.bloc_count, 1);
    assert_eq!(names(2020).await, [NEW_NAME]);
    // A year from nothing starts with an earlier year's award types when asked.
    let types2019: Vec<Value> = s.ok(&anon, Method::GET, "/api/years/2019/award-types", None).await;
    assert!(!types2019.is_empty());
    let e = a
        .invalid(Method::POST, "/api/admin/years", json!({"year": 2021, "copy_from": 2019, "award_types_from": 2019}))
        .await;
    assert_eq!(field(&e, "award_types_from"), [FieldError::Invalid]);
    let body = json!({"year": 2021, "copy_from": null, "award_types_from": 2019});
    let empty: YearAdmin = serde_json::from_value(a.post("/api/admin/years", body, StatusCode::CREATED).await).unwrap();
    assert_eq!(empty.bloc_count, 0);
    let types2021: Vec<Value> = s.ok(&anon, Method::GET, "/api/years/2021/award-types", None).await;
    let without_ids = |t: &[Value]| {
        t.iter().map(|t| (t["code"].clone(), t["quota_per_bloc"].clone(), t["legal_basis"].clone())).collect::<Vec<_>>()
    };
    assert_eq!(without_ids(&types2021), without_ids(&types2019));

    // The second bloc, with a member and its empty draft, leaves 2019; anything recorded
    // (here a tally) keeps a bloc in its year; a published one stays too.
    let body = json!({"members": [a.unit(HANH_CHINH)], "leader": null, "deputy": null, "pact_signed_on": null,
                      "pact_note": "", "pact_document_url": null, "version": 0});
    a.put(&path2, body, StatusCode::OK).await;
    let db = s.db().await;
    sqlx::query("INSERT INTO tallies (bloc_id, year, voters_present) VALUES ($1, 2019, 9)")
        .bind(second.bloc_id)
        .execute(&db)
        .await
        .unwrap();
    let view: BlocSetupView = s.ok(&a.staff, Method::GET, &path2, None).await;
    assert!(view.has_records && !view.removable());
    s.refused(&a.staff, Method::DELETE, &path2, None, StatusCode::CONFLICT, "bloc_has_records").await;
    sqlx::query("DELETE FROM tallies WHERE bloc_id = $1").bind(second.bloc_id).execute(&db).await.unwrap();
    s.refused(&anon, Method::DELETE, &path2, None, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let response = s.send(&a.staff, Method::DELETE, &path2, None).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    s.refused(&a.staff, Method::GET, &path2, None, StatusCode::NOT_FOUND, "bloc_not_found").await;
    let sheets: Vec<SheetSummary> = s.ok(&a.staff, Method::GET, "/api/sheets?year=2019", None).await;
    assert!(sheets.iter().all(|x| x.bloc_id != second.bloc_id), "its sheet went with it");
    s.refused(&a.staff, Method::DELETE, &a.bloc_path(2018, ""), None, StatusCode::CONFLICT, "published").await;
    let kinds: Vec<String> = a.audit_kinds().await.into_iter().map(|(k, _)| k).collect();
    assert_eq!(kinds.last().map(String::as_str), Some("delete_bloc"));
}

/// Another process holding SQLite's write lock past the busy timeout: a write answers 503
/// `unavailable` (try again), not 500, and goes through once the lock is let go. (PostgreSQL
/// writers wait on row locks instead; nothing to hold here.)
#[tokio::test]
async fn a_write_while_another_process_holds_the_lock_is_503_then_goes_through() {
    use sqlx::Connection;
    let s = TestServer::start().await;
    if !s.database.starts_with("sqlite:") {
        return;
    }
    let staff = s.login("staff").await;
    let mut other = sqlx::SqliteConnection::connect(&s.database).await.unwrap();
    sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut other).await.unwrap();
    let unit = json!({"name": "Sở Nội vụ", "from_year": 2019});
    let busy = s
        .refused(&staff, Method::POST, "/api/admin/units", Some(&unit), StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        .await;
    assert_eq!(busy.message, "the database is unavailable: try again shortly");
    sqlx::raw_sql("ROLLBACK").execute(&mut other).await.unwrap();
    s.expect(&staff, Method::POST, "/api/admin/units", Some(&unit), StatusCode::CREATED).await;
}

fn base64_of(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text.as_bytes())
}
