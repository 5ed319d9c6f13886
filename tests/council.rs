//! The Council's list end to end, on the real server and headless Chromium: at 360 px staff
//! open it from the administration, record "not approved" by keyboard alone (refused without a
//! reason, the message next to the field, the choice kept), approve another proposal and make
//! its decision in one step; the public results then show the decision, as a new revision that
//! names it; the list's Word and PDF answer. axe-core at 360 and 1280 px in both languages.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::time::{Duration, Instant};

use fantoccini::key::Key;
use serde_json::{json, Value};
use support::{api, check_views, key, sign_in, tab_to, Browser, Driver, Server, WAIT};
use tempfile::TempDir;

/// The element id prefix of a proposal's card (`council-{bloc}-{unit}-{award}`).
fn prefix(group: &Value, i: usize) -> String {
    let p = &group["proposals"][i];
    format!("council-{}-{}-{}", p["bloc_id"], p["unit"]["id"], group["award_type"]["id"])
}

/// The answer's status and content type of a download link, fetched with the page's cookie.
async fn link_answers(browser: &Browser, css: &str) -> Value {
    let script = format!(
        "const done = arguments[arguments.length - 1];\
         fetch(document.querySelector({}).href).then(r => done([r.status, r.headers.get('content-type')]), e => done(String(e)));",
        json!(css)
    );
    browser.client.execute_async(&script, vec![]).await.expect("fetch")
}

async fn until(browser: &Browser, what: &str, check: impl Fn(&Value) -> bool, path: &str) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let v = api(browser, "GET", path).await;
        if check(&v) {
            return v;
        }
        assert!(Instant::now() < deadline, "{what}: {v}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn staff_record_the_councils_outcomes_and_make_a_decision() {
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let staff = driver.browser(360).await;
    sign_in(&staff, &server, "staff").await;
    staff.goto(&server.url("/admin")).await;
    staff.click("a[href$='/council/2018']").await;
    staff.wait_for("[data-testid=council-proposal]").await;
    // And by its own address (the server answers it with the staff build).
    staff.goto(&server.url("/council/2018")).await;
    staff.wait_for("[data-testid=council-proposal]").await;
    let list = api(&staff, "GET", "/api/years/2018/council").await;
    let (first, second) = (prefix(&list["groups"][0], 0), prefix(&list["groups"][1], 0));

    // Not approved, by keyboard: the choice, then saving without a reason is refused next to
    // the field, with the choice kept.
    tab_to(&staff, &format!("#{first}-outcome-approved")).await;
    key(&staff, Key::Right).await;
    assert_eq!(
        staff.js(&format!("return document.getElementById('{first}-outcome-not-approved').checked")).await,
        json!(true)
    );
    let form = format!("[data-testid=council-outcome]:has(#{first}-reason)");
    tab_to(&staff, &format!("{form} button[type=submit]")).await;
    key(&staff, Key::Enter).await;
    staff.wait_for_text(&format!("#{first}-reason-error"), "không được để trống").await;
    assert_eq!(
        staff.js(&format!("return document.getElementById('{first}-outcome-not-approved').checked")).await,
        json!(true)
    );
    tab_to(&staff, &format!("#{first}-reason")).await;
    staff.wait_for(&format!("#{first}-reason")).await.send_keys("Chưa đủ thời gian công tác").await.unwrap();
    tab_to(&staff, &format!("{form} button[type=submit]")).await;
    key(&staff, Key::Enter).await;
    staff.wait_for_text(&format!("{form} .form__ok"), "Đã lưu").await;
    let saved = until(
        &staff,
        "the outcome is saved",
        |l| l["groups"][0]["proposals"][0]["outcome"]["outcome"] == json!("not_approved"),
        "/api/years/2018/council",
    )
    .await;
    assert_eq!(saved["groups"][0]["proposals"][0]["outcome"]["reason"], json!("Chưa đủ thời gian công tác"));

    // Approved, then the decision in one step.
    staff.click(&format!("#{second}-outcome-approved")).await;
    staff.click(&format!("[data-testid=council-outcome]:has(#{second}-reason) button[type=submit]")).await;
    staff.wait_for(&format!("#{second}-decision-number")).await.send_keys("125/QĐ-UBND").await.unwrap();
    let script = format!(
        "const d = document.getElementById('{second}-decision-date'); d.value = '2019-03-04';\
         d.dispatchEvent(new Event('input', {{bubbles: true}}));"
    );
    staff.js(&script).await;
    staff.wait_for(&format!("#{second}-decision-issuer")).await.send_keys("UBND tỉnh Bắc Ninh").await.unwrap();
    staff
        .click(&format!("[data-testid=council-decision-form]:has(#{second}-decision-number) button[type=submit]"))
        .await;
    staff.wait_for_text("[data-testid=council-decision]", "125/QĐ-UBND").await;
    let unit = list["groups"][1]["proposals"][0]["unit"]["name"].as_str().unwrap().to_owned();
    let revisions = api(&staff, "GET", "/api/years/2018/blocs/1/results/revisions").await;
    assert!(revisions[0]["reason"].as_str().unwrap().contains("125/QĐ-UBND"), "{revisions}");

    // An outcome entered in error goes, by keyboard; the choice is cleared and the focus is
    // back on the choices.
    tab_to(&staff, &format!("{form} [data-testid=council-remove]")).await;
    key(&staff, Key::Enter).await;
    until(
        &staff,
        "the outcome is removed",
        |l| l["groups"][0]["proposals"][0]["outcome"].is_null(),
        "/api/years/2018/council",
    )
    .await;
    let focused = format!("return document.activeElement && document.activeElement.id === '{first}-outcome-approved'");
    let deadline = Instant::now() + WAIT;
    while staff.js(&focused).await != json!(true) {
        assert!(Instant::now() < deadline, "the focus did not go back to the choices");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        staff.js(&format!("return document.getElementById('{first}-outcome-not-approved').checked")).await,
        json!(false)
    );

    // The documents answer, as Word and PDF.
    let docx = link_answers(&staff, "[data-testid=council-list-docx]").await;
    assert_eq!(docx[0], json!(200), "{docx}");
    let pdf = link_answers(&staff, "[data-testid=council-list-pdf]").await;
    assert_eq!(pdf, json!([200, "application/pdf"]));

    check_views(&staff, "the Council's list", "council").await;

    // The public results show the decision.
    staff.goto(&server.url("/2018/blocs/1/results")).await;
    staff.wait_for_text("main", "125/QĐ-UBND").await;
    staff.wait_for_text("main", &unit).await;
}
