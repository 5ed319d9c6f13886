//! Evidence files over real HTTP, on the engine the run names (SQLite, or PostgreSQL with
//! `THIDUA_TEST_POSTGRES`): tus uploads judged by content, the limits, resuming after a cut and
//! on another server, frozen files, who may do what, `Range`, deduplication, the audit trail,
//! lines that move, and the dossiers' ZIPs.

mod common;

use std::io::Read;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use common::{people, TestServer, Who};
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_RANGE, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION, RANGE};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use thidua_domain::evidence::{EvidenceFile, FileTarget};
use thidua_domain::files::FileKind;
use thidua_domain::sheet_edit::SheetView;

const Y_TE: &str = "Sở Y tế";
const GIAO_DUC: &str = "Sở Giáo dục và Đào tạo";

/// A small but real-looking PDF of `len` bytes.
fn pdf(len: usize, seed: u8) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    out.extend(
        (0..len.saturating_sub(out.len() + 6)).map(|i| b'a' + ((i as u8).wrapping_mul(7).wrapping_add(seed) % 26)),
    );
    out.extend_from_slice(b"%%EOF\n");
    out
}

fn b64(s: &str) -> String {
    STANDARD.encode(s.as_bytes())
}

fn first_criterion(view: &SheetView) -> FileTarget {
    FileTarget::Criterion { criterion_id: view.criteria.leaves().next().unwrap().id }
}

fn second_criterion(view: &SheetView) -> FileTarget {
    FileTarget::Criterion { criterion_id: view.criteria.leaves().nth(1).unwrap().id }
}

async fn create(s: &TestServer, who: &Who, sheet: i64, target: FileTarget, name: &str, length: u64) -> Response {
    s.request(who, Method::POST, &format!("/api/sheets/{sheet}/uploads"))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", length.to_string())
        .header("upload-metadata", format!("filename {},target {}", b64(name), b64(&target.key())))
        .send()
        .await
        .unwrap()
}

/// Creates an upload and answers its address.
async fn created(s: &TestServer, who: &Who, sheet: i64, target: FileTarget, name: &str, length: u64) -> String {
    let response = create(s, who, sheet, target, name, length).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{}", response.text().await.unwrap());
    assert_eq!(response.headers()["tus-resumable"], "1.0.0");
    response.headers()[LOCATION].to_str().unwrap().to_owned()
}

async fn patch(s: &TestServer, who: &Who, at: &str, offset: u64, body: impl Into<reqwest::Body>) -> Response {
    s.request(who, Method::PATCH, at)
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", offset.to_string())
        .header(CONTENT_TYPE, "application/offset+octet-stream")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn offset(s: &TestServer, who: &Who, at: &str) -> u64 {
    let response = s.request(who, Method::HEAD, at).header("tus-resumable", "1.0.0").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.headers()["upload-offset"].to_str().unwrap().parse().unwrap()
}

/// Uploads `bytes` whole; answers the new file's id.
async fn upload(s: &TestServer, who: &Who, sheet: i64, target: FileTarget, name: &str, bytes: &[u8]) -> i64 {
    s.upload_file(who, sheet, &target.key(), name, bytes).await
}

async fn refused_with(response: Response, status: StatusCode, code: &str) {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
}

async fn count(s: &TestServer, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&s.db().await).await.unwrap()
}

async fn files_of(s: &TestServer, who: &Who, sheet: i64) -> Vec<EvidenceFile> {
    s.ok(who, Method::GET, &format!("/api/sheets/{sheet}/files"), None).await
}

