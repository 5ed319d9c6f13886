//! End to end, the scoring workflow: a unit officer scores and submits, the bloc leader's
//! officer returns it, the unit fixes and resubmits, the leader approves, and the public
//! ranking follows. Along the way the server is stopped, answers 500, is slow, and the
//! session expires — and nothing typed is lost. Real server binary, real SQLite file,
//! headless Chromium.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::time::{Duration, Instant};

use serde_json::json;
use support::{
    assert_accessible, maybe_screenshot, sign_in, sign_out, sql, Browser, Driver, Server, WriteLock, PASSWORD, WAIT,
};
use tempfile::TempDir;

/// Opens the 2019 sheet of `unit` from the list.
async fn open_2019_sheet(browser: &Browser, unit: &str) {
    browser.wait_for("[data-testid=sheet-list]").await;
    let script = format!(
        "const item = Array.from(document.querySelectorAll('.sheet-list__item')).find(li => \
         li.textContent.includes('2019') && li.querySelector('.sheet-list__unit').textContent.trim() === {});\
         item.querySelector('a').click(); return true;",
        json!(unit)
    );
    browser.js(&script).await;
    browser.wait_for("[data-testid=sheet-form]").await;
}

/// The save state the page shows (`Saved`, `Offline`, …).
async fn save_state(browser: &Browser) -> String {
    browser
        .js("return document.querySelector('[data-testid=save-status]').dataset.state")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn wait_for_save_state(browser: &Browser, state: &str, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let now = save_state(browser).await;
        if now == state {
            return;
        }
        assert!(Instant::now() < deadline, "save state stayed {now}, expected {state}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The score inputs in table order.
async fn score_inputs(browser: &Browser) -> Vec<fantoccini::elements::Element> {
    browser.client.find_all(fantoccini::Locator::Css(".score-input[id^=score-]")).await.unwrap()
}

async fn type_score(browser: &Browser, index: usize, text: &str) {
    let input = &score_inputs(browser).await[index];
    input.clear().await.unwrap();
    input.send_keys(text).await.unwrap();
}

async fn value_of(browser: &Browser, index: usize) -> String {
    score_inputs(browser).await[index].prop("value").await.unwrap().unwrap_or_default()
}

async fn total(browser: &Browser) -> String {
    browser.texts("[data-testid=total]").await.concat()
}

#[tokio::test]
async fn score_submit_return_resubmit_approve_and_nothing_typed_is_lost() {
    let tmp = TempDir::new().unwrap();
    let mut server = Server::start_demo(&tmp);
    let db = server.db.clone();
    let driver = Driver::start();
    let browser = driver.browser(360).await;

    // The unit officer of Sở Y tế comes from the public pages (a page load into the staff
    // build), signs in and opens the 2019 self-assessment.
    browser.goto(&server.url("/")).await;
    browser.click(".site-header a.account__link[href='/sign-in']").await;
    browser.wait_for("#sign-in-username").await;
    assert!(
        browser.js("return Array.from(document.scripts).some(s => s.src.includes('/staff/'))").await == json!(true)
            || browser.js("return document.querySelector('link[href^=\"/staff/\"]') !== null").await == json!(true),
        "the sign-in page is the staff build"
    );
    assert_accessible(&browser, "sign-in at 360 px").await;
    maybe_screenshot(&browser, "sign-in-360").await;
    // Bad input: a clear message next to the field, nothing typed lost.
    browser.wait_for("#sign-in-username").await.send_keys("yte").await.unwrap();
    browser.click("[data-testid=sign-in-form] button[type=submit]").await;
    browser.wait_for_text("#sign-in-password-error", "Hãy nhập mật khẩu").await;
    browser.wait_for("#sign-in-password").await.send_keys("sai-mat-khau").await.unwrap();
    browser.click("[data-testid=sign-in-form] button[type=submit]").await;
    browser.wait_for_text("#sign-in-error", "không đúng").await;
    assert_eq!(browser.js("return document.getElementById('sign-in-username').value").await, "yte");
    sign_in(&browser, &server, "yte").await;
    assert_accessible(&browser, "the sheet list at 360 px").await;
    open_2019_sheet(&browser, "Sở Y tế").await;
    assert_accessible(&browser, "the self-assessment at 360 px").await;
    assert!(!browser.page_overflows().await, "the form scrolls sideways at 360 px");
    // In English too, with the decimal point.
    browser.click("[data-testid=lang-switch]").await;
    browser.wait_for_text("h1", "Self-assessment").await;
    browser.wait_for_text(".breadcrumbs", "Score sheets").await;
    assert_accessible(&browser, "the self-assessment in English at 360 px").await;
    maybe_screenshot(&browser, "self-assessment-en-360").await;
    browser.click("[data-testid=lang-switch]").await;
    browser.wait_for_text("h1", "Tự chấm điểm").await;
    let count = score_inputs(&browser).await.len();
    assert!(count > 5, "the criteria are listed");
    browser.wait_for_text("[data-testid=progress]", &format!("Đã chấm 0/{count} tiêu chí")).await;
    assert_eq!(
        browser.js("return document.querySelector('.score-input').getAttribute('inputmode')").await,
        "decimal",
        "phones show a decimal keypad"
    );
    assert_eq!(browser.js("return document.querySelectorAll('.crit--unscored').length").await, json!(count));

    // Scores typed with the Vietnamese decimal comma; the total follows as you type.
    type_score(&browser, 0, "9,5").await;
    browser.wait_for_text("[data-testid=total]", "9,5").await;
    type_score(&browser, 1, "0").await;
    browser.wait_for_text("[data-testid=progress]", &format!("Đã chấm 2/{count} tiêu chí")).await;
    assert_eq!(
        browser.js("return document.querySelectorAll('.crit--unscored').length").await,
        json!(count - 2),
        "0 is a score, not an empty field"
    );
    wait_for_save_state(&browser, "Saved", WAIT).await;

    // A wrong value: the message is next to the field, the text stays, nothing is sent.
    type_score(&browser, 2, "abc").await;
    browser.wait_for_text("#score-3-error, .field__error", "Hãy nhập một số").await;
    wait_for_save_state(&browser, "NeedsFixing", WAIT).await;
    assert_eq!(value_of(&browser, 2).await, "abc");

    // Reload mid-form, before the save: what was typed comes back and is then saved.
    type_score(&browser, 2, "4,5").await;
    browser.client.refresh().await.unwrap();
    browser.wait_for("[data-testid=sheet-form]").await;
    assert_eq!(value_of(&browser, 2).await, "4,5", "the reload lost nothing");
    wait_for_save_state(&browser, "Saved", WAIT).await;
    assert_eq!(total(&browser).await, "14");

    // The server stops while the person types: kept on the device, saved once it is back.
    server.stop();
    type_score(&browser, 3, "3").await;
    wait_for_save_state(&browser, "Offline", WAIT).await;
    browser.wait_for_text("[data-testid=save-status]", "đã giữ trên thiết bị này").await;
    maybe_screenshot(&browser, "self-offline-360").await;
    server.restart();
    wait_for_save_state(&browser, "Saved", Duration::from_secs(40)).await;

    // The server is slow, then answers 503 (its database is locked by another process).
    let lock = WriteLock::take(&db);
    type_score(&browser, 4, "2").await;
    wait_for_save_state(&browser, "Saving", WAIT).await;
    wait_for_save_state(&browser, "ServerError", WAIT).await;
    assert_eq!(value_of(&browser, 4).await, "2");
    drop(lock);
    wait_for_save_state(&browser, "Saved", Duration::from_secs(40)).await;

    // The session expires while typing: sign in again in place, then it is saved.
    sql(&db, "DELETE FROM sessions");
    type_score(&browser, 5, "1").await;
    wait_for_save_state(&browser, "SignedOut", WAIT).await;
    browser.wait_for("[data-testid=sign-in-again]").await;
    assert_accessible(&browser, "signing in again at 360 px").await;
    browser.wait_for("#resign-password").await.send_keys(PASSWORD).await.unwrap();
    browser.click("[data-testid=resign-form] button[type=submit]").await;
    wait_for_save_state(&browser, "Saved", WAIT).await;
    assert_eq!(total(&browser).await, "20");

    // Everything survived on the server: a fresh load shows it.
    browser.client.refresh().await.unwrap();
    browser.wait_for("[data-testid=sheet-form]").await;
    let values: Vec<String> = first_values(&browser, 6).await;
    assert_eq!(values, ["9,5", "0", "4,5", "3", "2", "1"]);
    maybe_screenshot(&browser, "self-assessment-360").await;
    browser.set_width(1280).await;
    assert_accessible(&browser, "the self-assessment at 1280 px").await;
    maybe_screenshot(&browser, "self-assessment-1280").await;
    browser.set_width(360).await;

    // Submitting asks first and lists what is still empty.
    browser.click("[data-testid=submit]").await;
    browser.wait_for("[data-testid=submit-confirm]").await;
    let unscored = browser.texts("[data-testid=unscored-list] li").await;
    assert_eq!(unscored.len(), count - 6);
    assert_accessible(&browser, "the submit confirmation at 360 px").await;
    browser.click("[data-testid=confirm-submit]").await;
    browser.wait_for_text("[data-testid=sheet-state]", "Đã nộp").await;
    assert_eq!(browser.js("return document.querySelector('.score-input').readOnly").await, json!(true));
    sign_out(&browser).await;

    // The bloc leader's officer returns it with a comment.
    sign_in(&browser, &server, "ldtbxh").await;
    open_2019_sheet(&browser, "Sở Y tế").await;
    browser.wait_for_text("h1", "Thẩm định").await;
    assert_accessible(&browser, "the verification at 360 px").await;
    browser.click("[data-testid=return]").await;
    browser.wait_for_text("#return-comment-error", "không được để trống").await;
    browser.wait_for("#return-comment").await.send_keys("Mục 1.1 thiếu minh chứng.").await.unwrap();
    browser.click("[data-testid=return]").await;
    browser.wait_for_text("[data-testid=sheet-state]", "Bị trả lại").await;
    sign_out(&browser).await;

    // The unit sees the comment, fixes, resubmits.
    sign_in(&browser, &server, "yte").await;
    open_2019_sheet(&browser, "Sở Y tế").await;
    browser.wait_for_text("[data-testid=return-comment]", "thiếu minh chứng").await;
    type_score(&browser, 0, "10").await;
    wait_for_save_state(&browser, "Saved", WAIT).await;
    browser.click("[data-testid=submit]").await;
    browser.click("[data-testid=confirm-submit]").await;
    browser.wait_for_text("[data-testid=sheet-state]", "Đã nộp").await;
    sign_out(&browser).await;

    // The leader takes the self scores, lowers one, and approves.
    sign_in(&browser, &server, "ldtbxh").await;
    open_2019_sheet(&browser, "Sở Y tế").await;
    browser.click("[data-testid=approve]").await;
    browser.wait_for_text(".sheet-actions [role=alert]", "chưa có điểm thẩm định").await;
    browser.click("[data-testid=copy-self]").await;
    type_score(&browser, 0, "9").await;
    browser.wait_for_text("[data-testid='crit-1.1']", "Chênh lệch −1").await;
    // Criteria the unit left empty are verified as 0.
    let n = score_inputs(&browser).await.len();
    for i in 6..n {
        type_score(&browser, i, "0").await;
    }
    wait_for_save_state(&browser, "Saved", WAIT).await;
    maybe_screenshot(&browser, "verification-360").await;
    browser.set_width(1280).await;
    assert_accessible(&browser, "the verification at 1280 px").await;
    maybe_screenshot(&browser, "verification-1280").await;
    browser.set_width(360).await;
    browser.click("[data-testid=approve]").await;
    browser.wait_for_text("[data-testid=sheet-state]", "Đã duyệt").await;
    assert!(browser.texts("[data-testid=audit] li").await.len() >= 8, "the audit trail lists the changes");

    // The 2019 results are not published: the bloc leader's officer previews them (it enters
    // the tally). The ranking follows the verified scores: Sở Y tế first with 19.5.
    browser.goto(&server.url("/2019/blocs/1/results")).await;
    browser.wait_for("[data-testid=unpublished]").await;
    let first = browser.texts("[data-testid=ranking-row]").await[0].clone();
    assert!(first.contains("Sở Y tế") && first.contains("19,5"), "first row: {first}");
    browser.goto(&server.url("/sheets")).await;
    sign_out(&browser).await;
    browser.goto(&server.url("/2019/blocs/1/results")).await;
    browser.wait_for_text("[data-testid=error-panel]", "chưa được công bố").await;
    assert!(browser.texts("[data-testid=ranking-row]").await.is_empty());
    browser.client.close().await.unwrap();
}

async fn first_values(browser: &Browser, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..n {
        out.push(value_of(browser, i).await);
    }
    out
}

/// Two people on one sheet: the later save is refused (409), the form lists what differs
/// and the person keeps theirs; nothing of either is lost without a choice.
#[tokio::test]
async fn a_conflicting_save_shows_the_differences_and_the_person_chooses() {
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let unit = driver.browser(360).await;
    let staff = driver.browser(1280).await;

    sign_in(&unit, &server, "yte").await;
    open_2019_sheet(&unit, "Sở Y tế").await;
    sign_in(&staff, &server, "staff").await;
    open_2019_sheet(&staff, "Sở Y tế").await;

    // Staff save 1.2 first; the unit's page still holds the older version.
    type_score(&staff, 1, "7").await;
    wait_for_save_state(&staff, "Saved", WAIT).await;
    type_score(&unit, 0, "8,5").await;
    wait_for_save_state(&unit, "Conflict", WAIT).await;
    unit.wait_for("[data-testid=conflict]").await;
    let rows = unit.texts("[data-testid=conflict] tbody tr").await;
    assert!(rows.iter().any(|r| r.contains("1.1") && r.contains("8,5")), "mine is listed: {rows:?}");
    assert!(rows.iter().any(|r| r.contains("1.2") && r.contains('7')), "theirs is listed: {rows:?}");
    assert_accessible(&unit, "the conflict at 360 px").await;
    maybe_screenshot(&unit, "conflict-360").await;

    // Keep mine: the unit's screen (1.1 = 8,5, 1.2 empty) becomes the saved version.
    unit.click("[data-testid=keep-mine]").await;
    wait_for_save_state(&unit, "Saved", WAIT).await;
    unit.client.refresh().await.unwrap();
    unit.wait_for("[data-testid=sheet-form]").await;
    assert_eq!(value_of(&unit, 0).await, "8,5");
    assert_eq!(value_of(&unit, 1).await, "");

    // Now staff are behind: they take the saved version instead.
    type_score(&staff, 2, "1").await;
    wait_for_save_state(&staff, "Conflict", WAIT).await;
    staff.click("[data-testid=take-theirs]").await;
    wait_for_save_state(&staff, "Saved", WAIT).await;
    assert_eq!(value_of(&staff, 0).await, "8,5", "the staff page now shows the saved 1.1");
    assert_eq!(value_of(&staff, 2).await, "");

    // A bonus line counts in the total once it has a reason and points.
    staff.click("[data-testid=add-bonuses]").await;
    staff.wait_for("[data-testid=bonuses] li input").await.send_keys("Sáng kiến cấp tỉnh").await.unwrap();
    wait_for_save_state(&staff, "NeedsFixing", WAIT).await;
    staff.wait_for("[data-testid=bonuses] li .score-input").await.send_keys("2").await.unwrap();
    staff.wait_for_text("[data-testid=total]", "10,5").await;
    wait_for_save_state(&staff, "Saved", WAIT).await;
    unit.client.close().await.unwrap();
    staff.client.close().await.unwrap();
}

/// Keyboard alone: sign in, reach a score, type it, open its note, submit — no mouse.
#[tokio::test]
async fn the_forms_work_with_the_keyboard_alone() {
    use fantoccini::key::Key;
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let browser = driver.browser(360).await;
    let press = |keys: String| {
        let client = browser.client.clone();
        async move { client.active_element().await.unwrap().send_keys(&keys).await.unwrap() }
    };
    let tab = || String::from(char::from(Key::Tab));
    let enter = || String::from(char::from(Key::Enter));
    let focused = || async {
        browser.js("return document.activeElement.id || document.activeElement.dataset.testid || document.activeElement.tagName").await
    };

    // Sign in: the username field, Tab, the password, Enter.
    browser.goto(&server.url("/sign-in")).await;
    browser.wait_for("#sign-in-username").await.click().await.unwrap();
    press(format!("yte{}{PASSWORD}{}", tab(), enter())).await;
    browser.wait_for("[data-testid=sheet-list]").await;

    // Tab to the 2019 sheet's link and open it with Enter.
    let mut steps = 0;
    loop {
        support::key(&browser, Key::Tab).await;
        let text = browser.js("return document.activeElement.closest('.sheet-list__item')?.textContent || ''").await;
        if text.as_str().unwrap_or_default().contains("2019") {
            break;
        }
        steps += 1;
        assert!(steps < 30, "the 2019 sheet is reachable with Tab");
    }
    support::key(&browser, Key::Enter).await;
    browser.wait_for("[data-testid=sheet-form]").await;

    // Tab to the first score and type it; the total follows.
    let mut steps = 0;
    while !focused().await.as_str().unwrap_or_default().starts_with("score-") {
        support::key(&browser, Key::Tab).await;
        steps += 1;
        assert!(steps < 40, "a score field is reachable with Tab");
    }
    press("6,5".into()).await;
    browser.wait_for_text("[data-testid=total]", "6,5").await;
    // The next stop is the criterion's note, which Enter opens.
    support::key(&browser, Key::Tab).await;
    assert_eq!(browser.js("return document.activeElement.tagName").await, "SUMMARY");
    support::key(&browser, Key::Enter).await;
    assert_eq!(browser.js("return document.activeElement.parentElement.open").await, json!(true));
    wait_for_save_state(&browser, "Saved", WAIT).await;

    // On to the submit button, Enter, and the confirmation's button, Enter.
    let mut steps = 0;
    while focused().await != "submit-sheet" {
        support::key(&browser, Key::Tab).await;
        steps += 1;
        // Each criterion has its score, its note and its two file pickers on the way.
        assert!(steps < 200, "the submit button is reachable with Tab");
    }
    support::key(&browser, Key::Enter).await;
    browser.wait_for("[data-testid=submit-confirm]").await;
    support::key(&browser, Key::Tab).await;
    let mut steps = 0;
    while focused().await != "confirm-submit" {
        support::key(&browser, Key::Tab).await;
        steps += 1;
        assert!(steps < 10, "the confirmation's button is reachable with Tab");
    }
    support::key(&browser, Key::Enter).await;
    browser.wait_for_text("[data-testid=sheet-state]", "Đã nộp").await;
    browser.client.close().await.unwrap();
}
