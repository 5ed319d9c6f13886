//! Uploading evidence files with the tus 1.0 core protocol and its `creation` and
//! `termination` extensions (<https://tus.io/protocols/resumable-upload>): a client creates an
//! upload for a sheet (POST, with the file's length, name and target), sends its bytes (PATCH
//! from `Upload-Offset`), and after any cut — a dropped connection, a server restart, a reload —
//! asks where the upload stands (HEAD) and goes on from there. Written here rather than taken
//! from a crate: the crates that speak tus bring their own storage and their own idea of who may
//! upload, while an upload here is a sheet's, checked by the sheet's rules before any byte is
//! stored, and its bytes go to the database chunk by chunk (`crate::evidence`).
//!
//! Every byte received is kept, in chunks of `evidence::CHUNK`; a chunk cut short by a dropped
//! connection is kept too. When the last byte arrives, the file is judged by its content, hashed,
//! deduplicated and attached to its target, with an audit row, in one transaction.

use std::collections::HashMap;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use futures_util::StreamExt;
use thidua_domain::evidence::FileTarget;
use thidua_domain::files::{check_size, clean_name, may_be_accepted, FileKind};
use thidua_domain::sheet_edit::Change;
use thidua_domain::workflow::SheetAction;
use utoipa::IntoParams;

use super::auth::CurrentUser;
use super::error::{Error, Result};
use super::file_error::FileError;
use super::sheets::{checked_head, table_of};
use crate::clock::now;
use crate::evidence::{self, CHUNK};
use crate::http::extract::Path;
use crate::http::params::SheetPath;
use crate::http::state::{begin_read, begin_write, AppState};
use crate::store::files::{self as stored, Upload};
use crate::store::sheets;

pub const TUS_VERSION: &str = "1.0.0";
/// How long a client may send nothing in the middle of a PATCH before the server keeps what
/// came and ends the request (the client resumes with HEAD).
const STALL: Duration = Duration::from_secs(30);
/// An upload nobody finished is forgotten after this long.
const UPLOAD_LIFETIME: time::Duration = time::Duration::days(7);

/// `/api/uploads/{token}`.
#[derive(Debug, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct UploadPath {
    /// The upload's token, from the `Location` of its creation.
    pub token: String,
}

/// The tus version header every tus request carries (documented for clients; read by hand).
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct TusHeader {
    /// The protocol's version: always `1.0.0` (412 `tus_version` otherwise).
    #[param(rename = "Tus-Resumable", pattern = "^1\\.0\\.0$")]
    tus_resumable: String,
}

/// The headers that create an upload.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct CreateHeaders {
    /// The protocol's version: always `1.0.0` (412 `tus_version` otherwise).
    #[param(rename = "Tus-Resumable", pattern = "^1\\.0\\.0$")]
    tus_resumable: String,
    /// The file's size in bytes (at most the server's `Tus-Max-Size`; 413 `file_too_large`).
    #[param(rename = "Upload-Length", minimum = 1)]
    upload_length: u64,
    /// `filename BASE64,target BASE64`: the file's name (UTF-8) and what it is evidence for
    /// (`criterion:ID`, `bonus:N`, `deduction:N`); 422 `file_name` or `file_target` otherwise.
    #[param(rename = "Upload-Metadata", pattern = "^filename [A-Za-z0-9+/]+=*,target [A-Za-z0-9+/]+=*$")]
    upload_metadata: String,
}

/// The headers of a PATCH.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct PatchHeaders {
    /// The protocol's version: always `1.0.0` (412 `tus_version` otherwise).
    #[param(rename = "Tus-Resumable", pattern = "^1\\.0\\.0$")]
    tus_resumable: String,
    /// Where these bytes start: the upload's offset as `HEAD` answers it.
    #[param(rename = "Upload-Offset", minimum = 0)]
    upload_offset: u64,
}

/// What this server speaks: tus 1.0.0 with `creation` and `termination`, and the largest file.
#[utoipa::path(
    options,
    path = "/api/uploads",
    tag = "files",
    responses((status = 204, description = "`Tus-Version`, `Tus-Extension` and `Tus-Max-Size` headers"))
)]
pub async fn tus_options(State(state): State<AppState>) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert("tus-version", HeaderValue::from_static(TUS_VERSION));
    headers.insert("tus-extension", HeaderValue::from_static("creation,termination"));
    headers.insert("tus-max-size", HeaderValue::from(state.file_limits.per_file));
    (StatusCode::NO_CONTENT, headers).into_response()
}

