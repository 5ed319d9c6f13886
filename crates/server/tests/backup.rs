//! `thidua-server backup` and `restore`: a backup taken while four writers go on for 20 s is
//! one consistent snapshot (every write acknowledged before it began is in it, and no write is
//! in it by half), it restores into the other engine with the published revisions byte for
//! byte, a server starts on the restored database and serves the same public pages, and a
//! restore into a database that holds data is refused. On SQLite alone the restore goes into
//! SQLite; with `THIDUA_TEST_POSTGRES` both ways across engines.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::process::BIN;
use common::{new_database, postgres_server, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const WRITERS: usize = 4;
const LOAD: Duration = Duration::from_secs(20);

/// The public build's shell, reduced to what the server cuts, so that pages are rendered.
const SHELL: &str = "<!doctype html>\n<html lang=\"vi\">\n  <head>\n    <meta charset=\"utf-8\" />\n    <meta name=\"thidua-api-base\" content=\"\" />\n    <title>Thi đua – Khen thưởng</title>\n    <script type=\"module\">import init from '/thidua-0123456789abcdef.js';\nawait init();\n</script>\n  </head>\n  <body>\n  </body>\n</html>\n";

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(dir).stdin(Stdio::null()).output().unwrap()
}

fn said(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// A server with the demo on `database`, rendering pages from the shell in `dir`.
/// A PDF-looking file over two chunks.
fn evidence() -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend((0..1_200_000u32).map(|i| (i % 251) as u8));
    bytes
}

async fn server_on(dir: &Path, database: &str) -> TestServer {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), SHELL).unwrap();
    let database = database.to_owned();
    TestServer::start_with(move |c| {
        c.database = database;
        c.static_dir = dist;
    })
    .await
}

/// What the public sees, byte for byte: the lists, the published results and their
/// revision, and the rendered results page.
async fn public_view(s: &TestServer) -> Vec<(String, StatusCode, Vec<u8>)> {
    let mut out = Vec::new();
    for path in [
        "/api/years",
        "/api/years/2018/blocs",
        "/api/years/2018/blocs/1/results",
        "/api/years/2018/blocs/1/revisions",
        "/api/units/1/history",
        "/2018/blocs/1/results",
    ] {
        let response = s.client.get(format!("{}{path}", s.base)).send().await.unwrap();
        out.push((path.to_owned(), response.status(), response.bytes().await.unwrap().to_vec()));
    }
    out
}

