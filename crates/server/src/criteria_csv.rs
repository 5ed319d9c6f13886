//! A bloc-year's criteria as a spreadsheet, so that staff can prepare them in Excel: one line
//! per node of the tree in its order, `level,code,title,max_points,step`
//! (`thidua_domain::admin::criteria::CriterionRow`; level 1 is a section). Reading tolerates what
//! spreadsheets write: a byte-order mark, `;` as the separator (Excel in a Vietnamese locale
//! writes that), a decimal comma, columns in another order, blank lines.

use thidua_domain::admin::criteria::{rows_to_draft, CriteriaDraft, CriterionRow};
use thidua_domain::error::{push, FieldError, FieldErrors};
use thidua_domain::points::PointsParseError;
use thidua_domain::Points;

/// The header line, in the order the file is written.
pub const HEADER: [&str; 5] = ["level", "code", "title", "max_points", "step"];

/// UTF-8 with a byte-order mark (so that Excel reads the diacritics), `,` between fields,
/// numbers with a dot (`12.5`).
pub fn write(rows: &[CriterionRow]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    out.write_record(HEADER)?;
    let number = |p: Option<Points>| p.map(|p| p.to_string()).unwrap_or_default();
    for r in rows {
        out.write_record([r.level.to_string(), r.code.clone(), r.title.clone(), number(r.max_points), number(r.step)])?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// The tree a CSV text describes (with `bonus_cap`, which the file does not carry), or what
/// is wrong with it: `rows.{i}.{field}` where `i` counts the records after the header from 0
/// (blank lines are not records), `columns.{name}` for a missing column, `rows` for a file
/// without a line, `body` for text that is not CSV. The tree still goes through
/// `validate_criteria` when it is saved.
pub fn read(text: &str, bonus_cap: Points) -> Result<CriteriaDraft, FieldErrors> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = if header_line.contains(';') { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());

    let mut errors = FieldErrors::new();
    let header = match reader.headers() {
        Ok(h) => h.iter().map(|name| name.trim().to_lowercase()).collect::<Vec<_>>(),
        Err(_) => return Err(FieldErrors::from([("body".to_owned(), vec![FieldError::Invalid])])),
    };
    let column = |name: &str| header.iter().position(|h| h == name);
    let mut columns = [None; 5];
    for (i, name) in HEADER.iter().enumerate() {
        columns[i] = column(name);
        // Every column but the step (which defaults) must be there.
        if columns[i].is_none() && *name != "step" {
            push(&mut errors, format!("columns.{name}"), FieldError::Required);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let [level, code, title, max_points, step] = columns;

    // The rows that are not blank, and the record each came from.
    let mut rows: Vec<CriterionRow> = Vec::new();
    let mut records: Vec<usize> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let Ok(record) = record else {
            push(&mut errors, format!("rows.{i}"), FieldError::Invalid);
            continue;
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("");
        let field = |name: &str| format!("rows.{i}.{name}");
        let level = match cell(level) {
            "" => {
                push(&mut errors, field("level"), FieldError::Required);
                0
            }
            text => text.parse::<u32>().unwrap_or_else(|_| {
                push(&mut errors, field("level"), FieldError::NotANumber);
                0
            }),
        };
        let mut points = |name: &str, text: &str| match text {
            "" => None,
            text => text.parse::<Points>().map_err(|e| push(&mut errors, field(name), points_error(e))).ok(),
        };
        let max_points = points("max_points", cell(max_points));
        let step = points("step", cell(step));
        rows.push(CriterionRow { level, code: cell(code).to_owned(), title: cell(title).to_owned(), max_points, step });
        records.push(i);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rows.is_empty() {
        return Err(FieldErrors::from([("rows".to_owned(), vec![FieldError::Required])]));
    }
    // The domain names the rows it was given; the person needs the records of the file.
    rows_to_draft(&rows, bonus_cap).map_err(|errors| {
        errors
            .into_iter()
            .map(|(key, e)| {
                let renamed = key
                    .strip_prefix("rows.")
                    .and_then(|rest| rest.split_once('.'))
                    .and_then(|(k, rest)| Some(format!("rows.{}.{rest}", records.get(k.parse::<usize>().ok()?)?)));
                (renamed.unwrap_or(key), e)
            })
            .collect()
    })
}

fn points_error(e: PointsParseError) -> FieldError {
    match e {
        PointsParseError::NotANumber => FieldError::NotANumber,
        PointsParseError::TooPrecise => FieldError::TooPrecise,
        PointsParseError::OutOfRange => FieldError::AboveMax { max: Points::LIMIT },
    }
}

#[cfg(test)]
mod tests {
    use thidua_domain::admin::criteria::draft_to_rows;

    use super::*;

    fn p(h: i64) -> Points {
        Points::from_hundredths(h)
    }

    fn row(level: u32, code: &str, max: Option<i64>) -> CriterionRow {
        CriterionRow {
            level,
            code: code.into(),
            title: format!("Tiêu chí {code}, có dấu phẩy"),
            max_points: max.map(p),
            step: Some(p(50)),
        }
    }

    #[test]
    fn writes_a_bom_a_header_and_dotted_numbers_and_reads_them_back() {
        let rows =
            [row(1, "I", Some(3250)), row(2, "1.1", Some(1250)), row(2, "1.2", Some(2000)), row(1, "II", Some(1000))];
        let draft = rows_to_draft(&rows, p(500)).unwrap();
        let bytes = write(&draft_to_rows(&draft)).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("\u{feff}level,code,title,max_points,step\n"), "{text}");
        assert!(text.contains("2,1.1,\"Tiêu chí 1.1, có dấu phẩy\",12.5,0.5\n"), "{text}");
        assert_eq!(read(&text, p(500)).unwrap(), draft);
    }

    #[test]
    fn reads_what_excel_writes_in_a_vietnamese_locale() {
        let text = "\u{feff}Level;Code;Title;Max_points;Step\r\n1;I;Mục một;;\r\n2;1.1;Tiêu chí;12,5;0,5\r\n;;;;\r\n2;1.2;Khác;7,5;\r\n";
        let draft = read(text, Points::ZERO).unwrap();
        assert_eq!(draft.sections.len(), 1);
        let items = &draft.sections[0].children;
        assert_eq!((items[0].max_points, items[0].step), (p(1250), p(50)));
        assert_eq!((items[1].code.as_str(), items[1].step), ("1.2", thidua_domain::admin::criteria::DEFAULT_STEP));
        assert_eq!(draft.max_total(), p(2000));
    }

    #[test]
    fn names_the_record_and_the_field() {
        let text = "level,code,title,max_points\n1,I,Mục,\n2,1.1,Tiêu chí,mười\nx,1.2,Tiêu chí,1.255\n";
        let e = read(text, Points::ZERO).unwrap_err();
        assert_eq!(e["rows.1.max_points"], [FieldError::NotANumber]);
        assert_eq!(e["rows.2.level"], [FieldError::NotANumber]);
        assert_eq!(e["rows.2.max_points"], [FieldError::TooPrecise]);
        // The domain's errors name the records of the file, blank lines counted out.
        let e = read("level,code,title,max_points\n2,0.1,Trước mục,1\n,,,\n1,I,Mục,\n", Points::ZERO).unwrap_err();
        assert_eq!(e["rows.0.level"], [FieldError::Invalid]);
        assert_eq!(e["rows.2.max_points"], [FieldError::Required], "{e:?}");
        let e = read("level,code,name\n1,I,x\n", Points::ZERO).unwrap_err();
        assert_eq!(
            (e["columns.title"].clone(), e["columns.max_points"].clone()),
            (vec![FieldError::Required], vec![FieldError::Required])
        );
        assert_eq!(read("level,code,title,max_points\n", Points::ZERO).unwrap_err()["rows"], [FieldError::Required]);
    }
}
