//! Real parts for the end-to-end tests and the page-weight benchmark: the real
//! `thidua-server` binary on a free port with a temporary SQLite file, Debian's
//! chromedriver, and headless Chromium driven by fantoccini.
#![allow(dead_code)] // each user of the harness takes a different part of it

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use tempfile::TempDir;

pub const WAIT: Duration = Duration::from_secs(20);

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The server binary: `THIDUA_SERVER_BIN`, else the debug build (`cargo build -p thidua-server`).
pub fn server_bin() -> PathBuf {
    let bin = std::env::var_os("THIDUA_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/debug/thidua-server"));
    assert!(bin.exists(), "{} is missing: run `cargo build -p thidua-server` (scripts/test.sh does)", bin.display());
    bin
}

/// The built SPA: `THIDUA_DIST`, else `dist` (`trunk build --release`).
pub fn dist_dir() -> PathBuf {
    let dist = std::env::var_os("THIDUA_DIST").map(PathBuf::from).unwrap_or_else(|| repo_root().join("dist"));
    assert!(dist.join("index.html").exists(), "{} has no index.html: run `trunk build --release`", dist.display());
    dist
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind a free port").local_addr().expect("local addr").port()
}

/// A running `thidua-server` with its own database file; killed on drop.
pub struct Server {
    child: Child,
    pub port: u16,
    pub db: PathBuf,
    static_dir: PathBuf,
    demo: bool,
}

impl Server {
    /// A fresh temporary database filled with the demo data, serving the built SPA.
    pub fn start_demo(tmp: &TempDir) -> Server {
        Self::start(tmp.path().join("thidua.sqlite3"), dist_dir(), 0, true)
    }

    pub fn start(db: PathBuf, static_dir: PathBuf, port: u16, demo: bool) -> Server {
        let url = format!("sqlite://{}", db.display());
        let addr = format!("127.0.0.1:{port}");
        let mut cmd = Command::new(server_bin());
        cmd.args(["--addr", &addr, "--database", &url, "--static-dir"]).arg(&static_dir);
        if demo {
            cmd.arg("--demo");
        }
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().expect("start thidua-server");
        // The server prints one line once it listens: "… listening on http://127.0.0.1:PORT/".
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read the listening line");
        let port = line
            .trim()
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in the server's first line: {line:?}"));
        Server { child, port, db, static_dir, demo }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts again on the same port and database, as after an outage.
    pub fn restart(&mut self) {
        self.stop();
        let deadline = Instant::now() + WAIT;
        while TcpListener::bind(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "port {} stayed busy", self.port);
            std::thread::sleep(Duration::from_millis(50));
        }
        *self = Server::start(self.db.clone(), self.static_dir.clone(), self.port, self.demo);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Debian's chromedriver on a free port; killed on drop.
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    pub fn start() -> Driver {
        let port = free_port();
        let child = Command::new(std::env::var_os("CHROMEDRIVER").unwrap_or_else(|| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver (scripts/setup.sh installs it)");
        let deadline = Instant::now() + WAIT;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port }
    }

    /// A new headless Chromium with a fresh profile and a viewport `width` CSS pixels wide.
    pub async fn browser(&self, width: u32) -> Browser {
        let profile = TempDir::new().expect("profile dir");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--lang=en-US",
                    format!("--window-size={width},900"),
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("connect to chromedriver");
        let browser = Browser { client, _profile: profile };
        browser.set_width(width).await;
        browser
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Browser {
    pub client: Client,
    _profile: TempDir,
}

/// chromedriver's door to the DevTools protocol.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()))
    }
}

impl Browser {
    /// Runs a DevTools protocol command (throttling, print media, downloads, PDF).
    pub async fn cdp(&self, cmd: &'static str, params: Value) -> Value {
        self.client.issue_cmd(Cdp { cmd, params }).await.unwrap_or_else(|e| panic!("DevTools {cmd}: {e}"))
    }
    /// Makes the layout viewport exactly `width` CSS pixels wide.
    pub async fn set_width(&self, width: u32) {
        self.client.set_window_size(width, 900).await.expect("resize");
        let inner = self.js("return window.innerWidth").await.as_u64().unwrap_or(0) as u32;
        if inner < width {
            // Some window managers count a frame; widen by the difference once.
            self.client.set_window_size(2 * width - inner, 900).await.expect("resize");
        }
        assert_eq!(self.js("return window.innerWidth").await, json!(width), "viewport width");
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    pub async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.expect("run script")
    }

    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
    }

    /// Waits until an element matching `css` contains `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let texts = self.texts(css).await;
            if texts.iter().any(|t| t.contains(text)) {
                return;
            }
            assert!(Instant::now() < deadline, "no {css} with text {text:?}; saw {texts:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The trimmed text of every element matching `css`, white space folded.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let script = format!(
            "return Array.from(document.querySelectorAll({})).map(e => e.textContent.trim().replace(/\\s+/g, ' '))",
            json!(css)
        );
        serde_json::from_value(self.js(&script).await).unwrap_or_default()
    }

