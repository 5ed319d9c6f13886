//! The server binary as a process of its own: started on a free port, stopped with SIGTERM
//! or killed outright, and killed when dropped even if the test fails.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_thidua-server");

pub struct Running {
    child: Option<Child>,
    pub base: String,
    /// The lines of stdout after the first.
    lines: mpsc::Receiver<String>,
}

impl Running {
    pub fn start(dir: &Path, database: &str) -> Running {
        Running::start_with(dir, database, true)
    }

    /// In `dir` (so a default `data/` never lands in the crate), on a free port, waiting for
    /// the "listening" line.
    pub fn start_with(dir: &Path, database: &str, demo: bool) -> Running {
        Running::spawn(dir, database, demo, None)
    }

    /// With the demo data, logging everything (`RUST_LOG=debug`, every request included)
    /// into the file `log`.
    pub fn start_logged(dir: &Path, database: &str, log: &Path) -> Running {
        Running::spawn(dir, database, true, Some(log))
    }

    fn spawn(dir: &Path, database: &str, demo: bool, log: Option<&Path>) -> Running {
        let mut args = vec!["--addr", "127.0.0.1:0", "--database", database, "--static-dir", "no-dist"];
        if demo {
            args.push("--demo");
        }
        let mut command = Command::new(BIN);
        command.args(args).current_dir(dir).stdin(Stdio::null()).stdout(Stdio::piped());
        match log {
            Some(log) => command.env("RUST_LOG", "debug").stderr(std::fs::File::create(log).unwrap()),
            None => command.stderr(Stdio::piped()),
        };
        let mut child = command.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let line = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                let mut err = String::new();
                if let Some(mut stderr) = child.stderr.take() {
                    let _ = stderr.read_to_string(&mut err);
                }
                panic!("no listening line within 60 s; stderr: {err}");
            }
        };
        let url = line.trim_end().strip_prefix("thidua-server listening on ");
        let Some(url) = url.filter(|u| u.starts_with("http://127.0.0.1:") && u.ends_with('/')) else {
            let _ = child.kill();
            let mut err = String::new();
            if let Some(mut stderr) = child.stderr.take() {
                let _ = stderr.read_to_string(&mut err);
            }
            panic!("unexpected first line {line:?}; stderr: {err}");
        };
        assert!(!url.ends_with(":0/"), "the real port is printed");
        Running { base: url.trim_end_matches('/').to_owned(), child: Some(child), lines: rx }
    }

    /// The next line of stdout, if one comes within a second.
    pub fn next_line(&self) -> Option<String> {
        self.lines.recv_timeout(Duration::from_secs(1)).ok()
    }

    /// Sends SIGTERM and returns at once.
    pub fn signal_term(&self) {
        let id = self.child.as_ref().unwrap().id().to_string();
        assert!(Command::new("kill").args(["-TERM", &id]).status().unwrap().success());
    }

    /// The exit status, waiting up to 30 s.
    pub fn wait(mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().unwrap();
        for _ in 0..300 {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        panic!("still running 30 s after SIGTERM");
    }

    /// SIGTERM, then the exit status: a graceful stop is a success.
    pub fn terminate(self) -> std::process::ExitStatus {
        self.signal_term();
        self.wait()
    }

    /// SIGKILL: the process ends at once, mid-request, as in a crash.
    pub fn kill9(mut self) {
        let mut child = self.child.take().unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
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
