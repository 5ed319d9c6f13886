//! Evidence files on score sheets (issue 20, the domain's part): which files are accepted,
//! judged by their content and never by their name, the size limits, how each kind is shown,
//! a file's name as it may be stored, and who may see a sheet's files. Attaching and removing
//! follow the sheet's own rule (`workflow`: while the unit may edit its self-assessment).

use serde::{Deserialize, Serialize};

use crate::auth::{Principal, Role};
use crate::UnitId;

/// The kinds of file an office produces that a sheet accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
    Webp,
    Docx,
    Xlsx,
    Odt,
    Ods,
}

impl FileKind {
    pub const ALL: [FileKind; 8] = [
        FileKind::Pdf,
        FileKind::Jpeg,
        FileKind::Png,
        FileKind::Webp,
        FileKind::Docx,
        FileKind::Xlsx,
        FileKind::Odt,
        FileKind::Ods,
    ];

    /// The stored and transmitted name (`pdf`, `jpeg`, …), as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
            FileKind::Webp => "webp",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Odt => "odt",
            FileKind::Ods => "ods",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Webp => "image/webp",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
        }
    }

    /// What the file picker offers (`accept`), and what a message names as allowed.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
            FileKind::Webp => "webp",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Odt => "odt",
            FileKind::Ods => "ods",
        }
    }

    /// Shown in the browser's own viewer (PDFs, images); the rest is downloaded.
    pub fn inline(self) -> bool {
        matches!(self, FileKind::Pdf | FileKind::Jpeg | FileKind::Png | FileKind::Webp)
    }

    pub fn is_image(self) -> bool {
        matches!(self, FileKind::Jpeg | FileKind::Png | FileKind::Webp)
    }
}

/// How many bytes from the start `sniff` wants (fewer when the file is shorter).
pub const HEAD_BYTES: usize = 4096;
/// How many bytes from the end (a ZIP's central directory, where its part names are).
pub const TAIL_BYTES: usize = 65_536;

/// What a file is, by its first bytes (`head`) and its last (`tail`; the whole file when it is
/// short): `None` for anything else — HTML, SVG, scripts, executables, plain archives — whatever
/// its name says. A DOCX or XLSX is a ZIP whose parts include `[Content_Types].xml` and the
/// main part (`word/document.xml`, `xl/workbook.xml`); an ODT or ODS a ZIP whose first entry is
/// the uncompressed `mimetype` naming it.
pub fn sniff(head: &[u8], tail: &[u8]) -> Option<FileKind> {
    if let Some(kind) = by_signature(head) {
        return Some(kind);
    }
    if head.starts_with(b"PK\x03\x04") {
        return open_document(head).or_else(|| office_open_xml(tail));
    }
    None
}

/// Whether a file whose first bytes are `head` (at least 12 of them, or the whole file) can be
/// one of the accepted kinds: checked on an upload's first bytes, so that a file that cannot
/// be accepted is refused before the rest of it is sent. The whole check is `sniff`.
pub fn may_be_accepted(head: &[u8]) -> bool {
    by_signature(head).is_some() || head.starts_with(b"PK\x03\x04")
}

/// The kinds told by their first bytes alone: PDF, JPEG, PNG, WebP.
fn by_signature(head: &[u8]) -> Option<FileKind> {
    if head.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(FileKind::Png)
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some(FileKind::Webp)
    } else {
        None
    }
}

fn le16(b: &[u8], at: usize) -> Option<usize> {
    b.get(at..at + 2).map(|s| usize::from(u16::from_le_bytes([s[0], s[1]])))
}

fn le32(b: &[u8], at: usize) -> Option<usize> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
}

/// ODF: the first local entry is `mimetype`, stored (method 0), holding the media type.
fn open_document(head: &[u8]) -> Option<FileKind> {
    let (method, size, name_len, extra_len) = (le16(head, 8)?, le32(head, 18)?, le16(head, 26)?, le16(head, 28)?);
    if method != 0 || head.get(30..30 + name_len)? != b"mimetype" {
        return None;
    }
    let start = 30 + name_len + extra_len;
    match head.get(start..start + size)? {
        b"application/vnd.oasis.opendocument.text" => Some(FileKind::Odt),
        b"application/vnd.oasis.opendocument.spreadsheet" => Some(FileKind::Ods),
        _ => None,
    }
}