/// Starts uploading an evidence file to a sheet (tus `creation`). Headers: `Tus-Resumable:
/// 1.0.0`, `Upload-Length` (bytes), `Upload-Metadata` with `filename` and `target`
/// (`criterion:ID`, `bonus:N` or `deduction:N`), each base64. Refused before any byte is
/// stored when the user may not edit the sheet now, the target is not on it, or the size is
/// over a limit. The answer's `Location` is where the bytes go.
#[utoipa::path(
    post,
    path = "/api/sheets/{id}/uploads",
    tag = "files",
    params(SheetPath, CreateHeaders),
    security(("session_cookie" = [])),
    responses(
        (status = 201, description = "Created: `Location` is the upload's address"),
        (status = 400, description = "`bad_request`: `Upload-Length` is missing or not a number", body = thidua_domain::error::ApiErrorBody),
        (status = 401, description = "`unauthenticated`", body = thidua_domain::error::ApiErrorBody),
        (status = 403, description = "`forbidden`: not this user's sheet to edit", body = thidua_domain::error::ApiErrorBody),
        (status = 404, description = "`sheet_not_found`", body = thidua_domain::error::ApiErrorBody),
        (status = 409, description = "`wrong_state`, `year_closed`, `published`: the sheet's files are frozen", body = thidua_domain::error::ApiErrorBody),
        (status = 412, description = "`tus_version`", body = thidua_domain::error::ApiErrorBody),
        (status = 413, description = "`file_too_large`, `sheet_files_full`", body = thidua_domain::error::ApiErrorBody),
        (status = 422, description = "`file_empty`, `file_name`, `file_target`", body = thidua_domain::error::ApiErrorBody),
    )
)]
pub async fn create_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(SheetPath { id }): Path<SheetPath>,
    headers: HeaderMap,
) -> Result<Response> {
    tus_version(&headers)?;
    let length = number_header(&headers, "upload-length")?;
    // Metadata that cannot be read names no file or no target: 422, like one that is missing.
    let metadata = parse_metadata(header(&headers, "upload-metadata").unwrap_or_default()).unwrap_or_default();
    let name = metadata.get("filename").and_then(|n| clean_name(n)).ok_or(FileError::Name)?;
    let target = metadata.get("target").and_then(|t| FileTarget::parse(t)).ok_or(FileError::Target)?;
    let at = now();
    let mut tx = begin_write(&state).await?;
    forget_expired(&mut tx, &state, at).await?;
    let head = checked_head(&mut tx, &user, id, SheetAction::EditSelf).await?;
    let table = table_of(&mut tx, &head).await?;
    let sheet = sheets::sheet(&mut tx, &head).await?;
    if !target.exists(&table, &sheet) {
        return Err(FileError::Target.into());
    }
    let used = stored::used_bytes(&mut tx, id, None).await?;
    check_size(length, used, state.file_limits).map_err(FileError::from)?;
    let token = new_token();
    stored::create_upload(&mut tx, &token, id, user.principal.user_id, target, &name, length, at).await?;
    tx.commit().await?;
    let mut response = StatusCode::CREATED.into_response();
    let location = HeaderValue::from_str(&format!("/api/uploads/{token}")).map_err(|_| Error::Internal)?;
    response.headers_mut().insert(LOCATION, location);
    response.headers_mut().insert("upload-offset", HeaderValue::from(0));
    Ok(response)
}

