//! The binary as scripts and people meet it: exit codes, one-line errors, the "listening"
//! line, a restart on the same database, and `create-user`.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::process::{Running, BIN};

/// Runs the binary to completion in `dir` (so a default `data/` never lands in the crate).
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(dir).stdin(Stdio::null()).output().unwrap()
}

/// Runs the binary with `input` on its standard input.
fn run_with_input(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // The command may refuse before reading: a closed pipe is not the test's failure.
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    child.wait_with_output().unwrap()
}

fn stdout_lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stdout).lines().map(str::to_owned).collect()
}

fn stderr_lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr).lines().map(str::to_owned).collect()
}

#[test]
fn help_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for flag in ["--addr", "--database", "--static-dir", "--demo"] {
        assert!(help.contains(flag), "--help mentions {flag}");
    }
}

#[test]
fn unknown_flag_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["--bogus"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr_lines(&output), ["error: unexpected argument '--bogus' found"]);
    assert!(output.stdout.is_empty());
}

#[test]
fn unusable_databases_are_one_line_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let a_directory = format!("sqlite://{}", dir.path().display());
    for (database, expected) in [
        ("sqlite:///nonexistent-dir/x.db", "cannot open the database"),
        (a_directory.as_str(), "cannot open the database"),
        // Nothing listens on port 1: refused, retried for the pool's acquire timeout, then one line.
        ("postgres://nobody@127.0.0.1:1/thidua", "cannot open the database"),
        ("mysql://localhost/thidua", "unsupported database URL"),
    ] {
        let output = run(dir.path(), &["--database", database, "--addr", "127.0.0.1:0"]);
        assert_eq!(output.status.code(), Some(1), "{database}");
        let lines = stderr_lines(&output);
        assert_eq!(lines.len(), 1, "{database}: {lines:?}");
        assert!(lines[0].starts_with("error: ") && lines[0].contains(expected), "{database}: {lines:?}");
        assert!(!lines[0].contains("panicked"));
    }
}

#[test]
fn a_port_in_use_is_one_line_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let database = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
    let output = run(dir.path(), &["--addr", &addr, "--database", &database]);
    assert_eq!(output.status.code(), Some(1));
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with(&format!("error: cannot listen on {addr}")), "{lines:?}");
}

#[tokio::test]
async fn starts_answers_stops_and_restarts_without_duplicating_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("thidua.sqlite3").display());
    let client = reqwest::Client::new();

    for round in 0..2 {
        let server = Running::start(dir.path(), &database);
        let health: serde_json::Value =
            client.get(format!("{}/api/health", server.base)).send().await.unwrap().json().await.unwrap();
        assert_eq!(health, serde_json::json!({"status": "ok"}));
        let blocs: Vec<serde_json::Value> =
            client.get(format!("{}/api/years/2018/blocs", server.base)).send().await.unwrap().json().await.unwrap();
        assert_eq!(blocs.len(), 1, "round {round}: one bloc, not a second copy");
        assert_eq!(blocs[0]["member_count"], 7, "round {round}");
        assert!(server.terminate().success(), "round {round}: SIGTERM is a clean stop");
    }
}

