//! Lists every URL a page downloads, as headless Chromium saw it: the document, then each
//! resource (JS, wasm, CSS, API JSON) from the Resource Timing API.
//! Usage: page_urls URL — bench/page-weight.sh starts the server and measures the sizes.

#[path = "../tests/support/mod.rs"]
mod support;

use support::Driver;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let url = std::env::args().nth(1).expect("usage: page_urls URL");
    let driver = Driver::start();
    let browser = driver.browser(1280).await;
    browser.goto(&url).await;
    browser.wait_for("[data-testid=ranking]").await;
    let urls = browser
        .js("return [location.href].concat(performance.getEntriesByType('resource').map(e => e.name).filter(u => u.startsWith('http')))")
        .await;
    for url in urls.as_array().expect("a list of URLs") {
        println!("{}", url.as_str().unwrap_or_default());
    }
    browser.client.close().await.expect("close the browser");
}
