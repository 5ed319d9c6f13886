//! `thidua-server copy-database`: the demo database, scored a little, copied from SQLite into
//! a new PostgreSQL database; then a server on each answers byte for byte alike — results,
//! CSV, history, sheets with their audit trail, administration — and the copy's ids go on
//! where the source's stopped. Needs PostgreSQL (`THIDUA_TEST_POSTGRES`).

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::process::{Running, BIN};
use common::{new_database, postgres_server, session_cookie, PASSWORD};
use reqwest::header::COOKIE;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use thidua_domain::sheet_edit::SheetSummary;

fn copy(dir: &Path, from: &str, to: &str) -> Output {
    Command::new(BIN)
        .args(["copy-database", "--from", from, "--to", to])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

async fn body(client: &Client, base: &str, cookie: &str, path: &str) -> (StatusCode, Vec<u8>) {
    let response = client.get(format!("{base}{path}")).header(COOKIE, cookie).send().await.unwrap();
    (response.status(), response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn a_copy_on_postgresql_answers_byte_for_byte_as_the_sqlite_original() {
    if postgres_server().is_none() {
        eprintln!("on SQLite only: copy-database needs a PostgreSQL target (THIDUA_TEST_POSTGRES)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("source.sqlite3").display());
    let client = Client::new();

    // The demo, with a staff session and a 2019 sheet written and submitted (audit rows).
    let cookie = {
        let source = Running::start(dir.path(), &sqlite);
        let login = client
            .post(format!("{}/api/auth/login", source.base))
            .json(&json!({"username": "yte", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        let officer = session_cookie(&login).unwrap();
        let list: Vec<SheetSummary> = client
            .get(format!("{}/api/sheets?year=2019", source.base))
            .header(COOKIE, &officer)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let sheet = list.iter().find(|s| s.unit.name == "Sở Y tế").unwrap().id;
        let view: Value = client
            .get(format!("{}/api/sheets/{sheet}", source.base))
            .header(COOKIE, &officer)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let leaves: Vec<Value> = view["criteria"]["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["parent_id"].is_number())
            .map(|c| json!({"criterion_id": c["id"], "self_score": 1.5, "note": "bản sao", "evidence": []}))
            .collect();
        let put = client
            .put(format!("{}/api/sheets/{sheet}/self", source.base))
            .header(COOKIE, &officer)
            .json(&json!({"base_version": view["version"], "scores": leaves, "bonuses": [], "deductions": []}))
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), StatusCode::OK);
        assert!(source.terminate().success());
        officer
    };

    let postgres = new_database(dir.path()).await;
    let output = copy(dir.path(), &sqlite, &postgres);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout} {}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.lines().any(|l| l == "units: 7 rows"), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("audit_log: ") && l != "audit_log: 0 rows"), "{stdout}");

    // A second copy into the same database is refused, and changes nothing.
    let again = copy(dir.path(), &sqlite, &postgres);
    assert_eq!(again.status.code(), Some(1));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.starts_with("error: the target is not empty"), "{err}");
    // Only into PostgreSQL.
    let to_sqlite = copy(dir.path(), &sqlite, &format!("sqlite://{}", dir.path().join("x.sqlite3").display()));
    assert_eq!(to_sqlite.status.code(), Some(1));

    let (s, p) = (Running::start_with(dir.path(), &sqlite, false), Running::start_with(dir.path(), &postgres, false));
    // The session made on SQLite before the copy signs in on PostgreSQL too.
    let me = body(&client, &p.base, &cookie, "/api/auth/me").await;
    assert_eq!(me.0, StatusCode::OK);
    // Staff sign in on each (a session made now is in one database only).
    let mut staff = Vec::new();
    for base in [&s.base, &p.base] {
        let login = client
            .post(format!("{base}/api/auth/login"))
            .json(&json!({"username": "staff", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        staff.push(session_cookie(&login).unwrap());
    }
    let blocs: Vec<Value> =
        serde_json::from_slice(&body(&client, &s.base, "", "/api/years/2018/blocs").await.1).unwrap();
    let bloc = blocs[0]["id"].as_i64().unwrap();
    let members: Value =
        serde_json::from_slice(&body(&client, &s.base, "", &format!("/api/years/2018/blocs/{bloc}")).await.1).unwrap();
    let mut paths = vec![
        "/api/years".to_owned(),
        "/api/years/2018/blocs".to_owned(),
        "/api/years/2019/blocs".to_owned(),
        format!("/api/years/2018/blocs/{bloc}"),
        format!("/api/years/2018/blocs/{bloc}/results"),
        format!("/api/years/2018/blocs/{bloc}/results.csv?lang=vi"),
        format!("/api/years/2018/blocs/{bloc}/results.csv?lang=en"),
        format!("/api/years/2019/blocs/{bloc}/results"),
        "/api/years/2018/award-types".to_owned(),
        "/api/sheets?year=2019".to_owned(),
        "/api/admin/years".to_owned(),
        "/api/admin/units".to_owned(),
        "/api/admin/users".to_owned(),
        format!("/api/admin/years/2019/blocs/{bloc}"),
    ];
    for unit in members["members"].as_array().unwrap() {
        paths.push(format!("/api/units/{}/history", unit["id"]));
    }
    let sheets: Vec<SheetSummary> =
        serde_json::from_slice(&body(&client, &s.base, &staff[0], "/api/sheets").await.1).unwrap();
    paths.extend(sheets.iter().map(|sheet| format!("/api/sheets/{}", sheet.id)));
    for path in &paths {
        let (from_sqlite, from_postgres) =
            (body(&client, &s.base, &staff[0], path).await, body(&client, &p.base, &staff[1], path).await);
        assert_eq!(from_sqlite.0, StatusCode::OK, "{path}");
        assert!(
            from_sqlite == from_postgres,
            "{path}:\n{}\n{}",
            String::from_utf8_lossy(&from_sqlite.1),
            String::from_utf8_lossy(&from_postgres.1)
        );
    }

    // The copy's sequences go on past the copied ids: a new unit gets the same id on both.
    let mut ids = Vec::new();
    for (base, staff) in [&s.base, &p.base].into_iter().zip(&staff) {
        let created = client
            .post(format!("{base}/api/admin/units"))
            .header(COOKIE, staff)
            .json(&json!({"name": "Sở Nội vụ", "from_year": 2019}))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), StatusCode::CREATED, "{base}");
        let unit: Value = created.json().await.unwrap();
        ids.push(unit["id"].as_i64().unwrap());
    }
    assert_eq!(ids[0], ids[1]);
    assert_eq!(ids[0], 8, "after the demo's 7 units");
}
