//! The staff's part of the API client: sign-in, score sheets, awards and administration.
//! Every write goes through `write` (JSON in, the answer checked), on the public client's
//! `request`.

pub mod admin;
pub mod awards;
pub mod council;
pub mod files;
pub mod vote;

use std::time::Duration;

use gloo_net::http::{Method, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use thidua_domain::auth::{LoginRequest, Me};
use thidua_domain::sheet_edit::{
    SelfAssessmentInput, SheetId, SheetSummary, SheetView, TransitionInput, VerificationInput,
};

use crate::api::{checked, decode, get_json, request, ApiError, ApiResult};

/// A write that has not answered by then is treated like a dropped connection: the form
/// keeps the input on the device and tries again.
pub(crate) const WRITE_TIMEOUT: Duration = Duration::from_secs(15);

/// `body` as the JSON a write sends.
pub(crate) fn json(body: &impl Serialize) -> ApiResult<String> {
    serde_json::to_string(body).map_err(|_| ApiError::Encode)
}

/// Sends `method` to `path` with `json` as the body (none for a bare POST or DELETE), and
/// answers the success response or the error its status says.
pub(crate) async fn write(method: Method, path: &str, json: Option<String>) -> ApiResult<Response> {
    let body = json.map(|text| (text, "application/json"));
    checked(request(method, path, body, Some(WRITE_TIMEOUT)).await?).await
}

/// Sends `body` as JSON with `method` to `path` and decodes the answer.
pub(crate) async fn write_json<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: &B,
) -> ApiResult<T> {
    decode(write(method, path, Some(json(body)?)).await?).await
}

pub async fn login(username: String, password: String) -> ApiResult<Me> {
    write_json(Method::POST, "/api/auth/login", &LoginRequest { username, password }).await
}

pub async fn logout() -> ApiResult<()> {
    write(Method::POST, "/api/auth/logout", None).await.map(|_| ())
}

pub async fn me() -> ApiResult<Me> {
    get_json("/api/auth/me").await
}

pub async fn sheets() -> ApiResult<Vec<SheetSummary>> {
    get_json("/api/sheets").await
}

pub async fn sheet(id: SheetId) -> ApiResult<SheetView> {
    get_json(&format!("/api/sheets/{id}")).await
}

pub async fn save_self(id: SheetId, input: SelfAssessmentInput) -> ApiResult<SheetView> {
    write_json(Method::PUT, &format!("/api/sheets/{id}/self"), &input).await
}

pub async fn save_verification(id: SheetId, input: VerificationInput) -> ApiResult<SheetView> {
    write_json(Method::PUT, &format!("/api/sheets/{id}/verification"), &input).await
}

/// A state change of a sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    Submit,
    Return,
    Approve,
}

pub async fn transition(id: SheetId, which: Transition, input: TransitionInput) -> ApiResult<SheetView> {
    let verb = match which {
        Transition::Submit => "submit",
        Transition::Return => "return",
        Transition::Approve => "approve",
    };
    write_json(Method::POST, &format!("/api/sheets/{id}/{verb}"), &input).await
}
