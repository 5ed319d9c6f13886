//! The one typed client of the backend API. Types come from `thidua_domain`, the same
//! crate the server serialises them with, so the two cannot drift apart.

use std::time::Duration;

use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::{on_cleanup, set_timeout};
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use serde::Serialize;
use thidua_domain::auth::{LoginRequest, Me};

use thidua_domain::history::UnitHistory;
use thidua_domain::model::{BlocDetail, BlocSummary, YearSummary};
use thidua_domain::results::BlocResults;
use thidua_domain::sheet_edit::{
    SelfAssessmentInput, SheetId, SheetSummary, SheetView, TransitionInput, VerificationInput,
};
use thidua_domain::UnitId;
use thidua_domain::{BlocId, Year};

use crate::config::api_base;

/// A write that has not answered by then is treated like a dropped connection: the form
/// keeps the input on the device and tries again.
const WRITE_TIMEOUT: Duration = Duration::from_secs(15);

/// What can go wrong when asking the API; each variant has a message in the user's
/// language (`components::status::ErrorPanel`, `components::save_status`).
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
struct ErrorCode {
    code: String,
}

/// An abort signal for one request, fired when the reactive owner that started it is
/// cleaned up (the user navigated away) and, for writes, after `timeout`.
fn abort_signal(timeout: Option<Duration>) -> Option<web_sys::AbortSignal> {
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

/// Sends the request; any answer is `Ok`, only a failed connection is an error.
/// `body` is the text and its media type.
async fn send_raw(
    builder: RequestBuilder,
    body: Option<(String, &'static str)>,
    timeout: Option<Duration>,
) -> ApiResult<Response> {
    let signal = abort_signal(timeout);
    let builder = builder.header("Accept", "application/json").abort_signal(signal.as_ref());
    let request = match body {
        Some((text, media_type)) => builder.header("Content-Type", media_type).body(text),
        None => builder.build(),
    };
    request.map_err(|_| ApiError::Network)?.send().await.map_err(|_| ApiError::Network)
}

async fn send(builder: RequestBuilder, body: Option<String>, timeout: Option<Duration>) -> ApiResult<Response> {
    checked(send_raw(builder, body.map(|json| (json, "application/json")), timeout).await?).await
}

/// A success answer as it is; an error answer as the `ApiError` its status and code say.
async fn checked(response: Response) -> ApiResult<Response> {
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let code = response.json::<ErrorCode>().await.map(|b| b.code).unwrap_or_default();
    Err(match status {
        401 => ApiError::Unauthenticated,
        403 => ApiError::Forbidden,
        404 => ApiError::NotFound { code },
        409 => ApiError::Conflict { code },
        422 => ApiError::Invalid,
        429 => ApiError::TooManyAttempts,
        status => ApiError::Server { status, code },
    })
}

fn url(path: &str) -> String {
    format!("{}{path}", api_base())
}

/// GET `path` (starting with `/api/`) and decode the JSON.
pub async fn get_json<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    let response = send(Request::get(&url(path)), None, None).await?;
    response.json::<T>().await.map_err(|_| ApiError::Decode)
}

/// Sends `body` as JSON with `method` and decodes the answer.
async fn write_json<B: Serialize, T: DeserializeOwned>(builder: RequestBuilder, body: &B) -> ApiResult<T> {
    let json = serde_json::to_string(body).map_err(|_| ApiError::Decode)?;
    let response = send(builder, Some(json), Some(WRITE_TIMEOUT)).await?;
    response.json::<T>().await.map_err(|_| ApiError::Decode)
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

/// Where the browser downloads the results as a spreadsheet: `ext` is `csv` or `xlsx`;
/// `lang` names the headers' language.
pub fn export_url(year: Year, bloc: BlocId, ext: &str, lang: &str) -> String {
    url(&format!("/api/years/{year}/blocs/{bloc}/results.{ext}?lang={lang}"))
}

pub async fn unit_history(unit: UnitId) -> ApiResult<UnitHistory> {
    get_json(&format!("/api/units/{unit}/history")).await
}

pub async fn login(username: String, password: String) -> ApiResult<Me> {
    write_json(Request::post(&url("/api/auth/login")), &LoginRequest { username, password }).await
}

pub async fn logout() -> ApiResult<()> {
    send(Request::post(&url("/api/auth/logout")), None, Some(WRITE_TIMEOUT)).await.map(|_| ())
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
    write_json(Request::put(&url(&format!("/api/sheets/{id}/self"))), &input).await
}

pub async fn save_verification(id: SheetId, input: VerificationInput) -> ApiResult<SheetView> {
    write_json(Request::put(&url(&format!("/api/sheets/{id}/verification"))), &input).await
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
    write_json(Request::post(&url(&format!("/api/sheets/{id}/{verb}"))), &input).await
}

/// Staff writes on a bloc's awards; each answers the fresh results (a staff preview).
#[cfg(feature = "staff")]
pub mod awards {
    use gloo_net::http::Request;
    use thidua_domain::award_types::{AwardType, AwardTypeId, AwardTypeInput};
    use thidua_domain::decisions::Decision;
    use thidua_domain::results::BlocResults;
    use thidua_domain::tally::{Override, TallyUpdate};
    use thidua_domain::{BlocId, UnitId, Year};

    use super::{send, url, write_json, ApiError, ApiResult, WRITE_TIMEOUT};

    fn base(year: Year, bloc: BlocId) -> String {
        url(&format!("/api/years/{year}/blocs/{bloc}"))
    }

    async fn empty_body(builder: gloo_net::http::RequestBuilder) -> ApiResult<BlocResults> {
        let response = send(builder, None, Some(WRITE_TIMEOUT)).await?;
        response.json().await.map_err(|_| ApiError::Decode)
    }

    pub async fn save_tally(year: Year, bloc: BlocId, update: TallyUpdate) -> ApiResult<BlocResults> {
        write_json(Request::put(&format!("{}/tally", base(year, bloc))), &update).await
    }

    pub async fn save_override(year: Year, bloc: BlocId, o: Override) -> ApiResult<BlocResults> {
        write_json(Request::put(&format!("{}/overrides", base(year, bloc))), &o).await
    }

    pub async fn remove_override(year: Year, bloc: BlocId, unit: UnitId, award: AwardTypeId) -> ApiResult<BlocResults> {
        empty_body(Request::delete(&format!("{}/overrides/{unit}/{award}", base(year, bloc)))).await
    }

    pub async fn set_published(year: Year, bloc: BlocId, published: bool) -> ApiResult<BlocResults> {
        let verb = if published { "publish" } else { "unpublish" };
        empty_body(Request::post(&format!("{}/{verb}", base(year, bloc)))).await
    }

    pub async fn award_types(year: Year) -> ApiResult<Vec<AwardType>> {
        super::get_json(&format!("/api/years/{year}/award-types")).await
    }

    pub async fn create_award_type(year: Year, input: AwardTypeInput) -> ApiResult<AwardType> {
        write_json(Request::post(&url(&format!("/api/years/{year}/award-types"))), &input).await
    }

    pub async fn update_award_type(year: Year, id: AwardTypeId, input: AwardTypeInput) -> ApiResult<AwardType> {
        write_json(Request::put(&url(&format!("/api/years/{year}/award-types/{id}"))), &input).await
    }

    pub async fn save_decision(
        year: Year,
        bloc: BlocId,
        unit: UnitId,
        award: AwardTypeId,
        decision: Decision,
    ) -> ApiResult<BlocResults> {
        write_json(Request::put(&format!("{}/decisions/{unit}/{award}", base(year, bloc))), &decision).await
    }
}

/// Staff administration: years, blocs' set-up and criteria, units, accounts.
#[cfg(feature = "staff")]
pub mod admin {
    use gloo_net::http::Request;
    use thidua_domain::admin::blocs::{BlocSetupInput, BlocSetupView, NewBloc};
    use thidua_domain::admin::criteria::{CriteriaDraft, CriteriaUpdate};
    use thidua_domain::admin::units::{NewUnit, UnitAdmin, UnitEnd};
    use thidua_domain::admin::users::{NewUser, PasswordReset, UserAdmin, UserUpdate};
    use thidua_domain::admin::years::{NewYear, YearAdmin, YearUpdate};
    use thidua_domain::auth::UserId;
    use thidua_domain::{BlocId, UnitId, Year};

    use thidua_domain::error::{ApiErrorBody, FieldErrors};

    use super::{get_json, send, send_raw, url, write_json, ApiError, ApiResult, WRITE_TIMEOUT};

    pub async fn years() -> ApiResult<Vec<YearAdmin>> {
        get_json("/api/admin/years").await
    }

    pub async fn create_year(input: NewYear) -> ApiResult<YearAdmin> {
        write_json(Request::post(&url("/api/admin/years")), &input).await
    }

    pub async fn update_year(year: Year, input: YearUpdate) -> ApiResult<YearAdmin> {
        write_json(Request::put(&url(&format!("/api/admin/years/{year}"))), &input).await
    }

    pub async fn create_bloc(year: Year, input: NewBloc) -> ApiResult<BlocSetupView> {
        write_json(Request::post(&url(&format!("/api/admin/years/{year}/blocs"))), &input).await
    }

    pub async fn bloc(year: Year, bloc: BlocId) -> ApiResult<BlocSetupView> {
        get_json(&format!("/api/admin/years/{year}/blocs/{bloc}")).await
    }

    pub async fn save_bloc(year: Year, bloc: BlocId, input: BlocSetupInput) -> ApiResult<BlocSetupView> {
        write_json(Request::put(&url(&format!("/api/admin/years/{year}/blocs/{bloc}"))), &input).await
    }

    pub async fn save_criteria(year: Year, bloc: BlocId, input: CriteriaUpdate) -> ApiResult<BlocSetupView> {
        write_json(Request::put(&url(&format!("/api/admin/years/{year}/blocs/{bloc}/criteria"))), &input).await
    }

    pub fn criteria_csv_url(year: Year, bloc: BlocId) -> String {
        url(&format!("/api/admin/years/{year}/blocs/{bloc}/criteria.csv"))
    }

    /// Why an import did not give a tree.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum ImportError {
        /// The lines that are wrong (`rows.{i}.{field}`), to show with their line numbers.
        Rows(FieldErrors),
        Api(ApiError),
    }

    /// Parses a CSV on the server (the same rules as every backend); nothing is saved.
    pub async fn import_criteria(year: Year, bloc: BlocId, csv: String) -> Result<CriteriaDraft, ImportError> {
        let path = format!("/api/admin/years/{year}/blocs/{bloc}/criteria/import");
        let body = Some((csv, "text/csv; charset=utf-8"));
        let response =
            send_raw(Request::post(&url(&path)), body, Some(WRITE_TIMEOUT)).await.map_err(ImportError::Api)?;
        if response.status() == 422 {
            let body: ApiErrorBody = response.json().await.map_err(|_| ImportError::Api(ApiError::Decode))?;
            return Err(ImportError::Rows(body.fields));
        }
        let response = super::checked(response).await.map_err(ImportError::Api)?;
        response.json().await.map_err(|_| ImportError::Api(ApiError::Decode))
    }

    pub async fn units() -> ApiResult<Vec<UnitAdmin>> {
        get_json("/api/admin/units").await
    }

    pub async fn create_unit(input: NewUnit) -> ApiResult<UnitAdmin> {
        write_json(Request::post(&url("/api/admin/units")), &input).await
    }

    pub async fn rename_unit(id: UnitId, input: NewUnit) -> ApiResult<UnitAdmin> {
        write_json(Request::post(&url(&format!("/api/admin/units/{id}/names"))), &input).await
    }

    pub async fn end_unit(id: UnitId, input: UnitEnd) -> ApiResult<UnitAdmin> {
        write_json(Request::post(&url(&format!("/api/admin/units/{id}/end"))), &input).await
    }

    pub async fn users() -> ApiResult<Vec<UserAdmin>> {
        get_json("/api/admin/users").await
    }

    pub async fn create_user(input: NewUser) -> ApiResult<UserAdmin> {
        write_json(Request::post(&url("/api/admin/users")), &input).await
    }

    pub async fn update_user(id: UserId, input: UserUpdate) -> ApiResult<UserAdmin> {
        write_json(Request::put(&url(&format!("/api/admin/users/{id}"))), &input).await
    }

    pub async fn reset_password(id: UserId, input: PasswordReset) -> ApiResult<()> {
        let json = serde_json::to_string(&input).map_err(|_| ApiError::Decode)?;
        send(Request::put(&url(&format!("/api/admin/users/{id}/password"))), Some(json), Some(WRITE_TIMEOUT))
            .await
            .map(|_| ())
    }
}
