//! End to end: the real server binary on a temporary SQLite file, the built SPA, headless
//! Chromium. Run by scripts/test.sh after `trunk build --release` and
//! `cargo build -p thidua-server`. Set THIDUA_SCREENSHOTS=<dir> to keep a PNG of each screen.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::path::PathBuf;

use support::{dist_dir, Browser, Driver, Server};
use tempfile::TempDir;

const MEMBERS: [&str; 7] = [
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Lao động - Thương binh và Xã hội",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Bảo hiểm xã hội tỉnh",
    "Trung tâm Hành chính công tỉnh",
];

/// The verified ranking of the demo scores, consistent with the real 2018 proposals.
const RANKING: [&str; 7] = [
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Bảo hiểm xã hội tỉnh",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Trung tâm Hành chính công tỉnh",
];

const RESULTS_PATH: &str = "/2018/blocs/1/results";
const BLOC_PATH: &str = "/2018/blocs/1";

async fn assert_accessible(browser: &Browser, what: &str) {
    let violations = browser.axe_violations().await;
    assert!(violations.is_empty(), "axe-core violations on {what}:\n{}", violations.join("\n"));
}

async fn assert_no_sideways_scroll(browser: &Browser, what: &str) {
    assert!(!browser.page_overflows().await, "{what} scrolls sideways");
}

async fn maybe_screenshot(browser: &Browser, name: &str) {
    if let Some(dir) = std::env::var_os("THIDUA_SCREENSHOTS") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        browser.screenshot(&dir.join(format!("{name}.png"))).await;
    }
}

/// Reads the award groups as (award name, [unit names]).
async fn award_groups(browser: &Browser) -> Vec<(String, Vec<String>)> {
    let script = r#"return Array.from(document.querySelectorAll('[data-testid=award-group]')).map(g => [
        g.querySelector('h3').textContent.trim(),
        Array.from(g.querySelectorAll('.award-unit__name')).map(u => u.textContent.trim())])"#;
    serde_json::from_value(browser.js(script).await).expect("award groups")
}

