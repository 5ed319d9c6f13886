//! End to end, as an attacker would try it in a browser: every page works under the
//! server's Content-Security-Policy with not one violation, and signing in never follows a
//! `next` to another site. The real server binary, the built SPA, headless Chromium.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use serde_json::{json, Value};
use support::{Browser, Driver, Server, PASSWORD};
use tempfile::TempDir;

/// Installed before any script of every page: records each CSP violation the page reports.
const LISTENER: &str = "window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));";

async fn watch_csp(browser: &Browser) {
    browser.cdp("Page.enable", json!({})).await;
    browser.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": LISTENER })).await;
}

async fn violations(browser: &Browser) -> Vec<String> {
    serde_json::from_value(browser.js("return window.__cspViolations || ['no listener']").await).unwrap_or_default()
}

async fn assert_no_violations(browser: &Browser, what: &str) {
    let seen = violations(browser).await;
    assert!(seen.is_empty(), "CSP violations on {what}: {seen:?}");
}

#[tokio::test]
async fn every_screen_works_under_the_content_security_policy() {
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let browser = driver.browser(1280).await;
    watch_csp(&browser).await;

    for (path, ready) in [
        ("/", "[data-testid=bloc-card]"),
        ("/2018/blocs/1", "[data-testid=members]"),
        ("/2018/blocs/1/results", "[data-testid=ranking-row]"),
        ("/units/1", "[data-testid=history-row]"),
    ] {
        browser.goto(&server.url(path)).await;
        browser.wait_for(ready).await;
        assert_no_violations(&browser, path).await;
    }

    // The staff build: sign-in, the sheets, a sheet, the awards page, administration.
    browser.goto(&server.url("/sign-in")).await;
    browser.wait_for("#sign-in-username").await.send_keys("staff").await.unwrap();
    browser.wait_for("#sign-in-password").await.send_keys(PASSWORD).await.unwrap();
    browser.click("[data-testid=sign-in-form] button[type=submit]").await;
    browser.wait_for("[data-testid=sheet-list]").await;
    assert_no_violations(&browser, "/sign-in → /sheets").await;
    for (path, ready) in [
        ("/admin", "[data-testid=new-year]"),
        ("/admin/2019/blocs/1", "[data-testid=criteria-editor]"),
        ("/admin/users", "[data-testid=new-user]"),
        ("/awards/2019/1", "[data-testid=tally-form]"),
        ("/sheets", "[data-testid=sheet-list] a"),
    ] {
        browser.goto(&server.url(path)).await;
        browser.wait_for(ready).await;
        assert_no_violations(&browser, path).await;
    }
    browser.click("[data-testid=sheet-list] a").await;
    browser.wait_for("[data-testid=sheet-form]").await;
    assert_no_violations(&browser, "a sheet").await;

    // The listener does hear a violation, and the policy does refuse an injected script:
    // so the checks above could have failed.
    let ran = browser
        .js("const s = document.createElement('script'); s.textContent = 'window.__injected = 1';
             document.body.appendChild(s); return window.__injected === 1")
        .await;
    assert_eq!(ran, Value::Bool(false), "an inline script ran");
    let seen = violations(&browser).await;
    assert!(seen.iter().any(|v| v.starts_with("script-src")), "the injected script was reported: {seen:?}");
}

#[tokio::test]
async fn signing_in_never_follows_next_to_another_site() {
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let browser = driver.browser(1280).await;
    let origin = server.url("");
    // As sent in a link: percent-encoded in the query, so the page reads `/\evil.example/`,
    // `/\/evil.example`, `/<tab>/evil.example`, `//evil.example`, `https://evil.example`.
    // Then the forms that resolve to `//evil.example` once dot segments are removed, as a
    // link would carry them.
    let bypasses = [
        "/%5Cevil.example/",
        "/%5C/evil.example",
        "/%09/evil.example",
        "//evil.example",
        "https://evil.example",
        "/.//evil.example/x",
        "/..//evil.example",
        "/a/..//evil.example",
        "/%2e%2e//evil.example",
        "/.%2F/evil.example",
    ];
    for (i, next) in bypasses.iter().enumerate() {
        if i > 0 {
            browser.click("[data-testid=sign-out]").await;
            browser.wait_for_text(".account__link", "Đăng nhập").await;
        }
        browser.goto(&server.url(&format!("/sign-in?next={next}"))).await;
        browser.wait_for("#sign-in-username").await.send_keys("yte").await.unwrap();
        browser.wait_for("#sign-in-password").await.send_keys(PASSWORD).await.unwrap();
        browser.click("[data-testid=sign-in-form] button[type=submit]").await;
        browser.wait_for("[data-testid=sheet-list]").await;
        let here = browser.client.current_url().await.unwrap();
        assert_eq!(format!("{}", here.origin().ascii_serialization()), origin, "{next}: {here}");
        assert_eq!(here.path(), "/sheets", "{next}: {here}");
    }

    // A path of the app is followed.
    browser.click("[data-testid=sign-out]").await;
    browser.wait_for_text(".account__link", "Đăng nhập").await;
    browser.goto(&server.url("/sign-in?next=%2Fawards%2F2019%2F1")).await;
    browser.wait_for("#sign-in-username").await.send_keys("staff").await.unwrap();
    browser.wait_for("#sign-in-password").await.send_keys(PASSWORD).await.unwrap();
    browser.click("[data-testid=sign-in-form] button[type=submit]").await;
    let deadline = std::time::Instant::now() + support::WAIT;
    while browser.client.current_url().await.unwrap().path() != "/awards/2019/1" {
        assert!(std::time::Instant::now() < deadline, "did not reach /awards/2019/1");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
