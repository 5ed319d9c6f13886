//! The conference's vote end to end, on the real server and headless Chromium: staff open the
//! 2018 bloc's vote with 8 cards; 6 delegates vote on a phone (360 px, keyboard only: Tab,
//! Space, Enter); 2 paper ballots are entered by two clerks, one misread and corrected; the
//! close makes the tally the awards page shows. axe-core on every new view at 360 and 1280 px,
//! in Vietnamese and English.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use fantoccini::key::Key;
use serde_json::{json, Value};
use support::{
    api, api_with, assert_accessible, check_views, key, maybe_screenshot, sign_in, tab_to, Browser, Driver, Server,
};
use tempfile::TempDir;

/// A clerk enters a paper ballot: these boxes ticked.
async fn add_paper(staff: &Browser, ticks: &[String]) {
    for t in ticks {
        staff.click(t).await;
    }
    staff.click("[data-testid=add-ballot]").await;
}

/// One delegate on a phone, keyboard only: the card's link, the ballot, ticks with Space, the
/// review, the cast; answers the receipt.
async fn vote_on_phone(phone: &Browser, server: &Server, code: &str, ticks: &[&str]) -> String {
    // A new page: going to the same address with another `#` would not load one.
    phone.goto("about:blank").await;
    phone.goto(&server.url(&format!("/vote#{code}"))).await;
    let field = phone.wait_for("#card-code").await;
    let prefilled = phone.js("return document.getElementById('card-code').value").await;
    assert_eq!(prefilled, json!(code), "the QR code's link fills the code in");
    field.send_keys(&String::from(char::from(Key::Enter))).await.unwrap();
    phone.wait_for("[data-testid=ballot-form]").await;
    for tick in ticks {
        tab_to(phone, tick).await;
        key(phone, Key::Space).await;
    }
    tab_to(phone, "[data-testid=review-ballot]").await;
    key(phone, Key::Enter).await;
    phone.wait_for("[data-testid=ballot-review]").await;
    tab_to(phone, "[data-testid=cast]").await;
    key(phone, Key::Enter).await;
    phone.wait_for("[data-testid=receipt-code]").await;
    phone.texts("[data-testid=receipt-code]").await.remove(0)
}

