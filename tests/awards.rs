//! End to end, in headless Chromium against the real server on a real SQLite file: staff
//! enter the 2019 acclaim vote, the rules flag a broken quota, publishing asks first; the
//! signed-out public page then shows the tally, the proposals, the decision and the unit's
//! history, prints on one A4 page and downloads a CSV that matches the API; unpublishing
//! hides it all again.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};
use support::{assert_accessible, maybe_screenshot, sign_in, sign_out, sql, Browser, Driver, Server, WAIT};
use tempfile::TempDir;

/// The merit certificate is the third award type (precedence order), the fourth cell of a
/// row of the tally grid (after the unit's name).
const MERIT_CELL: usize = 4;

fn merit_input(row: usize) -> String {
    format!(".tally-grid tbody tr:nth-child({row}) td:nth-child({MERIT_CELL}) input")
}

async fn type_into(browser: &Browser, css: &str, text: &str) {
    let field = browser.wait_for(css).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// The unit names of the tally grid, in its order.
async fn grid_units(browser: &Browser) -> Vec<String> {
    browser.texts(".tally-grid tbody th").await
}

async fn api_json(browser: &Browser, path: &str) -> Value {
    let script = format!(
        "const done = arguments[arguments.length - 1];\
         fetch({}, {{credentials: 'omit', cache: 'no-cache'}}).then(r => r.json()).then(done, e => done(String(e)));",
        json!(path)
    );
    browser.client.execute_async(&script, vec![]).await.expect("fetch")
}

/// How many pages Chromium prints the current page on, with the page's own `@page` size.
/// With `THIDUA_SCREENSHOTS` set, the PDF is kept there as `{name}.pdf`.
async fn printed_pages(browser: &Browser, name: &str) -> usize {
    let pdf = browser.cdp("Page.printToPDF", json!({ "preferCSSPageSize": true })).await;
    let bytes = base64::engine::general_purpose::STANDARD.decode(pdf["data"].as_str().expect("PDF data")).unwrap();
    if let Some(dir) = std::env::var_os("THIDUA_SCREENSHOTS") {
        std::fs::write(Path::new(&dir).join(format!("{name}.pdf")), &bytes).expect("write the PDF");
    }
    let text = String::from_utf8_lossy(&bytes);
    // Page objects are `/Type /Page`; the page tree is `/Type /Pages`.
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

fn wait_for_file(path: &Path) -> Vec<u8> {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(bytes) = std::fs::read(path) {
            if !bytes.is_empty() {
                return bytes;
            }
        }
        assert!(Instant::now() < deadline, "{} was not downloaded", path.display());
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test]
async fn tally_publish_decide_print_export_unpublish() {
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    // The first three members' 2019 sheets are approved (nothing verified yet: level at 0);
    // the other four are still drafts, so they are not ranked and cannot be proposed.
    sql(
        &server.db,
        "UPDATE score_sheets SET state = 'approved' WHERE year = 2019 AND unit_id IN \
         (SELECT unit_id FROM memberships WHERE year = 2019 ORDER BY position LIMIT 3)",
    );
    let driver = Driver::start();
    let staff = driver.browser(360).await;
    let public = driver.browser(360).await;

    // Not published: the public sees no 2019 results.
    public.goto(&server.url("/2019/blocs/1/results")).await;
    public.wait_for_text("[data-testid=error-panel]", "chưa được công bố").await;

    // The officer of the bloc's leader unit enters the tally but decides nothing else.
    sign_in(&public, &server, "ldtbxh").await;
    public.click("[data-testid=awards-links] a[href='/awards/2019/1']").await;
    public.wait_for("[data-testid=tally-form]").await;
    public.wait_for_text("[data-testid=publication-state]", "chưa được công bố").await;
    assert!(public.texts("[data-testid=publish], [data-testid=decision-form], details.override").await.is_empty());
    sign_out(&public).await;

    // Staff open the bloc's awards page from their sheet list.
    sign_in(&staff, &server, "staff").await;
    staff.click("[data-testid=awards-links] a[href='/awards/2019/1']").await;
    staff.wait_for("[data-testid=tally-form]").await;
    let units = grid_units(&staff).await;
    assert_eq!(units.len(), 7, "every member has a row: {units:?}");

    // Bad input: a count above the voters present is refused next to its field, and
    // nothing typed is lost.
    type_into(&staff, "#voters", "10").await;
    type_into(&staff, &merit_input(1), "11").await;
    type_into(&staff, &merit_input(2), "8").await;
    staff.click("[data-testid=save-tally]").await;
    staff.wait_for_text(".tally-grid tbody tr:nth-child(1) .field__error", "Không được vượt quá 10").await;
    let typed = staff.js(&format!("return document.querySelector({}).value", json!(merit_input(2)))).await;
    assert_eq!(typed, "8");
    assert_eq!(staff.js("return document.activeElement.closest('tr').rowIndex").await, json!(1), "focus on the error");

    // Three units pass the vote for a certificate whose quota is two: the third is flagged.
    type_into(&staff, &merit_input(1), "9").await;
    type_into(&staff, &merit_input(3), "7").await;
    staff.click("[data-testid=save-tally]").await;
    staff.wait_for("[data-testid=candidate] [data-rule=quota]").await;
    let flagged = staff.texts("[data-testid=candidate]").await;
    let third = flagged.iter().find(|c| c.contains("Vượt chỉ tiêu")).expect("a candidate over the quota").clone();
    assert!(third.contains(&units[2]), "the third unit is over the quota: {third}");
    assert_accessible(&staff, "the awards page at 360 px").await;
    assert!(!staff.page_overflows().await, "the awards page scrolls sideways at 360 px");
    // The minutes of these results, as the links download them (Word and PDF).
    for (link, kind) in [
        ("minutes-docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("minutes-pdf", "application/pdf"),
        ("proposal-docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("proposal-pdf", "application/pdf"),
    ] {
        let script = format!(
            "const done = arguments[arguments.length - 1];
             fetch(document.querySelector('[data-testid={link}]').href).then(r => done([r.status, r.headers.get('content-type')]), e => done(String(e)));"
        );
        let answer = staff.client.execute_async(&script, vec![]).await.unwrap();
        assert_eq!(answer, json!([200, kind]), "{link}");
    }
    maybe_screenshot(&staff, "awards-360").await;
    staff.set_width(1280).await;
    assert_accessible(&staff, "the awards page at 1280 px").await;
    maybe_screenshot(&staff, "awards-1280").await;
    staff.set_width(360).await;

    // The year's award rules, one form each: bad input is refused next to its field.
    staff.click("a[href='/awards/2019']").await;
    staff.wait_for("[data-testid=award-type-form]").await;
    let forms = staff.texts("[data-testid=award-type-form] h2").await;
    assert_eq!(forms.len(), 4, "three award types and a new one: {forms:?}");
    let quota = "[data-testid=award-type-form]:nth-of-type(3) input[id$='-quota_per_bloc']";
    type_into(&staff, quota, "hai").await;
    staff.click("[data-testid=award-type-form]:nth-of-type(3) button[type=submit]").await;
    staff.wait_for_text("[data-testid=award-type-form]:nth-of-type(3) .field__error", "Hãy nhập một số").await;
    type_into(&staff, quota, "2").await;
    staff.click("[data-testid=award-type-form]:nth-of-type(3) button[type=submit]").await;
    staff.wait_for_text("[data-testid=award-type-form]:nth-of-type(3) [role=status]", "Đã lưu").await;
    // A new award type needs a code and a name.
    staff.click("[data-testid=award-type-form]:last-of-type button[type=submit]").await;
    staff.wait_for_text("[data-testid=award-type-form]:last-of-type .field__error", "không được để trống").await;
    assert_accessible(&staff, "the award rules at 360 px").await;
    assert!(!staff.page_overflows().await, "the award rules scroll sideways at 360 px");
    maybe_screenshot(&staff, "rules-360").await;
    staff.set_width(1280).await;
    assert_accessible(&staff, "the award rules at 1280 px").await;
    maybe_screenshot(&staff, "rules-1280").await;
    staff.set_width(360).await;
    staff.client.back().await.unwrap();
    staff.wait_for("[data-testid=candidate] [data-rule=quota]").await;

    staff.click("[data-testid=lang-switch]").await;
    staff.wait_for_text("h1", "Acclaim vote and awards").await;
    staff.wait_for_text(".breadcrumbs", "Emulation results").await;
    assert_accessible(&staff, "the awards page in English").await;
    maybe_screenshot(&staff, "awards-en-360").await;
    staff.click("[data-testid=lang-switch]").await;
    staff.wait_for_text("h1", "Suy tôn và khen thưởng").await;

    // Publishing lists the server's problems (the four sheets not approved) and needs a
    // written reason, refused next to its field when left empty.
    staff.click("[data-testid=publish]").await;
    staff.wait_for_text("[data-testid=flagged-list]", &units[3]).await;
    assert_eq!(staff.texts("[data-testid=flagged-list] li").await.len(), 4);
    assert_accessible(&staff, "the publish confirmation").await;
    maybe_screenshot(&staff, "publish-confirm-360").await;
    staff.click("[data-testid=confirm-publish]").await;
    staff.wait_for_text("[data-testid=publish-confirm] .field__error", "không được để trống").await;
    type_into(&staff, "#publish-reason", "Hội nghị tổng kết thống nhất công bố; bốn phiếu chưa thẩm định").await;
    staff.click("[data-testid=confirm-publish]").await;
    staff.wait_for_text("[data-testid=publication-state]", "đã được công bố").await;
    // A reload keeps staff's controls (the session is asked for again meanwhile).
    staff.client.refresh().await.unwrap();
    staff.wait_for("[data-testid=unpublish]").await;
    staff.wait_for("[data-testid=decision-form]").await;

    // The signed-out public page shows the ranking, the tally and the two proposals.
    public.goto(&server.url("/2019/blocs/1/results")).await;
    public.wait_for("[data-testid=tally-row]").await;
    assert!(public.texts("[data-testid=unpublished]").await.is_empty());
    let proposed = public.texts("[data-testid=award-unit]").await;
    assert_eq!(proposed.len(), 2, "{proposed:?}");
    assert!(proposed[0].contains(&units[0]) && proposed[0].contains("Đề nghị"), "{proposed:?}");
    assert!(proposed[1].contains(&units[1]), "{proposed:?}");
    public.wait_for_text("[data-testid=tally-row]", "Vượt chỉ tiêu 2 đơn vị").await;
    public.wait_for_text("[data-testid=voters-present]", "10").await;
    // The reason beside the results; the four unapproved members apart, in words, unranked.
    public.wait_for_text("[data-testid=publication-reason]", "bốn phiếu chưa thẩm định").await;
    let unranked = public.texts("[data-testid=unranked-row]").await;
    assert_eq!(unranked.len(), 4, "{unranked:?}");
    assert!(unranked.iter().all(|r| r.contains("Chưa thẩm định") && r.contains("đơn vị đang tự chấm")), "{unranked:?}");
    assert!(unranked.iter().all(|r| r.contains("0/10 tiêu chí đã thẩm định")), "{unranked:?}");
    assert_eq!(public.texts("[data-testid=ranking-row]").await.len(), 3, "only approved sheets are ranked");

    // Every unit's sheet opens down to each criterion, with the keyboard too.
    let expand = public.wait_for("[data-testid=ranking-row] .expand summary").await;
    expand.send_keys("\u{E007}").await.unwrap(); // Enter
    public.wait_for("[data-testid=breakdown]").await;
    assert_eq!(public.js("return document.querySelector('.expand').open").await, true);
    assert!(public.texts("[data-testid=breakdown] tbody tr").await.len() >= 10, "every criterion is listed");
    assert_accessible(&public, "the public results with a breakdown open at 360 px").await;
    assert!(!public.page_overflows().await, "the results page scrolls sideways at 360 px");
    maybe_screenshot(&public, "results-360").await;
    public.set_width(1280).await;
    assert_accessible(&public, "the public results at 1280 px").await;
    maybe_screenshot(&public, "results-1280").await;
    // In English, the rules that were broken too.
    public.click("[data-testid=lang-switch]").await;
    public.wait_for_text("[data-testid=tally-row]", "Over the bloc's quota of 2").await;
    public.wait_for_text("[data-testid=award-unit]", "Proposed").await;
    assert_accessible(&public, "the public results in English at 1280 px").await;
    maybe_screenshot(&public, "results-en-1280").await;
    public.click("[data-testid=lang-switch]").await;
    public.wait_for_text("[data-testid=tally-row]", "Vượt chỉ tiêu").await;

    // Print: no header or buttons, and the ranking and awards fit one A4 page.
    public.cdp("Emulation.setEmulatedMedia", json!({ "media": "print" })).await;
    assert_eq!(public.js("return getComputedStyle(document.querySelector('.site-header')).display").await, "none");
    assert_eq!(public.js("return getComputedStyle(document.querySelector('.toolbar')).display").await, "none");
    maybe_screenshot(&public, "results-print").await;
    public.cdp("Emulation.setEmulatedMedia", json!({ "media": "" })).await;
    assert_eq!(printed_pages(&public, "results-2019").await, 1, "one bloc's results print on one A4 page");
    // The 2018 results, with all three award types, too.
    public.goto(&server.url("/2018/blocs/1/results")).await;
    public.wait_for("[data-testid=award-unit]").await;
    assert_eq!(printed_pages(&public, "results-2018").await, 1, "the 2018 results print on one A4 page");
    public.goto(&server.url("/2019/blocs/1/results")).await;
    public.wait_for("[data-testid=tally-row]").await;

    // The CSV download matches the API: same ranks, units and totals, in Vietnamese.
    let downloads = TempDir::new().unwrap();
    public.cdp("Browser.setDownloadBehavior", json!({ "behavior": "allow", "downloadPath": downloads.path() })).await;
    public.click("[data-testid=export-csv]").await;
    // Named after the revision it was made from.
    let bytes = wait_for_file(&downloads.path().join("thidua-2019-bloc-1-r1.csv"));
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM, for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    assert!(headers.iter().any(|h| h.contains("Đơn vị")), "Vietnamese headers: {headers:?}");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let api = api_json(&public, "/api/years/2019/blocs/1/results").await;
    let ranking = api["ranking"].as_array().expect("ranking");
    let unranked = api["unranked"].as_array().expect("unranked");
    assert_eq!(rows.len(), ranking.len() + unranked.len());
    for (row, expected) in rows.iter().zip(ranking) {
        assert_eq!(row[0].parse::<u64>().unwrap(), expected["rank"].as_u64().unwrap());
        assert_eq!(&row[1], expected["unit"]["name"].as_str().unwrap());
        let total: f64 = row[3].parse().unwrap();
        assert_eq!(total, expected["total"].as_f64().unwrap(), "{}", &row[1]);
    }
    // A member whose sheet is not approved is said so, never a 0.
    for (row, expected) in rows[ranking.len()..].iter().zip(unranked) {
        assert_eq!((&row[0], &row[1]), ("Không xếp hạng", expected["unit"]["name"].as_str().unwrap()));
        assert!(row[2].starts_with("Chưa thẩm định"), "{row:?}");
        assert!(row.iter().skip(3).all(str::is_empty), "{row:?}");
    }

    // Staff record the decision for the first proposal; the public page then says "awarded
    // by decision …", distinct from "proposed".
    staff.wait_for("[data-testid=decision-form]").await;
    staff.click("[data-testid=decision-form] button[type=submit]").await;
    staff.wait_for_text("[data-testid=decision-form] .field__error", "không được để trống").await;
    type_into(&staff, "[data-testid=decision-form] input[type=text]", "15/QĐ-UBND").await;
    staff
        .js("const d = document.querySelector('[data-testid=decision-form] input[type=date]');\
             d.value = '2020-03-15'; d.dispatchEvent(new Event('input', {bubbles: true})); return true")
        .await;
    type_into(&staff, "[data-testid=decision-form] .field:nth-of-type(3) input", "UBND tỉnh Bắc Ninh").await;
    // Published results change only with a written reason, which the new revision carries.
    staff.click("[data-testid=decision-form] button[type=submit]").await;
    staff.wait_for_text("#change-reason-error", "không được để trống").await;
    assert_accessible(&staff, "the awards page asking for a change's reason").await;
    type_into(&staff, "#change-reason", "Nhập quyết định khen thưởng số 15/QĐ-UBND").await;
    staff.click("[data-testid=decision-form] button[type=submit]").await;
    staff.wait_for_text("[data-testid=decision-form] [role=status]", "Đã lưu").await;
    public.set_width(360).await;
    public.goto(&server.url("/2019/blocs/1/results")).await;
    public.wait_for_text("[data-testid=award-unit]", "15/QĐ-UBND").await;
    let awarded = public.texts("[data-testid=award-unit]").await;
    assert!(awarded[0].contains("Được tặng") && awarded[0].contains("15/03/2020"), "{awarded:?}");
    assert!(awarded[1].contains("Đề nghị") && !awarded[1].contains("Được tặng"), "{awarded:?}");
    // Revision 2, with its reason, and a link to revision 1 as it was.
    public.wait_for_text("[data-testid=revision]", "Phiên bản 2").await;
    public.wait_for_text("[data-testid=revision-reason]", "15/QĐ-UBND").await;
    // What changed, unit by unit: the decision on the first proposal, and nothing else.
    public.wait_for_text("[data-testid=what-changed]", "số 15/QĐ-UBND").await;
    assert_eq!(public.texts("[data-testid=what-changed] li").await.len(), 1);
    public.click("[data-testid=revision] summary").await;
    assert_eq!(public.texts("[data-testid=revision-item]").await.len(), 2);
    assert_accessible(&public, "the results with their revisions at 360 px").await;
    maybe_screenshot(&public, "revision-2-360").await;
    public.click("a[href='/2019/blocs/1/results/revisions/1']").await;
    public.wait_for_text("[data-testid=superseded]", "phiên bản 2").await;
    public.wait_for_text("[data-testid=revision]", "Phiên bản 1").await;
    assert!(public.texts("[data-testid=award-unit]").await.iter().all(|a| !a.contains("15/QĐ-UBND")), "as it was");
    assert_accessible(&public, "a superseded revision at 360 px").await;
    maybe_screenshot(&public, "revision-1-360").await;
    public.set_width(1280).await;
    public.click("[data-testid=lang-switch]").await;
    public.wait_for_text("[data-testid=superseded]", "replaced by revision 2").await;
    assert_accessible(&public, "a superseded revision in English at 1280 px").await;
    maybe_screenshot(&public, "revision-1-en-1280").await;
    public.click("[data-testid=lang-switch]").await;
    public.set_width(360).await;
    public.goto(&server.url("/2019/blocs/1/results")).await;

    // The unit's history across the published years, with its chart.
    public.click("[data-testid=ranking-row] a.unit__name").await;
    public.wait_for("[data-testid=history-chart] svg").await;
    let years = public.texts("[data-testid=history-row] th").await;
    assert_eq!(years, ["2018", "2019"]);
    assert_accessible(&public, "a unit's history at 360 px").await;
    maybe_screenshot(&public, "history-360").await;

    // Withdrawn (with its reason), the results are gone for the public, which is told so.
    staff.click("[data-testid=unpublish]").await;
    staff.wait_for_text("#change-reason-error", "không được để trống").await;
    type_into(&staff, "#change-reason", "Rà soát lại kết quả suy tôn").await;
    staff.click("[data-testid=unpublish]").await;
    staff.wait_for_text("[data-testid=publication-state]", "chưa được công bố").await;
    public.goto(&server.url("/2019/blocs/1/results")).await;
    public.wait_for_text("[data-testid=withdrawn]", "Rà soát lại kết quả suy tôn").await;
    public.wait_for_text("[data-testid=withdrawn] h1", "thu hồi").await;
    assert_accessible(&public, "withdrawn results at 360 px").await;
    maybe_screenshot(&public, "withdrawn-360").await;
    assert_eq!(api_json(&public, "/api/years/2019/blocs/1/results").await["code"], "withdrawn");

    // Staff decide the quota case in writing; the reason is public once published again.
    staff.click("[data-testid=candidate]:has([data-rule=quota]) summary").await;
    staff.click("[data-testid=candidate]:has([data-rule=quota]) button[type=submit]").await;
    staff.wait_for_text("[data-testid=candidate] .field__error", "không được để trống").await;
    type_into(&staff, "[data-testid=candidate]:has([data-rule=quota]) textarea", "Hội nghị khối biểu quyết bổ sung")
        .await;
    staff.click("[data-testid=candidate]:has([data-rule=quota]) button[type=submit]").await;
    staff.wait_for_text("[data-testid=override-reason]", "Hội nghị khối biểu quyết bổ sung").await;
    staff.click("[data-testid=publish]").await;
    // Three proposed for a quota of two is one more problem to acknowledge.
    staff.wait_for_text("[data-testid=flagged-list]", "vượt chỉ tiêu 2").await;
    type_into(&staff, "#publish-reason", "Hội nghị khối biểu quyết bổ sung một đơn vị").await;
    staff.click("[data-testid=confirm-publish]").await;
    staff.wait_for_text("[data-testid=publication-state]", "đã được công bố").await;
    public.goto(&server.url("/2019/blocs/1/results")).await;
    public.wait_for_text("[data-testid=award-unit]", "Hội nghị khối biểu quyết bổ sung").await;
    public.wait_for_text("[data-testid=publication-reason]", "bổ sung một đơn vị").await;
    assert_eq!(public.texts("[data-testid=award-unit]").await.len(), 3);

    // The change log lists what staff did here, newest first, readable, filterable.
    staff.goto(&server.url("/admin/audit")).await;
    staff.wait_for("[data-testid=audit-row]").await;
    let rows = staff.texts("[data-testid=audit-row]").await;
    assert!(rows[0].contains("publish"), "newest first: {rows:?}");
    let decision = rows.iter().find(|r| r.contains("put_decision")).expect("the decision is listed");
    assert!(decision.contains("15/QĐ-UBND") && !decision.contains('{'), "readable, not JSON: {decision}");
    assert!(rows.iter().any(|r| r.contains("unpublish") && r.contains("Rà soát lại")), "{rows:?}");
    let script = "const s = document.getElementById('audit-source'); s.value = 'admin';\
                  s.dispatchEvent(new Event('change', {bubbles: true})); return true";
    staff.js(script).await;
    staff.click("[data-testid=audit-apply]").await;
    staff.wait_for_text("[data-testid=audit-count]", "0 thay đổi").await;
    let pager = staff.texts(".pager button").await;
    assert_eq!(pager, ["Mới hơn", "Cũ hơn"], "the pager's buttons say only their words");
    // One bloc of one year.
    let choose = |id: &str, value: &str| {
        format!(
            "const s = document.getElementById('{id}'); s.value = '{value}';\
             s.dispatchEvent(new Event('change', {{bubbles: true}})); return true"
        )
    };
    staff.js(&choose("audit-source", "")).await;
    staff.js(&choose("audit-bloc", "1")).await;
    type_into(&staff, "#audit-year", "2019").await;
    staff.click("[data-testid=audit-apply]").await;
    // The admin filter before showed none: a row means the new list is in.
    staff.wait_for("[data-testid=audit-row]").await;
    let rows = staff.texts("[data-testid=audit-row]").await;
    assert!(rows.iter().all(|r| r.contains("2019")), "{rows:?}");
    assert!(rows.iter().all(|r| !r.contains("update_award_type")), "a year's award rules are no bloc's: {rows:?}");
    assert_accessible(&staff, "the change log at 360 px").await;
    maybe_screenshot(&staff, "audit-360").await;
    staff.goto(&server.url("/admin/audit")).await;
    staff.wait_for("[data-testid=audit-row]").await;
    staff.set_width(1280).await;
    assert_accessible(&staff, "the change log at 1280 px").await;
    maybe_screenshot(&staff, "audit-1280").await;
    staff.click("[data-testid=lang-switch]").await;
    staff.wait_for_text("h1", "Change log").await;
    maybe_screenshot(&staff, "audit-en-1280").await;
    staff.client.close().await.unwrap();
    public.client.close().await.unwrap();
}

/// Staff choose the year's tie-break rule on the administration page: fixed while 2018 is
/// published (the page says why), chosen once it is not, and the ranking follows — the two
/// members level at 91 points, ordered by section I, then sharing fourth place.
#[tokio::test]
async fn staff_choose_the_tie_break_rule_and_the_ranking_follows() {
    let tmp = TempDir::new().unwrap();
    let server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let staff = driver.browser(360).await;
    sign_in(&staff, &server, "staff").await;
    staff.goto(&server.url("/2018/blocs/1/results")).await;
    staff.wait_for("[data-testid=ranking-row]").await;
    assert_eq!(
        staff.texts("[data-testid=ranking-row] .rank__number").await,
        ["1", "2", "3", "4", "5", "6", "7"],
        "section I decides"
    );

    staff.goto(&server.url("/admin")).await;
    staff.wait_for_text("#tie-break-2018-hint", "thu hồi công bố").await;
    assert_eq!(staff.js("return document.getElementById('tie-break-2018').disabled").await, json!(true));
    assert!(staff.texts("#tie-break-2018 ~ [data-testid=save-tie-break]").await.is_empty());

    // Unpublished, the rule may change.
    staff.goto(&server.url("/awards/2018/1")).await;
    type_into(&staff, "#change-reason", "Đổi quy tắc xếp hạng khi bằng điểm").await;
    staff.click("[data-testid=unpublish]").await;
    staff.wait_for_text("[data-testid=publication-state]", "chưa được công bố").await;
    staff.goto(&server.url("/admin")).await;
    staff.wait_for_text("#tie-break-2018-hint", "xét lần lượt các mục").await;
    let script = "const s = document.getElementById('tie-break-2018'); s.value = 'shared_rank';\
                  s.dispatchEvent(new Event('change', {bubbles: true})); return s.disabled";
    assert_eq!(staff.js(script).await, json!(false));
    staff.wait_for_text("#tie-break-2018-hint", "đồng hạng").await;
    assert_accessible(&staff, "the administration page with the tie-break rule at 360 px").await;
    maybe_screenshot(&staff, "admin-tie-break-360").await;
    let form = "[data-testid=year-item]:has(#tie-break-2018) [data-testid=tie-break]";
    staff.click(&format!("{form} [data-testid=save-tie-break]")).await;
    // Saved, the year list reloads with the rule as the server has it.
    // Saved, the year list reloads with the rule as the server has it; so does a new visit.
    let api = "const done = arguments[arguments.length - 1];\
               fetch('/api/admin/years').then(r => r.json()).then(ys => done(ys.find(y => y.year === 2018).tie_break))";
    let deadline = Instant::now() + WAIT;
    while staff.client.execute_async(api, vec![]).await.unwrap() != json!("shared_rank") {
        assert!(Instant::now() < deadline, "the rule was not saved");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    staff.client.refresh().await.unwrap();
    staff.wait_for_text("#tie-break-2018-hint", "đồng hạng").await;

    // The staff preview ranks the two level members fourth together.
    staff.goto(&server.url("/2018/blocs/1/results")).await;
    staff.wait_for("[data-testid=ranking-row]").await;
    assert_eq!(
        staff.texts("[data-testid=ranking-row] .rank__number").await,
        ["1", "2", "3", "4", "4", "6", "7"],
        "equal totals share a rank"
    );
    staff.wait_for_text("main", "đồng hạng").await;
    staff.set_width(1280).await;
    staff.goto(&server.url("/admin")).await;
    staff.wait_for("#tie-break-2018").await;
    assert_accessible(&staff, "the administration page with the tie-break rule at 1280 px").await;
    maybe_screenshot(&staff, "admin-tie-break-1280").await;
    staff.click("[data-testid=lang-switch]").await;
    staff.wait_for_text("#tie-break-2018-hint", "share a rank").await;
    maybe_screenshot(&staff, "admin-tie-break-en-1280").await;
    staff.client.close().await.unwrap();
}
