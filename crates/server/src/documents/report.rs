//! A unit's achievement report, prefilled (báo cáo thành tích): what the product knows — the
//! unit, the year, its scores by section, its total and rank once published, its bonuses and
//! deductions with their reasons, the award it is proposed for — and headings with room for the
//! narrative that only the unit can write. The unit downloads it as Word to finish.

use docx_rs::Docx;
use thidua_domain::criteria::CriteriaTable;
use thidua_domain::documents::points_vi;
use thidua_domain::results::BlocResults;
use thidua_domain::sheet::{sheet_totals, ScoreKind, ScoreSheet};
use thidua_domain::workflow::SheetState;
use thidua_domain::Year;

use super::page::{self, heading, line, text, TEXT_WIDTH};

/// What the report is made from: the unit's sheet, and the bloc's results if published.
pub struct ReportInput<'a> {
    pub year: Year,
    pub bloc_name: &'a str,
    pub unit_name: &'a str,
    pub unit_id: thidua_domain::UnitId,
    pub state: SheetState,
    pub table: &'a CriteriaTable,
    pub sheet: &'a ScoreSheet,
    pub published: Option<&'a BlocResults>,
}

const TO_WRITE: &str = "(Đơn vị viết phần này.)";

/// The report as a Word document.
pub fn report(input: &ReportInput<'_>) -> Docx {
    let r = input;
    // Verified scores once the sheet is approved; the unit's own before.
    let (kind, which) = if r.state == SheetState::Approved {
        (ScoreKind::Verified, "điểm thẩm định")
    } else {
        (ScoreKind::SelfAssessed, "điểm tự chấm, chưa thẩm định")
    };
    let totals = sheet_totals(r.table, r.sheet, kind);
    let proposed: Vec<String> = r
        .published
        .map(|p| {
            p.awards
                .iter()
                .filter(|g| g.units.iter().any(|u| u.unit.id == r.unit_id))
                .map(|g| g.award_type.name.clone())
                .collect()
        })
        .unwrap_or_default();
    let subtitle = match proposed.first() {
        Some(award) => format!("Đề nghị tặng {award}"),
        None => format!("Năm {}", r.year),
    };
    let mut doc = page::document()
        .add_table(page::head(r.unit_name, "", "……, ngày …… tháng …… năm ……"))
        .add_paragraph(docx_rs::Paragraph::new())
        .add_paragraph(page::centered(text("BÁO CÁO THÀNH TÍCH").bold().size(28)))
        .add_paragraph(page::centered(text(subtitle).bold()))
        .add_paragraph(page::centered(text(format!("{} — {}, năm {}", r.unit_name, r.bloc_name, r.year))))
        .add_paragraph(heading("I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH"))
        .add_paragraph(line("1. Đặc điểm, tình hình: chức năng, nhiệm vụ, tổ chức bộ máy."))
        .add_paragraph(line(TO_WRITE))
        .add_paragraph(line("2. Thuận lợi, khó khăn."))
        .add_paragraph(line(TO_WRITE))
        .add_paragraph(heading("II. THÀNH TÍCH ĐẠT ĐƯỢC"))
        .add_paragraph(line(format!("1. Kết quả chấm điểm thi đua năm {} ({which}):", r.year)));
    // A section with nothing scored says so: a 0 would claim a score nobody gave.
    let scored = |id| {
        r.sheet.scores.iter().any(|s| {
            s.criterion_id == id
                && match kind {
                    ScoreKind::Verified => s.verified_score.is_some(),
                    ScoreKind::SelfAssessed => s.self_score.is_some(),
                }
        })
    };
    let sections: Vec<Vec<String>> = r
        .table
        .sections()
        .zip(&totals.sections)
        .map(|(s, t)| {
            let leaves: Vec<_> =
                r.table.leaves().filter(|l| r.table.section_of(l.id).map(|x| x.id) == Some(s.id)).collect();
            let done = leaves.iter().filter(|l| scored(l.id)).count();
            let points = match done {
                0 => "chưa chấm".to_owned(),
                n if n < leaves.len() => format!("{} (chấm {n}/{} tiêu chí)", points_vi(t.points), leaves.len()),
                _ => points_vi(t.points),
            };
            vec![s.code.clone(), s.title.clone(), points_vi(s.max_points), points]
        })
        .collect();
    let w = [
        TEXT_WIDTH / 10,
        TEXT_WIDTH * 6 / 10,
        TEXT_WIDTH * 3 / 20,
        TEXT_WIDTH - TEXT_WIDTH / 10 - TEXT_WIDTH * 6 / 10 - TEXT_WIDTH * 3 / 20,
    ];
    doc = doc
        .add_table(page::table(&["Mục", "Nội dung", "Điểm tối đa", "Điểm đạt"], sections, &w))
        .add_paragraph(docx_rs::Paragraph::new());
    for b in &r.sheet.bonuses {
        doc = doc.add_paragraph(line(format!("- Điểm thưởng {}: {}.", points_vi(b.points), b.reason)));
    }
    for d in &r.sheet.deductions {
        doc = doc.add_paragraph(line(format!("- Điểm trừ {}: {}.", points_vi(d.points), d.reason)));
    }
    doc = doc.add_paragraph(line(if totals.scored == totals.criteria_count {
        format!("Tổng điểm: {}.", points_vi(totals.total))
    } else {
        format!(
            "Tổng điểm tạm tính: {} ({}/{} tiêu chí đã chấm).",
            points_vi(totals.total),
            totals.scored,
            totals.criteria_count
        )
    }));
    if let Some(p) = r.published {
        if let Some(row) = p.ranking.iter().find(|row| row.unit.id == r.unit_id) {
            doc = doc.add_paragraph(line(format!(
                "Xếp hạng {} trong {} đơn vị của khối (kết quả đã công bố{}).",
                row.rank,
                p.ranking.len() + p.unranked.len(),
                p.revision.as_ref().map(|rev| format!(", bản số {}", rev.number)).unwrap_or_default()
            )));
        }
        if !proposed.is_empty() {
            doc = doc.add_paragraph(line(format!("Được khối bình xét, suy tôn đề nghị: {}.", proposed.join("; "))));
        }
    }
    doc.add_paragraph(line("2. Các giải pháp, biện pháp đã thực hiện và kết quả nổi bật."))
        .add_paragraph(line(TO_WRITE))
        .add_paragraph(line(
            "3. Việc thực hiện chủ trương, chính sách của Đảng, pháp luật của Nhà nước; các phong trào thi đua.",
        ))
        .add_paragraph(line(TO_WRITE))
        .add_paragraph(heading("III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN"))
        .add_paragraph(line(TO_WRITE))
        .add_table(page::closing("THỦ TRƯỞNG ĐƠN VỊ", &[]))
}