    /// Clicks like a person: the element is first scrolled to the middle of the screen, so
    /// sticky bars (the form's save bar) do not cover it.
    pub async fn click(&self, css: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let element = self.wait_for(css).await;
            let arg = serde_json::to_value(&element).expect("element as an argument");
            let scrolled = self.client.execute("arguments[0].scrollIntoView({block: 'center'})", vec![arg]).await;
            let result = match scrolled {
                Ok(_) => element.click().await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => return,
                // Replaced by a re-render, or covered for a moment while the page scrolls (focus
                // moving into a confirmation): look again.
                Err(e)
                    if Instant::now() < deadline
                        && ["stale", "intercepted"].iter().any(|m| e.to_string().contains(m)) =>
                {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("click {css}: {e}"),
            }
        }
    }

    /// Runs axe-core on the page; returns its violations as readable lines.
    pub async fn axe_violations(&self) -> Vec<String> {
        let axe = std::fs::read_to_string(repo_root().join("node_modules/axe-core/axe.min.js"))
            .expect("node_modules/axe-core/axe.min.js (scripts/setup.sh runs npm ci)");
        self.client.execute(&axe, vec![]).await.expect("inject axe-core");
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
              .then(r => done(r.violations.map(v =>
                `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)))
              .catch(e => done(['axe failed: ' + e]));
        "#;
        let out = self.client.execute_async(script, vec![]).await.expect("run axe");
        serde_json::from_value(out).expect("axe result")
    }

    /// True when the page itself scrolls sideways (wide content must scroll in its own box).
    pub async fn page_overflows(&self) -> bool {
        self.js("return document.documentElement.scrollWidth > window.innerWidth").await == json!(true)
    }

    /// A PNG of the whole page: the window grows to the page's height for the shot.
    pub async fn screenshot(&self, path: &Path) {
        self.js("window.scrollTo(0, 0); return true").await;
        let height = self.js("return document.documentElement.scrollHeight").await.as_u64().unwrap_or(900) as u32;
        let (outer_w, outer_h) = self.client.get_window_size().await.expect("window size");
        let (outer_w, outer_h) = (outer_w as u32, outer_h as u32);
        self.client.set_window_size(outer_w, height.max(outer_h)).await.expect("resize");
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(path, png).expect("write screenshot");
        self.client.set_window_size(outer_w, outer_h).await.expect("resize back");
    }
}

/// The password of every demo account.
pub const PASSWORD: &str = "thidua-demo";

pub async fn assert_accessible(browser: &Browser, what: &str) {
    let violations = browser.axe_violations().await;
    assert!(violations.is_empty(), "axe-core violations on {what}:\n{}", violations.join("\n"));
}

pub async fn maybe_screenshot(browser: &Browser, name: &str) {
    if let Some(dir) = std::env::var_os("THIDUA_SCREENSHOTS") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        browser.screenshot(&dir.join(format!("{name}.png"))).await;
    }
}

pub async fn sign_in(browser: &Browser, server: &Server, username: &str) {
    browser.goto(&server.url("/sign-in")).await;
    let user = browser.wait_for("#sign-in-username").await;
    user.send_keys(username).await.unwrap();
    browser.wait_for("#sign-in-password").await.send_keys(PASSWORD).await.unwrap();
    browser.click("[data-testid=sign-in-form] button[type=submit]").await;
    browser.wait_for("[data-testid=sheet-list]").await;
}

pub async fn sign_out(browser: &Browser) {
    browser.click("[data-testid=sign-out]").await;
    browser.wait_for_text(".account__link", "Đăng nhập").await;
}

/// Runs one SQL statement on the server's database file with Debian's `sqlite3`, as an
/// operator would (e.g. to end every session at once).
pub fn sql(db: &Path, statement: &str) -> String {
    let out = Command::new("sqlite3")
        .arg("-cmd")
        .arg(".timeout 5000")
        .arg(db)
        .arg(statement)
        .output()
        .expect("run sqlite3 (scripts/setup.sh installs it)");
    assert!(out.status.success(), "sqlite3 {statement}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Holds the database's write lock from another process until dropped: the server's writes
/// then wait (slow) and, past its busy timeout, fail with a 500 — a real server fault.
pub struct WriteLock {
    child: Child,
}

impl WriteLock {
    pub fn take(db: &Path) -> WriteLock {
        use std::io::Write;
        let mut child = Command::new("sqlite3")
            .arg(db)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("run sqlite3");
        let stdin = child.stdin.as_mut().expect("stdin");
        writeln!(stdin, "BEGIN IMMEDIATE; SELECT 'locked';").expect("write to sqlite3");
        stdin.flush().expect("flush");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().expect("stdout")).read_line(&mut line).expect("read");
        assert_eq!(line.trim(), "locked", "sqlite3 took the write lock");
        WriteLock { child }
    }
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        // Ending the process rolls the transaction back and frees the lock.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// What several end-to-end tests do in the browser: keys, Tab, both widths and languages, the API.

/// Presses a key on whatever has the focus, as a keyboard does (W3C actions: a file input
/// takes it as a key too, where "send keys" to the element would mean choosing a file).
pub async fn key(browser: &Browser, k: Key) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let c = char::from(k);
    let press =
        KeyActions::new("keyboard".to_owned()).then(KeyAction::Down { value: c }).then(KeyAction::Up { value: c });
    browser.client.perform_actions(press).await.expect("press a key");
}

/// Presses Tab until the focused element matches `css` (at most 80 times).
pub async fn tab_to(browser: &Browser, css: &str) {
    for _ in 0..80 {
        let here = browser
            .js(&format!("return !!document.activeElement && document.activeElement.matches({})", json!(css)))
            .await;
        if here == json!(true) {
            return;
        }
        key(browser, Key::Tab).await;
    }
    panic!("Tab never reached {css}");
}

/// Both languages and both widths: no axe violation, no sideways scroll at 360 px.
pub async fn check_views(browser: &Browser, what: &str, shot: &str) {
    for width in [360, 1280] {
        browser.set_width(width).await;
        for lang in ["vi", "en"] {
            assert_accessible(browser, &format!("{what} at {width} px ({lang})")).await;
            if width == 360 {
                assert!(!browser.page_overflows().await, "{what} scrolls sideways at 360 px ({lang})");
            }
            maybe_screenshot(browser, &format!("{shot}-{width}-{lang}")).await;
            browser.click("[data-testid=lang-switch]").await;
            let want = if lang == "vi" { "en" } else { "vi" };
            let deadline = Instant::now() + Duration::from_secs(10);
            while browser.js("return document.documentElement.lang").await != json!(want) {
                assert!(Instant::now() < deadline, "the language did not switch");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

pub async fn api(browser: &Browser, method: &str, path: &str) -> Value {
    api_with(browser, method, path, None).await
}

/// The API from the signed-in page (its cookie, its origin), with a JSON body.
pub async fn api_with(browser: &Browser, method: &str, path: &str, body: Option<&Value>) -> Value {
    let init = match body {
        Some(body) => {
            json!({"method": method, "headers": {"content-type": "application/json"}, "body": body.to_string()})
        }
        None => json!({"method": method}),
    };
    let script = format!(
        "const done = arguments[arguments.length - 1];
         fetch({}, {}).then(r => r.json()).then(done, e => done(String(e)));",
        json!(path),
        init
    );
    browser.client.execute_async(&script, vec![]).await.expect("fetch")
}
