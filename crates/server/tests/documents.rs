//! The year's documents, read back by real readers: the minutes' Word file through
//! LibreOffice (Debian's `libreoffice-writer-nogui`), its PDF through poppler's `pdftotext`,
//! `pdfinfo` and `pdffonts`; the page's size and margins from the Word file's own XML; who may
//! have them.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::Command;

use common::{people, TestServer};
use reqwest::{Method, StatusCode};
use thidua_domain::documents::{points_vi, share_vi};
use thidua_domain::results::BlocResults;
use thidua_domain::thresholds::on_base;

const MINUTES: &str = "/api/years/2018/blocs/1/documents/minutes";

/// `bytes` written to `dir/name`, then LibreOffice's plain text of it.
fn libreoffice_text(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    let profile = format!("-env:UserInstallation=file://{}", dir.join("lo-profile").display());
    let out = Command::new("soffice")
        .arg(profile)
        .args(["--headless", "--convert-to", "txt:Text", "--outdir"])
        .arg(dir)
        .arg(&file)
        .output()
        .expect("soffice (scripts/setup.sh installs libreoffice-writer-nogui)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::read_to_string(file.with_extension("txt")).unwrap()
}

/// A poppler tool's output on `file` (`pdftotext` to standard output: `-` after the file).
fn poppler(tool: &str, file: &Path, after: &[&str]) -> String {
    let out = Command::new(tool).arg(file).args(after).output().expect("poppler-utils (scripts/setup.sh installs it)");
    assert!(out.status.success(), "{tool}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// What the minutes must say, from the published results: names, totals with the decimal
/// comma, votes and shares on each award type's base, proposals, legal basis, revision.
fn expected(r: &BlocResults) -> Vec<String> {
    let mut want = vec![
        "BIÊN BẢN".to_owned(),
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".to_owned(),
        "Độc lập - Tự do - Hạnh phúc".to_owned(),
        r.bloc_name.clone(),
        format!("bản số {}", r.revision.as_ref().unwrap().number),
        format!("Số đại biểu có mặt: {}", r.tally.as_ref().unwrap().voters_present),
    ];
    for row in &r.ranking {
        want.push(row.unit.name.clone());
        want.push(points_vi(row.total));
    }
    let tally = r.tally.as_ref().unwrap();
    for c in &r.candidates {
        let at = r.award_types.iter().find(|a| a.id == c.award_type_id).unwrap();
        if let Some((v, b)) = on_base(tally, at.threshold.base, c.unit_id, at.id, c.votes) {
            want.push(share_vi(v, b));
        }
    }
    for g in &r.awards {
        want.push(g.award_type.name.clone());
        if !g.award_type.legal_basis.trim().is_empty() {
            want.push(g.award_type.legal_basis.trim().to_owned());
        }
        want.extend(g.units.iter().map(|u| u.unit.name.clone()));
    }
    want
}

/// White space folded: a table's cells and a wrapped line read as one text.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_minutes_say_what_the_published_results_say_in_word_and_in_pdf() {
    let s = TestServer::start().await;
    let p = people(&s).await;
    let results: BlocResults = s.ok(&p.anon, Method::GET, "/api/years/2018/blocs/1/results", None).await;
    assert!(results.published && !results.awards.is_empty() && results.tally.is_some());
    let dir = tempfile::tempdir().unwrap();

    let docx = s.request(&p.staff, Method::GET, &format!("{MINUTES}.docx")).send().await.unwrap();
    assert_eq!(docx.status(), StatusCode::OK);
    assert!(docx.headers()["content-disposition"].to_str().unwrap().contains("bien-ban-2018-bloc-1-r"));
    let docx = docx.bytes().await.unwrap().to_vec();
    let text = folded(&libreoffice_text(dir.path(), "minutes.docx", &docx));
    for want in expected(&results) {
        assert!(text.contains(&folded(&want)), "the Word file (through LibreOffice) lacks {want:?}:\n{text}");
    }
    // A4, margins 20 mm top and bottom, 30 mm left, 15 mm right (twips: 1 mm = 56.7), in the
    // file's own section properties.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    assert!(xml.contains(r#"w:w="11906""#) && xml.contains(r#"w:h="16838""#), "A4");
    let margin = |side: &str| -> f64 {
        let at = xml.find(&format!(r#"w:{side}=""#)).unwrap_or_else(|| panic!("no {side} margin")) + side.len() + 4;
        xml[at..].split('"').next().unwrap().parse::<f64>().unwrap() / 56.7
    };
    for (side, mm) in [("top", 20.0), ("bottom", 20.0), ("left", 30.0), ("right", 15.0)] {
        assert!((margin(side) - mm).abs() < 0.5, "{side} margin {} mm", margin(side));
    }
    let mut styles = String::new();
    zip.by_name("word/styles.xml").unwrap().read_to_string(&mut styles).unwrap();
    assert!(
        styles.contains(r#"w:ascii="Times New Roman""#) && styles.contains(r#"w:val="26""#),
        "Times New Roman 13 pt"
    );

    let pdf = s.request(&p.leader, Method::GET, &format!("{MINUTES}.pdf")).send().await.unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let file = dir.path().join("minutes.pdf");
    std::fs::write(&file, pdf.bytes().await.unwrap()).unwrap();
    let text = folded(&poppler("pdftotext", &file, &["-"]).replace('\u{c}', " "));
    for want in expected(&results) {
        assert!(text.contains(&folded(&want)), "the PDF (through pdftotext) lacks {want:?}:\n{text}");
    }
    let info = poppler("pdfinfo", &file, &[]);
    assert!(info.contains("(A4)"), "{info}");
    // Every font is embedded, so the diacritics print as they were written.
    let fonts = poppler("pdffonts", &file, &[]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty() && rows.iter().all(|r| r.split_whitespace().rev().nth(4) == Some("yes")), "{fonts}");
}

#[tokio::test]
async fn only_staff_and_the_bloc_leaders_officer_have_the_documents() {
    let s = TestServer::start().await;
    let p = people(&s).await;
    let path = format!("{MINUTES}.docx");
    for (who, status) in [
        (&p.anon, StatusCode::UNAUTHORIZED),
        (&p.yte, StatusCode::FORBIDDEN),
        (&p.gddt, StatusCode::FORBIDDEN),
        (&p.leader, StatusCode::OK),
        (&p.staff, StatusCode::OK),
    ] {
        assert_eq!(s.request(who, Method::GET, &path).send().await.unwrap().status(), status, "{}", who.name);
    }
    s.refused(
        &p.staff,
        Method::GET,
        "/api/years/2018/blocs/99/documents/minutes.docx",
        None,
        StatusCode::NOT_FOUND,
        "bloc_not_found",
    )
    .await;
}

#[tokio::test]
async fn the_proposal_letter_lists_each_award_types_units_with_rank_total_votes_and_basis() {
    let s = TestServer::start().await;
    let p = people(&s).await;
    let results: BlocResults = s.ok(&p.anon, Method::GET, "/api/years/2018/blocs/1/results", None).await;
    let dir = tempfile::tempdir().unwrap();
    let docx =
        s.request(&p.staff, Method::GET, "/api/years/2018/blocs/1/documents/proposal.docx").send().await.unwrap();
    assert_eq!(docx.status(), StatusCode::OK);
    let text = folded(&libreoffice_text(dir.path(), "proposal.docx", &docx.bytes().await.unwrap()));
    let pdf = s.request(&p.leader, Method::GET, "/api/years/2018/blocs/1/documents/proposal.pdf").send().await.unwrap();
    let file = dir.path().join("proposal.pdf");
    std::fs::write(&file, pdf.bytes().await.unwrap()).unwrap();
    let pdf_text = folded(&poppler("pdftotext", &file, &["-"]));
    let tally = results.tally.as_ref().unwrap();
    let mut want = vec![
        "TỜ TRÌNH".to_owned(),
        "Kính gửi: Hội đồng Thi đua - Khen thưởng tỉnh".to_owned(),
        format!("bản số {}", results.revision.as_ref().unwrap().number),
        "Hồ sơ kèm theo".to_owned(),
    ];
    for g in &results.awards {
        want.push(format!("{}: {} đơn vị", g.award_type.name, g.units.len()));
        want.push(g.award_type.legal_basis.trim().to_owned());
        for u in &g.units {
            let row = results.ranking.iter().find(|r| r.unit.id == u.unit.id).unwrap();
            let c = results
                .candidates
                .iter()
                .find(|c| c.unit_id == u.unit.id && c.award_type_id == g.award_type.id)
                .unwrap();
            let (v, b) = on_base(tally, g.award_type.threshold.base, c.unit_id, c.award_type_id, c.votes).unwrap();
            want.push(format!("{} {} {} {}", u.unit.name, row.rank, points_vi(row.total), share_vi(v, b)));
        }
    }
    for w in want {
        assert!(text.contains(&folded(&w)), "the Word file lacks {w:?}:\n{text}");
        assert!(pdf_text.contains(&folded(&w)), "the PDF lacks {w:?}:\n{pdf_text}");
    }
    assert!(poppler("pdfinfo", &file, &[]).contains("(A4)"));
}

#[tokio::test]
async fn a_units_report_is_prefilled_from_its_sheet_and_only_for_those_who_read_it() {
    let s = TestServer::start().await;
    let p = people(&s).await;
    let results: BlocResults = s.ok(&p.anon, Method::GET, "/api/years/2018/blocs/1/results", None).await;
    let sheet = s.sheet_of(&p.staff, 2018, "Sở Y tế").await;
    let view = s.view(&p.yte, sheet).await;
    let path = format!("/api/sheets/{sheet}/documents/report.docx");
    for (who, status) in [
        (&p.anon, StatusCode::UNAUTHORIZED),
        (&p.gddt, StatusCode::FORBIDDEN),
        (&p.leader, StatusCode::OK),
        (&p.staff, StatusCode::OK),
    ] {
        assert_eq!(s.request(who, Method::GET, &path).send().await.unwrap().status(), status, "{}", who.name);
    }
    let dir = tempfile::tempdir().unwrap();
    let docx = s.request(&p.yte, Method::GET, &path).send().await.unwrap();
    assert_eq!(docx.status(), StatusCode::OK);
    let text = folded(&libreoffice_text(dir.path(), "report.docx", &docx.bytes().await.unwrap()));
    let row = results.ranking.iter().find(|r| r.unit.name == "Sở Y tế").unwrap();
    let mut want = vec![
        "BÁO CÁO THÀNH TÍCH".to_owned(),
        "Sở Y tế".to_owned(),
        format!("Tổng điểm: {}", points_vi(row.total)),
        format!("Xếp hạng {} trong", row.rank),
        "(Đơn vị viết phần này.)".to_owned(),
    ];
    for section in view.criteria.sections() {
        want.push(section.title.clone());
    }
    for b in &view.sheet.bonuses {
        want.push(b.reason.clone());
    }
    for g in results.awards.iter().filter(|g| g.units.iter().any(|u| u.unit.id == row.unit.id)) {
        want.push(format!("Đề nghị tặng {}", g.award_type.name));
    }
    for w in want {
        assert!(text.contains(&folded(&w)), "the report lacks {w:?}:\n{text}");
    }
    // A sheet with nothing scored yet says so, section by section: never a 0 nobody gave.
    let blank = s.sheet_of(&p.staff, 2019, "Sở Giáo dục và Đào tạo").await;
    let docx =
        s.request(&p.gddt, Method::GET, &format!("/api/sheets/{blank}/documents/report.docx")).send().await.unwrap();
    let text = folded(&libreoffice_text(dir.path(), "blank.docx", &docx.bytes().await.unwrap()));
    assert!(text.contains("chưa chấm") && text.contains("Tổng điểm tạm tính: 0 (0/"), "{text}");
    let pdf =
        s.request(&p.yte, Method::GET, &format!("/api/sheets/{sheet}/documents/report.pdf")).send().await.unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    s.refused(
        &p.yte,
        Method::GET,
        &format!("/api/sheets/{sheet}/documents/other.docx"),
        None,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn the_conference_entered_with_the_bloc_fills_the_minutes_and_the_letter() {
    let s = TestServer::start().await;
    let p = people(&s).await;
    let setup: serde_json::Value = s.ok(&p.staff, Method::GET, "/api/admin/years/2018/blocs/1", None).await;
    let members: Vec<serde_json::Value> =
        setup["members"].as_array().unwrap().iter().map(|m| m["id"].clone()).collect();
    let conference = serde_json::json!({
        "held_on": "2018-11-30",
        "place": "Hội trường Sở Lao động - Thương binh và Xã hội",
        "chair": "Ông Nguyễn Văn An, Giám đốc Sở Lao động - Thương binh và Xã hội",
        "secretary": "Bà Trần Thị Bình",
        "attendees": "Đại diện lãnh đạo 7 đơn vị thành viên",
    });
    let mut input = serde_json::json!({
        "members": members, "leader": setup["leader"], "deputy": setup["deputy"],
        "pact_signed_on": setup["pact_signed_on"], "pact_note": setup["pact_note"],
        "pact_document_url": setup["pact_document_url"], "conference": conference, "version": setup["version"],
    });
    let saved: serde_json::Value = s.ok(&p.staff, Method::PUT, "/api/admin/years/2018/blocs/1", Some(&input)).await;
    assert_eq!(saved["conference"]["secretary"], "Bà Trần Thị Bình");
    // A date that is no date is refused, next to its field.
    input["conference"]["held_on"] = serde_json::json!("30/11/2018");
    input["version"] = saved["version"].clone();
    let refused = s
        .refused(
            &p.staff,
            Method::PUT,
            "/api/admin/years/2018/blocs/1",
            Some(&input),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    assert!(refused.fields.contains_key("conference.held_on"), "{:?}", refused.fields);

    let dir = tempfile::tempdir().unwrap();
    let docx = s.request(&p.staff, Method::GET, &format!("{MINUTES}.docx")).send().await.unwrap();
    let text = folded(&libreoffice_text(dir.path(), "minutes.docx", &docx.bytes().await.unwrap()));
    for want in [
        "……, ngày 30 tháng 11 năm 2018",
        "Thời gian: Ngày 30 tháng 11 năm 2018",
        "Địa điểm: Hội trường Sở Lao động - Thương binh và Xã hội",
        "Chủ trì: Ông Nguyễn Văn An, Giám đốc Sở Lao động - Thương binh và Xã hội",
        "Thư ký: Bà Trần Thị Bình",
        "Thành phần: Đại diện lãnh đạo 7 đơn vị thành viên",
    ] {
        assert!(text.contains(&folded(want)), "the minutes lack {want:?}:\n{text}");
    }
    let docx =
        s.request(&p.staff, Method::GET, "/api/years/2018/blocs/1/documents/proposal.docx").send().await.unwrap();
    let text = folded(&libreoffice_text(dir.path(), "proposal.docx", &docx.bytes().await.unwrap()));
    assert!(text.contains("biên bản họp ngày 30 tháng 11 năm 2018"), "{text}");
}
