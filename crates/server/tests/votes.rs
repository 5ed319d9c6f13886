//! The conference's vote over real HTTP, on SQLite or PostgreSQL: cards that vote once (also
//! when the same card is sent 20 times at once), voided and unknown cards, the two clerks'
//! entries that must agree, reconciliation with the voters present, the tally the close
//! makes, who may run a vote, and what the database and the log hold afterwards: nothing that
//! joins a ballot to a card, a time or an address.

mod common;

use std::collections::BTreeSet;

use common::process::Running;
use common::{TestServer, Who};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use thidua_domain::model::BlocSummary;
use thidua_domain::results::BlocResults;
use thidua_domain::tally::TallyMethod;
use thidua_domain::vote::{CardBallot, IssuedCards, PrintedBallot, Receipt, VoteSession, VoteState};

/// The demo bloc's 2018 results taken back (a vote needs unpublished results), the ballot to
/// print, and staff signed in.
struct Vote2018 {
    staff: Who,
    bloc_id: i64,
    ballot: PrintedBallot,
}

impl Vote2018 {
    async fn new(s: &TestServer) -> Vote2018 {
        let staff = s.login("staff").await;
        let blocs: Vec<BlocSummary> = s.ok(&Who::anonymous(), Method::GET, "/api/years/2018/blocs", None).await;
        let bloc_id = blocs[0].id;
        let path = format!("/api/years/2018/blocs/{bloc_id}");
        let _: BlocResults =
            s.ok(&staff, Method::POST, &format!("{path}/unpublish?reason=B%E1%BA%A7u%20l%E1%BA%A1i"), None).await;
        let ballot: PrintedBallot = s.ok(&staff, Method::GET, &format!("{path}/vote/ballot"), None).await;
        Vote2018 { staff, bloc_id, ballot }
    }

    fn path(&self, rest: &str) -> String {
        format!("/api/years/2018/blocs/{}{rest}", self.bloc_id)
    }

    /// The award type id of the ballot's part `i` (0: the Government flag, 1: the provincial
    /// flag, quota 2, every ranked member).
    fn part(&self, i: usize) -> i64 {
        self.ballot.sections[i].award_type_id
    }

    fn unit(&self, part: usize, i: usize) -> i64 {
        self.ballot.sections[part].units[i]
    }

    async fn open(&self, s: &TestServer, cards: u32) -> IssuedCards {
        let body = json!({"cards": cards, "committee": "Trưởng ban: Nguyễn Văn A; thành viên: Trần Thị B, Lê Văn C"});
        serde_json::from_value(
            s.expect(&self.staff, Method::POST, &self.path("/vote"), Some(&body), StatusCode::CREATED).await,
        )
        .unwrap()
    }

    async fn session(&self, s: &TestServer) -> VoteSession {
        s.ok(&self.staff, Method::GET, &self.path("/vote"), None).await
    }
}

/// A second staff account, for the second clerk.
async fn second_clerk(s: &TestServer, staff: &Who) -> Who {
    let user = json!({"username": "thuky2", "display_name": "Thư ký thứ hai", "role": "staff", "unit_id": null,
                      "password": "mat-khau-thu-ky-2"});
    s.expect(staff, Method::POST, "/api/admin/users", Some(&user), StatusCode::CREATED).await;
    let response = s.login_response("thuky2", "mat-khau-thu-ky-2").await;
    assert_eq!(response.status(), StatusCode::OK);
    Who { name: "thuky2", cookie: Some(common::session_cookie(&response).unwrap()) }
}

async fn cast(s: &TestServer, code: &str, ticks: Value) -> Receipt {
    s.ok(&Who::anonymous(), Method::POST, "/api/vote/cast", Some(&json!({"code": code, "ticks": ticks}))).await
}

/// The ticks of a provincial-flag ballot for the units at `a` and `b` on that part.
fn pair(v: &Vote2018, a: usize, b: usize) -> Value {
    json!([{"award_type_id": v.part(1), "units": [v.unit(1, a), v.unit(1, b)]}])
}

