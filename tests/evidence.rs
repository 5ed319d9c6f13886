//! Evidence files end to end, on the real server and headless Chromium: at 360 px a unit
//! officer attaches a PDF and a photo to two criteria; the PDF's upload is cut (the server
//! stopped mid-way, the link throttled) and resumes by itself when the server is back; the
//! sheet is submitted; the leader's officer sees both files beside the self-scores (the photo
//! as a thumbnail) and opens the PDF in the browser's viewer. axe-core on the new views at 360
//! and 1280 px, in Vietnamese and English; the pickers and the removal by keyboard alone.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::time::{Duration, Instant};

use fantoccini::key::Key;
use serde_json::{json, Value};
use support::{api, api_with, check_views, key, sign_in, sign_out, tab_to, Browser, Driver, Server};
use tempfile::TempDir;

/// A PDF-looking file of `len` bytes.
fn pdf(len: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    out.extend((0..len - 15).map(|i| b'a' + (i % 26) as u8));
    out.extend_from_slice(b"%%EOF\n");
    out
}

/// A real 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D,
    0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

async fn files_of(browser: &Browser, sheet: i64) -> Vec<Value> {
    serde_json::from_value(api(browser, "GET", &format!("/api/sheets/{sheet}/files")).await).unwrap()
}

#[tokio::test]
async fn a_unit_attaches_evidence_through_a_cut_and_the_verifier_opens_it() {
    let tmp = TempDir::new().unwrap();
    let mut server = Server::start_demo(&tmp);
    let driver = Driver::start();
    let unit = driver.browser(360).await;
    sign_in(&unit, &server, "yte").await;
    let sheets = api(&unit, "GET", "/api/sheets?year=2019").await;
    let sheet = sheets[0]["id"].as_i64().unwrap();
    let view = api(&unit, "GET", &format!("/api/sheets/{sheet}")).await;
    let leaves: Vec<i64> = {
        let all = view["criteria"]["criteria"].as_array().unwrap();
        all.iter()
            .filter(|c| !all.iter().any(|d| d["parent_id"] == c["id"]))
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    let (first, second) = (leaves[0], leaves[1]);
    unit.goto(&server.url(&format!("/sheets/{sheet}"))).await;
    unit.wait_for("[data-testid=sheet-form]").await;

    // The photo: a small picture goes straight up.
    let photo_path = tmp.path().join("ảnh biên bản.png");
    std::fs::write(&photo_path, PNG).unwrap();
    let photo_input = format!("[data-testid='attach-criterion:{second}'] input[type=file]:not([capture])");
    unit.wait_for(&photo_input).await.send_keys(&photo_path.display().to_string()).await.unwrap();
    unit.wait_for(&format!("[data-testid='files-criterion:{second}'] [data-testid=evidence-file]")).await;

    // The PDF, on a slow link (512 KB/s up): stop the server once part of it is in.
    let pdf_bytes = pdf(6 * 1024 * 1024);
    let pdf_path = tmp.path().join("Báo cáo tổng kết 2019.pdf");
    std::fs::write(&pdf_path, &pdf_bytes).unwrap();
    unit.cdp("Network.enable", json!({})).await;
    unit.cdp(
        "Network.emulateNetworkConditions",
        json!({"offline": false, "latency": 40, "downloadThroughput": 2_000_000, "uploadThroughput": 512 * 1024}),
    )
    .await;
    let pdf_input = format!("[data-testid='attach-criterion:{first}'] input[type=file]:not([capture])");
    unit.wait_for(&pdf_input).await.send_keys(&pdf_path.display().to_string()).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let sent = unit.js("const p = document.querySelector('.upload progress'); return p ? p.value : 0").await;
        if sent.as_f64().unwrap_or(0.0) >= 1_048_576.0 {
            break;
        }
        assert!(Instant::now() < deadline, "the upload never got going");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.stop();
    unit.wait_for(".upload__waiting").await;
    let progress_during_outage = unit.js("return document.querySelector('.upload progress').value").await;
    assert!(progress_during_outage.as_f64().unwrap() < pdf_bytes.len() as f64);
    tokio::time::sleep(Duration::from_secs(2)).await;
    server.restart();
    unit.cdp(
        "Network.emulateNetworkConditions",
        json!({"offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
    )
    .await;
    let file_row = format!("[data-testid='files-criterion:{first}'] [data-testid=evidence-file]");
    let deadline = Instant::now() + Duration::from_secs(120);
    while unit.texts(&file_row).await.is_empty() {
        assert!(Instant::now() < deadline, "the upload did not resume after the server came back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let files = files_of(&unit, sheet).await;
    assert_eq!(files.len(), 2, "{files:?}");
    let pdf_file = files.iter().find(|f| f["kind"] == "pdf").unwrap();
    assert_eq!(pdf_file["size"], json!(pdf_bytes.len()), "the resumed file is whole");
    assert_eq!(pdf_file["name"], "Báo cáo tổng kết 2019.pdf");
    let sum = std::process::Command::new("sha256sum").arg(&pdf_path).output().expect("sha256sum");
    let sha = String::from_utf8_lossy(&sum.stdout).split_whitespace().next().unwrap_or_default().to_owned();
    assert_eq!(pdf_file["sha256"], json!(sha), "byte for byte");

    // A refused kind says why, next to the picker, in the person's language.
    let html_path = tmp.path().join("bao-cao.pdf");
    std::fs::write(&html_path, "<!DOCTYPE html><html><body>not a pdf</body></html>").unwrap();
    unit.wait_for(&pdf_input).await.send_keys(&html_path.display().to_string()).await.unwrap();
    unit.wait_for_text(&format!("[data-testid='attach-criterion:{first}'] .field__error"), "không phải PDF").await;
    check_views(&unit, "the unit's sheet with evidence", "evidence-unit").await;
    // Keyboard only: the picker and the dismissal are reached with Tab; Enter dismisses.
    tab_to(&unit, &pdf_input).await;
    tab_to(&unit, &format!("[data-testid='attach-criterion:{first}'] .upload button")).await;
    key(&unit, Key::Enter).await;
    assert!(unit.texts(&format!("[data-testid='attach-criterion:{first}'] .upload")).await.is_empty());

    // Submitted: every criterion self-scored, then frozen with its files.
    let scores: Vec<Value> =
        leaves.iter().map(|id| json!({"criterion_id": id, "self_score": 1, "note": "", "evidence": []})).collect();
    let version = api(&unit, "GET", &format!("/api/sheets/{sheet}")).await["version"].clone();
    let saved = api_with(
        &unit,
        "PUT",
        &format!("/api/sheets/{sheet}/self"),
        Some(&json!({"base_version": version, "scores": scores, "bonuses": [], "deductions": []})),
    )
    .await;
    let submitted = api_with(
        &unit,
        "POST",
        &format!("/api/sheets/{sheet}/submit"),
        Some(&json!({"base_version": saved["version"], "comment": ""})),
    )
    .await;
    assert_eq!(submitted["state"], "submitted", "{submitted}");
    sign_out(&unit).await;

    // The verifier: both files beside the self-scores, the photo as a thumbnail, the PDF opens.
    sign_in(&unit, &server, "ldtbxh").await;
    unit.goto(&server.url(&format!("/sheets/{sheet}"))).await;
    unit.wait_for(&file_row).await;
    unit.wait_for(&format!("[data-testid='files-criterion:{second}'] img.evidence-files__thumb")).await;
    assert!(!unit.texts("[data-testid=no-evidence]").await.is_empty(), "the criteria without evidence say so");
    let loaded = unit
        .js(&format!(
            "const i = document.querySelector(\"[data-testid='files-criterion:{second}'] img\"); return i.complete && i.naturalWidth"
        ))
        .await;
    assert_eq!(loaded, json!(1), "the thumbnail loads");
    check_views(&unit, "the verifier's sheet with evidence", "evidence-verifier").await;
    let handles = unit.client.windows().await.unwrap();
    unit.click(&format!("{file_row} a")).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let new_tab = loop {
        let now = unit.client.windows().await.unwrap();
        if let Some(h) = now.into_iter().find(|h| !handles.contains(h)) {
            break h;
        }
        assert!(Instant::now() < deadline, "the PDF did not open in a tab");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    unit.client.switch_to_window(new_tab).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while unit.js("return document.contentType").await != json!("application/pdf") {
        assert!(Instant::now() < deadline, "the tab is not the PDF");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(driver);
}
