//! End to end: the public pages as the server renders them, before and without the app, and
//! the app taking over from them (the real server binary, the built SPA, headless Chromium).
#![cfg(not(target_arch = "wasm32"))]

mod support;

use serde_json::json;
use support::{assert_accessible, maybe_screenshot, Browser, Driver, Server};
use tempfile::TempDir;

const RESULTS_PATH: &str = "/2018/blocs/1/results";

/// How many times each ranked unit's name is on the screen (rendered text only: not the
/// answers the page carries, not what is hidden).
async fn name_counts(browser: &Browser) -> Vec<(String, usize)> {
    let script = r#"
        const names = Array.from(document.querySelectorAll('[data-testid=ranking-row] .unit__name'))
            .map(e => e.textContent.trim());
        const text = document.body.innerText;
        return names.map(n => [n, text.split(n).length - 1]);"#;
    serde_json::from_value(browser.js(script).await).expect("name counts")
}

async fn award_units(browser: &Browser) -> Vec<String> {
    browser.texts("[data-testid=award-group] .award-unit__name").await
}

#[tokio::test]
async fn without_javascript_the_results_page_reads_whole() {
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let browser = driver.browser(360).await;
    // Scripts off for the page (the DevTools still read it).
    browser.cdp("Emulation.setScriptExecutionDisabled", json!({ "value": true })).await;
    browser.goto(&server.url(RESULTS_PATH)).await;
    assert_eq!(browser.js("return document.getElementById('ssr') !== null").await, true, "the server's page");
    let rows = browser.texts("[data-testid=ranking-row] .unit__name").await;
    assert_eq!(rows.len(), 7, "{rows:?}");
    assert_eq!(rows[0], "Sở Y tế");
    assert!(browser.texts(".total").await.iter().any(|t| t.contains(',')), "totals with the decimal comma");
    assert_eq!(award_units(&browser).await.len(), 5, "the five proposals");
    // A unit's sheet opens without the app: <details>.
    assert!(browser.texts("[data-testid=breakdown]").await.iter().all(|t| !t.is_empty()));
    let hidden = "return getComputedStyle(document.querySelector('tr.detail')).display";
    assert_eq!(browser.js(hidden).await, "none");
    browser.click("[data-testid=ranking-row] .expand summary").await;
    assert_ne!(browser.js(hidden).await, "none", "the first sheet is open");
    // The language switch is a link the server answers in English.
    browser.click("[data-testid=lang-switch]").await;
    browser.wait_for_text("h1", "Emulation results").await;
    assert_eq!(browser.js("return document.documentElement.lang").await, "en");
    maybe_screenshot(&browser, "prerender-nojs-en-360").await;
    // The reader's choice stays on the next page (a cookie), still without JavaScript.
    browser.click("[data-testid=ranking-row] .unit__name").await;
    browser.wait_for_text("h1", "Sở Y tế").await;
    assert_eq!(browser.js("return document.documentElement.lang").await, "en");
    browser.client.close().await.unwrap();
}

#[tokio::test]
async fn before_the_wasm_arrives_the_page_is_whole_and_accessible() {
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let browser = driver.browser(360).await;
    // The app never arrives: what the reader sees until it does.
    browser.cdp("Network.enable", json!({})).await;
    browser.cdp("Network.setBlockedURLs", json!({ "urls": ["*.wasm"] })).await;
    for lang in ["vi", "en"] {
        browser.goto(&server.url(&format!("{RESULTS_PATH}?lang={lang}"))).await;
        assert_eq!(browser.js("return document.getElementById('ssr') !== null").await, true);
        assert_eq!(browser.texts("[data-testid=ranking-row]").await.len(), 7);
        assert_eq!(award_units(&browser).await.len(), 5);
        assert_accessible(&browser, &format!("the server's results page ({lang}) at 360 px")).await;
        assert!(!browser.page_overflows().await, "the server's page scrolls sideways at 360 px");
        maybe_screenshot(&browser, &format!("prerender-{lang}-360")).await;
        browser.set_width(1280).await;
        assert_accessible(&browser, &format!("the server's results page ({lang}) at 1280 px")).await;
        maybe_screenshot(&browser, &format!("prerender-{lang}-1280")).await;
        browser.set_width(360).await;
    }
    let unit = browser.js("return document.querySelector('.unit__name').getAttribute('href')").await;
    let unit = unit.as_str().unwrap().to_owned();
    for path in ["/", "/2018/blocs/1", unit.as_str()] {
        browser.goto(&server.url(path)).await;
        assert_eq!(browser.js("return document.getElementById('ssr') !== null").await, true);
        assert_eq!(browser.texts("[data-testid=loading]").await.len(), 0, "{path}: nothing left loading");
        assert_accessible(&browser, &format!("the server's {path} at 360 px")).await;
    }
    browser.client.close().await.unwrap();
}

#[tokio::test]
async fn the_app_takes_over_without_a_duplicate_or_a_second_fetch() {
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let browser = driver.browser(1280).await;

    // What the server's page shows, the app never arriving.
    browser.cdp("Network.enable", json!({})).await;
    browser.cdp("Network.setBlockedURLs", json!({ "urls": ["*.wasm"] })).await;
    browser.goto(&server.url(RESULTS_PATH)).await;
    let before = name_counts(&browser).await;
    assert_eq!(before.len(), 7);
    assert!(before.iter().all(|(_, n)| *n >= 1), "{before:?}");

    // Now with the app.
    browser.cdp("Network.setBlockedURLs", json!({ "urls": [] })).await;
    browser.goto(&server.url(RESULTS_PATH)).await;
    wait_until(&browser, "return document.getElementById('ssr') === null", "the app takes over").await;
    assert_eq!(name_counts(&browser).await, before, "each name as often as on the server's page");
    let fetched =
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/')).map(e => e.name)";
    assert_eq!(browser.js(fetched).await, json!([]), "the app asked the API nothing: the page carried it");

    // A page of the app from here on: navigation and the language switch without a reload.
    browser.js("window.sameDocument = true; return true").await;
    browser.click("[data-testid=lang-switch]").await;
    browser.wait_for_text("h1", "Emulation results").await;
    assert_eq!(browser.js("return window.sameDocument === true").await, true, "switched in place");
    assert_eq!(name_counts(&browser).await, before);
    browser.click("[data-testid=ranking-row] .unit__name").await;
    browser.wait_for_text("h1", "Sở Y tế").await;
    assert_eq!(browser.js("return window.sameDocument === true").await, true, "navigated in the app");
    assert!(
        browser.js(fetched).await.as_array().is_some_and(|a| !a.is_empty()),
        "the unit's history came from the API"
    );
    // A reload keeps English: the server reads the cookie the switch set.
    browser.client.refresh().await.unwrap();
    browser.wait_for_text("h1", "Sở Y tế").await;
    assert_eq!(browser.js("return document.documentElement.lang").await, "en");
    browser.client.close().await.unwrap();
}

async fn wait_until(browser: &Browser, script: &str, what: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while browser.js(script).await != json!(true) {
        assert!(std::time::Instant::now() < deadline, "{what}: timed out");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
