//! The bloc conference's minutes (biên bản họp bình xét, suy tôn và kết quả bỏ phiếu) from the
//! results: the ranking with totals, the vote per award type with each unit's votes and share on
//! the award type's base, the proposals with their legal basis, what was acknowledged at
//! publication, the revision it was made from, and the signature blocks. What the product does
//! not hold yet (the conference's date, place, chair, secretary and attendees) is left as dotted
//! lines for staff to fill in the Word file.

use docx_rs::Docx;
use thidua_domain::admin::blocs::Conference;
use thidua_domain::award_types::{AwardType, ThresholdBase};
use thidua_domain::documents::{date_vi, points_vi, share_vi};
use thidua_domain::published::PublishProblem;
use thidua_domain::results::BlocResults;
use thidua_domain::tally::TallyMethod;
use thidua_domain::thresholds::on_base;
use thidua_domain::UnitId;

use super::page::{self, heading, line, para, text, TEXT_WIDTH};

const DOTS: &str = "……………………………………";

/// The minutes as a Word document.
pub fn minutes(r: &BlocResults, conference: &Conference) -> Docx {
    let c = conference;
    let or_dots = |t: &str| if t.trim().is_empty() { DOTS.to_owned() } else { t.trim().to_owned() };
    let held_on = c.held_on.as_deref().and_then(date_vi);
    let unit_name = |id: UnitId| {
        r.ranking
            .iter()
            .map(|row| &row.unit)
            .chain(r.unranked.iter().map(|u| &u.unit))
            .find(|u| u.id == id)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    };
    let mut doc = page::document()
        .add_table(page::head(&r.bloc_name, "Số: ……/BB-KTĐ", &dated(held_on.as_deref())))
        .add_paragraph(docx_rs::Paragraph::new())
        .add_paragraph(page::centered(text("BIÊN BẢN").bold().size(28)))
        .add_paragraph(page::centered(
            text(format!("Họp bình xét, suy tôn và kết quả bỏ phiếu thi đua năm {}", r.year)).bold(),
        ))
        .add_paragraph(page::centered(text(r.bloc_name.clone()).bold()))
        .add_paragraph(line(revision_line(r)));

    doc = doc
        .add_paragraph(heading("I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN"))
        .add_paragraph(line(format!(
            "Thời gian: {}",
            held_on.clone().map(capitalized).unwrap_or_else(|| DOTS.to_owned())
        )))
        .add_paragraph(line(format!("Địa điểm: {}", or_dots(&c.place))))
        .add_paragraph(line(format!("Chủ trì: {}", or_dots(&c.chair))))
        .add_paragraph(line(format!("Thư ký: {}", or_dots(&c.secretary))))
        .add_paragraph(line(format!("Thành phần: {}", or_dots(&c.attendees))));

    // The ranking.
    doc = doc.add_paragraph(heading("II. KẾT QUẢ CHẤM ĐIỂM THI ĐUA"));
    let rows: Vec<Vec<String>> =
        r.ranking.iter().map(|row| vec![row.rank.to_string(), row.unit.name.clone(), points_vi(row.total)]).collect();
    let w = [TEXT_WIDTH / 8, TEXT_WIDTH * 5 / 8, TEXT_WIDTH - TEXT_WIDTH / 8 - TEXT_WIDTH * 5 / 8];
    doc =
        doc.add_table(page::table(&["Hạng", "Đơn vị", "Tổng điểm"], rows, &w)).add_paragraph(docx_rs::Paragraph::new());
    for u in &r.unranked {
        doc = doc.add_paragraph(line(format!(
            "{}: bảng điểm chưa được thẩm định, không xếp hạng, không có tổng điểm.",
            u.unit.name
        )));
    }

    // The vote.
    doc = doc.add_paragraph(heading("III. KẾT QUẢ BỎ PHIẾU SUY TÔN"));
    match &r.tally {
        None => doc = doc.add_paragraph(line("Chưa có kết quả bỏ phiếu.")),
        Some(tally) => {
            let how = match r.tally_method {
                Some(TallyMethod::Counted) => {
                    "kiểm phiếu trên phần mềm (phiếu trên điện thoại và phiếu giấy do hai thư ký nhập, đối chiếu)"
                }
                _ => "Ban kiểm phiếu kiểm và nhập kết quả",
            };
            doc = doc
                .add_paragraph(line(format!("Số đại biểu có mặt: {}.", tally.voters_present)))
                .add_paragraph(line(format!("Cách kiểm phiếu: {how}.")));
            if let Some(m) = tally.membership {
                doc = doc.add_paragraph(line(format!("Tổng số thành viên: {m}.")));
            }
            for at in &r.award_types {
                let mut rows: Vec<(u32, Vec<String>)> = r
                    .candidates
                    .iter()
                    .filter(|c| c.award_type_id == at.id)
                    .map(|c| {
                        let share = on_base(tally, at.threshold.base, c.unit_id, at.id, c.votes)
                            .map(|(v, b)| share_vi(v, b))
                            .unwrap_or_else(|| format!("{} phiếu", c.votes));
                        let verdict = if c.proposed { "Đề nghị" } else { "Không đề nghị" };
                        (c.votes, vec![unit_name(c.unit_id), c.votes.to_string(), share, verdict.to_owned()])
                    })
                    .collect();
                if rows.is_empty() {
                    continue;
                }
                rows.sort_by_key(|r| std::cmp::Reverse(r.0));
                doc = doc
                    .add_paragraph(para(vec![text(format!("{} ", at.name)).bold(), text(threshold_text(at))]))
                    .add_table(page::table(
                        &["Đơn vị", "Số phiếu", "Tỷ lệ", "Kết quả"],
                        rows.into_iter().map(|(_, r)| r).collect(),
                        &[TEXT_WIDTH * 4 / 10, TEXT_WIDTH / 10, TEXT_WIDTH * 3 / 10, TEXT_WIDTH / 5],
                    ))
                    .add_paragraph(docx_rs::Paragraph::new());
            }
        }
    }

    // The proposals.
    doc = doc.add_paragraph(heading("IV. ĐỀ NGHỊ KHEN THƯỞNG"));
    if r.awards.is_empty() {
        doc = doc.add_paragraph(line("Không có đơn vị được đề nghị."));
    }
    for group in &r.awards {
        let basis = if group.award_type.legal_basis.trim().is_empty() {
            String::new()
        } else {
            format!(" (căn cứ {})", group.award_type.legal_basis.trim())
        };
        doc = doc.add_paragraph(para(vec![text(format!("{}{basis}:", group.award_type.name)).bold()]));
        for (i, p) in group.units.iter().enumerate() {
            let row = r.ranking.iter().find(|row| row.unit.id == p.unit.id);
            let votes = r
                .candidates
                .iter()
                .find(|c| c.unit_id == p.unit.id && c.award_type_id == group.award_type.id)
                .map(|c| c.votes);
            let mut facts = Vec::new();
            if let Some(row) = row {
                facts.push(format!("hạng {}, {} điểm", row.rank, points_vi(row.total)));
            }
            if let Some(v) = votes {
                facts.push(format!("{v} phiếu"));
            }
            if let Some(reason) = &p.override_reason {
                facts.push(format!("điều chỉnh: {reason}"));
            }
            doc = doc.add_paragraph(line(format!("{}. {} ({}).", i + 1, p.unit.name, facts.join("; "))));
        }
    }

    // What publication acknowledged, when it acknowledged anything.
    if let Some(note) = r.publication.as_ref().filter(|n| !n.acknowledged.is_empty()) {
        doc = doc.add_paragraph(heading("V. CÁC VẤN ĐỀ ĐÃ GHI NHẬN KHI CÔNG BỐ"));
        for problem in &note.acknowledged {
            doc = doc.add_paragraph(line(format!("- {}", problem_text(r, problem, &unit_name))));
        }
        if !note.reason.trim().is_empty() {
            doc = doc.add_paragraph(line(format!("Lý do công bố: {}", note.reason.trim())));
        }
    }

    doc.add_paragraph(line(
        "Biên bản lập xong hồi …… giờ …… cùng ngày, đã đọc lại cho hội nghị cùng nghe và thống nhất.",
    ))
    .add_table(page::signatures(&["Thư ký", "Chủ trì"]))
}