#[tokio::test]
async fn files_are_judged_by_content_and_served_whole_or_by_range() {
    let s = TestServer::start().await;
    let p = people(&s).await;
    let sheet = s.sheet_of(&p.staff, 2019, Y_TE).await;
    let view = s.view(&p.yte, sheet).await;
    let target = first_criterion(&view);

    // A real PDF named .bin is a PDF.
    let bytes = pdf(1_300_000, 1);
    let id = upload(&s, &p.yte, sheet, target, "Báo cáo tổng kết năm 2019.bin", &bytes).await;
    let files = files_of(&s, &p.yte, sheet).await;
    assert_eq!(files.len(), 1);
    assert_eq!((files[0].id, files[0].kind, files[0].size), (id, FileKind::Pdf, bytes.len() as u64));
    assert_eq!(files[0].name, "Báo cáo tổng kết năm 2019.bin");
    assert_eq!(s.view(&p.yte, sheet).await.files, files);

    let response = s.request(&p.leader, Method::GET, &format!("/api/files/{id}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let h = response.headers().clone();
    assert_eq!(h[CONTENT_TYPE], "application/pdf");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h[CONTENT_SECURITY_POLICY].to_str().unwrap().contains("sandbox"));
    assert_eq!(h["accept-ranges"], "bytes");
    let disposition = h[CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("inline; "), "{disposition}");
    assert!(disposition.contains("filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20t%E1%BB%95ng%20k%E1%BA%BFt"), "{disposition}");
    assert_eq!(response.bytes().await.unwrap().as_ref(), bytes.as_slice());
    let gz = s
        .request(&p.leader, Method::GET, &format!("/api/files/{id}"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert!(gz.headers().get("content-encoding").is_none(), "a PDF is not compressed again");
    assert_eq!(gz.bytes().await.unwrap().as_ref(), bytes.as_slice());

    // Ranges across a chunk's edge, at the end, and outside.
    let ranged =
        |range: &'static str| s.request(&p.staff, Method::GET, &format!("/api/files/{id}")).header(RANGE, range).send();
    let part = ranged("bytes=524000-525000").await.unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.headers()[CONTENT_RANGE], format!("bytes 524000-525000/{}", bytes.len()).as_str());
    assert_eq!(part.bytes().await.unwrap().as_ref(), &bytes[524_000..525_001]);
    let last = ranged("bytes=-6").await.unwrap();
    assert_eq!(last.bytes().await.unwrap().as_ref(), b"%%EOF\n");
    let outside = ranged("bytes=99999999-").await.unwrap();
    assert_eq!(outside.headers()[CONTENT_RANGE], format!("bytes */{}", bytes.len()).as_str());
    refused_with(outside, StatusCode::RANGE_NOT_SATISFIABLE, "range_not_satisfiable").await;

    // HTML named .pdf is refused at its first bytes; nothing of it stays.
    let (contents, chunks) =
        (count(&s, "SELECT COUNT(*) FROM file_contents").await, count(&s, "SELECT COUNT(*) FROM file_chunks").await);
    let at = created(&s, &p.yte, sheet, target, "bao-cao.pdf", 40).await;
    refused_with(
        patch(&s, &p.yte, &at, 0, b"<!DOCTYPE html><script>alert(1)</script>".to_vec()).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "file_type",
    )
    .await;
    // A ZIP that is no DOCX (its central directory names no Word part) is refused at the end.
    let fake_docx = b"PK\x03\x04\x14\0\0\0\0\0 this is not a document at all".to_vec();
    let at2 = created(&s, &p.yte, sheet, target, "hồ sơ.docx", fake_docx.len() as u64).await;
    refused_with(patch(&s, &p.yte, &at2, 0, fake_docx).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "file_type").await;
    assert_eq!(count(&s, "SELECT COUNT(*) FROM file_contents").await, contents);
    assert_eq!(count(&s, "SELECT COUNT(*) FROM file_chunks").await, chunks);
    assert_eq!(count(&s, "SELECT COUNT(*) FROM uploads").await, 0);
    assert_eq!(files_of(&s, &p.yte, sheet).await.len(), 1);

    // The same bytes again, for another criterion: one content, two files.
    let second = upload(&s, &p.yte, sheet, second_criterion(&view), "bản sao.pdf", &bytes).await;
    assert_ne!(second, id);
    assert_eq!(count(&s, "SELECT COUNT(*) FROM file_contents").await, contents);
    assert_eq!(count(&s, "SELECT COUNT(*) FROM sheet_files").await, 2);
    let copy = s.request(&p.yte, Method::GET, &format!("/api/files/{second}")).send().await.unwrap();
    assert_eq!(copy.bytes().await.unwrap().as_ref(), bytes.as_slice());
    // Removing one keeps the other's bytes; removing both forgets them.
    s.expect(&p.yte, Method::DELETE, &format!("/api/files/{id}"), None, StatusCode::NO_CONTENT).await;
    assert_eq!(count(&s, "SELECT COUNT(*) FROM file_contents").await, contents);
    s.expect(&p.yte, Method::DELETE, &format!("/api/files/{second}"), None, StatusCode::NO_CONTENT).await;
    assert_eq!(count(&s, "SELECT COUNT(*) FROM file_contents").await, contents - 1);
    assert_eq!(count(&s, "SELECT COUNT(*) FROM file_chunks").await, 0);

    // Every attach and removal is in the sheet's audit trail with name, size and hash.
    let trail = s.view(&p.yte, sheet).await.audit;
    let code = view.criteria.leaves().next().unwrap().code.clone();
    let field = format!("files.{code}");
    let attached = trail.iter().find(|e| e.field.as_deref() == Some(&field) && e.new.is_some()).unwrap();
    let text = attached.new.clone().unwrap();
    assert!(text.contains("Báo cáo tổng kết năm 2019.bin") && text.contains(&format!("{} B", bytes.len())), "{text}");
    assert!(text.contains(&files[0].sha256), "{text}");
    assert!(trail.iter().any(|e| e.field.as_deref() == Some(&field) && e.old.is_some() && e.new.is_none()));
}

/// Sends a PATCH that declares the whole rest of the file but sends only `bytes`, then closes
/// the connection: a line that drops in the middle of an upload.
async fn cut_after(s: &TestServer, who: &Who, at: &str, rest: usize, bytes: &[u8]) {
    use tokio::io::AsyncWriteExt;
    let host = s.base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!(
        "PATCH {at} HTTP/1.1\r\nHost: {host}\r\nCookie: {}\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n\
         Content-Type: application/offset+octet-stream\r\nContent-Length: {rest}\r\n\r\n",
        who.cookie.as_deref().unwrap()
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    tcp.write_all(bytes).await.unwrap();
    tcp.flush().await.unwrap();
    drop(tcp);
}

#[tokio::test]
async fn an_upload_cut_short_resumes_from_the_last_byte_kept_even_on_another_server() {
    let s = TestServer::start().await;
    let p = people(&s).await;
    let sheet = s.sheet_of(&p.staff, 2019, Y_TE).await;
    let view = s.view(&p.yte, sheet).await;
    let bytes = pdf(3_000_000, 2);
    let at = created(&s, &p.yte, sheet, first_criterion(&view), "ảnh chụp biên bản.pdf", bytes.len() as u64).await;

    // Half the file, then the connection drops.
    let half = bytes.len() / 2;
    cut_after(&s, &p.yte, &at, bytes.len(), &bytes[..half]).await;
    // The server keeps what arrived (a chunk cut short too).
    let mut kept = 0;
    for _ in 0..50 {
        kept = offset(&s, &p.yte, &at).await;
        if kept == half as u64 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(kept, half as u64, "every byte before the cut is kept");

    // A wrong offset is refused with the right one.
    let wrong = patch(&s, &p.yte, &at, 0, bytes.clone()).await;
    assert_eq!(wrong.headers()["upload-offset"], half.to_string().as_str());
    refused_with(wrong, StatusCode::CONFLICT, "upload_offset").await;

    // Another server on the same database (a restart, or the next instance) takes it from there.
    let other = TestServer::start_with(|c| c.database = s.database.clone()).await;
    assert_eq!(offset(&other, &p.yte, &at).await, half as u64);
    // Not someone else's to see or finish.
    let response = other.request(&p.gddt, Method::HEAD, &at).header("tus-resumable", "1.0.0").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    refused_with(
        patch(&other, &p.gddt, &at, half as u64, bytes[half..].to_vec()).await,
        StatusCode::NOT_FOUND,
        "upload_not_found",
    )
    .await;

    let done = patch(&other, &p.yte, &at, half as u64, bytes[half..].to_vec()).await;
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    let id: i64 = done.headers()["thidua-file-id"].to_str().unwrap().parse().unwrap();
    let body =
        s.request(&p.staff, Method::GET, &format!("/api/files/{id}")).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(body.as_ref(), bytes.as_slice(), "the file is whole, byte for byte");
    // Finished: the upload's address names nothing any more.
    let gone = s.request(&p.yte, Method::HEAD, &at).header("tus-resumable", "1.0.0").send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn limits_and_bad_requests_are_refused_before_any_byte_is_stored() {
    let s = TestServer::start_with(|c| {
        c.max_file_mib = 1;
        c.max_sheet_mib = 2;
    })
    .await;
    let p = people(&s).await;
    let sheet = s.sheet_of(&p.staff, 2019, Y_TE).await;
    let view = s.view(&p.yte, sheet).await;
    let t = first_criterion(&view);
    refused_with(
        create(&s, &p.yte, sheet, t, "lớn.pdf", (1 << 20) + 1).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "file_too_large",
    )
    .await;
    refused_with(create(&s, &p.yte, sheet, t, "rỗng.pdf", 0).await, StatusCode::UNPROCESSABLE_ENTITY, "file_empty")
        .await;
    refused_with(create(&s, &p.yte, sheet, t, "   ", 10).await, StatusCode::UNPROCESSABLE_ENTITY, "file_name").await;
    let nowhere = FileTarget::Criterion { criterion_id: 999_999 };
    refused_with(
        create(&s, &p.yte, sheet, nowhere, "a.pdf", 10).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "file_target",
    )
    .await;
    refused_with(
        create(&s, &p.yte, sheet, FileTarget::Bonus { index: 0 }, "a.pdf", 10).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "file_target",
    )
    .await;
    let no_tus = s
        .request(&p.yte, Method::POST, &format!("/api/sheets/{sheet}/uploads"))
        .header("upload-length", "10")
        .send()
        .await
        .unwrap();
    refused_with(no_tus, StatusCode::PRECONDITION_FAILED, "tus_version").await;
    // Two uploads under way reserve their room; a third would pass the sheet's limit.
    let first = created(&s, &p.yte, sheet, t, "1.pdf", 1 << 20).await;
    created(&s, &p.yte, sheet, t, "2.pdf", 1 << 20).await;
    refused_with(create(&s, &p.yte, sheet, t, "3.pdf", 10).await, StatusCode::PAYLOAD_TOO_LARGE, "sheet_files_full")
        .await;
    // More bytes than declared.
    refused_with(
        patch(&s, &p.yte, &first, 0, pdf((1 << 20) + 10, 3)).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "upload_past_length",
    )
    .await;
    // Cancelled: its room is free again.
    let cancel = s.request(&p.yte, Method::DELETE, &first).header("tus-resumable", "1.0.0").send().await.unwrap();
    assert_eq!(cancel.status(), StatusCode::NO_CONTENT);
    created(&s, &p.yte, sheet, t, "3.pdf", 10).await;
    let options = s.request(&p.anon, Method::OPTIONS, "/api/uploads").send().await.unwrap();
    assert_eq!(options.headers()["tus-version"], "1.0.0");
    assert_eq!(options.headers()["tus-max-size"], (1u64 << 20).to_string().as_str());
    assert_eq!(count(&s, "SELECT COUNT(*) FROM sheet_files").await, 0);
}

#[tokio::test]
async fn who_may_see_and_change_a_sheets_files() {
    let s = TestServer::start().await;
    let p = people(&s).await;
    // An officer of a unit in no bloc of the year: as far from the sheet as another bloc's.
    let unit = s
        .expect(
            &p.staff,
            Method::POST,
            "/api/admin/units",
            Some(&json!({"name": "Sở Tư pháp", "from_year": 2019})),
            StatusCode::CREATED,
        )
        .await;
    let user = json!({"username": "tuphap", "display_name": "Cán bộ Sở Tư pháp", "role": "unit_officer",
                      "unit_id": unit["id"], "password": "mat-khau-tu-phap"});
    s.expect(&p.staff, Method::POST, "/api/admin/users", Some(&user), StatusCode::CREATED).await;
    let response = s.login_response("tuphap", "mat-khau-tu-phap").await;
    let outsider = Who { name: "tuphap", cookie: Some(common::session_cookie(&response).unwrap()) };

    let sheet = s.sheet_of(&p.staff, 2019, Y_TE).await;
    let view = s.view(&p.yte, sheet).await;
    let t = first_criterion(&view);
    let id = upload(&s, &p.yte, sheet, t, "minh chứng.pdf", &pdf(2000, 4)).await;

    let file = format!("/api/files/{id}");
    let list = format!("/api/sheets/{sheet}/files");
    let zip = format!("/api/sheets/{sheet}/dossier.zip");
    for (who, status) in [
        (&p.anon, StatusCode::UNAUTHORIZED),
        (&p.yte, StatusCode::OK),
        (&p.gddt, StatusCode::FORBIDDEN),
        (&outsider, StatusCode::FORBIDDEN),
        (&p.leader, StatusCode::OK),
        (&p.staff, StatusCode::OK),
    ] {
        for path in [&file, &list, &zip] {
            let response = s.request(who, Method::GET, path).send().await.unwrap();
            assert_eq!(response.status(), status, "{} GET {path}", who.name);
            if status != StatusCode::OK {
                let body: Value = response.json().await.unwrap();
                assert!(body["code"].is_string(), "the usual error body: {body}");
            }
        }
        // Uploading and removing: the unit and staff only (the verifier reads, never writes).
        let may_write = matches!(who.name, "yte" | "staff");
        let response = create(&s, who, sheet, t, "x.pdf", 10).await;
        let expected = if may_write {
            StatusCode::CREATED
        } else if who.cookie.is_none() {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(response.status(), expected, "{} POST uploads", who.name);
        if !may_write {
            let response = s.request(who, Method::DELETE, &file).send().await.unwrap();
            assert_eq!(response.status(), expected, "{} DELETE {file}", who.name);
        }
    }
    // The bloc's dossiers: staff only.
    let bloc_zip = format!("/api/years/2019/blocs/{}/dossiers.zip", view.bloc_id);
    for (who, status) in [
        (&p.anon, StatusCode::UNAUTHORIZED),
        (&p.yte, StatusCode::FORBIDDEN),
        (&p.leader, StatusCode::FORBIDDEN),
        (&p.staff, StatusCode::OK),
    ] {
        assert_eq!(
            s.request(who, Method::GET, &bloc_zip).send().await.unwrap().status(),
            status,
            "{} {bloc_zip}",
            who.name
        );
    }
    let other_sheet = s.sheet_of(&p.staff, 2019, GIAO_DUC).await;
    assert_eq!(create(&s, &p.yte, other_sheet, t, "x.pdf", 10).await.status(), StatusCode::FORBIDDEN);
}

/// Every criterion self-scored at 1, so that the sheet can be submitted.
fn full_self(view: &SheetView, bonuses: Value) -> Value {
    let scores: Vec<Value> = view
        .criteria
        .leaves()
        .map(|c| json!({"criterion_id": c.id, "self_score": 1.0, "note": "", "evidence": []}))
        .collect();
    json!({"base_version": view.version, "scores": scores, "bonuses": bonuses, "deductions": []})
}

#[tokio::test]
async fn a_submitted_sheets_files_are_frozen_and_lines_take_their_files_along() {
    let s = TestServer::start().await;
    let p = people(&s).await;
    let sheet = s.sheet_of(&p.staff, 2019, Y_TE).await;
    let view = s.view(&p.yte, sheet).await;
    let lines = json!([{"reason": "Cờ thi đua của Chính phủ", "points": 2.0}, {"reason": "Bằng khen", "points": 1.0}]);
    let view: SheetView =
        s.ok(&p.yte, Method::PUT, &format!("/api/sheets/{sheet}/self"), Some(&full_self(&view, lines))).await;
    let on_second = upload(&s, &p.yte, sheet, FileTarget::Bonus { index: 1 }, "bằng khen.pdf", &pdf(3000, 5)).await;
    let on_first = upload(&s, &p.yte, sheet, FileTarget::Bonus { index: 0 }, "cờ.pdf", &pdf(3000, 6)).await;
    // An upload under way to the second line, and one to the first: they follow their lines too.
    let late_bytes = pdf(2000, 9);
    let late =
        created(&s, &p.yte, sheet, FileTarget::Bonus { index: 1 }, "bằng khen bổ sung.pdf", late_bytes.len() as u64)
            .await;
    let gone = created(&s, &p.yte, sheet, FileTarget::Bonus { index: 0 }, "cờ bổ sung.pdf", 2000).await;

    // The first line goes: its file goes with it (audited), the second's file moves up.
    let view: SheetView = s
        .ok(
            &p.yte,
            Method::PUT,
            &format!("/api/sheets/{sheet}/self"),
            Some(&full_self(&view, json!([{"reason": "Bằng khen", "points": 1.0}]))),
        )
        .await;
    assert_eq!(view.files.len(), 1);
    assert_eq!((view.files[0].id, view.files[0].target), (on_second, FileTarget::Bonus { index: 0 }));
    assert!(
        view.audit
            .iter()
            .any(|e| e.field.as_deref() == Some("files.bonus-1")
                && e.old.as_deref().is_some_and(|o| o.contains("cờ.pdf")))
    );
    s.refused(&p.yte, Method::GET, &format!("/api/files/{on_first}"), None, StatusCode::NOT_FOUND, "file_not_found")
        .await;
    let finished = patch(&s, &p.yte, &late, 0, late_bytes).await;
    assert_eq!(finished.status(), StatusCode::NO_CONTENT);
    let view = s.view(&p.yte, sheet).await;
    let late_file = view.files.iter().find(|f| f.name == "bằng khen bổ sung.pdf").unwrap();
    assert_eq!(late_file.target, FileTarget::Bonus { index: 0 }, "the upload followed its line");
    let response = s.request(&p.yte, Method::HEAD, &gone).header("tus-resumable", "1.0.0").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "the removed line's upload went with it");
    assert_eq!(count(&s, "SELECT COUNT(*) FROM uploads").await, 0);

    // Submitted: frozen for the unit; the verifier reads the file.
    s.expect(
        &p.yte,
        Method::POST,
        &format!("/api/sheets/{sheet}/submit"),
        Some(&json!({"base_version": view.version, "comment": ""})),
        StatusCode::OK,
    )
    .await;
    refused_with(
        create(&s, &p.yte, sheet, first_criterion(&view), "muộn.pdf", 10).await,
        StatusCode::CONFLICT,
        "wrong_state",
    )
    .await;
    s.refused(&p.yte, Method::DELETE, &format!("/api/files/{on_second}"), None, StatusCode::CONFLICT, "wrong_state")
        .await;
    assert_eq!(
        s.request(&p.leader, Method::GET, &format!("/api/files/{on_second}")).send().await.unwrap().status(),
        StatusCode::OK
    );

    // Returned: open again.
    let view = s.view(&p.leader, sheet).await;
    s.expect(
        &p.leader,
        Method::POST,
        &format!("/api/sheets/{sheet}/return"),
        Some(&json!({"base_version": view.version, "comment": "Bổ sung minh chứng"})),
        StatusCode::OK,
    )
    .await;
    s.expect(&p.yte, Method::DELETE, &format!("/api/files/{on_second}"), None, StatusCode::NO_CONTENT).await;
}

#[tokio::test]
async fn a_dossier_is_the_sheet_and_every_file_under_readable_names() {
    let s = TestServer::start().await;
    let p = people(&s).await;
    let sheet = s.sheet_of(&p.staff, 2019, Y_TE).await;
    let view = s.view(&p.yte, sheet).await;
    let (one, two) = (pdf(700_000, 7), pdf(5000, 8));
    upload(&s, &p.yte, sheet, first_criterion(&view), "Quyết định số 12-QĐ-UBND.pdf", &one).await;
    upload(&s, &p.yte, sheet, first_criterion(&view), "Quyết định số 12-QĐ-UBND.pdf", &two).await;
    let code = &view.criteria.leaves().next().unwrap().code;

    let response = s.request(&p.leader, Method::GET, &format!("/api/sheets/{sheet}/dossier.zip")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/zip");
    let bytes = response.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    // A second file of the same name is told apart.
    let first = format!("files/{code} - Quyết định số 12-QĐ-UBND.pdf");
    let second = format!("files/{code} - Quyết định số 12-QĐ-UBND (2).pdf");
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.contains(&"sheet.csv".to_owned()) && names.contains(&first) && names.contains(&second), "{names:?}");
    let mut read = |name: &str| {
        let mut out = Vec::new();
        zip.by_name(name).unwrap().read_to_end(&mut out).unwrap();
        out
    };
    assert_eq!(read(&first), one);
    assert_eq!(read(&second), two);
    let csv = String::from_utf8(read("sheet.csv")).unwrap();
    // A client that accepts compression gets the same ZIP, whole and not compressed again
    // (the stream once broke under the compression layer).
    let gz = s
        .request(&p.leader, Method::GET, &format!("/api/sheets/{sheet}/dossier.zip"))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert!(gz.headers().get("content-encoding").is_none());
    let again = gz.bytes().await.unwrap();
    assert_eq!(zip::ZipArchive::new(std::io::Cursor::new(again.to_vec())).unwrap().len(), 3);
    assert!(csv.contains("Tệp minh chứng") && csv.contains(&format!("{code} - Quyết định số 12-QĐ-UBND.pdf")), "{csv}");

    // Vietnamese names stay UTF-8 in the bloc's ZIP, one folder per unit.
    let upload_vi = upload(&s, &p.yte, sheet, second_criterion(&view), "Biên bản họp.pdf", &two).await;
    assert!(upload_vi > 0);
    let all = s
        .request(&p.staff, Method::GET, &format!("/api/years/2019/blocs/{}/dossiers.zip?lang=en", view.bloc_id))
        .send()
        .await
        .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(all.bytes().await.unwrap().to_vec())).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    let code2 = &view.criteria.leaves().nth(1).unwrap().code;
    assert!(names.iter().any(|n| n.ends_with(&format!("{Y_TE}/files/{code2} - Biên bản họp.pdf"))), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with(&format!("{GIAO_DUC}/sheet.csv"))), "{names:?}");
    let mut csv = String::new();
    let name = names.iter().find(|n| n.ends_with(&format!("{Y_TE}/sheet.csv"))).unwrap().clone();
    zip.by_name(&name).unwrap().read_to_string(&mut csv).unwrap();
    assert!(csv.contains("Evidence files"), "{csv}");
}
