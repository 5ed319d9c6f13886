//! The awards over real HTTP: publication gating (results, exports, history), the award
//! rules, the tally, overrides and decisions, who may write them, and the exports read back.

mod common;

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use common::{DemoBloc, TestServer, Who};
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, VARY};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use thidua_domain::award_types::AwardType;
use thidua_domain::award_types::Eligibility;
use thidua_domain::error::{Duplicated, FieldError};
use thidua_domain::history::HistoryStanding;
use thidua_domain::history::UnitHistory;
use thidua_domain::model::BlocSummary;
use thidua_domain::publication::PublishProblem;
use thidua_domain::results::BlocResults;
use thidua_domain::results::NotVerified;
use thidua_domain::tally::Broken;
use thidua_domain::Points;

const Y_TE: &str = "Sở Y tế";
const GIAO_DUC: &str = "Sở Giáo dục và Đào tạo";
const VAN_HOA: &str = "Sở Văn hóa, Thể thao và Du lịch";
const HANH_CHINH: &str = "Trung tâm Hành chính công tỉnh";
const DAI: &str = "Đài Phát thanh và Truyền hình tỉnh";

/// The demo bloc in 2019 (unpublished, no tally) and the year's award types.
struct Bloc2019 {
    bloc: DemoBloc,
    types: Vec<AwardType>,
}

impl Bloc2019 {
    async fn load(s: &TestServer) -> Bloc2019 {
        let bloc = DemoBloc::load(s).await;
        let types: Vec<AwardType> = s.ok(&Who::anonymous(), Method::GET, "/api/years/2019/award-types", None).await;
        Bloc2019 { bloc, types }
    }

    fn unit(&self, name: &str) -> i64 {
        self.bloc.unit(name)
    }

    fn award(&self, code: &str) -> i64 {
        self.types.iter().find(|t| t.code == code).map(|t| t.id).unwrap()
    }

    fn path(&self, rest: &str) -> String {
        format!("/api/years/2019/blocs/{}{rest}", self.bloc.id)
    }

    /// Publishes as staff must when the results have problems: refused with the list first,
    /// then accepted with exactly that list and a reason.
    async fn publish_acknowledged(&self, s: &TestServer, staff: &Who, reason: &str) -> BlocResults {
        let e = s
            .refused(staff, Method::POST, &self.path("/publish"), None, StatusCode::CONFLICT, "publication_problems")
            .await;
        assert!(!e.problems.is_empty());
        let body = json!({"acknowledge": e.problems, "reason": reason});
        let r: BlocResults = s.ok(staff, Method::POST, &self.path("/publish"), Some(&body)).await;
        assert_eq!(r.publication.as_ref().map(|p| p.reason.as_str()), Some(reason));
        r
    }
}

const GOV_FLAG: &str = "co_chinh_phu";
const MERIT: &str = "bang_khen_chu_tich_ubnd_tinh";

fn vote(unit: i64, award: i64, votes: i64) -> Value {
    json!({"unit_id": unit, "award_type_id": award, "votes": votes})
}

fn tally(voters: i64, votes: Vec<Value>, version: i64) -> Value {
    json!({"tally": {"voters_present": voters, "votes": votes}, "version": version})
}

fn award_type_input(code: &str, name: &str) -> Value {
    json!({
        "code": code,
        "name": name,
        "precedence": 4,
        "quota_per_bloc": 1,
        "threshold": {"numerator": 2, "denominator": 3, "strict": false},
        "eligibility": [{"kind": "min_total", "points": 90}],
        "exclusive": false,
        "legal_basis": "Quy chế khối năm 2019"
    })
}