/// Where an upload stands: `Upload-Offset` (the bytes stored) and `Upload-Length`. Only for
/// the user who started it.
#[utoipa::path(
    head,
    path = "/api/uploads/{token}",
    tag = "files",
    params(UploadPath, TusHeader),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "`Upload-Offset` and `Upload-Length` headers"),
        (status = 401, description = "Not signed in (a HEAD answer has no body)"),
        (status = 404, description = "`upload_not_found`: finished, cancelled, expired or another user's"),
        (status = 412, description = "`tus_version`"),
    )
)]
pub async fn upload_offset(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(UploadPath { token }): Path<UploadPath>,
    headers: HeaderMap,
) -> Result<Response> {
    tus_version(&headers)?;
    let mut tx = begin_read(&state).await?;
    let upload = own_upload(&mut tx, &user, &token).await?;
    tx.rollback().await?;
    let mut response = StatusCode::OK.into_response();
    let h = response.headers_mut();
    h.insert("upload-offset", HeaderValue::from(upload.received));
    h.insert("upload-length", HeaderValue::from(upload.length));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Sends an upload's bytes from `Upload-Offset` (which must be where it stands: 409
/// `upload_offset` otherwise, with the right one in the answer's `Upload-Offset`). Body:
/// `application/offset+octet-stream`. The answer's `Upload-Offset` says how far it got; when
/// that is the whole length, the file is attached (`Thidua-File-Id` names it) or refused (415
/// `file_type`: not an accepted kind, and nothing is kept).
#[utoipa::path(
    patch,
    path = "/api/uploads/{token}",
    tag = "files",
    params(UploadPath, PatchHeaders),
    security(("session_cookie" = [])),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream"),
    responses(
        (status = 204, description = "Stored up to the answer's `Upload-Offset`; `Thidua-File-Id` once attached"),
        (status = 400, description = "`bad_request`: `Upload-Offset` is missing or not a number", body = thidua_domain::error::ApiErrorBody),
        (status = 401, description = "`unauthenticated`", body = thidua_domain::error::ApiErrorBody),
        (status = 412, description = "`tus_version`", body = thidua_domain::error::ApiErrorBody),
        (status = 404, description = "`upload_not_found`", body = thidua_domain::error::ApiErrorBody),
        (status = 409, description = "`upload_offset`, `wrong_state`, `year_closed`", body = thidua_domain::error::ApiErrorBody),
        (status = 413, description = "`upload_past_length`, `sheet_files_full`", body = thidua_domain::error::ApiErrorBody),
        (status = 415, description = "`file_type`, or not `application/offset+octet-stream`", body = thidua_domain::error::ApiErrorBody),
        (status = 507, description = "`insufficient_storage`: the server's disk is full; nothing past the answer's offset was kept", body = thidua_domain::error::ApiErrorBody),
    )
)]
pub async fn upload_bytes(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(UploadPath { token }): Path<UploadPath>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response> {
    tus_version(&headers)?;
    if headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) != Some("application/offset+octet-stream") {
        return Err(Error::UnsupportedMediaType("application/offset+octet-stream"));
    }
    let offset = number_header(&headers, "upload-offset")?;
    let upload = {
        let mut tx = begin_read(&state).await?;
        let upload = own_upload(&mut tx, &user, &token).await?;
        let allowed = checked_head(&mut tx, &user, upload.sheet_id, SheetAction::EditSelf).await.map(|_| ());
        tx.rollback().await?;
        if let Err(refusal) = allowed {
            // The sheet was submitted (or the year closed) since: the upload cannot end well.
            if is_refusal(&refusal) {
                discard(&state, &upload).await?;
            }
            return Err(refusal);
        }
        upload
    };
    if offset != upload.received as u64 {
        return Err(FileError::Offset(upload.received as u64).into());
    }
    let declared = headers.get(axum::http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| offset.saturating_add(n) > upload.length as u64) {
        return Err(FileError::PastLength.into());
    }
    let received = receive(&state, &upload, offset, body).await?;
    if received < upload.length as u64 {
        return Ok(offset_answer(received, None));
    }
    let file = complete(&state, &user, &upload).await?;
    Ok(offset_answer(received, Some(file)))
}

