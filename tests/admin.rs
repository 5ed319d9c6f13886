//! End to end, staff prepare a new year from the browser alone: 2020 copied from 2019, a
//! new leader, a criterion added in the editor (with the keyboard), the criteria imported
//! from a CSV prepared in a spreadsheet, an account created — and a unit officer then
//! scores on the new form. Real server, real SQLite file, headless Chromium.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use serde_json::json;
use support::{assert_accessible, maybe_screenshot, sign_in, sign_out, Browser, Driver, Server};
use tempfile::TempDir;

async fn type_into(browser: &Browser, css: &str, text: &str) {
    let field = browser.wait_for(css).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Chooses the `<option>` whose text contains `text` and tells the page.
async fn choose(browser: &Browser, select: &str, text: &str) {
    let script = format!(
        "const s = document.querySelector({}); const o = Array.from(s.options).find(o => o.text.includes({}));\
         s.value = o.value; s.dispatchEvent(new Event('change', {{bubbles: true}})); return o.value",
        json!(select),
        json!(text)
    );
    browser.js(&script).await;
}

/// The criteria editor's codes, in the tree's order.
async fn criterion_codes(browser: &Browser) -> Vec<String> {
    let script = "return Array.from(document.querySelectorAll('[data-testid=criteria-node] input[id^=code-]')).map(i => i.value)";
    serde_json::from_value(browser.js(script).await).unwrap()
}

async fn checks(browser: &Browser, what: &str, name: &str) {
    assert_accessible(browser, &format!("{what} at 360 px")).await;
    assert!(!browser.page_overflows().await, "{what} scrolls sideways at 360 px");
    maybe_screenshot(browser, &format!("{name}-360")).await;
    browser.set_width(1280).await;
    assert_accessible(browser, &format!("{what} at 1280 px")).await;
    maybe_screenshot(browser, &format!("{name}-1280")).await;
    browser.set_width(360).await;
}

#[tokio::test]
async fn staff_set_up_a_new_year_and_an_officer_scores_on_its_form() {
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let staff = driver.browser(360).await;

    // 2020, copied from 2019.
    sign_in(&staff, &server, "staff").await;
    staff.click("[data-testid=admin-link]").await;
    staff.wait_for("[data-testid=new-year]").await;
    checks(&staff, "the administration page", "admin").await;
    staff.click("[data-testid=lang-switch]").await;
    staff.wait_for_text("h1", "Administration").await;
    staff.wait_for_text("[data-testid=new-year]", "Copy from year").await;
    assert_accessible(&staff, "the administration page in English").await;
    maybe_screenshot(&staff, "admin-en-360").await;
    staff.click("[data-testid=lang-switch]").await;
    staff.wait_for_text("h1", "Quản trị").await;
    type_into(&staff, "#new-year", "2019").await;
    staff.click("[data-testid=new-year] button[type=submit]").await;
    staff.wait_for_text("#new-year-error", "Năm này đã có").await;
    type_into(&staff, "#new-year", "2020").await;
    staff.click("[data-testid=new-year] button[type=submit]").await;
    staff.wait_for_text("[data-testid=year-item] h3", "2020").await;

    // The bloc in 2020: the same members; a new leader.
    // A new bloc in 2020, from the year's list: its set-up page opens.
    staff.click("[data-testid=year-item]:first-child details.override summary").await;
    staff.click("[data-testid=year-item]:first-child details.override button[type=submit]").await;
    staff.wait_for_text("#new-bloc-2020-error", "không được để trống").await;
    type_into(&staff, "#new-bloc-2020", "Khối các cơ quan nội chính").await;
    staff.click("[data-testid=year-item]:first-child details.override button[type=submit]").await;
    staff.wait_for_text("h1", "Khối các cơ quan nội chính").await;
    choose(&staff, "#add-member", "Sở Y tế").await;
    staff.click("button.add-member").await;
    staff.wait_for_text("[data-testid=member-list]", "Sở Y tế").await;
    staff.click("[data-testid=save-bloc]").await;
    staff.wait_for_text("[data-testid=bloc-setup] [role=status]", "Đã lưu").await;
    // Set up by mistake, with nothing recorded: it leaves the year again.
    staff.click("[data-testid=remove-bloc]").await;
    staff.click("[data-testid=confirm-remove-bloc]").await;
    staff.wait_for("[data-testid=new-year]").await;
    staff.wait_for("a[href='/admin/2020/blocs/1']").await;
    assert!(staff.texts("a[href='/admin/2020/blocs/2']").await.is_empty(), "the bloc left 2020");

    staff.click("a[href='/admin/2020/blocs/1']").await;
    staff.wait_for("[data-testid=bloc-setup]").await;
    assert_eq!(staff.texts("[data-testid=member-list] li").await.len(), 7);
    // Renamed from 2020 on (the published 2018 keeps its name).
    type_into(&staff, "#bloc-name", "Khối văn hóa - xã hội").await;
    staff.click("[data-testid=save-bloc]").await;
    staff.wait_for_text("[data-testid=bloc-setup] [role=status]", "Đã lưu").await;
    staff.goto(&server.url("/admin")).await;
    staff.wait_for_text("a[href='/admin/2020/blocs/1']", "Khối văn hóa - xã hội").await;
    assert!(!staff.texts("a[href='/admin/2018/blocs/1']").await[0].contains("Khối văn hóa - xã hội"));
    staff.click("a[href='/admin/2020/blocs/1']").await;
    staff.wait_for("[data-testid=bloc-setup]").await;
    choose(&staff, "#leader", "Sở Y tế").await;
    choose(&staff, "#deputy", "Sở Y tế").await;
    staff.click("[data-testid=save-bloc]").await;
    staff.wait_for_text("#deputy-error", "không thể đồng thời là phó khối").await;
    choose(&staff, "#deputy", "Sở Giáo dục").await;
    staff.click("[data-testid=save-bloc]").await;
    staff.wait_for_text("[data-testid=bloc-setup] [role=status]", "Đã lưu").await;

    // A criterion added under the last section, with the keyboard; the live total follows.
    staff.wait_for_text("[data-testid=max-total]", "100").await;
    let sections = staff.texts("[data-testid=criteria-editor] .criteria-tree--top > li").await.len();
    let add = format!(
        "[data-testid=criteria-editor] .criteria-tree--top > li:nth-child({sections}) > .criteria-node__actions [data-testid=add-child]"
    );
    staff.wait_for(&add).await.send_keys("\u{E007}").await.unwrap();
    // Focus moved into the new criterion's first field: type there.
    staff.wait_for("[data-testid=criteria-node] input[id^=code-]:focus").await;
    let active = staff.client.active_element().await.unwrap();
    active.send_keys("5.3").await.unwrap();
    let key = staff.js("return document.activeElement.id.slice(5)").await.as_str().unwrap().to_owned();
    type_into(&staff, &format!("#title-{key}"), "Ứng dụng chuyển đổi số trong thi đua").await;
    type_into(&staff, &format!("#max-{key}"), "5").await;
    staff.wait_for_text("[data-testid=max-total]", "105").await;
    type_into(&staff, "#intended-total", "100").await;
    staff.wait_for_text("[data-testid=max-total]", "chưa khớp").await;
    type_into(&staff, "#intended-total", "105").await;
    staff.wait_for_text("[data-testid=max-total]", "khớp với dự kiến").await;
    // Moved up with the keyboard: focus stays on the button.
    staff.wait_for(&format!("#up-{key}")).await.send_keys("\u{E007}").await.unwrap();
    staff.wait_for(&format!("#up-{key}:focus")).await;
    let codes = criterion_codes(&staff).await;
    let at = |code: &str| codes.iter().position(|c| c == code).unwrap();
    assert!(at("5.3") < at("5.2"), "5.3 moved above 5.2: {codes:?}");
    staff.click("[data-testid=save-criteria]").await;
    staff.wait_for_text("[data-testid=criteria-editor] [role=status]", "Đã lưu").await;
    checks(&staff, "the bloc set-up", "admin-bloc").await;

    // Another year's criteria of the bloc, copied into the editor (not saved).
    choose(&staff, "#copy-criteria-from", "2018").await;
    staff.click("[data-testid=copy-criteria]").await;
    staff.wait_for_text("[data-testid=max-total]", "Tổng điểm tối đa: 100").await;
    let copied = criterion_codes(&staff).await;
    assert!(copied.contains(&"5.2".to_owned()) && !copied.contains(&"5.3".to_owned()), "2018's criteria: {copied:?}");

    // Criteria prepared in a spreadsheet: a bad line is named, then a good file replaces the tree.
    let dir = TempDir::new().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "level,code,title,max_points,step\n1,I,Nhiệm vụ chính,,\n2,1.1,Kết quả,mười,0.5\n").unwrap();
    staff.wait_for("[data-testid=import-csv]").await.send_keys(bad.to_str().unwrap()).await.unwrap();
    staff.wait_for_text("[data-testid=import-errors]", "Dòng 3").await;
    let good = dir.path().join("tieu-chi-2020.csv");
    std::fs::write(
        &good,
        "\u{feff}level,code,title,max_points,step\n\
         1,I,Thực hiện nhiệm vụ chính trị,,\n\
         2,1.1,Kết quả thực hiện chỉ tiêu,60,0.5\n\
         2,1.2,Tham mưu ban hành cơ chế,20,0.5\n\
         1,II,Công tác thi đua và chuyển đổi số,20,0.5\n",
    )
    .unwrap();
    staff.wait_for("[data-testid=import-csv]").await.send_keys(good.to_str().unwrap()).await.unwrap();
    let deadline = std::time::Instant::now() + support::WAIT;
    while criterion_codes(&staff).await != ["I", "1.1", "1.2", "II"] {
        assert!(std::time::Instant::now() < deadline, "the imported tree: {:?}", criterion_codes(&staff).await);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    staff.wait_for_text("[data-testid=max-total]", "100").await;
    assert!(staff.texts("[data-testid=import-errors] li").await.is_empty());
    staff.click("[data-testid=save-criteria]").await;
    staff.wait_for_text("[data-testid=criteria-editor] [role=status]", "Đã lưu").await;

    // An account for the new leader unit's officer.
    staff.goto(&server.url("/admin/users")).await;
    staff.wait_for("[data-testid=new-user]").await;
    type_into(&staff, "#new-username", "yte").await;
    type_into(&staff, "#new-password", "ngan").await;
    staff.click("[data-testid=new-user] button[type=submit]").await;
    staff.wait_for_text("#new-username-error", "Tên đăng nhập này đã có người dùng").await;
    staff.wait_for_text("#new-password-error", "Cần ít nhất 10 ký tự").await;
    staff.wait_for_text("#new-unit-error", "không được để trống").await;
    type_into(&staff, "#new-username", "yte2020").await;
    type_into(&staff, "#new-display", "Cán bộ thi đua Sở Y tế (2020)").await;
    choose(&staff, "#new-unit", "Sở Y tế").await;
    type_into(&staff, "#new-password", "mat-khau-2020-dai").await;
    staff.click("[data-testid=new-user] button[type=submit]").await;
    staff.wait_for_text("[data-testid=user-item] h2", "yte2020").await;
    checks(&staff, "the accounts", "admin-users").await;

    // A unit renamed from 2020 on: 2018 keeps the name it had.
    staff.goto(&server.url("/admin/units")).await;
    staff.wait_for("[data-testid=unit-list]").await;
    let prefix = staff
        .js("const li = Array.from(document.querySelectorAll('[data-testid=unit-item]'))\
             .find(li => li.querySelector('h2').textContent.trim() === 'Sở Văn hóa, Thể thao và Du lịch');\
             return li.querySelector('[data-testid=rename-unit] input').id.replace(/-name$/, '')")
        .await;
    let prefix = prefix.as_str().expect("the unit's rename form").to_owned();
    type_into(&staff, &format!("#{prefix}-name"), "Sở Văn hóa và Thể thao").await;
    type_into(&staff, &format!("#{prefix}-from"), "2020").await;
    staff.click(&format!("#{prefix}-name")).await;
    staff.js(&format!("document.getElementById('{prefix}-name').form.requestSubmit(); return true")).await;
    staff.wait_for_text("[data-testid=unit-item] h2", "Sở Văn hóa và Thể thao").await;
    checks(&staff, "the units", "admin-units").await;
    staff.goto(&server.url("/2018/blocs/1/results")).await;
    staff.wait_for_text("[data-testid=ranking-row]", "Sở Văn hóa, Thể thao và Du lịch").await;
    staff.goto(&server.url("/admin/2020/blocs/1")).await;
    staff.wait_for_text("[data-testid=member-list]", "Sở Văn hóa và Thể thao").await;
    staff.goto(&server.url("/sheets")).await;
    sign_out(&staff).await;

    // The new account scores its 2020 sheet on the imported criteria.
    let officer = driver.browser(360).await;
    officer.goto(&server.url("/sign-in")).await;
    officer.wait_for("#sign-in-username").await.send_keys("yte2020").await.unwrap();
    officer.wait_for("#sign-in-password").await.send_keys("mat-khau-2020-dai").await.unwrap();
    officer.click("[data-testid=sign-in-form] button[type=submit]").await;
    officer.wait_for("[data-testid=sheet-list]").await;
    officer
        .js("const li = Array.from(document.querySelectorAll('.sheet-list__item')).find(li => li.textContent.includes('2020'));\
             li.querySelector('a').click(); return true")
        .await;
    officer.wait_for("[data-testid=sheet-form]").await;
    officer.wait_for_text("[data-testid=sheet-form]", "Kết quả thực hiện chỉ tiêu").await;
    officer.wait_for_text("[data-testid=sheet-form]", "Công tác thi đua và chuyển đổi số").await;
    let fields = officer.texts(".score-input[id^=score-]").await.len();
    assert_eq!(fields, 3, "one score field per imported leaf: 1.1, 1.2 and II");
    assert_accessible(&officer, "the new form at 360 px").await;
    let first = officer.wait_for(".score-input[id^=score-]").await;
    first.send_keys("50").await.unwrap();
    officer.wait_for_text("[data-testid=save-status]", "Đã lưu").await;

    // Staff change that criterion's maximum: saving asks first, then drops that score only.
    sign_in(&staff, &server, "staff").await;
    staff.goto(&server.url("/admin/2020/blocs/1")).await;
    staff.wait_for("[data-testid=criteria-editor]").await;
    let max = staff
        .js("return Array.from(document.querySelectorAll('[data-testid=criteria-node] input[id^=code-]'))\
             .find(i => i.value === '1.1').id.replace('code-', 'max-')")
        .await;
    type_into(&staff, &format!("#{}", max.as_str().unwrap()), "55").await;
    type_into(&staff, "#intended-total", "95").await;
    staff.wait_for_text("[data-testid=max-total]", "khớp với dự kiến").await;
    staff.click("[data-testid=save-criteria]").await;
    staff.wait_for_text("[data-testid=criteria-confirm]", "1.1 Kết quả thực hiện chỉ tiêu").await;
    assert_accessible(&staff, "the confirmation before dropping scores").await;
    staff.click("[data-testid=confirm-drop]").await;
    staff.wait_for_text("[data-testid=criteria-editor] [role=status]", "Đã lưu").await;
    officer.client.refresh().await.unwrap();
    officer.wait_for("[data-testid=sheet-form]").await;
    let value = officer.js("return document.querySelector('.score-input[id^=score-]').value").await;
    assert_eq!(value, "", "the changed criterion's score was dropped");
    staff.client.close().await.unwrap();
    officer.client.close().await.unwrap();
}

/// Types `keys` as a person would, into whatever has the focus (WebDriver's key actions: no
/// element is addressed, so a focused file input is passed like any other).
async fn press(browser: &Browser, keys: &str) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let mut actions = KeyActions::new("keyboard".into());
    for value in keys.chars() {
        actions = actions.then(KeyAction::Down { value }).then(KeyAction::Up { value });
    }
    browser.client.perform_actions(actions).await.expect("key actions");
}

