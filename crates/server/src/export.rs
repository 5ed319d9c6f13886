//! A bloc's results as files to download: CSV (the ranking table) and XLSX (the ranking, the
//! whole breakdown and the awards), with Vietnamese (default) or English headers. Everything
//! comes from `BlocResults`, so a file says exactly what the results page says.

use std::borrow::Cow;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use serde::Deserialize;
use thidua_domain::criteria::{CriteriaTable, Criterion};
use thidua_domain::ranking::TieBreak;
use thidua_domain::results::{BlocResults, NotVerified, RankingRow, UnrankedRow};
use thidua_domain::Points;

/// The language of the headers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Vietnamese, with diacritics.
    #[default]
    Vi,
    En,
}

/// Every text of the files, in one language.
struct Labels {
    rank: &'static str,
    unit: &'static str,
    verified_total: &'static str,
    self_total: &'static str,
    bonus_counted: &'static str,
    deductions: &'static str,
    self_score: &'static str,
    verified_score: &'static str,
    code: &'static str,
    criterion: &'static str,
    max: &'static str,
    adjustment: &'static str,
    bonus: &'static str,
    deduction: &'static str,
    award_type: &'static str,
    status: &'static str,
    proposed: &'static str,
    awarded: &'static str,
    decision_number: &'static str,
    decision_date: &'static str,
    issuer: &'static str,
    override_reason: &'static str,
    sheet_ranking: &'static str,
    sheet_breakdown: &'static str,
    sheet_awards: &'static str,
    sheet_about: &'static str,
    bloc: &'static str,
    year: &'static str,
    published: &'static str,
    revision: &'static str,
    preview: &'static str,
    sample: &'static str,
    tie_break: &'static str,
    shared_rank: &'static str,
    section_order: &'static str,
    sheet_state: &'static str,
    verified: &'static str,
    not_ranked: &'static str,
    /// "not verified: {state}, {n} of {m} criteria verified" in pieces.
    not_verified: &'static str,
    criteria_verified: &'static str,
    no_sheet: &'static str,
    draft: &'static str,
    submitted: &'static str,
    returned: &'static str,
    publication_reason: &'static str,
}

const VI: Labels = Labels {
    rank: "Hạng",
    unit: "Đơn vị",
    verified_total: "Tổng điểm thẩm định",
    self_total: "Tổng điểm tự chấm",
    bonus_counted: "Điểm thưởng được tính",
    deductions: "Điểm trừ",
    self_score: "tự chấm",
    verified_score: "thẩm định",
    code: "Mã",
    criterion: "Tiêu chí / lý do",
    max: "Điểm tối đa",
    adjustment: "Điểm cộng / trừ",
    bonus: "Điểm thưởng",
    deduction: "Điểm trừ",
    award_type: "Hình thức khen thưởng",
    status: "Trạng thái",
    proposed: "Đề nghị",
    awarded: "Được tặng",
    decision_number: "Số quyết định",
    decision_date: "Ngày quyết định",
    issuer: "Cơ quan ban hành",
    override_reason: "Lý do điều chỉnh",
    sheet_ranking: "Xếp hạng",
    sheet_breakdown: "Chi tiết",
    sheet_awards: "Khen thưởng",
    sheet_about: "Thông tin",
    bloc: "Khối thi đua",
    year: "Năm",
    published: "Đã công bố",
    revision: "Phiên bản",
    preview: "Bản xem trước, chưa công bố",
    sample: "Điểm số là dữ liệu minh họa",
    tie_break: "Quy tắc khi bằng điểm",
    shared_rank: "Đồng hạng",
    section_order: "Ưu tiên điểm mục I, rồi các mục tiếp theo",
    sheet_state: "Phiếu chấm",
    verified: "Đã thẩm định",
    not_ranked: "Không xếp hạng",
    not_verified: "Chưa thẩm định",
    criteria_verified: "tiêu chí đã thẩm định",
    no_sheet: "không có phiếu",
    draft: "đơn vị đang chấm",
    submitted: "đã nộp, chờ thẩm định",
    returned: "đã trả lại đơn vị",
    publication_reason: "Lý do công bố",
};