/// Four writers add units for `LOAD`; a backup is taken a few seconds in. Returns the backup
/// file, the names acknowledged before the backup began, and every name ever sent.
async fn backup_under_load(dir: &Path, s: &TestServer) -> (std::path::PathBuf, BTreeSet<String>, BTreeSet<String>) {
    let staff = s.login("staff").await;
    // An evidence file of several chunks: the backup carries its bytes.
    let yte = s.login("yte").await;
    let sheet = s.sheet_of(&staff, 2019, "Sở Y tế").await;
    let criterion = s.view(&yte, sheet).await.criteria.leaves().next().unwrap().id;
    s.upload_file(&yte, sheet, &format!("criterion:{criterion}"), "Báo cáo thành tích.pdf", &evidence()).await;
    let acknowledged: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let sent: Arc<Mutex<BTreeSet<String>>> = Arc::default();
    let started = Instant::now();
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let (client, base, cookie) = (s.client.clone(), s.base.clone(), staff.cookie.clone().unwrap());
        let (acknowledged, sent) = (acknowledged.clone(), sent.clone());
        writers.push(tokio::spawn(async move {
            let mut i = 0;
            while started.elapsed() < LOAD {
                let name = format!("Đơn vị thử tải {w}-{i}");
                sent.lock().unwrap().insert(name.clone());
                let response = client
                    .post(format!("{base}/api/admin/units"))
                    .header("Cookie", &cookie)
                    .json(&json!({"name": name, "from_year": 2019}))
                    .send()
                    .await
                    .unwrap();
                let status = response.status();
                assert_eq!(status, StatusCode::CREATED, "{name}: {}", response.text().await.unwrap());
                acknowledged.lock().unwrap().push((name, Instant::now()));
                i += 1;
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    let file = dir.join("thidua-backup.sqlite3");
    let began = Instant::now();
    let (dir_owned, file_owned, database) = (dir.to_owned(), file.clone(), s.database.clone());
    let out = tokio::task::spawn_blocking(move || {
        run(&dir_owned, &["backup", "--database", &database, "--to", &file_owned.display().to_string()])
    })
    .await
    .unwrap();
    assert!(out.status.success(), "backup: {}", said(&out));
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(report.contains("units: ") && report.contains("backup written to"), "{report}");
    for writer in writers {
        writer.await.unwrap();
    }
    let before: BTreeSet<String> =
        acknowledged.lock().unwrap().iter().filter(|(_, at)| *at < began).map(|(n, _)| n.clone()).collect();
    let all = sent.lock().unwrap().clone();
    assert!(before.len() > 20, "the writers were writing: {}", before.len());
    assert!(all.len() > before.len(), "and went on after the backup began");
    (file, before, all)
}

/// Restores `file` into `target`, checks the snapshot, a server on it and the refusal of a
/// second restore. `source` is the server the backup was taken from.
async fn restore_and_check(
    dir: &Path,
    source: &TestServer,
    file: &Path,
    target: &str,
    before: &BTreeSet<String>,
    all: &BTreeSet<String>,
) {
    let file = file.display().to_string();
    let out = run(dir, &["restore", "--from", &file, "--to", target]);
    assert!(out.status.success(), "restore: {}", said(&out));
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(report.contains("published revisions byte for byte"), "{report}");
    assert!(report.contains("1 evidence files whose bytes hash to their SHA-256"), "{report}");

    let restored = server_on(&dir.join("restored"), target).await;
    let staff = restored.login("staff").await;
    let sheet = restored.sheet_of(&staff, 2019, "Sở Y tế").await;
    let files: Vec<Value> = restored.ok(&staff, Method::GET, &format!("/api/sheets/{sheet}/files"), None).await;
    assert_eq!(files.len(), 1, "{files:?}");
    let path = format!("/api/files/{}", files[0]["id"]);
    let bytes = restored.request(&staff, Method::GET, &path).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), evidence().as_slice(), "the evidence file restored byte for byte");
    let units: Vec<Value> = restored.ok(&staff, Method::GET, "/api/admin/units", None).await;
    let names: BTreeSet<String> = units.iter().map(|u| u["name"].as_str().unwrap().to_owned()).collect();
    let test_names: BTreeSet<String> = names.iter().filter(|n| n.starts_with("Đơn vị thử tải")).cloned().collect();
    for name in before {
        assert!(test_names.contains(name), "{name} was acknowledged before the backup began, and is missing");
    }
    assert!(test_names.is_subset(all), "only what was written");
    // One snapshot: every unit in it has its audit entry, and no entry is without its unit.
    let mut created = 0;
    for page in 1.. {
        let path = format!("/api/audit?source=admin&per_page=200&page={page}");
        let entries: Value = restored.ok(&staff, Method::GET, &path, None).await;
        let list = entries["entries"].as_array().unwrap();
        if list.is_empty() {
            break;
        }
        let ours = |e: &&Value| e["new"]["name"].as_str().is_some_and(|n| n.starts_with("Đơn vị thử tải"));
        created += list.iter().filter(|e| e["action"] == "create_unit").filter(ours).count();
    }
    assert_eq!(created, test_names.len(), "a unit and its audit entry travel together");

    // The public pages, as the source served them (the writers only added units outside the bloc).
    let (theirs, ours) = (public_view(source).await, public_view(&restored).await);
    for ((path, status, body), (_, restored_status, restored_body)) in theirs.iter().zip(&ours) {
        assert_eq!(status, restored_status, "{path}");
        if body != restored_body {
            let at =
                body.iter().zip(restored_body).position(|(a, b)| a != b).unwrap_or(body.len().min(restored_body.len()));
            let near =
                |b: &[u8]| String::from_utf8_lossy(&b[at.saturating_sub(80)..(at + 80).min(b.len())]).into_owned();
            panic!("{path} differs at byte {at}: source …{}… restored …{}…", near(body), near(restored_body));
        }
    }

    // Into a database that holds data: refused, and it says why.
    let again = run(dir, &["restore", "--from", &file, "--to", target]);
    assert!(!again.status.success());
    assert!(said(&again).contains("already holds data"), "{}", said(&again));
    // A backup never overwrites a file.
    let over = run(dir, &["backup", "--database", target, "--to", &file]);
    assert!(!over.status.success() && said(&over).contains("already exists"), "{}", said(&over));
}

#[tokio::test]
async fn a_backup_under_load_restores_into_the_other_engine() {
    let dir = tempfile::tempdir().unwrap();
    match postgres_server() {
        None => {
            // SQLite alone: SQLite to SQLite.
            let source =
                server_on(dir.path(), &format!("sqlite://{}", dir.path().join("source.sqlite3").display())).await;
            let (file, before, all) = backup_under_load(dir.path(), &source).await;
            let target = format!("sqlite://{}", dir.path().join("restored.sqlite3").display());
            restore_and_check(dir.path(), &source, &file, &target, &before, &all).await;
        }
        Some(_) => {
            // Both ways at once: PostgreSQL to SQLite, and SQLite to PostgreSQL.
            let (a, b) = (dir.path().join("from-postgres"), dir.path().join("from-sqlite"));
            std::fs::create_dir_all(&a).unwrap();
            std::fs::create_dir_all(&b).unwrap();
            let from_postgres = async {
                let source = server_on(&a, &new_database(&a).await).await;
                let (file, before, all) = backup_under_load(&a, &source).await;
                let target = format!("sqlite://{}", a.join("restored.sqlite3").display());
                restore_and_check(&a, &source, &file, &target, &before, &all).await;
            };
            let from_sqlite = async {
                let source = server_on(&b, &format!("sqlite://{}", b.join("source.sqlite3").display())).await;
                let (file, before, all) = backup_under_load(&b, &source).await;
                let target = new_database(&b.join("pg")).await;
                restore_and_check(&b, &source, &file, &target, &before, &all).await;
            };
            tokio::join!(from_postgres, from_sqlite);
        }
    }
}

#[tokio::test]
async fn restore_refuses_what_is_not_a_backup_and_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
    let missing = run(dir.path(), &["restore", "--from", "nothing-here.sqlite3", "--to", &target]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(said(&missing).contains("does not exist"), "{}", said(&missing));
    std::fs::write(dir.path().join("notes.txt"), "not a database at all, just some words").unwrap();
    let onto_itself = format!("sqlite://{}", dir.path().join("notes.txt").display());
    let same = run(dir.path(), &["restore", "--from", "notes.txt", "--to", &onto_itself]);
    assert_eq!(same.status.code(), Some(1));
    assert!(said(&same).contains("the backup file itself"), "{}", said(&same));
    assert_eq!(std::fs::read(dir.path().join("notes.txt")).unwrap(), b"not a database at all, just some words");
    let garbage = run(dir.path(), &["restore", "--from", "notes.txt", "--to", &target]);
    assert_eq!(garbage.status.code(), Some(1));
    assert!(said(&garbage).contains("is not a thidua backup"), "{}", said(&garbage));
    // A mistyped database is not created (and then "backed up" empty).
    let typo = format!("sqlite://{}", dir.path().join("no-such-database.sqlite3").display());
    let out = dir.path().join("typo-backup.sqlite3").display().to_string();
    let backup = run(dir.path(), &["backup", "--database", &typo, "--to", &out]);
    assert_eq!(backup.status.code(), Some(1), "{}", said(&backup));
    assert!(!dir.path().join("no-such-database.sqlite3").exists(), "the source was created");
    assert!(
        !dir.path().join("typo-backup.sqlite3").exists() && !dir.path().join("typo-backup.sqlite3.partial").exists()
    );
    // One line of output, as every command.
    assert_eq!(String::from_utf8_lossy(&garbage.stderr).trim().lines().count(), 1, "{}", said(&garbage));
}
