//! The binary as scripts and people meet it: exit codes, one-line errors, the "listening"
//! line, and a restart on the same database.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_thidua-server");

/// Runs the binary to completion in `dir` (so a default `data/` never lands in the crate).
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(dir).stdin(Stdio::null()).output().unwrap()
}

fn stderr_lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr).lines().map(str::to_owned).collect()
}

/// A started server process, stopped when dropped even if the test fails.
struct Running {
    child: Option<Child>,
    base: String,
}

impl Running {
    fn start(dir: &Path, database: &str) -> Running {
        let mut child = Command::new(BIN)
            .args(["--demo", "--addr", "127.0.0.1:0", "--database", database, "--static-dir", "no-dist"])
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                panic!("no listening line within 60 s");
            }
        };
        let url = line.trim_end().strip_prefix("thidua-server listening on ");
        let Some(url) = url.filter(|u| u.starts_with("http://127.0.0.1:") && u.ends_with('/')) else {
            let _ = child.kill();
            let mut err = String::new();
            let _ = child.stderr.take().unwrap().read_to_string(&mut err);
            panic!("unexpected first line {line:?}; stderr: {err}");
        };
        assert!(!url.ends_with(":0/"), "the real port is printed");
        Running { base: url.trim_end_matches('/').to_owned(), child: Some(child) }
    }

    /// SIGTERM, then the exit status: a graceful stop is a success.
    fn terminate(mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().unwrap();
        assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
        for _ in 0..300 {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        panic!("still running 30 s after SIGTERM");
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
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
        ("postgres://localhost/thidua", "PostgreSQL support is not built in yet"),
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
