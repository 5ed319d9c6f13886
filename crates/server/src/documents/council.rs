//! The Council's list for a year (danh sách đề nghị khen thưởng trình Hội đồng Thi đua - Khen
//! thưởng tỉnh): per award type every bloc's published proposals with rank, total and votes,
//! and the Council's outcome recorded so far (an empty cell where none is, for the meeting to
//! fill in). Number, date and signature are the Council's.

use docx_rs::Docx;
use thidua_domain::council::{CouncilList, CouncilProposal, Outcome, StaleReason};
use thidua_domain::documents::{date_vi, points_vi, share_vi};

use super::minutes::dated;
use super::page::{self, heading, line, para, text, TEXT_WIDTH};

/// The list as a Word document.
pub fn council(list: &CouncilList) -> Docx {
    let mut doc = page::document()
        .add_table(page::head("Hội đồng Thi đua - Khen thưởng tỉnh", "Số: ……/DS-HĐTĐKT", &dated(None)))
        .add_paragraph(docx_rs::Paragraph::new())
        .add_paragraph(page::centered(text("DANH SÁCH").bold().size(28)))
        .add_paragraph(page::centered(
            text(format!("Đề nghị khen thưởng năm {} của các cụm, khối thi đua", list.year)).bold(),
        ))
        .add_paragraph(page::centered(text("(Kèm theo Tờ trình số …… ngày …… của Hội đồng)").italic()))
        .add_paragraph(heading("Kết quả của các khối:"));
    for b in &list.blocs {
        doc = doc.add_paragraph(line(match b.revision {
            Some(n) => format!("- {}: kết quả đã công bố, bản số {n};", b.bloc_name),
            None => format!("- {}: chưa công bố kết quả, chưa có đề nghị trình Hội đồng;", b.bloc_name),
        }));
    }
    if list.groups.is_empty() {
        doc = doc.add_paragraph(line("Chưa có đơn vị được đề nghị."));
    }
    // Wide enough that "TT" and "Hạng" never break inside the word.
    let widths = [
        TEXT_WIDTH * 7 / 100,
        TEXT_WIDTH * 22 / 100,
        TEXT_WIDTH * 15 / 100,
        TEXT_WIDTH * 10 / 100,
        TEXT_WIDTH * 10 / 100,
        TEXT_WIDTH * 14 / 100,
        TEXT_WIDTH - TEXT_WIDTH * 78 / 100,
    ];
    for (i, g) in list.groups.iter().enumerate() {
        let c = g.counts();
        doc = doc.add_paragraph(
            para(vec![text(format!(
                "{}. {}: {} đơn vị (đồng ý {}, không đồng ý {}, chưa xét {})",
                i + 1,
                g.award_type.name,
                g.proposals.len(),
                c.approved,
                c.not_approved,
                c.pending
            ))
            .bold()])
            // The award type's line stays with its table.
            .keep_next(true),
        );
        let rows = g.proposals.iter().enumerate().map(|(n, p)| row(n + 1, p)).collect();
        doc = doc
            .add_table(page::table(
                &["TT", "Đơn vị", "Khối", "Hạng", "Tổng điểm", "Kết quả bỏ phiếu", "Ý kiến Hội đồng"],
                rows,
                &widths,
            ))
            .add_paragraph(docx_rs::Paragraph::new());
    }
    if !list.stale.is_empty() {
        doc = doc.add_paragraph(heading("Ý kiến đã ghi nhưng không áp dụng:"));
        for s in &list.stale {
            let why = match s.why {
                StaleReason::NoLongerProposed => "kết quả sửa đổi sau không còn đề nghị",
                StaleReason::FactsChanged => "kết quả sửa đổi sau đã thay đổi thứ hạng, điểm hoặc số phiếu",
                StaleReason::NotPublished => "khối chưa công bố hoặc đã thu hồi kết quả",
            };
            doc = doc.add_paragraph(line(format!(
                "- {} ({}), {}: {} ({why})",
                s.unit_name,
                s.bloc_name,
                s.award_name,
                outcome_text(s.outcome.outcome, s.outcome.reason.as_deref())
            )));
        }
    }
    doc.add_table(page::closing("TM. Hội đồng Thi đua - Khen thưởng", &["Lưu: VT."]))
}

fn row(n: usize, p: &CouncilProposal) -> Vec<String> {
    let votes = match p.base {
        Some(base) => share_vi(p.votes, base),
        None => format!("{} phiếu", p.votes),
    };
    let mut outcome = p.outcome.as_ref().map(|o| outcome_text(o.outcome, o.reason.as_deref())).unwrap_or_default();
    if let Some(d) = &p.decision {
        let date = date_vi(&d.date).unwrap_or_else(|| d.date.clone());
        let decided = format!("Đã có Quyết định số {} {} của {}", d.number, date, d.issuer);
        outcome = if outcome.is_empty() { decided } else { format!("{outcome}. {decided}") };
    }
    vec![
        n.to_string(),
        p.unit.name.clone(),
        p.bloc_name.clone(),
        p.rank.map(|r| r.to_string()).unwrap_or_default(),
        p.total.map(points_vi).unwrap_or_default(),
        votes,
        outcome,
    ]
}

fn outcome_text(o: Outcome, reason: Option<&str>) -> String {
    let word = match o {
        Outcome::Approved => "Đồng ý",
        Outcome::NotApproved => "Không đồng ý",
    };
    match reason {
        Some(r) => format!("{word}: {r}"),
        None => word.to_owned(),
    }
}