#[tokio::test]
async fn eight_delegates_six_phones_two_paper_ballots_two_clerks() {
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let staff = driver.browser(1280).await;
    let phone = driver.browser(360).await;

    sign_in(&staff, &server, "staff").await;
    // A vote needs unpublished results: take 2018's back (the revisions keep the old ones).
    let answer = api(&staff, "POST", "/api/years/2018/blocs/1/unpublish?reason=B%E1%BA%A7u%20l%E1%BA%A1i").await;
    assert_eq!(answer["published"], json!(false), "{answer}");
    let ballot = api(&staff, "GET", "/api/years/2018/blocs/1/vote/ballot").await;
    let part = |i: usize| ballot["sections"][i]["award_type_id"].as_i64().unwrap();
    let unit = |p: usize, i: usize| ballot["sections"][p]["units"][i].as_i64().unwrap();
    let (flag, provincial) = (part(0), part(1));

    // The printed ballot.
    staff.goto(&server.url("/awards/2018/1/ballot")).await;
    staff.wait_for_text("[data-testid=printed-ballot]", "Chọn không quá 2 đơn vị").await;
    let label = ballot["label"].as_str().unwrap().to_owned();
    staff.wait_for_text("[data-testid=printed-ballot]", &label).await;
    check_views(&staff, "the printed ballot", "vote-ballot").await;

    // Open the vote with 8 cards.
    staff.set_width(1280).await;
    staff.goto(&server.url("/awards/2018/1/vote")).await;
    staff.wait_for("[data-testid=open-vote]").await;
    check_views(&staff, "opening the vote", "vote-open").await;
    staff.wait_for("#vote-cards").await.send_keys("8").await.unwrap();
    staff.wait_for("#vote-committee").await.send_keys("Trưởng ban: Nguyễn Văn A").await.unwrap();
    staff.click("[data-testid=open-vote-submit]").await;
    staff.wait_for("[data-testid=voting-card]").await;
    let codes = staff.texts(".voting-card__code").await;
    assert_eq!(codes.len(), 8);
    assert_eq!(staff.texts("[data-testid=voting-card] svg.qr").await.len(), 8, "a QR code on every card");
    check_views(&staff, "the vote while open", "vote-counting").await;

    // Six delegates on phones: the flag for the leader (5 of them), the provincial flag for
    // the first two (4) or the first and third (2).
    let tick = |a: i64, u: i64| format!("#tick-{a}-{u}");
    let mut receipts = Vec::new();
    for (i, code) in codes.iter().take(6).enumerate() {
        let mut chosen = Vec::new();
        if i < 5 {
            chosen.push(tick(flag, unit(0, 0)));
        }
        chosen.push(tick(provincial, unit(1, 0)));
        chosen.push(tick(provincial, if i < 4 { unit(1, 1) } else { unit(1, 2) }));
        let refs: Vec<&str> = chosen.iter().map(String::as_str).collect();
        if i == 0 {
            // The ballot view itself, before anything is ticked.
            phone.goto(&server.url(&format!("/vote#{code}"))).await;
            phone.click("[data-testid=card-form] button[type=submit]").await;
            phone.wait_for("[data-testid=ballot-form]").await;
            check_views(&phone, "the delegate's ballot", "vote-phone").await;
            phone.set_width(360).await;
        }
        receipts.push(vote_on_phone(&phone, &server, code, &refs).await);
    }
    maybe_screenshot(&phone, "vote-receipt-360").await;
    // The same card again: the same receipt, nothing stored.
    phone.goto("about:blank").await;
    phone.goto(&server.url(&format!("/vote#{}", codes[0]))).await;
    phone.click("[data-testid=card-form] button[type=submit]").await;
    phone.wait_for_text("[data-testid=receipt-code]", &receipts[0]).await;
    staff.goto(&server.url("/awards/2018/1/vote")).await;
    staff.wait_for_text("[data-testid=cards-cast]", "6").await;

    // Two paper ballots, clerk 1: the flag and the provincial flag for units 1 and 2; then one
    // set aside (torn).
    let paper_first = [
        format!("#paper-{flag}-{}", unit(0, 0)),
        format!("#paper-{provincial}-{}", unit(1, 1)),
        format!("#paper-{provincial}-{}", unit(1, 2)),
    ];
    add_paper(&staff, &paper_first).await;
    staff.wait_for_text("[data-testid=clerk-count]", "1").await;
    staff.click("#set-aside").await;
    staff.wait_for("#set-aside-reason").await.send_keys("Phiếu rách").await.unwrap();
    staff.click("[data-testid=add-ballot]").await;
    staff.wait_for_text("[data-testid=paper-ballot]", "Phiếu rách").await;
    // The second clerk is another person, on another machine; entering the other copy from
    // the first clerk's account is refused.
    staff.click("#clerk-2").await;
    add_paper(&staff, &paper_first).await;
    staff.wait_for_text("[data-testid=paper-error]", "hai người").await;
    let user = json!({"username": "thuky2", "display_name": "Thư ký thứ hai", "role": "staff", "unit_id": null,
                      "password": support::PASSWORD});
    let created = api_with(&staff, "POST", "/api/admin/users", Some(&user)).await;
    assert_eq!(created["username"], json!("thuky2"), "{created}");
    let clerk2 = driver.browser(1280).await;
    sign_in(&clerk2, &server, "thuky2").await;
    clerk2.goto(&server.url("/awards/2018/1/vote")).await;
    clerk2.wait_for("[data-testid=paper-form]").await;
    // Clerk 2 misreads the second ballot as blank.
    clerk2.click("#clerk-2").await;
    add_paper(&clerk2, &paper_first).await;
    clerk2.wait_for_text("[data-testid=clerk-count]", "1").await;
    clerk2.click("[data-testid=add-ballot]").await;
    clerk2.wait_for_text("[data-testid=disagreements]", "Phiếu số 2").await;
    // The first clerk's page shows it too, without reloading (the page asks every few seconds).
    staff.wait_for_text("[data-testid=disagreements]", "Phiếu số 2").await;
    clerk2.set_width(360).await;
    assert_accessible(&clerk2, "the disagreement at 360 px").await;
    maybe_screenshot(&clerk2, "vote-disagreement-360-vi").await;
    // Closing now is refused; the second clerk corrects ballot 2.
    staff.wait_for("#close-voters").await.send_keys("8").await.unwrap();
    staff.click("[data-testid=close-vote-submit]").await;
    staff.wait_for_text("#close-voters-error", "chưa khớp").await;
    clerk2.click("[data-testid=paper-ballot]:nth-child(2) button").await;
    clerk2.wait_for_text("[data-testid=clerk-count]", "Đã nhập 1").await;
    clerk2.click("#set-aside").await;
    clerk2.wait_for("#set-aside-reason").await.send_keys("Phiếu rách").await.unwrap();
    clerk2.click("[data-testid=add-ballot]").await;
    clerk2.wait_for("[data-testid=clerks-agree]").await;
    staff.wait_for("[data-testid=clerks-agree]").await;

    // Close: 6 + 2 ballots, 8 voters present.
    staff.click("[data-testid=close-vote-submit]").await;
    staff.wait_for("[data-testid=vote-result]").await;
    let tables = staff.texts("[data-testid=count-table]").await;
    // Worked out by hand: the flag 5 + 1 = 6 of 8 (75,00 %); the provincial flag unit 0: 6,
    // unit 1: 4 + 1 = 5, unit 2: 2 + 1 = 3; the torn ballot invalid in every part.
    assert!(tables[0].contains("6") && tables[0].contains("75,00 %"), "{}", tables[0]);
    assert!(tables[1].contains("62,50 %") && tables[1].contains("37,50 %"), "{}", tables[1]);
    assert!(tables[1].contains("1 không hợp lệ"), "{}", tables[1]);
    let listed = staff.texts("[data-testid=receipts] li").await;
    let mut sorted = receipts.clone();
    sorted.sort();
    assert_eq!(listed, sorted, "every receipt listed");
    check_views(&staff, "the count", "vote-result").await;

    // The counting minutes, to print and sign: the committee, the counts, the proposals.
    staff.click("a[href='/awards/2018/1/vote/minutes']").await;
    staff.wait_for_text("[data-testid=vote-minutes]", "BIÊN BẢN KIỂM PHIẾU").await;
    let minutes = staff.texts("[data-testid=vote-minutes]").await.remove(0);
    for expected in [
        "Nguyễn Văn A",
        "Số đại biểu có mặt: 8",
        "6/8",
        "75,00 %",
        "5/8",
        "62,50 %",
        "TRƯỞNG BAN KIỂM PHIẾU",
        label.as_str(),
    ] {
        assert!(minutes.contains(expected), "the minutes say {expected:?}: {minutes}");
    }
    check_views(&staff, "the counting minutes", "vote-minutes").await;
    staff.goto(&server.url("/awards/2018/1/vote")).await;
    staff.wait_for("[data-testid=vote-result]").await;

    // The tally on the awards page is the count's, and the leader is proposed for the flag.
    staff.click("a[href='/awards/2018/1']").await;
    staff.wait_for("[data-testid=tally-form]").await;
    let results = api(&staff, "GET", "/api/years/2018/blocs/1/results").await;
    assert_eq!(results["tally_method"], json!("counted"));
    assert_eq!(results["tally"]["voters_present"], json!(8));
    let proposed: Vec<&Value> =
        results["candidates"].as_array().unwrap().iter().filter(|c| c["proposed"] == json!(true)).collect();
    assert!(
        proposed.iter().any(|c| c["unit_id"] == json!(unit(0, 0)) && c["award_type_id"] == json!(flag)),
        "{proposed:?}"
    );
    // The results say how the tally was made.
    staff.goto(&server.url("/2018/blocs/1/results")).await;
    staff.wait_for_text("[data-testid=tally-method]", "kiểm từng phiếu").await;

    // A threshold on the total membership: the rules form names the base, and the tally form
    // asks for the membership and the absent members' written opinions.
    let types = api(&staff, "GET", "/api/years/2018/award-types").await;
    let mut rule = types.as_array().unwrap().iter().find(|t| t["id"] == json!(provincial)).unwrap().clone();
    rule["threshold"]["base"] = json!("membership");
    rule.as_object_mut().unwrap().remove("id");
    let saved = api_with(&staff, "PUT", &format!("/api/years/2018/award-types/{provincial}"), Some(&rule)).await;
    assert_eq!(saved["threshold"]["base"], json!("membership"), "{saved}");
    staff.goto(&server.url("/awards/2018")).await;
    let select = format!("#award-{provincial}-base");
    staff.wait_for(&select).await;
    assert_eq!(staff.js(&format!("return document.querySelector({}).value", json!(select))).await, json!("membership"));
    check_views(&staff, "the award rules with a threshold base", "vote-rules-base").await;
    staff.goto(&server.url("/awards/2018/1")).await;
    staff.wait_for("#membership").await;
    staff.wait_for(&format!("#written-{}-{provincial}", unit(1, 1))).await;
    check_views(&staff, "the tally form with a membership base", "vote-tally-bases").await;
}
