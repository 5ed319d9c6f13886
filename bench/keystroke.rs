//! How long from a keystroke in a score field to the updated total, on a sheet with 200
//! criteria, with the CPU slowed 4× through the DevTools protocol (a mid-range phone).
//! A benchmark, not a test: it prints figures and never fails on them.
//! Usage: bench/keystroke.sh (builds what it needs, then runs this example).

#[path = "../tests/support/mod.rs"]
mod support;

use std::fmt::Write as _;

use serde_json::json;
use support::{sql, Driver, Server};
use tempfile::TempDir;

const SECTIONS: usize = 10;
const ITEMS: usize = 20;
/// Keystrokes per rate; `THIDUA_BENCH_RUNS` sets fewer (the CI smoke run).
const SAMPLES: usize = 60;

/// Replaces the 2019 criteria of the demo bloc with 10 sections of 20 items (0.5 each).
fn two_hundred_criteria(db: &std::path::Path) {
    let mut s = String::from(
        "PRAGMA foreign_keys = ON; BEGIN;\
         DELETE FROM criteria WHERE year = 2019 AND bloc_id = 1 AND parent_id IS NOT NULL;\
         DELETE FROM criteria WHERE year = 2019 AND bloc_id = 1;",
    );
    for sec in 0..SECTIONS {
        let id = 100_000 + sec * 100;
        let _ = write!(
            s,
            "INSERT INTO criteria (id, bloc_id, year, parent_id, code, title, max_points, step, position) \
             VALUES ({id}, 1, 2019, NULL, '{}', 'Mục {}', {}, 50, {sec});",
            sec + 1,
            sec + 1,
            ITEMS * 50
        );
        for item in 0..ITEMS {
            let _ = write!(
                s,
                "INSERT INTO criteria (id, bloc_id, year, parent_id, code, title, max_points, step, position) \
                 VALUES ({}, 1, 2019, {id}, '{}.{}', 'Tiêu chí {}.{} của bảng 200 tiêu chí', 50, 50, {item});",
                id + 1 + item,
                sec + 1,
                item + 1,
                sec + 1,
                item + 1
            );
        }
    }
    s.push_str("COMMIT;");
    sql(db, &s);
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let tmp = TempDir::new().expect("temp dir");
    let server = Server::start_demo(&tmp);
    two_hundred_criteria(&server.db);
    let driver = Driver::start();
    let browser = driver.browser(360).await;

    browser.goto(&server.url("/sign-in")).await;
    browser.wait_for("#sign-in-username").await.send_keys("yte").await.expect("type");
    browser.wait_for("#sign-in-password").await.send_keys("thidua-demo").await.expect("type");
    browser.click("[data-testid=sign-in-form] button[type=submit]").await;
    browser.wait_for("[data-testid=sheet-list]").await;
    browser
        .js("Array.from(document.querySelectorAll('.sheet-list__item')).find(li => li.textContent.includes('2019'))\
             .querySelector('a').click(); return true;")
        .await;
    browser.wait_for("[data-testid=sheet-form]").await;
    let inputs = browser.js("return document.querySelectorAll('.score-input[id^=score-]').length").await;
    assert_eq!(inputs, json!(SECTIONS * ITEMS), "the sheet has 200 criteria");

    // One keystroke: the input event as the browser fires it, then wait for the total's text
    // to change (the DOM update), and for the next frame (painted).
    let measure = r#"
        const [index, done] = [arguments[0], arguments[arguments.length - 1]];
        const input = document.querySelectorAll('.score-input[id^=score-]')[index];
        const total = document.querySelector('[data-testid=total]');
        const before = total.textContent;
        input.focus();
        const t0 = performance.now();
        const observer = new MutationObserver(() => {
            if (total.textContent === before) return;
            observer.disconnect();
            const t1 = performance.now();
            requestAnimationFrame(() => setTimeout(() => done([t1 - t0, performance.now() - t0]), 0));
        });
        observer.observe(total, { childList: true, characterData: true, subtree: true });
        input.value = input.value === '0,5' ? '0' : '0,5';
        input.dispatchEvent(new InputEvent('input', { bubbles: true, data: '5', inputType: 'insertText' }));
    "#;
    let samples =
        std::env::var("THIDUA_BENCH_RUNS").ok().and_then(|n| n.parse().ok()).filter(|&n| n > 0).unwrap_or(SAMPLES);
    for rate in [1, 4] {
        browser.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": rate })).await;
        let (mut dom, mut frame) = (Vec::new(), Vec::new());
        for i in 0..samples {
            let out =
                browser.client.execute_async(measure, vec![json!(i % (SECTIONS * ITEMS))]).await.expect("measure");
            let pair: (f64, f64) = serde_json::from_value(out).expect("two numbers");
            dom.push(pair.0);
            frame.push(pair.1);
        }
        for v in [&mut dom, &mut frame] {
            v.sort_by(f64::total_cmp);
        }
        println!(
            "CPU throttled {rate}x, {samples} keystrokes on a 200-criterion sheet: \
             total updated median {:.1} ms, p95 {:.1} ms, max {:.1} ms; next frame median {:.1} ms, p95 {:.1} ms",
            percentile(&dom, 0.5),
            percentile(&dom, 0.95),
            dom[dom.len() - 1],
            percentile(&frame, 0.5),
            percentile(&frame, 0.95),
        );
    }
    browser.client.close().await.expect("close the browser");
}
