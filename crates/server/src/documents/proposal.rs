//! The bloc's proposal letter to the provincial Council (tờ trình đề nghị khen thưởng của khối
//! thi đua): per award type the units proposed with their rank, total and votes, the legal
//! basis, and the documents enclosed. Number, date and signature are the bloc's to fill in.

use docx_rs::Docx;
use thidua_domain::admin::blocs::Conference;
use thidua_domain::documents::{date_vi, points_vi, share_vi};
use thidua_domain::results::BlocResults;
use thidua_domain::thresholds::on_base;

use super::minutes::{dated, revision_line};
use super::page::{self, heading, line, para, text, TEXT_WIDTH};

/// The proposal letter as a Word document.
pub fn proposal(r: &BlocResults, conference: &Conference) -> Docx {
    let held_on = conference.held_on.as_deref().and_then(date_vi);
    let mut doc = page::document()
        .add_table(page::head(&r.bloc_name, "Số: ……/TTr-KTĐ", &dated(None)))
        .add_paragraph(docx_rs::Paragraph::new())
        .add_paragraph(page::centered(text("TỜ TRÌNH").bold().size(28)))
        .add_paragraph(page::centered(text(format!("Về việc đề nghị khen thưởng năm {}", r.year)).bold()))
        .add_paragraph(page::centered(text("Kính gửi: Hội đồng Thi đua - Khen thưởng tỉnh")))
        .add_paragraph(line(revision_line(r)));
    // Every legal basis the proposed award types name, once.
    let mut bases: Vec<&str> = Vec::new();
    for g in &r.awards {
        let basis = g.award_type.legal_basis.trim();
        if !basis.is_empty() && !bases.contains(&basis) {
            bases.push(basis);
        }
    }
    for basis in bases {
        doc = doc.add_paragraph(line(format!("Căn cứ {basis};")));
    }
    doc = doc
        .add_paragraph(line(format!(
            "Căn cứ kết quả chấm điểm, bình xét, suy tôn thi đua năm {} của {} (biên bản họp {}kèm theo),",
            r.year,
            r.bloc_name,
            held_on.map(|d| format!("{d} ")).unwrap_or_default()
        )))
        .add_paragraph(line(format!(
            "{} kính đề nghị Hội đồng Thi đua - Khen thưởng tỉnh xem xét, trình cấp có thẩm quyền khen thưởng cho các đơn vị sau:",
            r.bloc_name
        )));
    if r.awards.is_empty() {
        doc = doc.add_paragraph(line("Không có đơn vị được đề nghị."));
    }
    let widths = [
        TEXT_WIDTH / 12,
        TEXT_WIDTH * 4 / 12,
        TEXT_WIDTH * 2 / 12,
        TEXT_WIDTH * 2 / 12,
        TEXT_WIDTH - TEXT_WIDTH * 9 / 12,
    ];
    for (i, g) in r.awards.iter().enumerate() {
        let at = &g.award_type;
        doc = doc.add_paragraph(para(vec![text(format!("{}. {}: {} đơn vị", i + 1, at.name, g.units.len())).bold()]));
        let rows: Vec<Vec<String>> = g
            .units
            .iter()
            .enumerate()
            .map(|(n, p)| {
                let row = r.ranking.iter().find(|row| row.unit.id == p.unit.id);
                let votes = r
                    .candidates
                    .iter()
                    .find(|c| c.unit_id == p.unit.id && c.award_type_id == at.id)
                    .map(|c| {
                        match r.tally.as_ref().and_then(|t| on_base(t, at.threshold.base, c.unit_id, at.id, c.votes)) {
                            Some((v, b)) => share_vi(v, b),
                            None => format!("{} phiếu", c.votes),
                        }
                    })
                    .unwrap_or_default();
                vec![
                    (n + 1).to_string(),
                    p.unit.name.clone(),
                    row.map(|r| r.rank.to_string()).unwrap_or_default(),
                    row.map(|r| points_vi(r.total)).unwrap_or_default(),
                    votes,
                ]
            })
            .collect();
        doc = doc
            .add_table(page::table(&["TT", "Đơn vị", "Hạng", "Tổng điểm", "Kết quả bỏ phiếu"], rows, &widths))
            .add_paragraph(docx_rs::Paragraph::new());
    }
    doc.add_paragraph(heading("Hồ sơ kèm theo:"))
        .add_paragraph(line(format!(
            "- Biên bản họp bình xét, suy tôn và kết quả bỏ phiếu thi đua năm {} của khối;",
            r.year
        )))
        .add_paragraph(line("- Bảng tổng hợp kết quả chấm điểm thi đua của các đơn vị trong khối;"))
        .add_paragraph(line("- Báo cáo thành tích của các đơn vị được đề nghị khen thưởng."))
        .add_paragraph(line("Kính đề nghị Hội đồng Thi đua - Khen thưởng tỉnh xem xét./."))
        .add_table(page::closing("TRƯỞNG KHỐI", &["Như trên;", "Lưu: VT."]))
}
