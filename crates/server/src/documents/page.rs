//! The page of an administrative document (Decree 30/2020/NĐ-CP, Annex I): A4; margins 20 mm
//! top and bottom, 30 mm left, 15 mm right; Times New Roman 13 pt; the issuing body top left and
//! the national motto top right, the place and date under it; the title; signature blocks.

use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, Table, TableCell, TableRow, WidthType,
};

/// Twentieths of a point (twips) in a millimetre, times 100.
const TWIPS_PER_100_MM: i32 = 5669;

const fn mm(v: i32) -> i32 {
    v * TWIPS_PER_100_MM / 100
}

/// A4 in twips.
const A4: (u32, u32) = (11906, 16838);
/// The width between the margins, in twips.
pub const TEXT_WIDTH: usize = (A4.0 as i32 - mm(30) - mm(15)) as usize;
/// Sizes are in half-points.
pub const BODY: usize = 26;
const MOTTO: usize = 26;

/// An empty A4 document with the decree's margins and font.
pub fn document() -> Docx {
    Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new().top(mm(20)).bottom(mm(20)).left(mm(30)).right(mm(15)).header(mm(10)).footer(mm(10)),
        )
        .default_fonts(
            RunFonts::new()
                .ascii("Times New Roman")
                .hi_ansi("Times New Roman")
                .cs("Times New Roman")
                .east_asia("Times New Roman"),
        )
        .default_size(BODY)
        .default_line_spacing(LineSpacing::new().after(120))
}

/// A run of text (`xml_safe`).
pub fn text(t: impl Into<String>) -> Run {
    Run::new().add_text(xml_safe(&t.into()))
}

/// Without the characters XML cannot carry (control characters a name may hold, found by the
/// fuzzer): one of them makes the whole file unreadable to Word and LibreOffice.
fn xml_safe(t: &str) -> String {
    t.chars()
        .filter(|c| (!c.is_control() || matches!(c, '\t' | '\n')) && !matches!(c, '\u{fffe}' | '\u{ffff}'))
        .collect()
}

pub fn para(runs: Vec<Run>) -> Paragraph {
    runs.into_iter().fold(Paragraph::new().align(AlignmentType::Both), |p, r| p.add_run(r))
}

pub fn line(t: impl Into<String>) -> Paragraph {
    para(vec![text(t)])
}

pub fn centered(run: Run) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).add_run(run)
}

pub fn heading(t: impl Into<String>) -> Paragraph {
    Paragraph::new().add_run(text(t).bold())
}

fn cell(width: usize, paragraphs: Vec<Paragraph>) -> TableCell {
    paragraphs.into_iter().fold(TableCell::new().width(width, WidthType::Dxa), |c, p| c.add_paragraph(p))
}

/// The head of the page: `body` (the issuing body, upper case) and `number` on the left; the
/// national motto and `place_date` on the right; no borders.
pub fn head(body: &str, number: &str, place_date: &str) -> Table {
    let left = TEXT_WIDTH * 2 / 5;
    let right = TEXT_WIDTH - left;
    let row = TableRow::new(vec![
        cell(
            left,
            vec![
                centered(text(body.to_uppercase()).bold().size(MOTTO - 2)),
                centered(text("———")),
                centered(text(number.to_owned())),
            ],
        ),
        cell(
            right,
            vec![
                centered(text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold().size(MOTTO - 2)),
                centered(text("Độc lập - Tự do - Hạnh phúc").bold().size(MOTTO).underline("single")),
                centered(text(place_date.to_owned()).italic()),
            ],
        ),
    ]);
    Table::without_borders(vec![row]).set_grid(vec![left, right]).width(TEXT_WIDTH, WidthType::Dxa)
}

/// A table with a header row in bold and `rows` below, columns `widths` (twips).
pub fn table(header: &[&str], rows: Vec<Vec<String>>, widths: &[usize]) -> Table {
    let row = |cells: Vec<Run>| {
        // A unit's row is never cut across two pages.
        TableRow::new(cells.into_iter().zip(widths).map(|(r, &w)| cell(w, vec![Paragraph::new().add_run(r)])).collect())
            .cant_split()
    };
    let mut all = vec![row(header.iter().map(|h| text(*h).bold()).collect())];
    all.extend(rows.into_iter().map(|r| row(r.into_iter().map(text).collect())));
    Table::new(all).set_grid(widths.to_vec()).width(widths.iter().sum(), WidthType::Dxa)
}

/// Signature blocks side by side: each a title (bold, upper case) and "(Ký, ghi rõ họ tên)".
pub fn signatures(titles: &[&str]) -> Table {
    let width = TEXT_WIDTH / titles.len().max(1);
    let cells = titles
        .iter()
        .map(|t| {
            cell(
                width,
                vec![
                    centered(text(t.to_uppercase()).bold()),
                    centered(text("(Ký, ghi rõ họ tên)").italic()),
                    Paragraph::new(),
                    Paragraph::new(),
                    Paragraph::new(),
                ],
            )
        })
        .collect();
    Table::without_borders(vec![TableRow::new(cells)])
        .set_grid(vec![width; titles.len()])
        .width(TEXT_WIDTH, WidthType::Dxa)
}

/// The foot of a letter: "Nơi nhận:" and its lines on the left (none: left empty), the signer's
/// title and "(Ký, ghi rõ họ tên, đóng dấu)" on the right; no borders.
pub fn closing(signer: &str, recipients: &[&str]) -> Table {
    let (left, right) = (TEXT_WIDTH / 2, TEXT_WIDTH - TEXT_WIDTH / 2);
    let mut to = Vec::new();
    if !recipients.is_empty() {
        to.push(Paragraph::new().add_run(text("Nơi nhận:").bold().italic().size(24)));
        to.extend(recipients.iter().map(|r| Paragraph::new().add_run(text(format!("- {r}")).size(22))));
    } else {
        to.push(Paragraph::new());
    }
    let sign = vec![
        centered(text(signer.to_uppercase()).bold()),
        centered(text("(Ký, ghi rõ họ tên, đóng dấu)").italic()),
        Paragraph::new(),
        Paragraph::new(),
        Paragraph::new(),
    ];
    Table::without_borders(vec![TableRow::new(vec![cell(left, to), cell(right, sign)])])
        .set_grid(vec![left, right])
        .width(TEXT_WIDTH, WidthType::Dxa)
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_keeps_vietnamese_and_drops_what_xml_cannot_hold() {
        assert_eq!(super::xml_safe("Khối\u{1} thi đua\u{0}\u{fffe}\tA"), "Khối thi đua\tA");
    }
}
