//! A sheet's evidence files once uploaded (`uploads.rs`): listed, served (with `Range`, under
//! their own name, never run by the browser), removed while the unit may edit the sheet, and
//! moved with their bonus or deduction line when the unit edits its lines.
//!
//! Who sees them is who reads the sheet (the unit's officers, the bloc leader unit's officers,
//! staff; `workflow::authorize`, the rule `files::may_see_files` states): 401 without a
//! session, 403 for anyone else, never the public.

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{
    ACCEPT_RANGES, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG,
    RANGE,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Deserialize;
use thidua_domain::criteria::CriteriaTable;
use thidua_domain::evidence::{retarget, EvidenceFile, FileTarget};
use thidua_domain::files::FileKind;
use thidua_domain::sheet::ScoreSheet;
use thidua_domain::sheet_edit::{Change, SheetId};
use thidua_domain::workflow::SheetAction;
use utoipa::IntoParams;

use super::auth::CurrentUser;
use super::error::{Error, Result};
use super::file_error::FileError;
use super::sheets::{checked_head, table_of};
use super::uploads::describe;
use crate::clock::now;
use crate::db::Conn;
use crate::evidence::ChunkStore;
use crate::http::extract::{Json, Path};
use crate::http::params::SheetPath;
use crate::http::state::{begin_read, begin_write, AppState};
use crate::store::files::{self as stored, FileRow};
use crate::store::sheets;

/// A file is shown by the browser's own viewer at most, never as a page of this site: no
/// script, no form, no plugin of its own, in a unique origin.
const FILE_CSP: &str = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";

/// `/api/files/{id}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct FilePath {
    /// The file's id
    pub id: i64,
}

/// A sheet's evidence files, in the order they were attached (also in the sheet's `files`).
#[utoipa::path(
    get,
    path = "/api/sheets/{id}/files",
    tag = "files",
    params(SheetPath),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The files", body = [EvidenceFile]),
        (status = 401, description = "`unauthenticated`", body = thidua_domain::error::ApiErrorBody),
        (status = 403, description = "`forbidden`", body = thidua_domain::error::ApiErrorBody),
        (status = 404, description = "`sheet_not_found`", body = thidua_domain::error::ApiErrorBody),
    )
)]
pub async fn list_files(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(SheetPath { id }): Path<SheetPath>,
) -> Result<Json<Vec<EvidenceFile>>> {
    let mut tx = begin_read(&state).await?;
    checked_head(&mut tx, &user, id, SheetAction::Read).await?;
    let files = stored::of_sheet(&mut tx, id).await?;
    Ok(Json(files.iter().filter_map(FileRow::to_api).collect()))
}

/// A file's bytes under its own name: PDFs and images inline (the browser's viewer), other
/// kinds as a download. `Range: bytes=…` answers 206 with that part (PDF viewers ask for
/// parts); a range outside the file 416.
#[utoipa::path(
    get,
    path = "/api/files/{id}",
    tag = "files",
    params(FilePath),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 206, description = "The part asked for (`Content-Range`)", content_type = "application/octet-stream"),
        (status = 401, description = "`unauthenticated`", body = thidua_domain::error::ApiErrorBody),
        (status = 403, description = "`forbidden`", body = thidua_domain::error::ApiErrorBody),
        (status = 404, description = "`file_not_found`", body = thidua_domain::error::ApiErrorBody),
        (status = 416, description = "`range_not_satisfiable`", body = thidua_domain::error::ApiErrorBody),
    )
)]
pub async fn get_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(FilePath { id }): Path<FilePath>,
    headers: HeaderMap,
) -> Result<Response> {
    let file = {
        let mut tx = begin_read(&state).await?;
        let file = stored::file(&mut tx, id).await?.ok_or(FileError::FileNotFound)?;
        checked_head(&mut tx, &user, file.sheet_id, SheetAction::Read).await?;
        tx.rollback().await?;
        file
    };
    let kind = file.kind().ok_or(Error::Internal)?;
    let size = file.size as u64;
    let range = headers.get(RANGE).and_then(|v| v.to_str().ok()).and_then(|r| parse_range(r, size));
    let (status, from, to) = match range {
        None => (StatusCode::OK, 0, size),
        Some(Err(())) => return Err(FileError::Range { size }.into()),
        Some(Ok((from, to))) => (StatusCode::PARTIAL_CONTENT, from, to),
    };
    // Fused: a layer may poll again after the end.
    let body = Body::from_stream(state.chunks.read(&state.db, file.content_id, from, to).fuse());
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(kind.mime()));
    h.insert(CONTENT_LENGTH, HeaderValue::from(to - from));
    h.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(FILE_CSP));
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", file.sha256)) {
        h.insert(ETAG, etag);
    }
    if status == StatusCode::PARTIAL_CONTENT {
        if let Ok(v) = HeaderValue::from_str(&format!("bytes {from}-{}/{size}", to - 1)) {
            h.insert(CONTENT_RANGE, v);
        }
    }
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&file.name, kind)) {
        h.insert(CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// Takes a file off its sheet while the unit may edit it (audited with its name, size and hash).
#[utoipa::path(
    delete,
    path = "/api/files/{id}",
    tag = "files",
    params(FilePath),
    security(("session_cookie" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "`unauthenticated`", body = thidua_domain::error::ApiErrorBody),
        (status = 403, description = "`forbidden`", body = thidua_domain::error::ApiErrorBody),
        (status = 404, description = "`file_not_found`", body = thidua_domain::error::ApiErrorBody),
        (status = 409, description = "`wrong_state`, `year_closed`, `published`: the sheet's files are frozen", body = thidua_domain::error::ApiErrorBody),
    )
)]
pub async fn delete_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(FilePath { id }): Path<FilePath>,
) -> Result<StatusCode> {
    let mut tx = begin_write(&state).await?;
    let file = stored::file(&mut tx, id).await?.ok_or(FileError::FileNotFound)?;
    let head = checked_head(&mut tx, &user, file.sheet_id, SheetAction::EditSelf).await?;
    let table = table_of(&mut tx, &head).await?;
    let change = removal(&file, &table);
    stored::detach(&mut tx, &state.chunks, &file).await?;
    sheets::audit(&mut tx, file.sheet_id, user.principal.user_id, SheetAction::EditSelf, now(), &[change], None)
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// After a sheet's lines change from `old` to `new` (in the caller's transaction): each line
/// file, and each upload under way to a line, moves with its line; a removed line's files and
/// uploads go. Answers the audit rows.
pub(super) async fn follow_lines(
    conn: &mut Conn,
    state: &AppState,
    sheet: SheetId,
    table: &CriteriaTable,
    old: &ScoreSheet,
    new: &ScoreSheet,
) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    for file in stored::of_sheet(conn, sheet).await? {
        let Some(target) = file.target() else { continue };
        match retarget(target, old, new) {
            Some(moved) if moved == target => {}
            Some(moved) => stored::retarget(conn, file.id, moved).await?,
            None => {
                changes.push(removal(&file, table));
                stored::detach(conn, &state.chunks, &file).await?;
            }
        }
    }
    for upload in stored::uploads_of(conn, sheet).await? {
        let Some(target) = FileTarget::parse(&upload.target) else { continue };
        match retarget(target, old, new) {
            Some(moved) if moved == target => {}
            Some(moved) => stored::retarget_upload(conn, &upload.id, moved).await?,
            None => stored::drop_upload(conn, &state.chunks, &upload).await?,
        }
    }
    Ok(changes)
}

