//! Two server processes on one database, over real HTTP: what a load balancer in front of
//! several instances relies on. Sessions, the sign-in throttle and versions are in the
//! database, so either instance answers alike; a crash of one loses no acknowledged write;
//! SIGTERM finishes the requests in flight; `/api/health` fails while the database is gone.
//! On PostgreSQL when `THIDUA_TEST_POSTGRES` is set (`scripts/test.sh` does), else on one
//! SQLite file shared by both processes.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::process::Running;
use common::{new_database, postgres_server, session_cookie, PASSWORD};
use reqwest::header::COOKIE;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use tempfile::TempDir;
use thidua_domain::error::ApiErrorBody;
use thidua_domain::sheet_edit::{SheetSummary, SheetView};

struct Pair {
    a: Running,
    b: Running,
    database: String,
    client: Client,
    _dir: TempDir,
}

/// Instance A loads the demo data; B starts on the same database and finds it there.
async fn pair() -> Pair {
    let dir = tempfile::tempdir().unwrap();
    let database = new_database(dir.path()).await;
    let a = Running::start(dir.path(), &database);
    let b = Running::start(dir.path(), &database);
    Pair { a, b, database, client: Client::new(), _dir: dir }
}

async fn login(client: &Client, base: &str, username: &str, password: &str) -> reqwest::Response {
    client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn cookie(client: &Client, base: &str, username: &str) -> String {
    let response = login(client, base, username, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK, "sign in as {username}");
    session_cookie(&response).unwrap()
}

async fn get(client: &Client, base: &str, cookie: &str, path: &str) -> reqwest::Response {
    client.get(format!("{base}{path}")).header(COOKIE, cookie).send().await.unwrap()
}

/// Sở Y tế's 2019 sheet, as its officer sees it.
async fn yte_sheet(client: &Client, base: &str, cookie: &str) -> SheetView {
    let list: Vec<SheetSummary> = get(client, base, cookie, "/api/sheets?year=2019").await.json().await.unwrap();
    let id = list.iter().find(|s| s.unit.name == "Sở Y tế").unwrap().id;
    get(client, base, cookie, &format!("/api/sheets/{id}")).await.json().await.unwrap()
}

/// A self-assessment of every criterion at 1 point, with `note` on each, from `base_version`.
fn self_input(view: &SheetView, base_version: i64, note: &str) -> Value {
    let scores: Vec<Value> = view
        .criteria
        .leaves()
        .map(|c| json!({"criterion_id": c.id, "self_score": 1.0, "note": note, "evidence": []}))
        .collect();
    json!({"base_version": base_version, "scores": scores, "bonuses": [], "deductions": []})
}

async fn put_self(
    client: &Client,
    base: &str,
    cookie: &str,
    id: i64,
    body: &Value,
) -> reqwest::Result<reqwest::Response> {
    client.put(format!("{base}/api/sheets/{id}/self")).header(COOKIE, cookie).json(body).send().await
}

#[tokio::test]
async fn a_session_opened_on_one_instance_works_on_the_other() {
    let p = pair().await;
    let cookie = cookie(&p.client, &p.a.base, "yte").await;
    let me: Value = get(&p.client, &p.b.base, &cookie, "/api/auth/me").await.json().await.unwrap();
    assert_eq!(me["username"], "yte");
    // Signing out on B ends the session on A too.
    let out = p.client.post(format!("{}/api/auth/logout", p.b.base)).header(COOKIE, &cookie).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(get(&p.client, &p.a.base, &cookie, "/api/auth/me").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_same_sheet_written_through_both_at_once_one_wins_the_other_is_stale() {
    let p = pair().await;
    let (on_a, on_b) = (cookie(&p.client, &p.a.base, "yte").await, cookie(&p.client, &p.b.base, "yte").await);
    let start = yte_sheet(&p.client, &p.a.base, &on_a).await;
    let rounds = 8;
    let mut version = start.version;
    for round in 0..rounds {
        let (from_a, from_b) =
            (self_input(&start, version, &format!("A {round}")), self_input(&start, version, &format!("B {round}")));
        let (ra, rb) = tokio::join!(
            put_self(&p.client, &p.a.base, &on_a, start.id, &from_a),
            put_self(&p.client, &p.b.base, &on_b, start.id, &from_b)
        );
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        let mut statuses = [ra.status(), rb.status()];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "round {round}");
        let (winner, loser, note) =
            if ra.status() == StatusCode::OK { (ra, rb, format!("A {round}")) } else { (rb, ra, format!("B {round}")) };
        let loser: ApiErrorBody = loser.json().await.unwrap();
        assert_eq!(loser.code, "stale_version", "round {round}");
        let won: SheetView = winner.json().await.unwrap();
        assert_eq!(won.version, version + 1, "round {round}");
        // The winner's write is what both instances now read.
        let read = yte_sheet(&p.client, &p.b.base, &on_b).await;
        assert_eq!((read.version, read.sheet.scores[0].note.as_str()), (version + 1, note.as_str()), "round {round}");
        version = won.version;
    }
    assert_eq!(version, start.version + rounds);
}

#[tokio::test]
async fn the_sign_in_throttle_counts_failures_on_both_instances() {
    let p = pair().await;
    // Five failures, alternating between the instances, lock the username on both.
    for i in 0..5 {
        let base = if i % 2 == 0 { &p.a.base } else { &p.b.base };
        let response = login(&p.client, base, "gddt", "not the password").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "failure {i}");
    }
    for base in [&p.a.base, &p.b.base] {
        let response = login(&p.client, base, "gddt", PASSWORD).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "{base}");
    }
    // Another username is not locked.
    assert_eq!(login(&p.client, &p.b.base, "yte", PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn killing_an_instance_during_writes_loses_no_acknowledged_write() {
    let p = pair().await;
    let on_a = cookie(&p.client, &p.a.base, "yte").await;
    let start = yte_sheet(&p.client, &p.a.base, &on_a).await;
    let acknowledged = Arc::new(AtomicUsize::new(0));
    // One write after another through A, each from the version the last one answered.
    let writer = {
        let (client, base, acknowledged, start) =
            (p.client.clone(), p.a.base.clone(), acknowledged.clone(), start.clone());
        tokio::spawn(async move {
            let mut last: Option<(i64, String)> = None;
            let mut version = start.version;
            for i in 0.. {
                let note = format!("write {i}");
                let Ok(response) = put_self(&client, &base, &on_a, start.id, &self_input(&start, version, &note)).await
                else {
                    break;
                };
                if response.status() != StatusCode::OK {
                    break;
                }
                let Ok(view) = response.json::<SheetView>().await else { break };
                version = view.version;
                last = Some((version, note));
                acknowledged.fetch_add(1, Ordering::SeqCst);
            }
            last
        })
    };
    for _ in 0..600 {
        if acknowledged.load(Ordering::SeqCst) >= 10 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    p.a.kill9();
    let (last_version, last_note) = writer.await.unwrap().expect("some writes were acknowledged before the kill");

    let on_b = cookie(&p.client, &p.b.base, "yte").await;
    let read = yte_sheet(&p.client, &p.b.base, &on_b).await;
    // The last acknowledged write is there; at most one more, whose answer the kill cut off.
    assert!(read.version == last_version || read.version == last_version + 1, "{} after {last_version}", read.version);
    if read.version == last_version {
        assert_eq!(read.sheet.scores[0].note, last_note);
    }
    // Every acknowledged write left its audit rows.
    let first_note = format!("scores.{}.note", start.criteria.leaves().next().unwrap().id);
    let writes = read.audit.iter().filter(|e| e.field.as_deref() == Some(first_note.as_str())).count();
    assert!(writes >= usize::try_from(last_version - start.version).unwrap(), "{writes} audited writes");
}

#[tokio::test]
async fn sigterm_stops_accepting_and_finishes_the_request_in_flight() {
    let p = pair().await;
    let cookie = cookie(&p.client, &p.a.base, "yte").await;
    let view = yte_sheet(&p.client, &p.a.base, &cookie).await;
    // Hold the write lock from outside, so A's write waits in flight.
    let db = thidua_server::db::connect(&p.database).await.unwrap();
    let lock = thidua_server::db::begin_write(&db).await.unwrap();
    let in_flight = {
        let (client, base, body) = (p.client.clone(), p.a.base.clone(), self_input(&view, view.version, "in flight"));
        tokio::spawn(async move { put_self(&client, &base, &cookie, view.id, &body).await.map(|r| r.status()) })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    p.a.signal_term();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let addr = p.a.base.trim_start_matches("http://").to_owned();
    assert!(tokio::net::TcpStream::connect(&addr).await.is_err(), "no new connection once SIGTERM arrived");
    assert!(!in_flight.is_finished(), "the write waits for the lock");
    lock.rollback().await.unwrap();
    assert_eq!(in_flight.await.unwrap().unwrap(), StatusCode::OK, "the request in flight is answered");
    assert!(p.a.wait().success(), "then A exits cleanly");
    // B still answers, and has the write.
    let on_b = self::cookie(&p.client, &p.b.base, "yte").await;
    assert_eq!(yte_sheet(&p.client, &p.b.base, &on_b).await.sheet.scores[0].note, "in flight");
    db.close().await;
}

/// PostgreSQL only: SQLite is a file beside the server, never out of reach on its own.
#[tokio::test]
async fn health_fails_while_the_database_is_unreachable_and_recovers() {
    let Some(server) = postgres_server() else {
        eprintln!("on SQLite: nothing to test (THIDUA_TEST_POSTGRES is not set)");
        return;
    };
    let p = pair().await;
    let health = |base: String| {
        let client = p.client.clone();
        async move { client.get(format!("{base}/api/health")).send().await.unwrap() }
    };
    assert_eq!(health(p.a.base.clone()).await.status(), StatusCode::OK);
    let name = p.database.rsplit('/').next().unwrap().to_owned();
    let mut admin =
        <sqlx::PgConnection as sqlx::Connection>::connect(&format!("{}/postgres", server.trim_end_matches('/')))
            .await
            .unwrap();
    // What a database outage looks like from the server: its connections die, new ones fail.
    for sql in [
        format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"),
        format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"),
    ] {
        sqlx::Executor::execute(&mut admin, sql.as_str()).await.unwrap();
    }
    for base in [&p.a.base, &p.b.base] {
        let response = health(base.clone()).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{base}");
        let body: ApiErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, "unavailable");
    }
    // A public read answers 503 too, not 500: nothing is wrong with the request.
    let blocs = p.client.get(format!("{}/api/years", p.b.base)).send().await.unwrap();
    assert_eq!(blocs.status(), StatusCode::SERVICE_UNAVAILABLE);
    sqlx::Executor::execute(&mut admin, format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true").as_str())
        .await
        .unwrap();
    assert_eq!(health(p.a.base.clone()).await.status(), StatusCode::OK, "back once the database is");
    sqlx::Connection::close(admin).await.unwrap();
}
