//! Evidence files: the tus 1.0 client of the uploads (create, ask the offset, send a chunk,
//! cancel) and the sheet's files (list, remove). A chunk is a slice of the chosen `File`
//! (`Blob.slice`): the browser reads it from disk as it is sent, never the whole file at once.

use gloo_net::http::{Method, RequestBuilder, Response};
use thidua_domain::evidence::{EvidenceFile, FileTarget};
use thidua_domain::sheet_edit::SheetId;

use super::{write, WRITE_TIMEOUT};
use crate::api::{abort_signal, answer_error, checked, get_json, url, ApiError, ApiResult};

const TUS: &str = "1.0.0";

pub async fn files(sheet: SheetId) -> ApiResult<Vec<EvidenceFile>> {
    get_json(&format!("/api/sheets/{sheet}/files")).await
}

pub async fn remove(id: i64) -> ApiResult<()> {
    write(Method::DELETE, &format!("/api/files/{id}"), None).await.map(|_| ())
}

/// Where a file is served (inline for PDFs and images, else a download).
pub fn href(id: i64) -> String {
    url(&format!("/api/files/{id}"))
}

/// The dossier of a sheet, as a ZIP to download.
pub fn dossier_href(sheet: SheetId, lang: &str) -> String {
    url(&format!("/api/sheets/{sheet}/dossier.zip?lang={lang}"))
}

fn tus(method: Method, path: &str, timeout: Option<std::time::Duration>) -> RequestBuilder {
    RequestBuilder::new(&url(path))
        .method(method)
        .header("Tus-Resumable", TUS)
        .abort_signal(abort_signal(timeout).as_ref())
}

/// An error answer as the error its status and code say (the tus answers carry the usual body).
async fn refused(response: Response) -> ApiError {
    match checked(response).await {
        Err(e) => e,
        Ok(r) => answer_error(r.status(), String::new()),
    }
}

/// Starts an upload of `size` bytes named `name` for `target`; answers its address.
pub async fn create(sheet: SheetId, target: FileTarget, name: &str, size: u64) -> ApiResult<String> {
    let metadata = format!("filename {},target {}", base64(name.as_bytes()), base64(target.key().as_bytes()));
    let request = tus(Method::POST, &format!("/api/sheets/{sheet}/uploads"), Some(WRITE_TIMEOUT))
        .header("Upload-Length", &size.to_string())
        .header("Upload-Metadata", &metadata)
        .build()
        .map_err(|_| ApiError::Network)?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    if response.status() != 201 {
        return Err(refused(response).await);
    }
    response.headers().get("location").ok_or(ApiError::Decode)
}

/// How many bytes of the upload at `location` the server has.
pub async fn offset(location: &str) -> ApiResult<u64> {
    let request = tus(Method::HEAD, location, Some(WRITE_TIMEOUT)).build().map_err(|_| ApiError::Network)?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    match response.status() {
        200 => response.headers().get("upload-offset").and_then(|v| v.parse().ok()).ok_or(ApiError::Decode),
        // HEAD answers have no body: the status says it.
        404 => Err(ApiError::NotFound { code: "upload_not_found".to_owned() }),
        status => Err(answer_error(status, String::new())),
    }
}

/// What a PATCH reached: the new offset, and the file once it is attached.
pub struct Sent {
    pub offset: u64,
    pub file: Option<i64>,
}

/// Sends `chunk` as the upload's bytes from `from`.
pub async fn send(location: &str, from: u64, chunk: &web_sys::Blob) -> ApiResult<Sent> {
    // Long enough for a chunk on a slow link; a stalled one is retried from the server's offset.
    let request = tus(Method::PATCH, location, Some(std::time::Duration::from_secs(120)))
        .header("Upload-Offset", &from.to_string())
        .header("Content-Type", "application/offset+octet-stream")
        .body(chunk.clone())
        .map_err(|_| ApiError::Network)?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    if response.status() != 204 {
        return Err(refused(response).await);
    }
    let headers = response.headers();
    let offset = headers.get("upload-offset").and_then(|v| v.parse().ok()).ok_or(ApiError::Decode)?;
    Ok(Sent { offset, file: headers.get("thidua-file-id").and_then(|v| v.parse().ok()) })
}

/// Cancels the upload at `location` (its bytes go).
pub async fn cancel(location: &str) -> ApiResult<()> {
    let request = tus(Method::DELETE, location, Some(WRITE_TIMEOUT)).build().map_err(|_| ApiError::Network)?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    match response.status() {
        204 | 404 => Ok(()),
        _ => Err(refused(response).await),
    }
}

/// Standard base64, as tus metadata carries values: the browser's own `btoa` over the bytes.
fn base64(bytes: &[u8]) -> String {
    let latin1: String = bytes.iter().map(|&b| char::from(b)).collect();
    web_sys::window().and_then(|w| w.btoa(&latin1).ok()).unwrap_or_default()
}