const EN: Labels = Labels {
    rank: "Rank",
    unit: "Unit",
    verified_total: "Verified total",
    self_total: "Self total",
    bonus_counted: "Bonus counted",
    deductions: "Deductions",
    self_score: "self",
    verified_score: "verified",
    code: "Code",
    criterion: "Criterion / reason",
    max: "Max",
    adjustment: "Bonus / deduction",
    bonus: "Bonus",
    deduction: "Deduction",
    award_type: "Award type",
    status: "Status",
    proposed: "Proposed",
    awarded: "Awarded",
    decision_number: "Decision number",
    decision_date: "Decision date",
    issuer: "Issuer",
    override_reason: "Override reason",
    sheet_ranking: "Ranking",
    sheet_breakdown: "Breakdown",
    sheet_awards: "Awards",
    sheet_about: "About",
    bloc: "Bloc",
    year: "Year",
    published: "Published",
    revision: "Revision",
    preview: "Preview, not published",
    sample: "The scores are sample data",
    tie_break: "Tie-break rule",
    shared_rank: "Shared rank",
    section_order: "Higher score in section I first, then the next sections",
    sheet_state: "Sheet",
    verified: "Verified",
    not_ranked: "Not ranked",
    not_verified: "Not verified",
    criteria_verified: "criteria verified",
    no_sheet: "no sheet",
    draft: "the unit is scoring",
    submitted: "submitted, awaiting verification",
    returned: "returned to the unit",
    publication_reason: "Reason for publishing",
};

/// "Chưa thẩm định: đã nộp, chờ thẩm định; 3/10 tiêu chí đã thẩm định": never a number
/// where there is no verified total.
fn not_verified_text(row: &UnrankedRow, l: &Labels) -> String {
    let state = match row.state {
        NotVerified::NoSheet => l.no_sheet,
        NotVerified::Draft => l.draft,
        NotVerified::Submitted => l.submitted,
        NotVerified::Returned => l.returned,
    };
    format!("{}: {state}; {}/{} {}", l.not_verified, row.verified, row.criteria_count, l.criteria_verified)
}

fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

/// One cell of a table: text, an exact number, or nothing (not scored).
#[derive(Clone, Debug, PartialEq)]
enum Cell {
    Text(String),
    Number(Points),
    Empty,
}

impl From<Option<Points>> for Cell {
    fn from(p: Option<Points>) -> Cell {
        p.map_or(Cell::Empty, Cell::Number)
    }
}

/// The criteria without children, in the table's order: the columns of the breakdown.
fn leaves(results: &BlocResults) -> Vec<Criterion> {
    let table = CriteriaTable { criteria: results.criteria.clone(), bonus_cap: results.bonus_cap };
    table.leaves().cloned().collect()
}

/// The ranking table, one row per unit in rank order: rank, unit, the sheet's state, verified
/// total, self total, each section's subtotal, bonus counted, deductions, then each leaf
/// criterion self and verified. The members without an approved sheet follow, "not ranked",
/// their state in words and every number cell empty.
fn ranking_table(results: &BlocResults, lang: Lang) -> (Vec<String>, Vec<Vec<Cell>>) {
    let l = labels(lang);
    let leaves = leaves(results);
    let mut header: Vec<String> =
        [l.rank, l.unit, l.sheet_state, l.verified_total, l.self_total].into_iter().map(str::to_owned).collect();
    header.extend(results.sections.iter().map(|s| format!("{}. {}", s.code, s.title)));
    header.push(l.bonus_counted.to_owned());
    header.push(l.deductions.to_owned());
    for c in &leaves {
        header.push(format!("{} {}", c.code, l.self_score));
        header.push(format!("{} {}", c.code, l.verified_score));
    }
    let width = header.len();
    let mut rows: Vec<Vec<Cell>> = results
        .ranking
        .iter()
        .map(|row| {
            let mut cells = vec![
                Cell::Number(Points::whole(i64::from(row.rank))),
                Cell::Text(row.unit.name.clone()),
                Cell::Text(l.verified.to_owned()),
                Cell::Number(row.total),
                Cell::Number(row.self_total),
            ];
            cells.extend(row.sections.iter().map(|p| Cell::Number(*p)));
            cells.push(Cell::Number(row.bonus_counted));
            cells.push(Cell::Number(row.deductions));
            for c in &leaves {
                let score = row.scores.iter().find(|s| s.criterion_id == c.id);
                cells.push(score.and_then(|s| s.self_score).into());
                cells.push(score.and_then(|s| s.verified_score).into());
            }
            cells
        })
        .collect();
    for row in &results.unranked {
        let mut cells = vec![text(l.not_ranked), text(&row.unit.name), text(not_verified_text(row, l))];
        cells.resize(width, Cell::Empty);
        rows.push(cells);
    }
    (header, rows)
}