/// Cancels an upload (tus `termination`): its bytes go.
#[utoipa::path(
    delete,
    path = "/api/uploads/{token}",
    tag = "files",
    params(UploadPath, TusHeader),
    security(("session_cookie" = [])),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 401, description = "`unauthenticated`", body = thidua_domain::error::ApiErrorBody),
        (status = 404, description = "`upload_not_found`", body = thidua_domain::error::ApiErrorBody),
        (status = 412, description = "`tus_version`", body = thidua_domain::error::ApiErrorBody),
    )
)]
pub async fn cancel_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(UploadPath { token }): Path<UploadPath>,
    headers: HeaderMap,
) -> Result<StatusCode> {
    tus_version(&headers)?;
    let mut tx = begin_write(&state).await?;
    let upload = own_upload(&mut tx, &user, &token).await?;
    stored::drop_upload(&mut tx, &state.chunks, &upload).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stores the body from `offset` chunk by chunk; answers the offset reached. What arrived
/// before a cut or a stall is kept (the client resumes from it).
async fn receive(state: &AppState, upload: &Upload, offset: u64, body: Body) -> Result<u64> {
    let length = upload.length as u64;
    let mut stream = body.into_data_stream();
    let mut buffer: Vec<u8> = Vec::with_capacity(CHUNK);
    let mut at = offset;
    let mut cut = false;
    loop {
        let next = match tokio::time::timeout(STALL, stream.next()).await {
            Ok(Some(Ok(bytes))) => bytes,
            Ok(None) => break,
            // A dropped connection or a stalled client: keep what came.
            Ok(Some(Err(_))) | Err(_) => {
                cut = true;
                break;
            }
        };
        let mut rest: &[u8] = &next;
        while !rest.is_empty() {
            if at + (buffer.len() + rest.len()) as u64 > length {
                // Keep nothing of a body that claims more than the file: the client is confused.
                return Err(FileError::PastLength.into());
            }
            let take = rest.len().min(CHUNK - buffer.len());
            buffer.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if buffer.len() == CHUNK {
                at = store_chunk(state, upload, at, &buffer).await?;
                buffer.clear();
            }
        }
    }
    if !buffer.is_empty() {
        at = store_chunk(state, upload, at, &buffer).await?;
    }
    if cut {
        tracing::info!(upload = %upload.id, at, "an upload was cut; its bytes so far are kept");
    }
    Ok(at)
}

/// One chunk, with the upload's new offset, in one transaction; the first chunk must be able to
/// start an accepted file (else the upload goes at once: 415).
async fn store_chunk(state: &AppState, upload: &Upload, at: u64, data: &[u8]) -> Result<u64> {
    let whole_file = data.len() as u64 == upload.length as u64;
    if at == 0 && (data.len() >= 12 || whole_file) && !may_be_accepted(data) {
        discard(state, upload).await?;
        return Err(FileError::Type.into());
    }
    let mut tx = begin_write(state).await?;
    if !stored::append(&mut tx, &state.chunks, upload, at, data).await? {
        // Another request moved the upload on meanwhile.
        let now_at = stored::upload(&mut tx, &upload.id).await?.map(|u| u.received as u64).unwrap_or(0);
        return Err(FileError::Offset(now_at).into());
    }
    tx.commit().await?;
    Ok(at + data.len() as u64)
}

/// The last byte is in: judge, hash, deduplicate and attach, with an audit row; or refuse and
/// forget the upload.
async fn complete(state: &AppState, user: &CurrentUser, upload: &Upload) -> Result<i64> {
    let digested = evidence::digest(&state.chunks, &state.db, upload.content_id, upload.length as u64).await?;
    let Some(kind) = digested.kind else {
        discard(state, upload).await?;
        return Err(FileError::Type.into());
    };
    let mut tx = begin_write(state).await?;
    // As it is now: still there and whole (not cancelled, not completed by another request),
    // and pointing where its line went if the unit edited the lines meanwhile.
    let upload = match stored::upload(&mut tx, &upload.id).await? {
        Some(u) if u.received == u.length && u.user_id == user.principal.user_id => u,
        _ => return Err(FileError::UploadNotFound.into()),
    };
    let upload = &upload;
    let target = FileTarget::parse(&upload.target).ok_or(FileError::Target)?;
    let checked = attachable(&mut tx, state, user, upload, target).await;
    if let Err(refusal) = checked {
        drop(tx);
        // A refusal ends the upload; a fault (the database busy, say) leaves it to complete
        // again with an empty PATCH.
        if is_refusal(&refusal) {
            discard(state, upload).await?;
        }
        return Err(refusal);
    }
    let content =
        stored::seal(&mut tx, &state.chunks, upload, &digested.sha256, kind).await?.ok_or(FileError::UploadNotFound)?;
    let at = now();
    let file =
        stored::attach(&mut tx, upload.sheet_id, target, content, &upload.name, user.principal.user_id, at).await?;
    let head = sheets::head(&mut tx, upload.sheet_id).await?.ok_or(Error::SheetNotFound(upload.sheet_id))?;
    let table = table_of(&mut tx, &head).await?;
    let change = Change {
        field: format!("files.{}", target.label(&table)),
        old: None,
        new: Some(describe(&upload.name, upload.length as u64, &digested.sha256, kind)),
    };
    sheets::audit(&mut tx, upload.sheet_id, user.principal.user_id, SheetAction::EditSelf, at, &[change], None).await?;
    tx.commit().await?;
    Ok(file)
}

/// The sheet may still take this file: the user may edit it, the target is still there, and
/// the sheet's limit holds.
async fn attachable(
    tx: &mut crate::db::Tx,
    state: &AppState,
    user: &CurrentUser,
    upload: &Upload,
    target: FileTarget,
) -> Result<()> {
    let head = checked_head(tx, user, upload.sheet_id, SheetAction::EditSelf).await?;
    let table = table_of(tx, &head).await?;
    let sheet = sheets::sheet(tx, &head).await?;
    if !target.exists(&table, &sheet) {
        return Err(FileError::Target.into());
    }
    let used = stored::used_bytes(tx, upload.sheet_id, Some(&upload.id)).await?;
    check_size(upload.length as u64, used, state.file_limits).map_err(FileError::from)?;
    Ok(())
}

/// A refusal that will not pass by trying again (the upload can go), as against a fault.
fn is_refusal(e: &Error) -> bool {
    matches!(
        e,
        Error::Forbidden
            | Error::WrongState(_)
            | Error::YearClosed(_)
            | Error::Published(_)
            | Error::SheetNotFound(_)
            | Error::File(FileError::Target | FileError::SheetFull { .. } | FileError::TooLarge { .. })
    )
}

/// How the audit trail names a file: its name, size and hash.
pub fn describe(name: &str, size: u64, sha256: &str, kind: FileKind) -> String {
    format!("{name} ({}, {size} B, sha256 {sha256})", kind.as_str().to_uppercase())
}

async fn discard(state: &AppState, upload: &Upload) -> Result<()> {
    let mut tx = begin_write(state).await?;
    if stored::upload(&mut tx, &upload.id).await?.is_some() {
        stored::drop_upload(&mut tx, &state.chunks, upload).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn forget_expired(tx: &mut crate::db::Tx, state: &AppState, at: time::OffsetDateTime) -> Result<()> {
    for upload in stored::expired_uploads(tx, at - UPLOAD_LIFETIME).await? {
        stored::drop_upload(tx, &state.chunks, &upload).await?;
    }
    Ok(())
}

/// The upload, if `user` started it (anyone else's is not found: its token names nothing to them).
async fn own_upload(conn: &mut crate::db::Conn, user: &CurrentUser, token: &str) -> Result<Upload> {
    match stored::upload(conn, token).await? {
        Some(u) if u.user_id == user.principal.user_id => Ok(u),
        _ => Err(FileError::UploadNotFound.into()),
    }
}

fn offset_answer(at: u64, file: Option<i64>) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert("upload-offset", HeaderValue::from(at));
    if let Some(id) = file {
        response.headers_mut().insert("thidua-file-id", HeaderValue::from(id));
    }
    response
}

fn new_token() -> String {
    let mut bytes = [0u8; 18];
    getrandom::getrandom(&mut bytes).expect("the system's random source");
    URL_SAFE_NO_PAD.encode(bytes)
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// tus requires `Tus-Resumable: 1.0.0`; a 412 says which versions this server speaks
/// (`Tus-Version`, added in `error.rs`).
fn tus_version(headers: &HeaderMap) -> Result<()> {
    match header(headers, "tus-resumable") {
        Some(TUS_VERSION) => Ok(()),
        _ => Err(FileError::TusVersion.into()),
    }
}

/// A non-negative decimal header (`Upload-Length`, `Upload-Offset`).
fn number_header(headers: &HeaderMap, name: &str) -> Result<u64> {
    header(headers, name)
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| Error::BadRequest(format!("the `{name}` header must be a whole number of bytes")))
}

/// `Upload-Metadata`: comma-separated `key base64value` pairs (tus 1.0); values must be UTF-8.
fn parse_metadata(text: &str) -> Result<HashMap<String, String>> {
    let bad = || Error::BadRequest("the `Upload-Metadata` header is malformed".to_owned());
    let mut out = HashMap::new();
    for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once(' ').unwrap_or((pair, ""));
        let value = STANDARD.decode(value.trim()).map_err(|_| bad())?;
        out.insert(key.to_owned(), String::from_utf8(value).map_err(|_| bad())?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::parse_metadata;

    #[test]
    fn metadata_pairs_are_base64_and_utf8() {
        let m = parse_metadata("filename YmnDqm4gYuG6o24ucGRm,target Y3JpdGVyaW9uOjM=,flag").unwrap();
        assert_eq!(m["filename"], "biên bản.pdf");
        assert_eq!(m["target"], "criterion:3");
        assert_eq!(m["flag"], "");
        assert!(parse_metadata("filename !!!").is_err());
    }
}