/// Presses Tab until `test` (a JS expression on `el`, the focused element) holds.
async fn tab_until(browser: &Browser, test: &str, what: &str) {
    let tab = String::from(char::from(fantoccini::key::Key::Tab));
    let script = format!("const el = document.activeElement; return !!({test})");
    for _ in 0..300 {
        if browser.js(&script).await == json!(true) {
            return;
        }
        press(browser, &tab).await;
    }
    panic!("{what} is not reachable with Tab");
}

/// The same set-up with the keyboard alone: a new year, a new leader, a criterion added.
#[tokio::test]
async fn staff_set_up_a_year_with_the_keyboard_alone() {
    use fantoccini::key::Key;
    let (tab, enter, down) =
        (String::from(char::from(Key::Tab)), String::from(char::from(Key::Enter)), String::from(char::from(Key::Down)));
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let staff = driver.browser(360).await;

    staff.goto(&server.url("/sign-in")).await;
    staff.wait_for("#sign-in-username").await.click().await.unwrap();
    press(&staff, &format!("staff{tab}{}{enter}", support::PASSWORD)).await;
    staff.wait_for("[data-testid=sheet-list]").await;
    tab_until(&staff, "el.dataset.testid === 'admin-link'", "the administration link").await;
    press(&staff, &enter).await;

    // The new year's form is filled in with the next year, copied from the latest: submit it.
    staff.wait_for("[data-testid=new-year]").await;
    tab_until(&staff, "el.closest('[data-testid=new-year]') && el.type === 'submit'", "the new year's button").await;
    press(&staff, &enter).await;
    staff.wait_for_text("[data-testid=year-item] h3", "2020").await;
    tab_until(&staff, "el.getAttribute('href') === '/admin/2020/blocs/1'", "the 2020 bloc's link").await;
    press(&staff, &enter).await;

    // Another leader: the arrow key moves the select on.
    staff.wait_for("[data-testid=bloc-setup]").await;
    tab_until(&staff, "el.id === 'leader'", "the leader").await;
    let before = staff.js("return document.getElementById('leader').value").await;
    press(&staff, &down).await;
    let after = staff.js("return document.getElementById('leader').value").await;
    assert_ne!(before, after, "the leader changed");
    tab_until(&staff, "el.dataset.testid === 'save-bloc'", "the bloc's save button").await;
    press(&staff, &enter).await;
    staff.wait_for_text("[data-testid=bloc-setup] [role=status]", "Đã lưu").await;

    // A new item in the first section: its fields in turn, then save.
    tab_until(&staff, "el.dataset.testid === 'add-child'", "adding an item").await;
    press(&staff, &enter).await;
    staff.wait_for("[data-testid=criteria-node] input[id^=code-]:focus").await;
    press(&staff, &format!("1.5{tab}Tiêu chí mới thêm bằng bàn phím{tab}5")).await;
    staff.wait_for_text("[data-testid=max-total]", "105").await;
    tab_until(&staff, "el.dataset.testid === 'save-criteria'", "the criteria's save button").await;
    press(&staff, &enter).await;
    staff.wait_for_text("[data-testid=criteria-editor] [role=status]", "Đã lưu").await;
    let codes = criterion_codes(&staff).await;
    assert_eq!(codes.iter().position(|c| c == "1.5"), Some(5), "after 1.1–1.4: {codes:?}");
    staff.client.close().await.unwrap();
}