/// OOXML: the central directory's entry names (each after a `PK\x01\x02` header).
fn office_open_xml(tail: &[u8]) -> Option<FileKind> {
    let mut names: Vec<&[u8]> = Vec::new();
    let mut at = 0;
    while let Some(found) = tail.get(at..)?.windows(4).position(|w| w == b"PK\x01\x02") {
        let entry = at + found;
        if let (Some(n), Some(name)) = (le16(tail, entry + 28), tail.get(entry + 46..)) {
            if let Some(name) = name.get(..n) {
                names.push(name);
            }
        }
        at = entry + 4;
    }
    let has = |part: &[u8]| names.contains(&part);
    if !has(b"[Content_Types].xml") {
        return None;
    }
    if has(b"word/document.xml") {
        Some(FileKind::Docx)
    } else if has(b"xl/workbook.xml") {
        Some(FileKind::Xlsx)
    } else {
        None
    }
}

/// How large files may be, as the server's configuration sets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileLimits {
    /// Bytes in one file.
    pub per_file: u64,
    /// Bytes in all of one sheet's files together.
    pub per_sheet: u64,
}

impl Default for FileLimits {
    fn default() -> Self {
        FileLimits { per_file: 25 * 1024 * 1024, per_sheet: 300 * 1024 * 1024 }
    }
}

/// Why a file of this size cannot be added (checked before the upload starts and again by the
/// server).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SizeRefusal {
    Empty,
    TooLarge { max: u64 },
    SheetFull { max: u64, used: u64 },
}

/// A file of `size` bytes added to a sheet whose files already hold `used` bytes.
pub fn check_size(size: u64, used: u64, limits: FileLimits) -> Result<(), SizeRefusal> {
    if size == 0 {
        Err(SizeRefusal::Empty)
    } else if size > limits.per_file {
        Err(SizeRefusal::TooLarge { max: limits.per_file })
    } else if used.saturating_add(size) > limits.per_sheet {
        Err(SizeRefusal::SheetFull { max: limits.per_sheet, used })
    } else {
        Ok(())
    }
}

/// The longest file name kept, in characters.
pub const NAME_MAX: usize = 200;

/// A file's name as it is kept and served: its last path segment (browsers on some systems
/// send a whole path), without control characters, at most `NAME_MAX` characters (the
/// extension kept), Vietnamese intact; `None` when nothing is left.
pub fn clean_name(original: &str) -> Option<String> {
    let last = original.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_owned();
    if name.is_empty() || name == "." || name == ".." {
        return None;
    }
    if name.chars().count() <= NAME_MAX {
        return Some(name);
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if ext.chars().count() <= 10 => (stem, format!(".{ext}")),
        _ => (name.as_str(), String::new()),
    };
    let keep = NAME_MAX - ext.chars().count();
    Some(format!("{}{ext}", stem.chars().take(keep).collect::<String>()))
}

