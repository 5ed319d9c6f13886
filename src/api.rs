//! The one typed client of the backend API: one way to send a request (`request`), the
//! public reads here, the staff's writes in `staff::api` on the same functions. Types come
//! from `thidua_domain`, the same crate the server serialises them with, so the two cannot
//! drift apart.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use gloo_net::http::{Method, RequestBuilder, Response};
use leptos::prelude::{on_cleanup, set_timeout};
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use thidua_domain::history::UnitHistory;
use thidua_domain::model::{BlocDetail, BlocSummary, YearSummary};
use thidua_domain::results::BlocResults;
use thidua_domain::revisions::{ResultsDiff, RevisionEntry, RevisionNumber};
use thidua_domain::{BlocId, UnitId, Year};

use crate::config::api_base;

/// What can go wrong when asking the API; each variant has a message in the user's
/// language (`components::status::ErrorPanel`; in forms `staff::components::form::SaveOutcome`,
/// and for the score sheets `staff::components::save_status`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The server could not be reached (offline, down, too slow, or the request was cut off).
    #[error("network error")]
    Network,
    /// 401: not signed in, or the session has expired.
    #[error("not signed in")]
    Unauthenticated,
    /// 403: signed in, but not allowed.
    #[error("forbidden")]
    Forbidden,
    /// A 404: the year or bloc does not exist, or is not published.
    #[error("not found: {code}")]
    NotFound { code: String },
    /// 409: `stale_version` (someone else saved first) or `wrong_state`.
    #[error("conflict: {code}")]
    Conflict { code: String },
    /// 422: the forms check input with the same domain rules first, so this is rare; the
    /// field map in the body is for other clients.
    #[error("invalid input")]
    Invalid,
    /// 429: too many sign-in attempts.
    #[error("too many attempts")]
    TooManyAttempts,
    /// Any other error answer.
    #[error("server error {status}: {code}")]
    Server { status: u16, code: String },
    /// A success answer whose body is not what the contract says.
    #[error("unreadable answer")]
    Decode,
    /// What the form would send could not be written as JSON (a bug, never the person's
    /// input): nothing was sent.
    #[error("request not encodable")]
    Encode,
}

impl ApiError {
    /// A retry can help unless the thing is simply not there.
    pub fn is_retryable(&self) -> bool {
        matches!(self, ApiError::Network | ApiError::Server { .. } | ApiError::Decode)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The part of `thidua_domain::error::ApiErrorBody` the SPA reads: decoding only the code
/// keeps the field map's decoder out of the download.
#[derive(serde::Deserialize)]
pub(crate) struct ErrorCode {
    pub(crate) code: String,
}

/// An abort signal for one request, fired when the reactive owner that started it is
/// cleaned up (the user navigated away) and, when given, after `timeout`.
pub(crate) fn abort_signal(timeout: Option<Duration>) -> Option<web_sys::AbortSignal> {
    let controller = web_sys::AbortController::new().ok()?;
    let signal = controller.signal();
    let controller = SendWrapper::new(controller);
    if let Some(timeout) = timeout {
        let c = controller.clone();
        set_timeout(move || c.abort(), timeout);
    }
    on_cleanup(move || controller.abort());
    Some(signal)
}

/// Sends `method` to `path` (starting with `/api/`) with `body` (its text and media type);
/// any answer is `Ok`, only a failed connection (or one cut off after `timeout`) is an error.
/// Every request of the SPA goes through here.
pub(crate) async fn request(
    method: Method,
    path: &str,
    body: Option<(String, &'static str)>,
    timeout: Option<Duration>,
) -> ApiResult<Response> {
    let signal = abort_signal(timeout);
    let builder = RequestBuilder::new(&url(path))
        .method(method)
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref());
    // Published results may be kept a minute by a CDN (`max-age=60`); the browser always asks
    // again (a 304 without a body when nothing changed), so a page never shows an answer
    // older than the last write, its own or anyone's.
    let builder = builder.cache(web_sys::RequestCache::NoCache);
    let request = match body {
        Some((text, media_type)) => builder.header("Content-Type", media_type).body(text),
        None => builder.build(),
    };
    request.map_err(|_| ApiError::Network)?.send().await.map_err(|_| ApiError::Network)
}

/// A success answer as it is; an error answer as the `ApiError` its status and code say.
pub(crate) async fn checked(response: Response) -> ApiResult<Response> {
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let body = body(response).await.ok();
    let code = body.and_then(|b| from_json::<ErrorCode>(&b).ok()).map(|b| b.code).unwrap_or_default();
    Err(answer_error(status, code))
}

/// The error an error answer stands for, by its status and code.
pub(crate) fn answer_error(status: u16, code: String) -> ApiError {
    match status {
        401 => ApiError::Unauthenticated,
        403 => ApiError::Forbidden,
        404 => ApiError::NotFound { code },
        409 => ApiError::Conflict { code },
        422 => ApiError::Invalid,
        429 => ApiError::TooManyAttempts,
        status => ApiError::Server { status, code },
    }
}

/// The JSON of a success answer (the staff's writes; the public only GETs, `get_json`).
#[cfg(feature = "staff")]
pub(crate) async fn decode<T: DeserializeOwned>(response: Response) -> ApiResult<T> {
    from_json(&body(response).await?).map_err(|_| ApiError::Decode)
}

/// An answer's body as the browser's own JSON parser read it.
#[cfg(target_arch = "wasm32")]
type Body = wasm_bindgen::JsValue;
#[cfg(not(target_arch = "wasm32"))]
type Body = String;

#[cfg(target_arch = "wasm32")]
async fn body(response: Response) -> ApiResult<Body> {
    let promise = web_sys::Response::from(response).json().map_err(|_| ApiError::Decode)?;
    wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| ApiError::Decode)
}

#[cfg(not(target_arch = "wasm32"))]
async fn body(response: Response) -> ApiResult<Body> {
    response.text().await.map_err(|_| ApiError::Decode)
}

/// Decodes JSON the browser already parsed: serde-wasm-bindgen walks the JavaScript value,
/// so serde_json's parser is not in the public download (with `prefs::maybe_signed_in`, 15 KB brotli).
#[cfg(target_arch = "wasm32")]
pub(crate) fn from_json<T: DeserializeOwned>(value: &wasm_bindgen::JsValue) -> Result<T, serde_wasm_bindgen::Error> {
    serde_wasm_bindgen::from_value(value.clone())
}

/// On the host (the server's rendering, the tests) the same answers come as text.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text)
}