/// The place-and-date line: "……, ngày 30 tháng 11 năm 2018" (the locality is the bloc's to
/// write), or all dotted without a date.
pub(super) fn dated(date: Option<&str>) -> String {
    format!("……, {}", date.unwrap_or("ngày …… tháng …… năm ……"))
}

/// "Ngày 30 tháng 11 năm 2018" at the start of a line.
fn capitalized(text: String) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Which state of the results the minutes were made from.
pub(super) fn revision_line(r: &BlocResults) -> String {
    match &r.revision {
        Some(rev) => format!(
            "(Lập từ kết quả đã công bố, bản số {}{}.)",
            rev.number,
            date_vi(&rev.at).map(|d| format!(", {d}")).unwrap_or_default()
        ),
        None => "(Bản xem trước: kết quả chưa công bố.)".to_owned(),
    }
}

/// "(trên 2/3 số đại biểu có mặt)": the award type's threshold and its base.
fn threshold_text(at: &AwardType) -> String {
    let t = &at.threshold;
    let base = match t.base {
        ThresholdBase::VotersPresent => "số đại biểu có mặt",
        ThresholdBase::ValidBallots => "số phiếu hợp lệ",
        ThresholdBase::Membership => "tổng số thành viên",
    };
    let how = if t.strict { "trên" } else { "từ" };
    format!("(ngưỡng: {how} {}/{} {base})", t.numerator, t.denominator)
}

fn problem_text(r: &BlocResults, p: &PublishProblem, unit_name: &impl Fn(UnitId) -> String) -> String {
    let award = |id| r.award_types.iter().find(|a| a.id == id).map(|a| a.name.clone()).unwrap_or_default();
    match p {
        PublishProblem::NoTally => "chưa có kết quả bỏ phiếu".to_owned(),
        PublishProblem::SheetNotApproved { unit_id, .. } => {
            format!("bảng điểm của {} chưa được thẩm định", unit_name(*unit_id))
        }
        PublishProblem::VoteTie { award_type_id, unit_ids } => format!(
            "{}: bằng phiếu giữa {}",
            award(*award_type_id),
            unit_ids.iter().map(|u| unit_name(*u)).collect::<Vec<_>>().join(", ")
        ),
        PublishProblem::OverQuota { award_type_id, quota, proposed } => {
            format!("{}: đề nghị {proposed} đơn vị, vượt chỉ tiêu {quota}", award(*award_type_id))
        }
        PublishProblem::BelowThreshold { award_type_id, unit_id } => {
            format!("{}: {} chưa đạt ngưỡng phiếu", award(*award_type_id), unit_name(*unit_id))
        }
        PublishProblem::NotEligible { award_type_id, unit_id } => {
            format!("{}: {} chưa đủ điều kiện", award(*award_type_id), unit_name(*unit_id))
        }
    }
}