/// Who sees a sheet's files: staff, the officers of the sheet's unit, and the officers of the
/// bloc's leader unit that year (who verify it); never the public.
pub fn may_see_files(who: Option<&Principal>, sheet_unit: UnitId, bloc_leader: Option<UnitId>) -> bool {
    match who {
        None => false,
        Some(p) if p.role == Role::Staff => true,
        Some(p) => p.unit_id.is_some_and(|u| u == sheet_unit || Some(u) == bloc_leader),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ZIP of stored (uncompressed) entries, written byte by byte as the format says.
    fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let (mut out, mut central) = (Vec::new(), Vec::new());
        for (name, data) in entries {
            let offset = out.len() as u32;
            let header = |sig: &[u8], central: bool| {
                let mut h = sig.to_vec();
                if central {
                    h.extend(20u16.to_le_bytes()); // made by
                }
                h.extend(20u16.to_le_bytes()); // version needed
                h.extend(0u16.to_le_bytes()); // flags
                h.extend(0u16.to_le_bytes()); // method: stored
                h.extend([0u8; 4]); // time, date
                h.extend(0u32.to_le_bytes()); // crc (not checked here)
                h.extend((data.len() as u32).to_le_bytes());
                h.extend((data.len() as u32).to_le_bytes());
                h.extend((name.len() as u16).to_le_bytes());
                h.extend(0u16.to_le_bytes()); // extra
                if central {
                    h.extend([0u8; 6]); // comment length, disk, internal attributes
                    h.extend(0u32.to_le_bytes()); // external attributes
                    h.extend(offset.to_le_bytes());
                }
                h.extend(name.as_bytes());
                h
            };
            out.extend(header(b"PK\x03\x04", false));
            out.extend(*data);
            central.extend(header(b"PK\x01\x02", true));
        }
        let (cd_offset, cd_len) = (out.len() as u32, central.len() as u32);
        out.extend(central);
        out.extend(b"PK\x05\x06");
        out.extend([0u8; 4]);
        out.extend((entries.len() as u16).to_le_bytes());
        out.extend((entries.len() as u16).to_le_bytes());
        out.extend(cd_len.to_le_bytes());
        out.extend(cd_offset.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out
    }

    fn kind(bytes: &[u8]) -> Option<FileKind> {
        let head = &bytes[..bytes.len().min(HEAD_BYTES)];
        let tail = &bytes[bytes.len().saturating_sub(TAIL_BYTES)..];
        sniff(head, tail)
    }

    #[test]
    fn a_first_chunk_that_cannot_become_an_accepted_file_is_refused_early() {
        for head in
            [&b"%PDF-1.4"[..], b"\xFF\xD8\xFF\xE0", b"\x89PNG\r\n\x1a\n", b"RIFF\0\0\0\0WEBPVP8 ", b"PK\x03\x04\x14\0"]
        {
            assert!(may_be_accepted(head), "{head:?}");
        }
        for head in [&b"<!DOCTYPE html>"[..], b"<svg xmlns", b"MZ\x90\0", b"\x7fELF", b"RIFF\0\0\0\0WAVEfmt ", b""] {
            assert!(!may_be_accepted(head), "{head:?}");
        }
    }

    #[test]
    fn files_are_judged_by_their_content() {
        assert_eq!(kind(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), Some(FileKind::Pdf));
        assert_eq!(kind(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F']), Some(FileKind::Jpeg));
        assert_eq!(kind(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(FileKind::Png));
        assert_eq!(kind(b"RIFF\x24\0\0\0WEBPVP8 "), Some(FileKind::Webp));
        let docx = zip(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")]);
        assert_eq!(kind(&docx), Some(FileKind::Docx));
        let xlsx = zip(&[("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>")]);
        assert_eq!(kind(&xlsx), Some(FileKind::Xlsx));
        let odt = zip(&[("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>")]);
        assert_eq!(kind(&odt), Some(FileKind::Odt));
        let ods = zip(&[("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")]);
        assert_eq!(kind(&ods), Some(FileKind::Ods));
    }

    #[test]
    fn anything_else_is_refused_whatever_its_name() {
        assert_eq!(kind(b"<!DOCTYPE html><html><script>alert(1)</script>"), None, "HTML named .pdf");
        assert_eq!(kind(b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"x()\"/>"), None);
        assert_eq!(kind(b"MZ\x90\0\x03\0\0\0"), None, "a Windows executable");
        assert_eq!(kind(b"\x7fELF\x02\x01\x01"), None);
        assert_eq!(kind(&zip(&[("report.txt", b"hello")])), None, "a plain archive");
        assert_eq!(kind(&zip(&[("word/document.xml", b"<w/>")])), None, "no content types");
        assert_eq!(kind(&zip(&[("mimetype", b"application/epub+zip")])), None, "another ODF-like");
        assert_eq!(kind(b""), None);
        assert_eq!(kind(b"PK\x03\x04"), None, "a truncated ZIP");
    }

    #[test]
    fn sizes_and_names() {
        let limits = FileLimits::default();
        assert_eq!(check_size(0, 0, limits), Err(SizeRefusal::Empty));
        assert_eq!(check_size(25 * 1024 * 1024, 0, limits), Ok(()));
        assert_eq!(check_size(25 * 1024 * 1024 + 1, 0, limits), Err(SizeRefusal::TooLarge { max: limits.per_file }));
        let used = 290 * 1024 * 1024;
        assert_eq!(
            check_size(20 * 1024 * 1024, used, limits),
            Err(SizeRefusal::SheetFull { max: limits.per_sheet, used })
        );
        assert_eq!(clean_name("C:\\Users\\a\\Báo cáo tổng kết.pdf").as_deref(), Some("Báo cáo tổng kết.pdf"));
        assert_eq!(clean_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(clean_name("a\u{0}b\n.pdf").as_deref(), Some("ab.pdf"));
        assert_eq!(clean_name(" / "), None);
        let long = format!("{}.docx", "Kế hoạch ".repeat(40));
        let kept = clean_name(&long).unwrap();
        assert_eq!(kept.chars().count(), NAME_MAX);
        assert!(kept.ends_with(".docx"));
    }

    #[test]
    fn who_sees_a_sheet_s_files() {
        let p = |role, unit| Principal { user_id: 1, role, unit_id: unit };
        let (own, leader, other) = (3, 7, 9);
        assert!(may_see_files(Some(&p(Role::Staff, None)), own, Some(leader)));
        assert!(may_see_files(Some(&p(Role::UnitOfficer, Some(own))), own, Some(leader)));
        assert!(may_see_files(Some(&p(Role::LeaderOfficer, Some(leader))), own, Some(leader)));
        assert!(!may_see_files(Some(&p(Role::UnitOfficer, Some(other))), own, Some(leader)));
        assert!(!may_see_files(Some(&p(Role::LeaderOfficer, Some(other))), own, Some(leader)), "another bloc's leader");
        assert!(!may_see_files(None, own, Some(leader)), "never the public");
    }
}