#[tokio::test]
async fn phones_and_two_clerks_make_the_tally() {
    let s = TestServer::start().await;
    let v = Vote2018::new(&s).await;
    assert!(v.ballot.label.starts_with("2018-K"), "{}", v.ballot.label);
    assert_eq!(v.ballot.sections.len(), 3, "three award types on the ballot");
    assert_eq!(v.ballot.sections[0].units.len(), 1, "the Government flag: the leading unit only");
    assert!(v.ballot.sections[1].units.len() >= 4);

    let issued = v.open(&s, 10).await;
    assert_eq!(issued.codes.len(), 10);
    assert_eq!(issued.session.state, VoteState::Open);
    assert_eq!(issued.session.ballot_label, v.ballot.label, "the ballot printed is the ballot counted");
    s.refused(
        &v.staff,
        Method::POST,
        &v.path("/vote"),
        Some(&json!({"cards": 1})),
        StatusCode::CONFLICT,
        "vote_exists",
    )
    .await;

    // A card opens the ballot with names, and casts once.
    let opened: CardBallot = s
        .ok(&Who::anonymous(), Method::POST, "/api/vote/ballot", Some(&json!({"code": issued.codes[0].to_lowercase()})))
        .await;
    assert_eq!(opened.state, VoteState::Open);
    assert_eq!(opened.receipt, None);
    assert_eq!(opened.awards.len(), 3);
    assert!(opened.units.iter().all(|u| !u.name.is_empty()));

    let flag = v.unit(0, 0);
    let leader_and_two = |a: usize, b: usize| {
        let mut t = pair(&v, a, b);
        t.as_array_mut().unwrap().push(json!({"award_type_id": v.part(0), "units": [flag]}));
        t
    };
    // Six phone ballots: the flag for the leader five times; the provincial flag for units 0
    // and 1 four times, 0 and 2 twice.
    let mut receipts = Vec::new();
    for (i, ticks) in [
        leader_and_two(0, 1),
        leader_and_two(0, 1),
        leader_and_two(0, 1),
        leader_and_two(0, 2),
        leader_and_two(0, 2),
        pair(&v, 0, 1),
    ]
    .into_iter()
    .enumerate()
    {
        let r = cast(&s, &issued.codes[i], ticks).await;
        assert!(r.stored);
        receipts.push(r.receipt);
    }
    // Over the quota on a phone: refused, nothing stored, the card still unused.
    let over = json!([{"award_type_id": v.part(1), "units": [v.unit(1, 0), v.unit(1, 1), v.unit(1, 2)]}]);
    let e = s
        .refused(
            &Who::anonymous(),
            Method::POST,
            "/api/vote/cast",
            Some(&json!({"code": issued.codes[6], "ticks": over})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert!(e.fields.contains_key(&format!("ticks.{}", v.part(1))), "{:?}", e.fields);

    // While open: counts only.
    let open = v.session(&s).await;
    assert_eq!((open.cards.issued, open.cards.cast, open.cards.voided), (10, 6, 0));
    assert!(open.result.is_none(), "no tally while the vote is open");
    let text = s.expect(&v.staff, Method::GET, &v.path("/vote"), None, StatusCode::OK).await.to_string();
    for r in &receipts {
        assert!(!text.contains(r.as_str()), "a receipt shown while the vote is open");
    }

    // Two paper ballots, read by two clerks; the second misreads the second ballot.
    let paper = json!({"ballots": [
        {"ticks": [{"award_type_id": v.part(0), "units": [flag]}, {"award_type_id": v.part(1), "units": [v.unit(1, 1), v.unit(1, 2)]}]},
        {"set_aside": "Phiếu rách", "ticks": []},
    ]});
    let misread = json!({"ballots": [
        {"ticks": [{"award_type_id": v.part(0), "units": [flag]}, {"award_type_id": v.part(1), "units": [v.unit(1, 1), v.unit(1, 2)]}]},
        {"ticks": []},
    ]});
    let first: VoteSession = s.ok(&v.staff, Method::PUT, &v.path("/vote/paper/1"), Some(&paper)).await;
    assert_eq!(first.clerks[0].count.received, 2);
    assert_eq!(first.clerks[0].count.set_aside, 1);
    let leader: Who = s.login("ldtbxh").await;
    // The leader's officer may not: 2018 is closed for scoring.
    s.refused(&leader, Method::PUT, &v.path("/vote/paper/2"), Some(&misread), StatusCode::CONFLICT, "year_closed")
        .await;
    // Two clerks are two people: the one who entered the first copy cannot enter the second.
    s.refused(&v.staff, Method::PUT, &v.path("/vote/paper/2"), Some(&misread), StatusCode::CONFLICT, "same_clerk")
        .await;
    let second = second_clerk(&s, &v.staff).await;
    s.refused(&second, Method::PUT, &v.path("/vote/paper/1"), Some(&misread), StatusCode::CONFLICT, "clerk_taken")
        .await;
    let both: VoteSession = s.ok(&second, Method::PUT, &v.path("/vote/paper/2"), Some(&misread)).await;
    assert_eq!(both.disagreements.len(), 1);
    let e = s
        .refused(
            &v.staff,
            Method::POST,
            &v.path("/vote/close"),
            Some(&json!({"voters_present": 9})),
            StatusCode::CONFLICT,
            "clerks_disagree",
        )
        .await;
    assert!(e.message.contains('1'), "{}", e.message);
    let agreed: VoteSession = s.ok(&second, Method::PUT, &v.path("/vote/paper/2"), Some(&paper)).await;
    // The results cannot be published while the vote takes ballots.
    s.refused(&v.staff, Method::POST, &v.path("/publish"), None, StatusCode::CONFLICT, "vote_open").await;
    assert!(agreed.disagreements.is_empty());

    // 6 phone + 2 paper ballots: 7 voters present do not reconcile; 9 do.
    s.refused(
        &v.staff,
        Method::POST,
        &v.path("/vote/close"),
        Some(&json!({"voters_present": 7})),
        StatusCode::CONFLICT,
        "not_reconciled",
    )
    .await;
    let closed: VoteSession =
        s.ok(&v.staff, Method::POST, &v.path("/vote/close"), Some(&json!({"voters_present": 9}))).await;
    assert_eq!(closed.state, VoteState::Closed);
    // The spare cards are voided with the close: nobody can vote with them afterwards.
    assert_eq!((closed.cards.issued, closed.cards.cast, closed.cards.voided), (10, 6, 4));
    // The count stays readable where writes are refused: the leader's officer in a closed year.
    let _: VoteSession = s.ok(&leader, Method::GET, &v.path("/vote"), None).await;
    let result = closed.result.unwrap();
    assert_eq!((result.voters_present, result.phone_ballots, result.paper_ballots), (9, 6, 2));
    let mut sorted = receipts.clone();
    sorted.sort();
    assert_eq!(result.receipts, sorted, "every receipt listed, sorted");
    // Worked out by hand: the flag 5 (phone) + 1 (paper); the provincial flag unit 0: 6,
    // unit 1: 4 + 1, unit 2: 2 + 1; the torn ballot invalid in every part.
    let votes =
        |part: usize, unit: i64| result.count.sections[part].votes.iter().find(|x| x.unit_id == unit).map(|x| x.votes);
    assert_eq!(votes(0, flag), Some(6));
    assert_eq!(votes(1, v.unit(1, 0)), Some(6));
    assert_eq!(votes(1, v.unit(1, 1)), Some(5));
    assert_eq!(votes(1, v.unit(1, 2)), Some(3));
    assert_eq!(result.count.sections[1].invalid, 1);
    assert_eq!(result.count.received, 8);

    // The tally is the count's, marked as counted, and the proposals follow from it.
    let results: BlocResults = s.ok(&v.staff, Method::GET, &v.path("/results"), None).await;
    assert_eq!(results.tally_method, Some(TallyMethod::Counted));
    let tally = results.tally.unwrap();
    assert_eq!(tally.voters_present, 9);
    assert!(tally.votes.iter().any(|e| e.award_type_id == v.part(0) && e.unit_id == flag && e.votes == 6));
    assert!(results.candidates.iter().any(|c| c.unit_id == flag && c.award_type_id == v.part(0) && c.proposed));

    // Closed: no more casting, paper or closing; a used card shows its receipt.
    let e = s
        .refused(
            &Who::anonymous(),
            Method::POST,
            "/api/vote/cast",
            Some(&json!({"code": issued.codes[7], "ticks": []})),
            StatusCode::CONFLICT,
            "card_voided",
        )
        .await;
    assert_eq!(e.code, "card_voided", "a spare card, voided at the close");
    s.refused(&v.staff, Method::PUT, &v.path("/vote/paper/1"), Some(&paper), StatusCode::CONFLICT, "vote_closed").await;
    let used: CardBallot =
        s.ok(&Who::anonymous(), Method::POST, "/api/vote/ballot", Some(&json!({"code": issued.codes[3]}))).await;
    assert_eq!((used.state, used.receipt.as_deref()), (VoteState::Closed, Some(receipts[3].as_str())));

    // Every step audited, and no step names a card or a ballot.
    let audit =
        s.expect(&v.staff, Method::GET, "/api/audit?year=2018&source=award&per_page=200", None, StatusCode::OK).await;
    let text = audit.to_string();
    for action in ["open_vote", "paper_entry", "close_vote"] {
        assert!(text.contains(action), "{action} audited: {text}");
    }
    for code in &issued.codes {
        assert!(!text.contains(code.as_str()));
    }

    // A tally typed in afterwards says so.
    let typed = json!({"version": results.version, "tally": {"voters_present": 9, "votes": []}});
    let after: BlocResults = s.ok(&v.staff, Method::PUT, &v.path("/tally"), Some(&typed)).await;
    assert_eq!(after.tally_method, Some(TallyMethod::Entered));
}

#[tokio::test]
async fn a_card_votes_once_even_twenty_times_at_once() {
    let s = TestServer::start().await;
    let v = Vote2018::new(&s).await;
    let issued = v.open(&s, 3).await;
    let code = issued.codes[0].clone();
    let ticks = pair(&v, 0, 1);
    let mut sends = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let body = json!({"code": code, "ticks": ticks});
        let request = s.client.post(format!("{}/api/vote/cast", s.base)).json(&body);
        sends.spawn(async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            response.json::<Receipt>().await.unwrap()
        });
    }
    let answers = sends.join_all().await;
    assert_eq!(answers.iter().filter(|r| r.stored).count(), 1, "stored once");
    let receipts: BTreeSet<&str> = answers.iter().map(|r| r.receipt.as_str()).collect();
    assert_eq!(receipts.len(), 1, "one receipt for every answer");
    let session = v.session(&s).await;
    assert_eq!(session.cards.cast, 1);
    let db = s.db().await;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM vote_ballots").fetch_one(&db).await.unwrap();
    assert_eq!(stored, 1);

    // Unknown, malformed and voided cards.
    let anon = Who::anonymous();
    let unknown = json!({"code": "00000-00000", "ticks": []});
    s.refused(&anon, Method::POST, "/api/vote/cast", Some(&unknown), StatusCode::NOT_FOUND, "card_unknown").await;
    let malformed = json!({"code": "not a code", "ticks": []});
    let e = s
        .refused(
            &anon,
            Method::POST,
            "/api/vote/cast",
            Some(&malformed),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert!(e.fields.contains_key("code"));
    let extra = json!({"code": issued.codes[1], "ticks": [], "name": "x"});
    s.refused(&anon, Method::POST, "/api/vote/cast", Some(&extra), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
        .await;
    let void = json!({"code": issued.codes[1]});
    let after: VoteSession = s.ok(&v.staff, Method::POST, &v.path("/vote/void"), Some(&void)).await;
    assert_eq!(after.cards.voided, 1);
    s.refused(
        &anon,
        Method::POST,
        "/api/vote/cast",
        Some(&json!({"code": issued.codes[1], "ticks": []})),
        StatusCode::CONFLICT,
        "card_voided",
    )
    .await;
    s.refused(&anon, Method::POST, "/api/vote/ballot", Some(&void), StatusCode::CONFLICT, "card_voided").await;
    // A used card cannot be voided; a card of no vote is unknown.
    s.refused(
        &v.staff,
        Method::POST,
        &v.path("/vote/void"),
        Some(&json!({"code": code})),
        StatusCode::CONFLICT,
        "card_not_unused",
    )
    .await;
    s.refused(
        &v.staff,
        Method::POST,
        &v.path("/vote/void"),
        Some(&json!({"code": "00000-00000"})),
        StatusCode::NOT_FOUND,
        "card_unknown",
    )
    .await;
    // A tally cannot be typed in while the vote is open.
    let results: BlocResults = s.ok(&v.staff, Method::GET, &v.path("/results"), None).await;
    let typed = json!({"version": results.version, "tally": {"voters_present": 9, "votes": []}});
    s.refused(&v.staff, Method::PUT, &v.path("/tally"), Some(&typed), StatusCode::CONFLICT, "vote_open").await;
    // Taken back: the cards and the ballot go, the card no longer opens anything.
    s.expect(&v.staff, Method::DELETE, &v.path("/vote"), None, StatusCode::NO_CONTENT).await;
    s.refused(&v.staff, Method::GET, &v.path("/vote"), None, StatusCode::NOT_FOUND, "vote_not_found").await;
    s.refused(
        &anon,
        Method::POST,
        "/api/vote/cast",
        Some(&json!({"code": code, "ticks": []})),
        StatusCode::NOT_FOUND,
        "card_unknown",
    )
    .await;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM vote_ballots").fetch_one(&db).await.unwrap();
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn only_staff_and_the_leader_s_officer_run_a_vote() {
    let s = TestServer::start().await;
    let v = Vote2018::new(&s).await;
    let anon = Who::anonymous();
    let officer = s.login("yte").await;
    let body = json!({"cards": 2});
    s.refused(&anon, Method::POST, &v.path("/vote"), Some(&body), StatusCode::UNAUTHORIZED, "unauthenticated").await;
    s.refused(&officer, Method::POST, &v.path("/vote"), Some(&body), StatusCode::FORBIDDEN, "forbidden").await;
    s.refused(&officer, Method::GET, &v.path("/vote/ballot"), None, StatusCode::FORBIDDEN, "forbidden").await;
    s.refused(&v.staff, Method::GET, &v.path("/vote"), None, StatusCode::NOT_FOUND, "vote_not_found").await;
    let e = s
        .refused(
            &v.staff,
            Method::POST,
            &v.path("/vote"),
            Some(&json!({"cards": 5000})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert!(e.fields.contains_key("cards"));
    v.open(&s, 2).await;
    s.refused(&officer, Method::GET, &v.path("/vote"), None, StatusCode::FORBIDDEN, "forbidden").await;
    s.refused(
        &anon,
        Method::POST,
        &v.path("/vote/close"),
        Some(&json!({"voters_present": 3})),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    s.refused(
        &v.staff,
        Method::PUT,
        &v.path("/vote/paper/3"),
        Some(&json!({"ballots": []})),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    // In 2019 (open for scoring, no approved sheet yet) there is nothing to vote on.
    let path = format!("/api/years/2019/blocs/{}/vote", v.bloc_id);
    let e =
        s.refused(&v.staff, Method::POST, &path, Some(&body), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
    assert!(e.fields.contains_key("ballot"), "{:?}", e.fields);
    let leader = s.login("ldtbxh").await;
    s.refused(&leader, Method::POST, &path, Some(&body), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
}

/// After a session on the server binary logging everything: the ballots' table holds a
/// random id and the ticks only, its rows do not come in the order the ballots did, on
/// PostgreSQL one transaction wrote them all, and no log line holds a card's code or hash, a
/// receipt, a ballot's id or its ticks.
#[tokio::test]
async fn nothing_joins_a_ballot_to_a_card_a_time_or_an_address() {
    let dir = tempfile::tempdir().unwrap();
    let database = common::new_database(dir.path()).await;
    let log = dir.path().join("server.log");
    let server = Running::start_logged(dir.path(), &database, &log);
    let s = TestServer::attach(server.base.clone(), database, dir);
    let v = Vote2018::new(&s).await;
    let issued = v.open(&s, 14).await;
    // Twelve ballots, each different, cast in a known order.
    let n = v.ballot.sections[1].units.len();
    let pairs: Vec<(usize, usize)> = (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).take(12).collect();
    assert_eq!(pairs.len(), 12);
    let mut cast_order = Vec::new();
    let mut receipts = Vec::new();
    for (i, &(a, b)) in pairs.iter().enumerate() {
        receipts.push(cast(&s, &issued.codes[i], pair(&v, a, b)).await.receipt);
        cast_order.push(BTreeSet::from([v.unit(1, a), v.unit(1, b)]));
    }
    let _: VoteSession =
        s.ok(&v.staff, Method::POST, &v.path("/vote/close"), Some(&json!({"voters_present": 14}))).await;

    let db = s.db().await;
    let postgres = common::postgres_server().is_some();
    let columns: Vec<String> = if postgres {
        sqlx::query_scalar("SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE table_name = 'vote_ballots' ORDER BY column_name")
            .fetch_all(&db)
            .await
            .unwrap()
    } else {
        sqlx::query_scalar("SELECT name FROM pragma_table_info('vote_ballots') ORDER BY name")
            .fetch_all(&db)
            .await
            .unwrap()
    };
    assert_eq!(columns, ["bloc_id", "id", "ticks", "year"], "a ballot is an id and its ticks");
    // The rows as the database hands them out, unordered.
    let stored: Vec<(String, String)> =
        sqlx::query_as("SELECT id, ticks FROM vote_ballots").fetch_all(&db).await.unwrap();
    let flag = v.part(1).to_string();
    let stored_order: Vec<BTreeSet<i64>> = stored
        .iter()
        .map(|(_, ticks)| {
            let t: Value = serde_json::from_str(ticks).unwrap();
            t[&flag].as_array().unwrap().iter().map(|u| u.as_i64().unwrap()).collect()
        })
        .collect();
    assert_eq!(stored_order.iter().collect::<BTreeSet<_>>(), cast_order.iter().collect::<BTreeSet<_>>());
    // A shuffle of 12 keeps the cast order once in 479 million.
    assert_ne!(stored_order, cast_order, "the rows follow the order of arrival");
    if postgres {
        let writers: i64 =
            sqlx::query_scalar("SELECT COUNT(DISTINCT CAST(CAST(xmin AS TEXT) AS BIGINT)) FROM vote_ballots")
                .fetch_one(&db)
                .await
                .unwrap();
        assert_eq!(writers, 1, "one transaction wrote every ballot");
        let card_writers: i64 =
            sqlx::query_scalar("SELECT COUNT(DISTINCT CAST(CAST(xmin AS TEXT) AS BIGINT)) FROM vote_cards")
                .fetch_one(&db)
                .await
                .unwrap();
        assert_eq!(card_writers, 1, "one transaction wrote every card");
    }
    let card_columns: Vec<String> = if postgres {
        sqlx::query_scalar("SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE table_name = 'vote_cards' ORDER BY column_name")
            .fetch_all(&db)
            .await
            .unwrap()
    } else {
        sqlx::query_scalar("SELECT name FROM pragma_table_info('vote_cards') ORDER BY name")
            .fetch_all(&db)
            .await
            .unwrap()
    };
    assert_eq!(
        card_columns,
        ["bloc_id", "code_hash", "receipt", "state", "year"],
        "a card holds no time and no ballot"
    );

    server.terminate();
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.contains("/api/vote/cast"), "the log has every request (it is the log being checked)");
    let mut secrets: Vec<String> = Vec::new();
    for code in &issued.codes {
        let bare = code.replace('-', "");
        secrets.push(thidua_server::accounts::token_hash(&bare));
        secrets.push(bare);
        secrets.push(code.clone());
    }
    secrets.extend(receipts);
    secrets.extend(stored.iter().map(|(id, _)| id.clone()));
    secrets.extend(stored.iter().map(|(_, ticks)| ticks.clone()));
    for secret in &secrets {
        assert!(!log.contains(secret.as_str()), "the log holds {secret}");
    }
}

/// Decree 98/2023's kind of rule: at least 4/5 of the body's total membership, absent members'
/// written opinions included; the close records the membership and the opinions, and adding
/// them afterwards keeps the count a count.
#[tokio::test]
async fn a_threshold_on_the_membership_counts_written_opinions() {
    let s = TestServer::start().await;
    let v = Vote2018::new(&s).await;
    let types: Vec<Value> = s.ok(&Who::anonymous(), Method::GET, "/api/years/2018/award-types", None).await;
    let mut provincial = types.iter().find(|t| t["id"] == json!(v.part(1))).unwrap().clone();
    provincial["threshold"] = json!({"numerator": 4, "denominator": 5, "strict": false, "base": "membership"});
    let id = provincial.as_object_mut().unwrap().remove("id").unwrap();
    let _: Value = s.ok(&v.staff, Method::PUT, &format!("/api/years/2018/award-types/{id}"), Some(&provincial)).await;

    let issued = v.open(&s, 6).await;
    for code in &issued.codes {
        cast(&s, code, pair(&v, 1, 2)).await;
    }
    let (a, b) = (v.unit(1, 1), v.unit(1, 2));
    let written = json!([
        {"unit_id": a, "award_type_id": v.part(1), "votes": 2},
        {"unit_id": b, "award_type_id": v.part(1), "votes": 1},
    ]);
    let e = s
        .refused(
            &v.staff,
            Method::POST,
            &v.path("/vote/close"),
            Some(&json!({"voters_present": 6, "membership": 5, "written": written})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert!(e.fields.contains_key("membership"), "fewer members than voters present: {:?}", e.fields);
    let _: VoteSession = s
        .ok(
            &v.staff,
            Method::POST,
            &v.path("/vote/close"),
            Some(&json!({"voters_present": 6, "membership": 10, "written": written})),
        )
        .await;

    let results: BlocResults = s.ok(&v.staff, Method::GET, &v.path("/results"), None).await;
    let tally = results.tally.clone().unwrap();
    assert_eq!(tally.membership, Some(10));
    assert_eq!(tally.valid.iter().find(|x| x.award_type_id == v.part(1)).map(|x| x.valid), Some(6));
    let candidate =
        |unit| results.candidates.iter().find(|c| c.unit_id == unit && c.award_type_id == v.part(1)).unwrap().clone();
    // 6 + 2 of 10 is 80 %: proposed. 6 + 1 of 10 is 70 %: not, and the rule says on what.
    assert!(candidate(a).proposed, "{:?}", candidate(a).broken);
    let broken = serde_json::to_value(&candidate(b).broken).unwrap().to_string();
    assert!(broken.contains(r#""votes":7"#) && broken.contains(r#""voters":10"#), "{broken}");

    // The written opinions corrected afterwards: still the count, with its votes.
    let mut update = serde_json::to_value(&tally).unwrap();
    update["written"][1]["votes"] = json!(2);
    let after: BlocResults = s
        .ok(&v.staff, Method::PUT, &v.path("/tally"), Some(&json!({"version": results.version, "tally": update})))
        .await;
    assert_eq!(after.tally_method, Some(TallyMethod::Counted));
    assert!(after.candidates.iter().filter(|c| c.award_type_id == v.part(1) && c.proposed).count() >= 1);
    // Changing a vote makes it typed in.
    let mut typed = serde_json::to_value(after.tally.as_ref().unwrap()).unwrap();
    typed["votes"][0]["votes"] = json!(5);
    let typed: BlocResults =
        s.ok(&v.staff, Method::PUT, &v.path("/tally"), Some(&json!({"version": after.version, "tally": typed}))).await;
    assert_eq!(typed.tally_method, Some(TallyMethod::Entered));
}