/// What starts a formula in a spreadsheet that opens a CSV file (OWASP's list).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A CSV text cell that no spreadsheet runs: one that starts like a formula (`=`, `+`, `-`,
/// `@`, a tab, a carriage return) gets a leading `'`, as OWASP advises against CSV
/// injection, so a unit named `=HYPERLINK(…)` stays a name. Numbers are written as numbers
/// and never pass through here, so a real negative number stays one.
pub fn inert(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Undoes [`inert`], for reading back a file this server wrote.
pub fn uninert(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => text,
    }
}

/// The ranking table as CSV: UTF-8 with a byte-order mark (so that Excel reads the
/// diacritics), numbers as plain decimals with a dot, an empty cell for "not scored", text
/// made inert.
pub fn csv(results: &BlocResults, lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let (header, rows) = ranking_table(results, lang);
    let mut out = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    out.write_record(header.iter().map(|h| inert(h).into_owned()))?;
    for row in rows {
        out.write_record(row.iter().map(|cell| match cell {
            Cell::Text(t) => inert(t).into_owned(),
            Cell::Number(p) => p.to_string(),
            Cell::Empty => String::new(),
        }))?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

fn write_row(sheet: &mut Worksheet, row: u32, cells: &[Cell], format: Option<&Format>) -> Result<(), XlsxError> {
    for (col, cell) in cells.iter().enumerate() {
        let col = u16::try_from(col).map_err(|_| XlsxError::RowColumnLimitError)?;
        match (cell, format) {
            (Cell::Text(t), Some(f)) => sheet.write_string_with_format(row, col, t, f)?,
            (Cell::Text(t), None) => sheet.write_string(row, col, t)?,
            (Cell::Number(p), _) => sheet.write_number(row, col, p.to_f64())?,
            (Cell::Empty, _) => sheet,
        };
    }
    Ok(())
}

/// A sheet with a bold header row kept in view, then the rows.
fn table_sheet(name: &str, header: &[String], rows: &[Vec<Cell>], widths: &[f64]) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name(name)?;
    let bold = Format::new().set_bold().set_text_wrap();
    let header: Vec<Cell> = header.iter().map(|h| Cell::Text(h.clone())).collect();
    write_row(&mut sheet, 0, &header, Some(&bold))?;
    for (i, row) in rows.iter().enumerate() {
        let i = u32::try_from(i + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        write_row(&mut sheet, i, row, None)?;
    }
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(sheet)
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// Every leaf criterion of every unit, then its bonus and deduction lines with their reasons.
fn breakdown_rows(results: &BlocResults, l: &Labels) -> Vec<Vec<Cell>> {
    let leaves = leaves(results);
    let mut rows = Vec::new();
    for row in &results.ranking {
        let RankingRow { unit, scores, bonuses, deduction_lines, .. } = row;
        for c in &leaves {
            let score = scores.iter().find(|s| s.criterion_id == c.id);
            rows.push(vec![
                text(&unit.name),
                text(&c.code),
                text(&c.title),
                Cell::Number(c.max_points),
                score.and_then(|s| s.self_score).into(),
                score.and_then(|s| s.verified_score).into(),
                Cell::Empty,
            ]);
        }
        for (kind, lines, sign) in [(l.bonus, bonuses, 1), (l.deduction, deduction_lines, -1)] {
            for a in lines {
                rows.push(vec![
                    text(&unit.name),
                    text(kind),
                    text(&a.reason),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Number(Points::from_hundredths(a.points.hundredths() * sign)),
                ]);
            }
        }
    }
    rows
}

/// Every proposed unit per award type: proposed, or awarded with the decision.
fn award_rows(results: &BlocResults, l: &Labels) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for group in &results.awards {
        for p in &group.units {
            let (status, number, date, issuer) = match &p.decision {
                Some(d) => (l.awarded, text(&d.number), text(&d.date), text(&d.issuer)),
                None => (l.proposed, Cell::Empty, Cell::Empty, Cell::Empty),
            };
            rows.push(vec![
                text(&group.award_type.name),
                text(&p.unit.name),
                text(status),
                number,
                date,
                issuer,
                p.override_reason.as_deref().map_or(Cell::Empty, text),
            ]);
        }
    }
    rows
}

/// The workbook: the ranking table, the breakdown, the awards, and what the file is.
pub fn xlsx(results: &BlocResults, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let l = labels(lang);
    let mut book = Workbook::new();

    let (header, rows) = ranking_table(results, lang);
    let mut widths = vec![12.0, 40.0, 30.0, 12.0, 12.0];
    widths.resize(header.len(), 12.0);
    book.push_worksheet(table_sheet(l.sheet_ranking, &header, &rows, &widths)?);

    let header: Vec<String> = [l.unit, l.code, l.criterion, l.max, l.self_score, l.verified_score, l.adjustment]
        .into_iter()
        .map(str::to_owned)
        .collect();
    let widths = [40.0, 12.0, 60.0, 10.0, 10.0, 10.0, 12.0];
    book.push_worksheet(table_sheet(l.sheet_breakdown, &header, &breakdown_rows(results, l), &widths)?);

    let header: Vec<String> =
        [l.award_type, l.unit, l.status, l.decision_number, l.decision_date, l.issuer, l.override_reason]
            .into_iter()
            .map(str::to_owned)
            .collect();
    let widths = [36.0, 40.0, 12.0, 18.0, 14.0, 30.0, 40.0];
    book.push_worksheet(table_sheet(l.sheet_awards, &header, &award_rows(results, l), &widths)?);

    let mut about = vec![
        vec![text(l.bloc), text(&results.bloc_name)],
        vec![text(l.year), Cell::Number(Points::whole(i64::from(results.year)))],
        vec![text(l.published), text(if results.published { "✓" } else { l.preview })],
        vec![
            text(l.tie_break),
            text(match results.tie_break {
                TieBreak::SharedRank => l.shared_rank,
                TieBreak::SectionOrder => l.section_order,
            }),
        ],
    ];
    // Which stored revision the file was made from: number and date.
    if let Some(r) = &results.revision {
        about.push(vec![text(l.revision), text(format!("{} ({})", r.number, r.at))]);
    }
    if results.sample_scores {
        about.push(vec![text(l.sample), text("✓")]);
    }
    if let Some(note) = results.publication.as_ref().filter(|n| !n.reason.is_empty()) {
        about.push(vec![text(l.publication_reason), text(&note.reason)]);
    }
    let mut sheet = Worksheet::new();
    sheet.set_name(l.sheet_about)?;
    for (i, row) in about.iter().enumerate() {
        write_row(&mut sheet, i as u32, row, None)?;
    }
    sheet.set_column_width(0, 30.0)?;
    sheet.set_column_width(1, 80.0)?;
    book.push_worksheet(sheet);

    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_made_inert_and_come_back() {
        for formula in ["=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(A1)", "+1+2", "-2+3", "\tx", "\r=1"] {
            let written = inert(formula);
            assert_eq!(written, format!("'{formula}"));
            assert_eq!(uninert(&written), formula);
        }
        for plain in ["Sở Y tế", "1.5", "I. Nhiệm vụ", "'quoted", "a=b", ""] {
            assert_eq!(inert(plain), plain);
            assert_eq!(uninert(plain), plain);
        }
    }

    #[test]
    fn every_label_set_names_the_same_columns() {
        for l in [&VI, &EN] {
            assert!(!l.rank.is_empty() && !l.self_score.is_empty());
            // Excel refuses sheet names over 31 characters.
            for name in [l.sheet_ranking, l.sheet_breakdown, l.sheet_awards, l.sheet_about] {
                assert!(name.chars().count() <= 31, "{name}");
            }
        }
    }
}