#[tokio::test]
async fn home_to_bloc_to_results_shows_the_real_2018_bloc() {
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let browser = driver.browser(360).await;

    // Home: the year and its bloc.
    browser.goto(&server.url("/")).await;
    browser.wait_for_text("[data-testid=bloc-card]", "văn hóa, xã hội").await;
    // 2018 is the published record; 2019 is the demo's year in progress, newest first.
    assert_eq!(browser.texts("[data-testid=year] h2").await, ["Năm 2019", "Năm 2018"]);
    assert!(browser.texts("[data-testid=bloc-card]").await[0].contains("7 đơn vị thành viên"));
    assert_eq!(browser.js("return document.documentElement.lang").await, "vi");
    assert_accessible(&browser, "home at 360 px").await;
    assert_no_sideways_scroll(&browser, "home at 360 px").await;
    maybe_screenshot(&browser, "home-360").await;

    // Bloc: its 7 members, leader and deputy.
    browser.click(&format!("[data-testid=bloc-card] .bloc-card__name a[href='{BLOC_PATH}']")).await;
    browser.wait_for("[data-testid=members]").await;
    let members: Vec<String> = browser.texts("[data-testid=member] .member__name").await;
    assert_eq!(members, MEMBERS);
    assert_eq!(browser.texts("[data-testid=leader]").await, ["Sở Lao động - Thương binh và Xã hội"]);
    assert_eq!(browser.texts("[data-testid=deputy]").await, ["Sở Y tế"]);
    assert_eq!(
        browser.texts("[data-testid=sample-notice]").await.len(),
        1,
        "the demo leader and deputy are marked as sample data"
    );
    assert_accessible(&browser, "bloc at 360 px").await;
    assert_no_sideways_scroll(&browser, "bloc at 360 px").await;
    maybe_screenshot(&browser, "bloc-360").await;

    // Results: the ranking and the 5 real proposals, grouped by award type.
    browser.click("main a.button[href$='/results']").await;
    browser.wait_for("[data-testid=ranking]").await;
    let ranked: Vec<String> = browser.texts("[data-testid=ranking-row] .unit__name").await;
    assert_eq!(ranked, RANKING);
    let ranks = browser.texts("[data-testid=ranking-row] .rank__number").await;
    assert_eq!(ranks, ["1", "2", "3", "4", "5", "6", "7"]);
    let tie_notes = browser.texts("[data-testid=ranking-row] .rank__tie").await;
    assert_eq!(tie_notes, ["bằng tổng điểm, xếp theo điểm mục I", "bằng tổng điểm, xếp theo điểm mục I"]);
    assert_eq!(
        award_groups(&browser).await,
        [
            ("Cờ thi đua của Chính phủ".to_string(), vec!["Sở Y tế".to_string()]),
            (
                "Cờ thi đua của UBND tỉnh".to_string(),
                vec!["Sở Giáo dục và Đào tạo".to_string(), "Sở Lao động - Thương binh và Xã hội".to_string()]
            ),
            (
                "Bằng khen của Chủ tịch UBND tỉnh".to_string(),
                vec!["Sở Văn hóa, Thể thao và Du lịch".to_string(), "Bảo hiểm xã hội tỉnh".to_string()]
            ),
        ]
    );
    // Proposed, not awarded: no decision exists yet.
    assert_eq!(browser.texts("[data-testid=awards] .badge--proposed").await.len(), 5);
    assert!(browser.texts("[data-testid=awards] .badge--awarded").await.is_empty());
    assert!(browser.texts("[data-testid=sample-notice]").await[0].contains("dữ liệu mẫu"));
    assert_accessible(&browser, "results at 360 px").await;
    assert_no_sideways_scroll(&browser, "results at 360 px").await;
    // The wide table scrolls inside its own box instead.
    let table_scrolls =
        browser.js("const b = document.querySelector('.table-scroll'); return b.scrollWidth > b.clientWidth").await;
    assert_eq!(table_scrolls, true, "at 360 px the ranking table scrolls in its box");
    maybe_screenshot(&browser, "results-360").await;

    // The same three pages at 1280 px.
    browser.set_width(1280).await;
    for (path, ready, name) in [
        ("/", "[data-testid=bloc-card]", "home"),
        (BLOC_PATH, "[data-testid=members]", "bloc"),
        (RESULTS_PATH, "[data-testid=ranking]", "results"),
    ] {
        browser.goto(&server.url(path)).await;
        browser.wait_for(ready).await;
        assert_accessible(&browser, &format!("{name} at 1280 px")).await;
        maybe_screenshot(&browser, &format!("{name}-1280")).await;
    }
    browser.client.close().await.unwrap();
}

#[tokio::test]
async fn a_deep_link_survives_a_reload() {
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let browser = driver.browser(360).await;
    browser.goto(&server.url(RESULTS_PATH)).await;
    browser.wait_for("[data-testid=ranking]").await;
    browser.client.refresh().await.unwrap();
    browser.wait_for("[data-testid=ranking]").await;
    assert_eq!(browser.texts("[data-testid=ranking-row] .unit__name").await, RANKING);
    assert_eq!(browser.client.current_url().await.unwrap().path(), RESULTS_PATH);
    browser.client.close().await.unwrap();
}

#[tokio::test]
async fn the_language_switch_changes_text_and_numbers_and_persists() {
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let browser = driver.browser(360).await;
    browser.goto(&server.url(RESULTS_PATH)).await;
    browser.wait_for("[data-testid=ranking]").await;
    assert_eq!(browser.texts("#ranking-title").await, ["Bảng xếp hạng"]);
    // A total with a fraction: Vietnamese writes a decimal comma.
    let totals = browser.texts("[data-testid=ranking-row] .total").await;
    let fractional = totals.iter().position(|t| t.contains(',')).expect("a total with a decimal comma in Vietnamese");

    browser.click("[data-testid=lang-switch]").await;
    browser.wait_for_text("#ranking-title", "Ranking").await;
    assert_eq!(browser.js("return document.documentElement.lang").await, "en");
    assert_eq!(browser.texts("[data-testid=awards] .badge--proposed").await.len(), 5);
    assert!(browser.texts("[data-testid=awards] .badge--proposed").await.iter().all(|t| t == "Proposed"));
    let english = browser.texts("[data-testid=ranking-row] .total").await;
    assert_eq!(english[fractional], totals[fractional].replace(',', "."), "English writes a decimal point");
    // Unit names are proper names: they keep their Vietnamese spelling.
    assert_eq!(browser.texts("[data-testid=ranking-row] .unit__name").await, RANKING);
    assert_accessible(&browser, "results in English at 360 px").await;
    maybe_screenshot(&browser, "results-360-en").await;

    // The choice survives a reload and a new page.
    browser.client.refresh().await.unwrap();
    browser.wait_for_text("#ranking-title", "Ranking").await;
    browser.goto(&server.url("/")).await;
    browser.wait_for_text("h1", "Emulation blocs").await;
    maybe_screenshot(&browser, "home-360-en").await;

    browser.click("[data-testid=lang-switch]").await;
    browser.wait_for_text("h1", "Các khối thi đua").await;
    assert_eq!(browser.js("return document.documentElement.lang").await, "vi");
    browser.client.close().await.unwrap();
}