async fn body_of(s: &TestServer, who: &Who, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let response = s.send(who, Method::GET, path, None).await;
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn unpublished_results_are_for_staff_only_until_published() {
    let s = TestServer::start().await;
    let b = Bloc2019::load(&s).await;
    let (anon, yte, leader, staff) =
        (Who::anonymous(), s.login("yte").await, s.login("ldtbxh").await, s.login("staff").await);
    let history_path = format!("/api/units/{}/history", b.unit(Y_TE));
    let paths = [b.path("/results"), b.path("/results.csv"), b.path("/results.xlsx"), b.path("/results.csv?lang=en")];

    // 2019 is not published: the public and unit officers see nothing.
    for who in [&anon, &yte] {
        for path in &paths {
            s.refused(who, Method::GET, path, None, StatusCode::NOT_FOUND, "not_published").await;
        }
        let h: UnitHistory = s.ok(who, Method::GET, &history_path, None).await;
        assert_eq!(h.points.iter().map(|p| p.year).collect::<Vec<_>>(), [2018], "{}", who.name);
    }
    // Staff and the officer of the bloc's leader unit (who enters the tally) preview it, never
    // cached; the history stays with the published years, even for staff.
    for who in [&staff, &leader] {
        for path in &paths {
            let (status, headers, _) = body_of(&s, who, path).await;
            assert_eq!(status, StatusCode::OK, "{} {path}", who.name);
            assert_eq!(headers[CACHE_CONTROL], "no-store", "{path}");
            assert_eq!(headers[VARY], "Cookie", "{path}");
        }
        let h: UnitHistory = s.ok(who, Method::GET, &history_path, None).await;
        assert_eq!(h.points.iter().map(|p| p.year).collect::<Vec<_>>(), [2018], "{}", who.name);
    }
    let preview: BlocResults = s.ok(&staff, Method::GET, &b.path("/results"), None).await;
    assert!(!preview.published);
    assert_eq!((preview.version, preview.tally.is_none()), (0, true));
    let h: UnitHistory = s.ok(&staff, Method::GET, &history_path, None).await;
    assert_eq!(h.points.len(), 1);

    // Publishing is the server's decision: with no tally and no sheet approved, it refuses
    // with the complete list, whatever the client.
    let e =
        s.refused(&staff, Method::POST, &b.path("/publish"), None, StatusCode::CONFLICT, "publication_problems").await;
    assert_eq!(e.problems.len(), 8, "{:?}", e.problems);
    assert_eq!(e.problems[0], PublishProblem::NoTally);
    let not_verified = PublishProblem::SheetNotApproved { unit_id: b.unit(Y_TE), state: NotVerified::Draft };
    assert!(e.problems.contains(&not_verified));
    // Acknowledging part of the list, or no reason, is not enough.
    let part = json!({"acknowledge": e.problems[..3], "reason": "Công bố theo kết luận hội nghị"});
    let again = s
        .refused(&staff, Method::POST, &b.path("/publish"), Some(&part), StatusCode::CONFLICT, "publication_problems")
        .await;
    assert_eq!(again.problems, e.problems);
    let mute = json!({"acknowledge": e.problems, "reason": " "});
    let invalid = s
        .refused(
            &staff,
            Method::POST,
            &b.path("/publish"),
            Some(&mute),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(invalid.fields["reason"], [FieldError::Required]);
    let extra = json!({"acknowledge": e.problems, "reason": "x", "force": true});
    let invalid = s
        .refused(
            &staff,
            Method::POST,
            &b.path("/publish"),
            Some(&extra),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(invalid.fields["force"], [FieldError::UnknownField]);
    let still: BlocResults = s.ok(&staff, Method::GET, &b.path("/results"), None).await;
    assert!(!still.published && still.version == 0, "nothing refused was written");

    // Published: everyone sees it, and it may be cached (revalidated) again.
    let reason = "Công bố theo kết luận hội nghị tổng kết";
    let published = b.publish_acknowledged(&s, &staff, reason).await;
    assert!(published.published);
    assert_eq!(published.version, 1);
    assert_eq!(published.publication.as_ref().unwrap().acknowledged, e.problems);
    let again: BlocResults = s.ok(&staff, Method::POST, &b.path("/publish"), None).await;
    assert_eq!(again.version, 1, "publishing again changes nothing");
    for who in [&anon, &yte] {
        for path in &paths {
            let (status, headers, _) = body_of(&s, who, path).await;
            assert_eq!(status, StatusCode::OK, "{} {path}", who.name);
            // The results are the stored revision, which a CDN may keep a little; the
            // files are made from it on each request.
            let expected =
                if path.ends_with("/results") { "public, max-age=60, stale-while-revalidate=600" } else { "no-cache" };
            assert_eq!(headers[CACHE_CONTROL], expected, "{path}");
        }
        let r: BlocResults = s.ok(who, Method::GET, &b.path("/results"), None).await;
        assert!(r.published);
        // The reason is public, beside the results; no member is ranked, none shows a 0.
        assert_eq!(r.publication.as_ref().unwrap().reason, reason);
        assert!(r.ranking.is_empty() && r.unranked.len() == 7);
        let h: UnitHistory = s.ok(who, Method::GET, &history_path, None).await;
        assert_eq!(h.points.iter().map(|p| (p.year, p.members)).collect::<Vec<_>>(), [(2018, 7), (2019, 7)]);
        assert_eq!(h.points[0].total(), Some(Points::from_hundredths(9750)));
        assert_eq!((h.points[0].rank(), h.unit.name.as_str()), (Some(1), Y_TE));
        // 2019 was never verified: the history shows no total for it.
        assert_eq!(h.points[1].standing, HistoryStanding::NotVerified { state: NotVerified::Draft });
        let json: Value = s.ok(who, Method::GET, &history_path, None).await;
        assert!(json["points"][1]["standing"].get("total").is_none());
    }

    // Unpublished again, with a reason: gone from the public (which is told why), and from
    // the history.
    s.refused(&staff, Method::POST, &b.path("/unpublish"), None, StatusCode::CONFLICT, "reason_required").await;
    let back: BlocResults =
        s.ok(&staff, Method::POST, &b.path("/unpublish?reason=Sai%20s%E1%BB%91%20phi%E1%BA%BFu"), None).await;
    assert!(!back.published);
    assert_eq!(back.version, 2);
    let back: BlocResults = s.ok(&staff, Method::POST, &b.path("/unpublish"), None).await;
    assert_eq!(back.version, 2, "unpublishing again changes nothing");
    for path in &paths {
        let e = s.refused(&anon, Method::GET, path, None, StatusCode::NOT_FOUND, "withdrawn").await;
        assert!(e.message.ends_with("Sai số phiếu"), "{}", e.message);
    }
    let h: UnitHistory = s.ok(&anon, Method::GET, &history_path, None).await;
    assert_eq!(h.points.len(), 1);

    // The order of the 404s: the year, the bloc, then publication; and an unknown unit.
    s.refused(&anon, Method::GET, "/api/years/1999/blocs/1/results.csv", None, StatusCode::NOT_FOUND, "year_not_found")
        .await;
    s.refused(
        &anon,
        Method::GET,
        "/api/years/2019/blocs/999/results.xlsx",
        None,
        StatusCode::NOT_FOUND,
        "bloc_not_found",
    )
    .await;
    s.refused(&anon, Method::GET, "/api/units/999/history", None, StatusCode::NOT_FOUND, "unit_not_found").await;
    s.refused(&anon, Method::GET, "/api/units/x/history", None, StatusCode::BAD_REQUEST, "bad_request").await;
    s.refused(
        &anon,
        Method::GET,
        "/api/years/2018/blocs/1/results.csv?lang=fr",
        None,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn the_tally_is_checked_field_by_field_and_against_its_version() {
    let s = TestServer::start().await;
    let b = Bloc2019::load(&s).await;
    let staff = s.login("staff").await;
    let path = b.path("/tally");
    let (yte, merit) = (b.unit(Y_TE), b.award(MERIT));

    let bad = tally(10, vec![vote(yte, merit, 11), vote(999, merit, 1), vote(yte, 999, 1), vote(yte, merit, 2)], 0);
    let e = s.refused(&staff, Method::PUT, &path, Some(&bad), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
    assert_eq!(e.fields["tally.votes.0.votes"], [FieldError::AboveMax { max: Points::whole(10) }]);
    assert_eq!(e.fields["tally.votes.1"], [FieldError::Invalid], "not a member");
    assert_eq!(e.fields["tally.votes.2"], [FieldError::Invalid], "not an award type of the year");
    assert_eq!(e.fields["tally.votes.3"], [FieldError::Duplicate { of: Duplicated::TallyEntry }]);
    let e = s
        .refused(
            &staff,
            Method::PUT,
            &path,
            Some(&tally(0, vec![], 0)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(e.fields["tally.voters_present"], [FieldError::NotPositive]);
    // Negative votes do not even parse: 422 on that field, never a 500.
    let negative = tally(10, vec![vote(yte, merit, -1)], 0);
    let e =
        s.refused(&staff, Method::PUT, &path, Some(&negative), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
    // The type error and the rule errors share one scheme: `tally.votes.{i}.votes`.
    assert_eq!(e.fields["tally.votes.0.votes"], [FieldError::Invalid]);
    let unknown = json!({"tally": {"voters_present": 10, "votes": [], "absent": 2}, "version": 0});
    let e =
        s.refused(&staff, Method::PUT, &path, Some(&unknown), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
    assert_eq!(e.fields["tally.absent"], [FieldError::UnknownField]);
    // A 2018 unit type id is not one of 2019's.
    let types_2018: Vec<AwardType> = s.ok(&staff, Method::GET, "/api/years/2018/award-types", None).await;
    let e = s
        .refused(
            &staff,
            Method::PUT,
            &path,
            Some(&tally(10, vec![vote(yte, types_2018[2].id, 6)], 0)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(e.fields["tally.votes.0"], [FieldError::Invalid]);
    // Validation comes before the version.
    s.refused(
        &staff,
        Method::PUT,
        &path,
        Some(&tally(0, vec![], 7)),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
    )
    .await;

    // A tally made from another version is refused; from the current one it is saved.
    let good = tally(10, vec![vote(yte, merit, 6), vote(b.unit(GIAO_DUC), merit, 0)], 0);
    let stale = tally(10, vec![vote(yte, merit, 6)], 3);
    s.refused(&staff, Method::PUT, &path, Some(&stale), StatusCode::CONFLICT, "stale_version").await;
    let r: BlocResults = s.ok(&staff, Method::PUT, &path, Some(&good)).await;
    assert!(!r.published);
    assert_eq!(r.version, 1);
    let saved = r.tally.as_ref().unwrap();
    assert_eq!((saved.voters_present, saved.votes.len()), (10, 2), "a 0 entered is kept");
    assert_eq!(r.candidates.len(), 1, "0 votes make no candidate");
    // Y tế's 2019 sheet is a draft: voted for, but not proposed.
    assert!(!r.candidates[0].proposed);
    assert_eq!(r.candidates[0].broken[0].broken, Broken::SheetNotApproved);
    s.refused(&staff, Method::PUT, &path, Some(&good), StatusCode::CONFLICT, "stale_version").await;
    // The whole tally is replaced.
    let r: BlocResults = s.ok(&staff, Method::PUT, &path, Some(&tally(12, vec![], 1))).await;
    assert_eq!(r.tally.as_ref().map(|t| (t.voters_present, t.votes.len())), Some((12, 0)));
    assert_eq!(r.version, 2);

    // Published results take a tally only with a reason (a new revision): 409, before any
    // validation.
    let blocs: Vec<BlocSummary> = s.ok(&staff, Method::GET, "/api/years/2018/blocs", None).await;
    let path_2018 = format!("/api/years/2018/blocs/{}/tally", blocs[0].id);
    s.refused(&staff, Method::PUT, &path_2018, Some(&tally(0, vec![], 99)), StatusCode::CONFLICT, "reason_required")
        .await;
    s.refused(
        &staff,
        Method::PUT,
        "/api/years/2019/blocs/999/tally",
        Some(&tally(10, vec![], 0)),
        StatusCode::NOT_FOUND,
        "bloc_not_found",
    )
    .await;
    s.refused(
        &staff,
        Method::PUT,
        "/api/years/1999/blocs/1/tally",
        Some(&tally(10, vec![], 0)),
        StatusCode::NOT_FOUND,
        "year_not_found",
    )
    .await;
}

#[tokio::test]
async fn the_2019_conference_from_tally_to_decision() {
    let s = TestServer::start().await;
    let b = Bloc2019::load(&s).await;
    let staff = s.login("staff").await;
    let (gd, yte, vh, hc) = (b.unit(GIAO_DUC), b.unit(Y_TE), b.unit(VAN_HOA), b.unit(HANH_CHINH));
    let dai = b.unit(DAI);
    let (gov, merit) = (b.award(GOV_FLAG), b.award(MERIT));
    // Giáo dục, Văn hóa and Hành chính công have their sheets approved (nothing verified: 0
    // each, level); the others have not.
    let db = s.db().await;
    for unit in [gd, vh, hc] {
        sqlx::query("UPDATE score_sheets SET state = 'approved' WHERE year = 2019 AND unit_id = $1")
            .bind(unit)
            .execute(&db)
            .await
            .unwrap();
    }

    // Three approved units pass the vote for a certificate of merit (quota 2); Y tế has the
    // most votes for it and for the Government flag, but no approved sheet.
    let votes =
        vec![vote(gd, merit, 9), vote(yte, merit, 9), vote(vh, merit, 8), vote(hc, merit, 7), vote(yte, gov, 9)];
    let r: BlocResults = s.ok(&staff, Method::PUT, &b.path("/tally"), Some(&tally(10, votes, 0))).await;
    let candidate = |r: &BlocResults, unit: i64, award: i64| {
        r.candidates.iter().find(|c| c.unit_id == unit && c.award_type_id == award).cloned().unwrap()
    };
    let proposed = |r: &BlocResults, award: i64| -> Vec<i64> {
        r.awards.iter().filter(|g| g.award_type.id == award).flat_map(|g| g.units.iter().map(|u| u.unit.id)).collect()
    };
    assert_eq!(proposed(&r, merit), [gd, vh]);
    let third = candidate(&r, hc, merit);
    assert!(!third.proposed);
    assert_eq!(third.broken.iter().map(|b| b.broken.clone()).collect::<Vec<_>>(), [Broken::Quota { quota: 2 }]);
    assert!(third.broken[0].legal_basis.contains("91/2017/NĐ-CP"));
    for award in [gov, merit] {
        let c = candidate(&r, yte, award);
        assert!(!c.proposed);
        assert_eq!(c.broken.iter().map(|b| b.broken.clone()).collect::<Vec<_>>(), [Broken::SheetNotApproved]);
    }
    assert!(r.ranking.iter().all(|row| row.unit.id != yte), "not ranked");
    assert!(proposed(&r, gov).is_empty());

    // An override needs a reason, and a candidate.
    let no_reason = json!({"unit_id": hc, "award_type_id": merit, "propose": true, "reason": "  "});
    let e = s
        .refused(
            &staff,
            Method::PUT,
            &b.path("/overrides"),
            Some(&no_reason),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(e.fields["reason"], [FieldError::Required]);
    let not_voted = json!({"unit_id": dai, "award_type_id": merit, "propose": true, "reason": "Không có phiếu"});
    let e = s
        .refused(
            &staff,
            Method::PUT,
            &b.path("/overrides"),
            Some(&not_voted),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(e.fields["unit_id"], [FieldError::Invalid]);
    // Nor can staff propose a unit whose sheet is not approved.
    let unverified = json!({"unit_id": yte, "award_type_id": merit, "propose": true, "reason": "Nhiều phiếu nhất"});
    let e = s
        .refused(
            &staff,
            Method::PUT,
            &b.path("/overrides"),
            Some(&unverified),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(e.fields["propose"], [FieldError::NotVerified]);
    let reason = "Hội nghị khối biểu quyết bổ sung";
    let o = json!({"unit_id": hc, "award_type_id": merit, "propose": true, "reason": reason});
    let r: BlocResults = s.ok(&staff, Method::PUT, &b.path("/overrides"), Some(&o)).await;
    assert_eq!(proposed(&r, merit), [gd, vh, hc]);
    let group = r.awards.iter().find(|g| g.award_type.id == merit).unwrap();
    assert_eq!(group.units[2].override_reason.as_deref(), Some(reason));
    assert_eq!(candidate(&r, hc, merit).override_reason.as_deref(), Some(reason));
    assert!(!candidate(&r, hc, merit).broken.is_empty(), "the broken rule stays listed");
    assert!(r.problems.contains(&PublishProblem::OverQuota { award_type_id: merit, quota: 2, proposed: 3 }));

    // Decisions: a real date, and only for a proposed unit (409 before 422).
    let decision = json!({"number": "1234/QĐ-UBND", "date": "2020-01-15", "issuer": "Chủ tịch UBND tỉnh Bắc Ninh"});
    let bad_date = json!({"number": "1234/QĐ-UBND", "date": "2020-02-30", "issuer": "Chủ tịch UBND tỉnh Bắc Ninh"});
    let at = |unit: i64, award: i64| b.path(&format!("/decisions/{unit}/{award}"));
    let e = s
        .refused(
            &staff,
            Method::PUT,
            &at(gd, merit),
            Some(&bad_date),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(e.fields["date"], [FieldError::Invalid]);
    s.refused(&staff, Method::PUT, &at(dai, merit), Some(&bad_date), StatusCode::CONFLICT, "not_proposed").await;
    s.refused(&staff, Method::PUT, &at(yte, gov), Some(&decision), StatusCode::CONFLICT, "not_proposed").await;
    let r: BlocResults = s.ok(&staff, Method::PUT, &at(gd, merit), Some(&decision)).await;
    let group = r.awards.iter().find(|g| g.award_type.id == merit).unwrap();
    let d = group.units[0].decision.as_ref().expect("awarded");
    assert_eq!((d.number.as_str(), d.date.as_str()), ("1234/QĐ-UBND", "2020-01-15"));
    assert!(group.units[1].decision.is_none(), "proposed, not awarded");

    // Removing the override: the rules alone decide Hành chính công again.
    let o_path = b.path(&format!("/overrides/{hc}/{merit}"));
    let r: BlocResults = s.ok(&staff, Method::DELETE, &o_path, None).await;
    assert_eq!(proposed(&r, merit), [gd, vh]);
    s.refused(&staff, Method::DELETE, &o_path, None, StatusCode::NOT_FOUND, "override_not_found").await;

    // Published: the tally, overrides and decisions change only with a written reason, each
    // change a new revision.
    let r = b.publish_acknowledged(&s, &staff, "Hội nghị tổng kết đã thống nhất").await;
    let version = r.version;
    s.refused(
        &staff,
        Method::PUT,
        &b.path("/tally"),
        Some(&tally(10, vec![], version)),
        StatusCode::CONFLICT,
        "reason_required",
    )
    .await;
    s.refused(&staff, Method::PUT, &b.path("/overrides"), Some(&o), StatusCode::CONFLICT, "reason_required").await;
    s.refused(&staff, Method::PUT, &at(vh, merit), Some(&decision), StatusCode::CONFLICT, "reason_required").await;
    let why = "?reason=Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20%C4%91%C3%A3%20ban%20h%C3%A0nh";
    let r: BlocResults = s.ok(&staff, Method::PUT, &format!("{}{why}", at(vh, merit)), Some(&decision)).await;
    assert!(r.published && r.version == version + 1);
    assert_eq!(r.revision.as_ref().map(|r| (r.number, r.reason.as_str())), Some((2, "Quyết định đã ban hành")));
    let public: BlocResults = s.ok(&Who::anonymous(), Method::GET, &b.path("/results"), None).await;
    assert_eq!(public, r, "the public reads the revision just stored");
    let group = public.awards.iter().find(|g| g.award_type.id == merit).unwrap();
    assert!(group.units.iter().all(|u| u.decision.is_some()));
    let r: BlocResults = s.ok(&staff, Method::DELETE, &format!("{}{why}", at(vh, merit)), None).await;
    assert!(r.awards.iter().find(|g| g.award_type.id == merit).unwrap().units[1].decision.is_none());
    s.refused(
        &staff,
        Method::DELETE,
        &format!("{}{why}", at(vh, merit)),
        None,
        StatusCode::NOT_FOUND,
        "decision_not_found",
    )
    .await;

    // Every write is in the awards' audit trail, with who did it.
    let rows: Vec<(String, String, Option<i64>)> = sqlx::query_as(
        "SELECT a.action, u.username, a.bloc_id FROM award_audit a JOIN users u ON u.id = a.user_id ORDER BY a.id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let actions: Vec<&str> = rows.iter().map(|(a, _, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        ["put_tally", "put_override", "put_decision", "delete_override", "publish", "put_decision", "delete_decision"]
    );
    assert!(rows.iter().all(|(_, user, bloc)| user == "staff" && *bloc == Some(b.bloc.id)));
}

#[tokio::test]
async fn award_types_are_public_rules_that_staff_edit_while_unpublished() {
    let s = TestServer::start().await;
    let staff = s.login("staff").await;
    let anon = Who::anonymous();
    let b = Bloc2019::load(&s).await;

    let types: Vec<AwardType> = s.ok(&anon, Method::GET, "/api/years/2018/award-types", None).await;
    assert_eq!(
        types.iter().map(|t| (t.code.as_str(), t.quota_per_bloc)).collect::<Vec<_>>(),
        [(GOV_FLAG, 1), ("co_ubnd_tinh", 2), (MERIT, 2)]
    );
    assert_eq!(types[0].eligibility, [Eligibility::MaxRank { rank: 1 }, Eligibility::ApprovedSheet]);
    assert_eq!(types[1].eligibility, [Eligibility::ApprovedSheet]);
    assert!(types[2].eligibility.is_empty());
    s.refused(&anon, Method::GET, "/api/years/1999/award-types", None, StatusCode::NOT_FOUND, "year_not_found").await;

    // 422 field by field.
    let mut bad = award_type_input("Bad Code", "");
    bad["precedence"] = json!(0);
    bad["threshold"] = json!({"numerator": 3, "denominator": 2, "strict": true});
    bad["eligibility"] = json!([{"kind": "max_rank", "rank": 0}]);
    let e = s
        .refused(
            &staff,
            Method::POST,
            "/api/years/2019/award-types",
            Some(&bad),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(e.fields["code"], [FieldError::Invalid]);
    assert_eq!(e.fields["name"], [FieldError::Required]);
    assert_eq!(e.fields["precedence"], [FieldError::NotPositive]);
    assert_eq!(e.fields["threshold.numerator"], [FieldError::Invalid]);
    assert_eq!(e.fields["eligibility.0"], [FieldError::NotPositive]);
    let dup = award_type_input(GOV_FLAG, "Cờ thi đua của UBND tỉnh");
    let e = s
        .refused(
            &staff,
            Method::POST,
            "/api/years/2019/award-types",
            Some(&dup),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(
        (&e.fields["code"], &e.fields["name"]),
        (
            &vec![FieldError::Duplicate { of: Duplicated::AwardTypeCode }],
            &vec![FieldError::Duplicate { of: Duplicated::AwardTypeName }]
        )
    );
    let mut no_type = award_type_input("giay_khen", "Giấy khen");
    no_type["eligibility"] = json!([{"kind": "nonsense"}]);
    s.refused(
        &staff,
        Method::POST,
        "/api/years/2019/award-types",
        Some(&no_type),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
    )
    .await;

    // Added: 201, public at once, and every bloc of the year moves on a version.
    let response = s
        .send(&staff, Method::POST, "/api/years/2019/award-types", Some(&award_type_input("giay_khen", "Giấy khen")))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: AwardType = response.json().await.unwrap();
    assert_eq!(created.eligibility, [Eligibility::MinTotal { points: Points::whole(90) }]);
    let listed: Vec<AwardType> = s.ok(&anon, Method::GET, "/api/years/2019/award-types", None).await;
    assert_eq!(listed.last(), Some(&created));
    let preview: BlocResults = s.ok(&staff, Method::GET, &b.path("/results"), None).await;
    assert_eq!((preview.version, preview.award_types.len()), (1, 4));

    // Changed: the same id, the new rules; its own code is no duplicate of itself.
    let mut change = award_type_input("giay_khen", "Giấy khen của Giám đốc Sở");
    change["quota_per_bloc"] = json!(3);
    let path = format!("/api/years/2019/award-types/{}", created.id);
    let saved: AwardType = s.ok(&staff, Method::PUT, &path, Some(&change)).await;
    assert_eq!((saved.id, saved.quota_per_bloc, saved.name.as_str()), (created.id, 3, "Giấy khen của Giám đốc Sở"));
    let e = s
        .refused(
            &staff,
            Method::PUT,
            &path,
            Some(&award_type_input(MERIT, "Khác")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert_eq!(e.fields["code"], [FieldError::Duplicate { of: Duplicated::AwardTypeCode }]);
    s.refused(
        &staff,
        Method::PUT,
        "/api/years/2019/award-types/999",
        Some(&change),
        StatusCode::NOT_FOUND,
        "award_type_not_found",
    )
    .await;
    // A 2018 type is not a 2019 one.
    let path_2018_type = format!("/api/years/2019/award-types/{}", types[0].id);
    s.refused(&staff, Method::PUT, &path_2018_type, Some(&change), StatusCode::NOT_FOUND, "award_type_not_found").await;
    s.refused(
        &staff,
        Method::POST,
        "/api/years/1999/award-types",
        Some(&change),
        StatusCode::NOT_FOUND,
        "year_not_found",
    )
    .await;

    // 2018 is published: its rules are closed (409 before 422).
    let path = format!("/api/years/2018/award-types/{}", types[0].id);
    s.refused(&staff, Method::PUT, &path, Some(&bad), StatusCode::CONFLICT, "published").await;
    s.refused(&staff, Method::POST, "/api/years/2018/award-types", Some(&change), StatusCode::CONFLICT, "published")
        .await;
    // And 2019 once one of its blocs is published.
    b.publish_acknowledged(&s, &staff, "Công bố").await;
    s.refused(&staff, Method::POST, "/api/years/2019/award-types", Some(&change), StatusCode::CONFLICT, "published")
        .await;
}

#[tokio::test]
async fn award_writes_are_for_staff_and_the_tally_also_for_the_leader_unit() {
    let s = TestServer::start().await;
    let b = Bloc2019::load(&s).await;
    let (yte, merit) = (b.unit(Y_TE), b.award(MERIT));
    let type_path = format!("/api/years/2019/award-types/{merit}");
    let writes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::POST, "/api/years/2019/award-types".to_owned(), Some(award_type_input("giay_khen", "Giấy khen"))),
        (Method::PUT, type_path, Some(award_type_input("giay_khen", "Giấy khen"))),
        (
            Method::PUT,
            b.path("/overrides"),
            Some(json!({"unit_id": yte, "award_type_id": merit, "propose": true, "reason": "x"})),
        ),
        (Method::DELETE, b.path(&format!("/overrides/{yte}/{merit}")), None),
        (Method::POST, b.path("/publish"), None),
        (Method::POST, b.path("/unpublish"), None),
        (
            Method::PUT,
            b.path(&format!("/decisions/{yte}/{merit}")),
            Some(json!({"number": "1", "date": "2020-01-01", "issuer": "x"})),
        ),
        (Method::DELETE, b.path(&format!("/decisions/{yte}/{merit}")), None),
    ];
    let officers = [s.login("yte").await, s.login("gddt").await, s.login("ldtbxh").await];
    for (method, path, body) in &writes {
        s.refused(&Who::anonymous(), method.clone(), path, body.as_ref(), StatusCode::UNAUTHORIZED, "unauthenticated")
            .await;
        for who in &officers {
            s.refused(who, method.clone(), path, body.as_ref(), StatusCode::FORBIDDEN, "forbidden").await;
            // Refused before the body is read: a broken body is still 403.
            if body.is_some() {
                s.refused(who, method.clone(), path, Some(&json!({})), StatusCode::FORBIDDEN, "forbidden").await;
            }
        }
        // An expired or made-up session is signed out.
        let stranger = Who { name: "stranger", cookie: Some("thidua_session=made-up".to_owned()) };
        s.refused(&stranger, method.clone(), path, body.as_ref(), StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
    // Nothing changed.
    let staff = s.login("staff").await;
    let r: BlocResults = s.ok(&staff, Method::GET, &b.path("/results"), None).await;
    assert_eq!((r.published, r.version, r.tally.is_none()), (false, 0, true));
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM award_audit").fetch_one(&s.db().await).await.unwrap();
    assert_eq!(n, 0);
    // A made-up session reads public results as the public does.
    let stranger = Who { name: "stranger", cookie: Some("thidua_session=made-up".to_owned()) };
    s.refused(&stranger, Method::GET, &b.path("/results"), None, StatusCode::NOT_FOUND, "not_published").await;

    // The tally: staff, or the officer of the bloc's leader unit (DOMAIN.md's roles); not the
    // other units' officers.
    let body = tally(10, vec![vote(yte, merit, 9)], 0);
    s.refused(
        &Who::anonymous(),
        Method::PUT,
        &b.path("/tally"),
        Some(&body),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    for who in &officers[..2] {
        s.refused(who, Method::PUT, &b.path("/tally"), Some(&body), StatusCode::FORBIDDEN, "forbidden").await;
    }
    let entered: BlocResults = s.ok(&officers[2], Method::PUT, &b.path("/tally"), Some(&body)).await;
    assert_eq!((entered.version, entered.tally.map(|t| t.voters_present)), (1, Some(10)));
    let who: String = sqlx::query_scalar(
        "SELECT u.username FROM award_audit a JOIN users u ON u.id = a.user_id WHERE a.action = 'put_tally'",
    )
    .fetch_one(&s.db().await)
    .await
    .unwrap();
    assert_eq!(who, "ldtbxh");
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

#[tokio::test]
async fn exports_say_what_the_results_say() {
    let s = TestServer::start().await;
    let anon = Who::anonymous();
    let blocs: Vec<BlocSummary> = s.ok(&anon, Method::GET, "/api/years/2018/blocs", None).await;
    let id = blocs[0].id;
    let base = format!("/api/years/2018/blocs/{id}");
    let r: BlocResults = s.ok(&anon, Method::GET, &format!("{base}/results"), None).await;

    // CSV, Vietnamese by default, with a BOM so that Excel reads the diacritics.
    let (status, headers, bytes) = body_of(&s, &anon, &format!("{base}/results.csv")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(headers[CONTENT_DISPOSITION], format!("attachment; filename=\"thidua-2018-bloc-{id}-r1.csv\"").as_str());
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).expect("a UTF-8 BOM");
    let mut reader = csv::Reader::from_reader(text);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header[..5], ["Hạng", "Đơn vị", "Phiếu chấm", "Tổng điểm thẩm định", "Tổng điểm tự chấm"]);
    assert_eq!(header[5], "I. Thực hiện nhiệm vụ chính trị, chuyên môn được giao");
    assert_eq!(header[10..14], ["Điểm thưởng được tính", "Điểm trừ", "1.1 tự chấm", "1.1 thẩm định"]);
    assert_eq!(header.len(), 5 + 5 + 2 + 2 * 10);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), r.ranking.len());
    for (row, json) in rows.iter().zip(&r.ranking) {
        assert_eq!(row[0], json.rank.to_string());
        assert_eq!(&row[1], json.unit.name.as_str());
        assert_eq!(&row[2], "Đã thẩm định");
        assert_eq!(row[3], json.total.to_string());
        assert_eq!(row[4], json.self_total.to_string());
        assert_eq!(row[10], json.bonus_counted.to_string());
    }
    assert_eq!((&rows[0][1], &rows[0][3]), ("Sở Y tế", "97.5"));
    assert_eq!(&rows[0][10], "5");

    // English headers on request.
    let (_, _, bytes) = body_of(&s, &anon, &format!("{base}/results.csv?lang=en")).await;
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header[..5], ["Rank", "Unit", "Sheet", "Verified total", "Self total"]);
    assert_eq!(header[10..14], ["Bonus counted", "Deductions", "1.1 self", "1.1 verified"]);

    // XLSX: the same table with numeric cells, the breakdown, the awards.
    let (status, headers, bytes) = body_of(&s, &anon, &format!("{base}/results.xlsx")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[CONTENT_TYPE], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert_eq!(
        headers[CONTENT_DISPOSITION],
        format!("attachment; filename=\"thidua-2018-bloc-{id}-r1.xlsx\"").as_str()
    );
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Xếp hạng", "Chi tiết", "Khen thưởng", "Thông tin"]);
    let ranking = book.worksheet_range("Xếp hạng").unwrap();
    let rows: Vec<&[Data]> = ranking.rows().collect();
    assert_eq!(cell_text(&rows[0][0]), "Hạng");
    assert_eq!(rows.len(), 1 + r.ranking.len());
    for (row, json) in rows[1..].iter().zip(&r.ranking) {
        assert_eq!(row[0], Data::Float(f64::from(json.rank)));
        assert_eq!(row[1], Data::String(json.unit.name.clone()));
        assert_eq!(row[3], Data::Float(json.total.to_f64()));
        assert_eq!(row[4], Data::Float(json.self_total.to_f64()));
    }
    let breakdown = book.worksheet_range("Chi tiết").unwrap();
    let lines: Vec<Vec<String>> = breakdown.rows().map(|r| r.iter().map(cell_text).collect()).collect();
    // 7 units × 10 criteria, 5 bonus and 3 deduction lines, and the header.
    assert_eq!(lines.len(), 1 + 70 + 5 + 3);
    assert_eq!(lines[1][..4], ["Sở Y tế", "1.1", "Kết quả thực hiện các chỉ tiêu, nhiệm vụ chuyên môn chủ yếu", "20"]);
    assert!(lines
        .iter()
        .any(|l| l[0] == "Sở Y tế" && l[1] == "Điểm thưởng" && l[2] == "Được tặng Cờ thi đua của Bộ" && l[6] == "3"));
    assert!(lines.iter().any(|l| l[1] == "Điểm trừ" && l[2] == "Gửi báo cáo chậm hạn" && l[6] == "-0.5"));
    let awards = book.worksheet_range("Khen thưởng").unwrap();
    let awards: Vec<Vec<String>> = awards.rows().skip(1).map(|r| r.iter().map(cell_text).collect()).collect();
    let proposed: Vec<(&str, &str, &str)> =
        awards.iter().map(|a| (a[0].as_str(), a[1].as_str(), a[2].as_str())).collect();
    assert_eq!(
        proposed,
        [
            ("Cờ thi đua của Chính phủ", "Sở Y tế", "Đề nghị"),
            ("Cờ thi đua của UBND tỉnh", "Sở Giáo dục và Đào tạo", "Đề nghị"),
            ("Cờ thi đua của UBND tỉnh", "Sở Lao động - Thương binh và Xã hội", "Đề nghị"),
            ("Bằng khen của Chủ tịch UBND tỉnh", "Sở Văn hóa, Thể thao và Du lịch", "Đề nghị"),
            ("Bằng khen của Chủ tịch UBND tỉnh", "Bảo hiểm xã hội tỉnh", "Đề nghị"),
        ]
    );
    let (_, _, bytes) = body_of(&s, &anon, &format!("{base}/results.xlsx?lang=en")).await;
    let book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Ranking", "Breakdown", "Awards", "About"]);

    // A sheet not approved is said so, never a 0: the 2019 preview, every sheet a draft.
    let staff = s.login("staff").await;
    let (status, _, bytes) = body_of(&s, &staff, &format!("/api/years/2019/blocs/{id}/results.csv")).await;
    assert_eq!(status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 7);
    for row in &rows {
        assert_eq!(&row[0], "Không xếp hạng");
        assert_eq!(&row[2], "Chưa thẩm định: đơn vị đang chấm; 0/10 tiêu chí đã thẩm định");
        assert!(row.iter().skip(3).all(str::is_empty), "no number where nothing was verified: {row:?}");
    }
    let (_, _, bytes) = body_of(&s, &staff, &format!("/api/years/2019/blocs/{id}/results.csv?lang=en")).await;
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let first = reader.records().next().unwrap().unwrap();
    assert_eq!((&first[0], &first[2]), ("Not ranked", "Not verified: the unit is scoring; 0/10 criteria verified"));
    let (_, _, bytes) = body_of(&s, &staff, &format!("/api/years/2019/blocs/{id}/results.xlsx")).await;
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let ranking = book.worksheet_range("Xếp hạng").unwrap();
    for row in ranking.rows().skip(1) {
        assert_eq!(row[0], Data::String("Không xếp hạng".into()));
        assert!(row.iter().all(|c| !matches!(c, Data::Float(_) | Data::Int(_))), "{row:?}");
    }
}
