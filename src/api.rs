//! The one typed client of the backend API. Types come from `thidua_domain`, the same
//! crate the server serialises them with, so the two cannot drift apart.

use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use thidua_domain::error::ApiErrorBody;
use thidua_domain::model::{BlocDetail, BlocSummary, YearSummary};
use thidua_domain::results::BlocResults;
use thidua_domain::{BlocId, Year};

use crate::config::api_base;

/// What can go wrong when asking the API; each variant has a message in the user's
/// language (`components::status::ErrorPanel`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The server could not be reached (offline, down, or the request was cut off).
    #[error("network error")]
    Network,
    /// A 404: the year or bloc does not exist, or is not published.
    #[error("not found: {code}")]
    NotFound { code: String },
    /// Any other error answer.
    #[error("server error {status}: {code}")]
    Server { status: u16, code: String },
    /// A success answer whose body is not what the contract says.
    #[error("unreadable answer")]
    Decode,
}

impl ApiError {
    /// A retry can help unless the thing is simply not there.
    pub fn is_retryable(&self) -> bool {
        !matches!(self, ApiError::NotFound { .. })
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// GET `path` (starting with `/api/`) and decode the JSON. The request is aborted when the
/// reactive owner that started it is cleaned up, e.g. when the user navigates away.
pub async fn get_json<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    let url = format!("{}{path}", api_base());
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    let controller = SendWrapper::new(controller);
    on_cleanup(move || {
        if let Some(c) = controller.take() {
            c.abort();
        }
    });
    let response = gloo_net::http::Request::get(&url)
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref())
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    let status = response.status();
    if response.ok() {
        return response.json::<T>().await.map_err(|_| ApiError::Decode);
    }
    let code = response.json::<ApiErrorBody>().await.map(|b| b.code).unwrap_or_default();
    Err(match status {
        404 => ApiError::NotFound { code },
        status => ApiError::Server { status, code },
    })
}

pub async fn years() -> ApiResult<Vec<YearSummary>> {
    get_json("/api/years").await
}

pub async fn blocs(year: Year) -> ApiResult<Vec<BlocSummary>> {
    get_json(&format!("/api/years/{year}/blocs")).await
}

pub async fn bloc(year: Year, bloc: BlocId) -> ApiResult<BlocDetail> {
    get_json(&format!("/api/years/{year}/blocs/{bloc}")).await
}

pub async fn results(year: Year, bloc: BlocId) -> ApiResult<BlocResults> {
    get_json(&format!("/api/years/{year}/blocs/{bloc}/results")).await
}