fn removal(file: &FileRow, table: &CriteriaTable) -> Change {
    let label = file.target().map(|t| t.label(table)).unwrap_or_else(|| file.target.clone());
    let kind = file.kind().unwrap_or(FileKind::Pdf);
    Change {
        field: format!("files.{label}"),
        old: Some(describe(&file.name, file.size as u64, &file.sha256, kind)),
        new: None,
    }
}

/// `inline` or `attachment`, with an ASCII `filename` for old clients and the exact name as
/// `filename*` (RFC 6266, RFC 8187): Vietnamese intact.
pub fn content_disposition(name: &str, kind: FileKind) -> String {
    let disposition = if kind.inline() { "inline" } else { "attachment" };
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// One `bytes=` range of a file of `size` bytes: `None` to send it whole (no range, several
/// ranges, or a form this server does not read), `Some(Err)` when it lies outside the file,
/// else `[from, to)`.
fn parse_range(header: &str, size: u64) -> Option<std::result::Result<(u64, u64), ()>> {
    let spec = header.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
    };
    match (first.trim().is_empty(), last.trim().is_empty()) {
        // `bytes=-N`: the last N bytes.
        (true, false) => {
            let n = number(last)?;
            if n == 0 || size == 0 {
                return Some(Err(()));
            }
            Some(Ok((size.saturating_sub(n), size)))
        }
        (false, _) => {
            let from = number(first)?;
            let to = if last.trim().is_empty() { size } else { number(last)?.saturating_add(1).min(size) };
            if from >= size || to <= from {
                return Some(Err(()));
            }
            Some(Ok((from, to)))
        }
        (true, true) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_as_browsers_send_them() {
        assert_eq!(parse_range("bytes=0-99", 1000), Some(Ok((0, 100))));
        assert_eq!(parse_range("bytes=900-", 1000), Some(Ok((900, 1000))));
        assert_eq!(parse_range("bytes=-100", 1000), Some(Ok((900, 1000))));
        assert_eq!(parse_range("bytes=990-2000", 1000), Some(Ok((990, 1000))));
        assert_eq!(parse_range("bytes=1000-", 1000), Some(Err(())));
        assert_eq!(parse_range("bytes=5-2", 1000), Some(Err(())));
        assert_eq!(parse_range("bytes=0-1,5-6", 1000), None);
        assert_eq!(parse_range("items=0-1", 1000), None);
        assert_eq!(parse_range("bytes=x-1", 1000), None);
    }

    #[test]
    fn names_keep_their_vietnamese_in_filename_star() {
        assert_eq!(
            content_disposition("Báo cáo \"1\".pdf", FileKind::Pdf),
            "inline; filename=\"B_o c_o _1_.pdf\"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20%221%22.pdf"
        );
        assert!(content_disposition("bảng.xlsx", FileKind::Xlsx).starts_with("attachment; "));
    }
}