#[tokio::test]
async fn when_the_api_is_down_an_error_with_retry_shows_and_retry_works_once_it_is_back() {
    let tmp = TempDir::new().unwrap();
    let mut server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let browser = driver.browser(360).await;
    browser.goto(&server.url("/")).await;
    browser.wait_for("[data-testid=bloc-card]").await;

    server.stop();
    // Navigating inside the app asks the API, which is gone.
    browser.click(&format!("[data-testid=bloc-card] .bloc-card__name a[href='{BLOC_PATH}']")).await;
    browser.wait_for("[data-testid=error-panel]").await;
    browser.wait_for_text("[data-testid=error-panel]", "Không kết nối được với máy chủ").await;
    assert_accessible(&browser, "the error state at 360 px").await;
    maybe_screenshot(&browser, "error-360").await;

    // Retry while still down: still the error, never a blank page.
    browser.click("[data-testid=retry]").await;
    browser.wait_for("[data-testid=error-panel]").await;

    server.restart();
    browser.click("[data-testid=retry]").await;
    browser.wait_for("[data-testid=members]").await;
    assert_eq!(browser.texts("[data-testid=member] .member__name").await, MEMBERS);
    assert!(browser.texts("[data-testid=error-panel]").await.is_empty());
    browser.client.close().await.unwrap();
}

#[tokio::test]
async fn unknown_year_bloc_and_page_say_so() {
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let browser = driver.browser(360).await;

    browser.goto(&server.url("/2018/blocs/999/results")).await;
    browser.wait_for_text("[data-testid=error-panel]", "Không tìm thấy dữ liệu này").await;
    assert!(browser.texts("[data-testid=retry]").await.is_empty(), "retrying cannot make a missing bloc appear");
    browser.goto(&server.url("/1999/blocs/1")).await;
    browser.wait_for_text("[data-testid=error-panel]", "Không tìm thấy dữ liệu này").await;

    browser.goto(&server.url("/khong-co/trang-nay")).await;
    browser.wait_for_text("[data-testid=not-found] h1", "Không tìm thấy trang").await;
    assert_accessible(&browser, "not found at 360 px").await;
    browser.client.close().await.unwrap();
}

/// One build, another backend: the deployed index.html names the API base at run time.
#[tokio::test]
async fn the_api_base_url_is_read_at_run_time() {
    let tmp = TempDir::new().unwrap();
    // Backend B has the demo data; server A serves the SPA over an empty database.
    let backend = Server::start_demo(&tmp);
    let site = tmp.path().join("site");
    std::fs::create_dir(&site).unwrap();
    // The public app's files (the staff build in dist/staff is not needed here).
    for entry in std::fs::read_dir(dist_dir()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), site.join(entry.file_name())).unwrap();
        }
    }
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    let pointed = index.replace(
        r#"<meta name="thidua-api-base" content="" />"#,
        &format!(r#"<meta name="thidua-api-base" content="{}" />"#, backend.url("/")),
    );
    assert_ne!(pointed, index, "index.html carries the thidua-api-base meta tag");
    std::fs::write(site.join("index.html"), pointed).unwrap();
    // The compressed copies would still say the old thing: serve only the edited file.
    for name in ["index.html.br", "index.html.gz"] {
        let _ = std::fs::remove_file(site.join(name));
    }
    let frontend = Server::start(tmp.path().join("empty.sqlite3"), site, 0, false);

    let driver = Driver::start();
    let browser = driver.browser(360).await;
    browser.goto(&frontend.url(BLOC_PATH)).await;
    browser.wait_for("[data-testid=members]").await;
    assert_eq!(browser.texts("[data-testid=member] .member__name").await, MEMBERS);
    browser.client.close().await.unwrap();
}