pub(crate) fn url(path: &str) -> String {
    format!("{}{path}", api_base())
}

/// GET `path` (starting with `/api/`) and decode the JSON.
pub async fn get_json<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    from_json(&get_body(path.to_owned()).await?).map_err(|_| ApiError::Decode)
}

/// The body of a successful GET, before it is decoded. Boxed, so that the request is one
/// code for every answer type, not a copy inside each `get_json`.
fn get_body(path: String) -> Pin<Box<dyn Future<Output = ApiResult<Body>>>> {
    Box::pin(async move { body(checked(request(Method::GET, &path, None, None).await?).await?).await })
}

/// One public GET of the API, typed by its answer: the path names it (the page's preloaded
/// answers are keyed by it), `send` asks the API.
pub struct Query<T> {
    path: String,
    answer: std::marker::PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> Query<T> {
    fn new(path: String) -> Query<T> {
        Query { path, answer: std::marker::PhantomData }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub async fn send(self) -> ApiResult<T> {
        get_json(&self.path).await
    }
}

pub fn years() -> Query<Vec<YearSummary>> {
    Query::new("/api/years".to_owned())
}

pub fn blocs(year: Year) -> Query<Vec<BlocSummary>> {
    Query::new(format!("/api/years/{year}/blocs"))
}

pub fn bloc(year: Year, bloc: BlocId) -> Query<BlocDetail> {
    Query::new(format!("/api/years/{year}/blocs/{bloc}"))
}

pub fn results(year: Year, bloc: BlocId) -> Query<BlocResults> {
    Query::new(format!("/api/years/{year}/blocs/{bloc}/results"))
}

/// One published revision exactly as it was stored (permanent, never changes).
pub fn revision(year: Year, bloc: BlocId, number: RevisionNumber) -> Query<BlocResults> {
    Query::new(format!("/api/years/{year}/blocs/{bloc}/results/revisions/{number}"))
}

/// What changed between two revisions, unit by unit.
pub fn revision_diff(year: Year, bloc: BlocId, from: RevisionNumber, to: RevisionNumber) -> Query<ResultsDiff> {
    Query::new(format!("/api/years/{year}/blocs/{bloc}/results/diff?from={from}&to={to}"))
}

/// Every revision of a bloc-year's published results, newest first.
pub fn revisions(year: Year, bloc: BlocId) -> Query<Vec<RevisionEntry>> {
    Query::new(format!("/api/years/{year}/blocs/{bloc}/results/revisions"))
}

/// Where the browser downloads the results as a spreadsheet: `ext` is `csv` or `xlsx`;
/// `lang` names the headers' language.
pub fn export_url(year: Year, bloc: BlocId, ext: &str, lang: &str) -> String {
    url(&format!("/api/years/{year}/blocs/{bloc}/results.{ext}?lang={lang}"))
}

pub fn unit_history(unit: UnitId) -> Query<UnitHistory> {
    Query::new(format!("/api/units/{unit}/history"))
}