#[tokio::test]
async fn demo_accounts_are_listed_after_the_listening_line() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("thidua.sqlite3").display());
    let server = Running::start(dir.path(), &database);
    let block: Vec<String> = std::iter::from_fn(|| server.next_line()).take(5).collect();
    assert_eq!(block.len(), 5, "{block:?}");
    assert!(block[0].starts_with("demo accounts") && block[0].contains("\"thidua-demo\""), "{block:?}");
    for (line, (user, role)) in block[1..].iter().zip([
        ("staff", "staff"),
        ("yte", "unit_officer"),
        ("gddt", "unit_officer"),
        ("ldtbxh", "leader_officer"),
    ]) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words[..2], [user, role], "{line}");
    }
    // And they sign in.
    let response = reqwest::Client::new()
        .post(format!("{}/api/auth/login", server.base))
        .json(&serde_json::json!({"username": "ldtbxh", "password": "thidua-demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
}

const CREATE: [&str; 1] = ["create-user"];

/// `create-user` with `args` against the database in `dir`.
fn create_user(dir: &Path, database: &str, args: &[&str], password: &str) -> Output {
    let all: Vec<&str> = CREATE.iter().copied().chain(args.iter().copied()).chain(["--database", database]).collect();
    run_with_input(dir, &all, password)
}

#[tokio::test]
async fn create_user_makes_the_first_staff_account_of_a_fresh_install() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("fresh.sqlite3").display());
    let args = ["--username", "bantdkt", "--display-name", "Ban Thi đua – Khen thưởng tỉnh", "--role", "staff"];
    let output = create_user(dir.path(), &database, &args, "một mật khẩu dài\n");
    assert!(output.status.success(), "{:?}", stderr_lines(&output));
    let lines = stdout_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("created user bantdkt") && lines[0].contains("staff"), "{lines:?}");
    assert!(output.stderr.is_empty(), "{:?}", stderr_lines(&output));

    // No demo: the account is the only one, and it signs in.
    let server = Running::start_with(dir.path(), &database, false);
    assert_eq!(server.next_line(), None, "no demo accounts are listed");
    let client = reqwest::Client::new();
    let login = |username: &str, password: &str| {
        client
            .post(format!("{}/api/auth/login", server.base))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
    };
    let me: serde_json::Value = login("bantdkt", "một mật khẩu dài").await.unwrap().json().await.unwrap();
    assert_eq!((me["role"].as_str(), me["unit_id"].is_null()), (Some("staff"), true));
    assert_eq!(login("staff", "thidua-demo").await.unwrap().status(), reqwest::StatusCode::UNAUTHORIZED);
}

#[test]
fn create_user_refusals_are_one_line_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("units.sqlite3").display());
    // A database with one account (its name is then taken) and no units.
    let staff = ["--username", "bantdkt", "--display-name", "Ban TĐKT", "--role", "staff"];
    assert!(create_user(dir.path(), &database, &staff, "một mật khẩu dài\n").status.success());
    let password = "một mật khẩu dài\n";
    for (args, input, expected) in [
        (&["--username", "Bad Name", "--display-name", "X", "--role", "staff"][..], password, "invalid username"),
        (&["--username", "a", "--display-name", "  ", "--role", "staff"], password, "display name is empty"),
        (&["--username", "a", "--display-name", "A", "--role", "staff"], "short\n", "10 to 256 characters"),
        (&["--username", "a", "--display-name", "A", "--role", "staff"], "", "no password"),
        (&["--username", "a", "--display-name", "A", "--role", "unit_officer"], password, "needs --unit-id"),
        (&["--username", "a", "--display-name", "A", "--role", "leader_officer"], password, "needs --unit-id"),
        (
            &["--username", "a", "--display-name", "A", "--role", "staff", "--unit-id", "1"],
            password,
            "leave out --unit-id",
        ),
        (
            &["--username", "a", "--display-name", "A", "--role", "unit_officer", "--unit-id", "999"],
            password,
            "no unit with id 999",
        ),
        (&staff, password, "is taken"),
    ] {
        let output = create_user(dir.path(), &database, args, input);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let lines = stderr_lines(&output);
        assert_eq!(lines.len(), 1, "{args:?}: {lines:?}");
        assert!(lines[0].starts_with("error: ") && lines[0].contains(expected), "{args:?}: {lines:?}");
        assert!(!lines[0].contains("panicked"));
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    // A role clap does not know is a usage error (exit 2), still one line.
    let output =
        create_user(dir.path(), &database, &["--username", "a", "--display-name", "A", "--role", "admin"], password);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr_lines(&output).len(), 1, "{:?}", stderr_lines(&output));
}
