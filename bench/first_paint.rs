//! Time to "content visible" on the 2018 results page (the ranked units' names and the award
//! types on screen), and to "interactive" (the app has taken over), under Lighthouse's
//! mobile profile: CPU 4× slower, 150 ms round trips, 1.6 Mbps down, 750 kbps up, no cache.
//! Side by side in one run, alternating: a static copy of the rendered page (the limit: HTML
//! and CSS only, served by the same server the same way) and each server given.
//! A benchmark, not a test: it prints figures and never fails on them.
//! Usage: bench/first-paint.sh [label=server-binary,dist-dir ...]

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;
use support::{Browser, Driver, Server};
use tempfile::TempDir;

const PAGE: &str = "/2018/blocs/1/results";
/// Runs per variant; `THIDUA_BENCH_RUNS` sets fewer (the CI smoke run: one).
const RUNS: usize = 7;

fn runs(default: usize) -> usize {
    std::env::var("THIDUA_BENCH_RUNS").ok().and_then(|n| n.parse().ok()).filter(|&n| n > 0).unwrap_or(default)
}

/// Watches the page from its first byte: when the content is first on screen (the frame
/// after it is in the document), and when the app has replaced the server's page.
const WATCH: &str = r#"
window.__visible = null; window.__interactive = null;
(() => {
  const check = () => {
    const names = document.querySelectorAll('[data-testid=ranking-row] .unit__name').length;
    const awards = document.querySelectorAll('[data-testid=award-group] h3').length;
    if (names > 0 && awards > 0 && window.__visible === null && !window.__pending) {
      window.__pending = true;
      requestAnimationFrame(() => setTimeout(() => { window.__visible = performance.now(); }, 0));
    }
    // The app is there when its own rendering is on the page: no server rendering left
    // (a page without one is the app's from the start), and the wasm has started.
    if (names > 0 && window.__interactive === null && window.wasmBindings && !document.getElementById('ssr')) {
      window.__interactive = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', check);
  setInterval(check, 20);
})();
"#;

struct Variant {
    label: String,
    url: String,
    /// A static copy has no app: it is never "interactive".
    app: bool,
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

/// A copy of `dist` with `page.html`: the rendered page without its scripts (HTML and CSS).
fn static_copy(dist: &Path, rendered: &str, into: &Path) {
    std::fs::create_dir_all(into).unwrap();
    for entry in std::fs::read_dir(dist).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), into.join(entry.file_name())).unwrap();
        }
    }
    let mut html = rendered.to_owned();
    while let Some(start) = html.find("<script") {
        let end = html[start..].find("</script>").map(|e| start + e + "</script>".len()).unwrap_or(html.len());
        html.replace_range(start..end, "");
    }
    // No preload of what the copy never runs.
    while let Some(start) = html.find("<link rel=\"modulepreload\"").or_else(|| html.find("<link rel=\"preload\"")) {
        let end = html[start..].find('>').map(|e| start + e + 1).unwrap_or(html.len());
        html.replace_range(start..end, "");
    }
    std::fs::write(into.join("page.html"), html).unwrap();
}

fn fetch_text(url: &str) -> String {
    let out = std::process::Command::new("curl").args(["-fsS", url]).output().expect("curl");
    assert!(out.status.success(), "GET {url}");
    String::from_utf8(out.stdout).unwrap()
}

async fn throttle(browser: &Browser) {
    browser.cdp("Network.enable", json!({})).await;
    browser.cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true })).await;
    browser
        .cdp(
            "Network.emulateNetworkConditions",
            json!({ "offline": false, "latency": 150, "downloadThroughput": 1_638_400 / 8, "uploadThroughput": 750 * 1024 / 8 }),
        )
        .await;
    browser.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 4 })).await;
    browser.cdp("Page.enable", json!({})).await;
    browser.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": WATCH })).await;
}

/// One load: (visible, interactive) in ms from navigation start.
async fn load(browser: &Browser, variant: &Variant) -> (f64, Option<f64>) {
    browser.goto("about:blank").await;
    browser.goto(&variant.url).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let v = browser.js("return [window.__visible, window.__interactive]").await;
        let visible = v[0].as_f64();
        let interactive = v[1].as_f64();
        if let Some(visible) = visible {
            if !variant.app || interactive.is_some() {
                return (visible, interactive);
            }
        }
        assert!(Instant::now() < deadline, "{}: the content never showed ({v})", variant.label);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let tmp = TempDir::new().expect("temp dir");
    // label=server,dist pairs; the first is the one whose rendering the static copy is of.
    let mut given: Vec<(String, PathBuf, PathBuf)> = std::env::args()
        .skip(1)
        .map(|a| {
            let (label, rest) = a.split_once('=').expect("label=server,dist");
            let (bin, dist) = rest.split_once(',').expect("label=server,dist");
            (label.to_owned(), PathBuf::from(bin), PathBuf::from(dist))
        })
        .collect();
    if given.is_empty() {
        given.push(("this build".into(), support::server_bin(), support::dist_dir()));
    }
    let mut servers = Vec::new();
    let mut variants = Vec::new();
    for (i, (label, bin, dist)) in given.iter().enumerate() {
        std::env::set_var("THIDUA_SERVER_BIN", bin);
        let server = Server::start(tmp.path().join(format!("{i}.sqlite3")), dist.clone(), 0, true);
        variants.push(Variant { label: label.clone(), url: server.url(PAGE), app: true });
        servers.push(server);
    }
    // The static copy, served by the first server's binary from a copy of its dist.
    let rendered = fetch_text(&variants[0].url);
    assert!(rendered.contains("data-testid=\"ranking-row\""), "the first server renders the page");
    let copy = tmp.path().join("static");
    static_copy(&given[0].2, &rendered, &copy);
    std::env::set_var("THIDUA_SERVER_BIN", &given[0].1);
    let static_server = Server::start(tmp.path().join("static.sqlite3"), copy, 0, true);
    variants
        .insert(0, Variant { label: "static copy (limit)".into(), url: static_server.url("/page.html"), app: false });

    let driver = Driver::start();
    let browser = driver.browser(360).await;
    throttle(&browser).await;
    // One load of each first, not counted: the server's own first-request work.
    for v in &variants {
        load(&browser, v).await;
    }
    let mut samples: Vec<(Vec<f64>, Vec<f64>)> = variants.iter().map(|_| (Vec::new(), Vec::new())).collect();
    let runs = runs(RUNS);
    for _ in 0..runs {
        for (v, s) in variants.iter().zip(samples.iter_mut()) {
            let (visible, interactive) = load(&browser, v).await;
            s.0.push(visible);
            if let Some(i) = interactive {
                s.1.push(i);
            }
        }
    }
    let limit = median(samples[0].0.clone());
    println!("first paint of {PAGE}, Lighthouse mobile profile (CPU 4x, 150 ms RTT, 1.6 Mbps), median of {runs}, alternating");
    println!("{:<24} {:>14} {:>10} {:>16}", "page", "visible (ms)", "× static", "interactive (ms)");
    for (v, s) in variants.iter().zip(samples) {
        let visible = median(s.0);
        let interactive = if s.1.is_empty() { "–".to_owned() } else { format!("{:.0}", median(s.1)) };
        println!("{:<24} {:>14.0} {:>10.2} {:>16}", v.label, visible, visible / limit, interactive);
    }
    // Closing the session ends Chromium; killing only the driver would leave it running.
    browser.client.close().await.expect("close the browser");
    drop(servers);
}
