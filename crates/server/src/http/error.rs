//! The one error type of the API. Every failure answers JSON in the shape of
//! `thidua_domain::error::ApiErrorBody`, whose `code` clients may rely on.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use thidua_domain::auth::UserId;
use thidua_domain::award_types::AwardTypeId;
use thidua_domain::criteria::CriterionId;
use thidua_domain::error::{push, ApiErrorBody, FieldError, FieldErrors};
use thidua_domain::publication::PublishProblem;
use thidua_domain::sheet_edit::SheetId;
use thidua_domain::workflow::{Refusal, SheetState};
use thidua_domain::{BlocId, UnitId, Year};

use super::council_error::CouncilError;
use super::file_error::FileError;
use super::vote_error::VoteError;
use crate::store::LookupError;

/// The largest request body accepted: a whole sheet with notes and links fits many times over.
pub const BODY_LIMIT: usize = 256 * 1024;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400: the request itself is malformed (e.g. `/api/years/abc/blocs`).
    #[error("{0}")]
    BadRequest(String),
    /// 404 for an `/api/…` path that names no endpoint.
    #[error("no API endpoint at this path")]
    NotFound,
    #[error("year {0} not found")]
    YearNotFound(Year),
    #[error("bloc {bloc_id} not found in {year}")]
    BlocNotFound { year: Year, bloc_id: BlocId },
    /// 404 to anyone but staff while the bloc's results for the year are not published.
    #[error("the results of bloc {bloc_id} for {year} are not published")]
    NotPublished { year: Year, bloc_id: BlocId },
    /// 404: the latest revision of the bloc's results is a withdrawal; `message` says why.
    #[error("the results of bloc {bloc_id} for {year} were withdrawn: {reason}")]
    Withdrawn { year: Year, bloc_id: BlocId, reason: String },
    #[error("revision {0} not found")]
    RevisionNotFound(u32),
    #[error("unit {0} not found")]
    UnitNotFound(UnitId),
    #[error("user {0} not found")]
    UserNotFound(UserId),
    #[error("award type {id} not found in {year}")]
    AwardTypeNotFound { year: Year, id: AwardTypeId },
    #[error("no override for unit {unit_id} and award type {award_type_id}")]
    OverrideNotFound { unit_id: UnitId, award_type_id: AwardTypeId },
    #[error("no decision for unit {unit_id} and award type {award_type_id}")]
    DecisionNotFound { unit_id: UnitId, award_type_id: AwardTypeId },
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 401: no session, or one that expired or was ended.
    #[error("not signed in, or the session has ended")]
    Unauthenticated,
    /// 401 from sign-in, alike for an unknown user, a wrong password and a disabled account.
    #[error("the username or password is not correct")]
    InvalidCredentials,
    /// 429 with `Retry-After`: too many failed sign-ins for this username.
    #[error("too many failed sign-ins: try again in {retry_after} s")]
    TooManyAttempts { retry_after: u64 },
    /// 403: signed in, but this user may not do that.
    #[error("this user may not do that")]
    Forbidden,
    /// 403: a write sent from a page of another site (its `Origin` is not this one's).
    #[error("a change must come from this site's own pages")]
    CrossOrigin,
    #[error("sheet {0} not found")]
    SheetNotFound(SheetId),
    /// 409: the action does not fit the sheet's state (e.g. editing a submitted sheet).
    #[error("the sheet is {}: that cannot be done now", .0.as_str())]
    WrongState(SheetState),
    /// 409: the sheet (or the awards) changed since the version the write was based on.
    #[error("someone else changed this since it was loaded: reload it, then apply your changes again")]
    StaleVersion,
    /// 409: published results would change; staff unpublish them first.
    #[error("{0}: unpublish the results first")]
    Published(&'static str),
    /// 409: published results change only with a written reason (`reason`), which the new
    /// revision carries.
    #[error(
        "the results are published: give the reason for this change (`reason`); it is shown with the new revision"
    )]
    ReasonRequired,
    /// 409: the results have problems that the publication did not acknowledge exactly;
    /// the body lists them all (`problems`).
    #[error("the results have {} problem(s) to acknowledge in writing before publishing", .0.len())]
    PublicationProblems(Vec<PublishProblem>),
    /// 409: a decision needs a unit that the results propose for that award type.
    #[error("unit {unit_id} is not proposed for award type {award_type_id}")]
    NotProposed { unit_id: UnitId, award_type_id: AwardTypeId },
    /// 409: an officer's write in a year closed for scoring (staff may still write).
    #[error("the year {0} is closed for scoring")]
    YearClosed(Year),
    /// 409: a unit leaving a bloc-year has scores, bonus or deduction lines, votes or a
    /// decision there.
    #[error("unit {0} has scores, votes or decisions in this bloc and year: it cannot leave the bloc")]
    MemberHasScores(UnitId),
    /// 409: a bloc taken out of a year has something recorded there.
    #[error("this bloc has scores, votes or decisions in this year: it cannot be taken out of it")]
    BlocHasRecords,
    /// 409: saving the criteria would drop scores that sheets hold; send it again with
    /// `confirm_dropping_scores: true`.
    #[error("saving would drop the scores that sheets hold for the criteria {}: confirm to go ahead", ids(.0))]
    ScoresWouldBeDropped(Vec<CriterionId>),
    /// 408: the request was not answered within the request timeout.
    #[error("the request took too long to answer")]
    RequestTimeout,
    /// 413: the body is over the limit.
    #[error("the request body is too large (at most {} KiB)", BODY_LIMIT / 1024)]
    PayloadTooLarge,
    /// 415: a body of another type than the endpoint reads (`application/json` but for the
    /// CSV import).
    #[error("the request body must be {0}")]
    UnsupportedMediaType(&'static str),
    /// 422: well-formed but invalid input, with what is wrong with each field.
    #[error("{}", invalid_message(.0))]
    Invalid(FieldErrors),
    /// 503: this server cannot make a PDF now (LibreOffice missing or failing); the Word file
    /// can still be had.
    #[error("this server cannot make the PDF now; the Word file can still be downloaded")]
    PdfUnavailable,
    /// 503: the database does not answer (the health check).
    #[error("the database is unavailable: try again shortly")]
    Unavailable,
    /// 500: logged in full, answered without details (503 `unavailable` when the database
    /// cannot be reached at all).
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// 500 for any other failure of the machinery, logged where it happens.
    #[error("internal error")]
    Internal,
    /// The conference's vote refused (404 or 409, `vote_error::VoteError`).
    #[error(transparent)]
    Vote(#[from] VoteError),
    /// Evidence files and their uploads refused (`file_error::FileError`).
    #[error(transparent)]
    File(#[from] FileError),
    /// The Council's list refused (`council_error::CouncilError`).
    #[error(transparent)]
    Council(#[from] CouncilError),
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::NotFound
            | Error::YearNotFound(_)
            | Error::BlocNotFound { .. }
            | Error::NotPublished { .. }
            | Error::Withdrawn { .. }
            | Error::RevisionNotFound(_)
            | Error::UnitNotFound(_)
            | Error::UserNotFound(_)
            | Error::AwardTypeNotFound { .. }
            | Error::OverrideNotFound { .. }
            | Error::DecisionNotFound { .. } => StatusCode::NOT_FOUND,
            Error::Vote(e) => e.status(),
            Error::File(e) => e.status(),
            Error::Council(e) => e.status(),
            Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Error::Unauthenticated | Error::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Error::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Forbidden | Error::CrossOrigin => StatusCode::FORBIDDEN,
            Error::SheetNotFound(_) => StatusCode::NOT_FOUND,
            Error::WrongState(_)
            | Error::StaleVersion
            | Error::Published(_)
            | Error::ReasonRequired
            | Error::NotProposed { .. }
            | Error::PublicationProblems(_)
            | Error::YearClosed(_)
            | Error::MemberHasScores(_)
            | Error::BlocHasRecords
            | Error::ScoresWouldBeDropped(_) => StatusCode::CONFLICT,
            Error::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Error::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Error::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            // Another instance, or the same one shortly, may answer: a proxy retries or waits.
            Error::Unavailable | Error::PdfUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Error::Database(e) if disk_full(e) => StatusCode::INSUFFICIENT_STORAGE,
            Error::Database(e) if unreachable(e) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Database(_) | Error::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadRequest(_) => "bad_request",
            Error::Vote(e) => e.code(),
            Error::File(e) => e.code(),
            Error::Council(e) => e.code(),
            Error::NotFound => "not_found",
            Error::YearNotFound(_) => "year_not_found",
            Error::BlocNotFound { .. } => "bloc_not_found",
            Error::NotPublished { .. } => "not_published",
            Error::Withdrawn { .. } => "withdrawn",
            Error::RevisionNotFound(_) => "revision_not_found",
            Error::UnitNotFound(_) => "unit_not_found",
            Error::UserNotFound(_) => "user_not_found",
            Error::AwardTypeNotFound { .. } => "award_type_not_found",
            Error::OverrideNotFound { .. } => "override_not_found",
            Error::DecisionNotFound { .. } => "decision_not_found",
            Error::MethodNotAllowed => "method_not_allowed",
            Error::Unauthenticated => "unauthenticated",
            Error::InvalidCredentials => "invalid_credentials",
            Error::TooManyAttempts { .. } => "too_many_attempts",
            Error::Forbidden => "forbidden",
            Error::CrossOrigin => "cross_origin",
            Error::SheetNotFound(_) => "sheet_not_found",
            Error::WrongState(_) => "wrong_state",
            Error::StaleVersion => "stale_version",
            Error::Published(_) => "published",
            Error::ReasonRequired => "reason_required",
            Error::NotProposed { .. } => "not_proposed",
            Error::PublicationProblems(_) => "publication_problems",
            Error::YearClosed(_) => "year_closed",
            Error::MemberHasScores(_) => "member_has_scores",
            Error::BlocHasRecords => "bloc_has_records",
            Error::ScoresWouldBeDropped(_) => "scores_would_be_dropped",
            Error::RequestTimeout => "request_timeout",
            Error::PayloadTooLarge => "payload_too_large",
            Error::UnsupportedMediaType(_) => "unsupported_media_type",
            Error::Invalid(_) => "invalid_input",
            Error::Unavailable => "unavailable",
            Error::PdfUnavailable => "pdf_unavailable",
            Error::Database(e) if disk_full(e) => "insufficient_storage",
            Error::Database(e) if unreachable(e) => "unavailable",
            Error::Database(_) | Error::Internal => "internal",
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let message = match &self {
            Error::Database(e) if disk_full(e) => {
                tracing::error!(error = %e, "the database's disk is full");
                "the server has no room left to store this: tell the administrators; nothing was saved".to_owned()
            }
            Error::Database(e) if unreachable(e) => {
                tracing::error!(error = %e, "the database is unreachable or busy");
                "the database is unavailable: try again shortly".to_owned()
            }
            Error::Database(e) => {
                tracing::error!(error = %e, "database error");
                "internal error".to_owned()
            }
            other => other.to_string(),
        };
        let fields = match self {
            Error::Invalid(ref fields) => fields.clone(),
            _ => FieldErrors::new(),
        };
        let problems = match self {
            Error::PublicationProblems(ref problems) => problems.clone(),
            _ => Vec::new(),
        };
        let body = ApiErrorBody { code: self.code().to_owned(), message, fields, problems };
        let mut response = (self.status(), Json(body)).into_response();
        match self {
            Error::TooManyAttempts { retry_after } => {
                response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(retry_after));
            }
            // Where the upload stands, so a tus client resumes without asking (tus 1.0).
            Error::File(FileError::Offset(at)) => {
                response.headers_mut().insert("upload-offset", HeaderValue::from(at));
            }
            Error::File(FileError::TusVersion) => {
                response.headers_mut().insert("tus-version", HeaderValue::from_static("1.0.0"));
            }
            Error::File(FileError::Range { size }) => {
                if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                    response.headers_mut().insert(axum::http::header::CONTENT_RANGE, v);
                }
            }
            _ => {}
        }
        response
    }
}

impl Error {
    /// The workflow's refusal of an action on a sheet of `year`.
    pub fn refused(refusal: Refusal, year: Year) -> Self {
        match refusal {
            Refusal::Forbidden => Error::Forbidden,
            Refusal::WrongState(state) => Error::WrongState(state),
            Refusal::YearClosed => Error::YearClosed(year),
        }
    }
}

/// `Ok` when nothing is wrong, else 422 with the field map.
pub fn valid(errors: FieldErrors) -> Result<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// A failure of the machinery (serializing, hashing, writing a file): logs it as `what`,
/// then answers 500 without details. For `map_err`.
pub fn internal<E: std::fmt::Display>(what: &'static str) -> impl FnOnce(E) -> Error {
    move |e| {
        tracing::error!(error = %e, "{what}");
        Error::Internal
    }
}

/// The database cannot be reached or is busy (no connection within the pool's timeout, a
/// dropped connection, PostgreSQL shutting down, starting up, full, or taken offline; SQLite's
/// write lock held by another process past the busy timeout, a PostgreSQL lock timeout): not a
/// fault of the request nor of the data, and worth trying again.
/// The database has no room for a write: SQLite's SQLITE_FULL, PostgreSQL's `disk_full`
/// (53100). 507 with a message, never 500: an administrator can act on it.
fn disk_full(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                code.parse::<i32>().is_ok_and(|c| c & 0xff == 13)
            } else {
                code == "53100"
            }
        }
        _ => false,
    }
}

fn unreachable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => true,
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // SQLITE_BUSY and SQLITE_LOCKED, with their extended codes (the low byte).
                code.parse::<i32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6))
            } else {
                // SQLSTATE classes 08 (connection), 53 (insufficient resources), 57 (operator
                // intervention); 55000 is what a database closed to connections answers, 55P03
                // a lock not had within `lock_timeout`.
                code.starts_with("08")
                    || code.starts_with("53")
                    || code.starts_with("57")
                    || code == "55000"
                    || code == "55P03"
            }
        }
        _ => false,
    }
}

/// What a JSON endpoint reads.
pub const JSON: &str = "JSON (Content-Type: application/json)";

fn ids(ids: &[CriterionId]) -> String {
    ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// "invalid input: scores.12.self_score (cannot be above 30)", for people and logs.
fn invalid_message(fields: &FieldErrors) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|(field, errors)| {
            let what: Vec<String> = errors.iter().map(ToString::to_string).collect();
            format!("{field} ({})", what.join(", "))
        })
        .collect();
    format!("invalid input: {}", parts.join("; "))
}

impl From<LookupError> for Error {
    fn from(e: LookupError) -> Self {
        match e {
            LookupError::YearNotFound(year) => Error::YearNotFound(year),
            LookupError::BlocNotFound { year, bloc_id } => Error::BlocNotFound { year, bloc_id },
            LookupError::Database(e) => Error::Database(e),
        }
    }
}

/// axum answers a bad path parameter in plain text; ours is JSON like every other error.
impl From<PathRejection> for Error {
    fn from(rejection: PathRejection) -> Self {
        Error::BadRequest(rejection.body_text())
    }
}

impl From<QueryRejection> for Error {
    fn from(rejection: QueryRejection) -> Self {
        Error::BadRequest(rejection.body_text())
    }
}

/// Every way a JSON body can fail before its shape is read, as our JSON error: broken syntax
/// a 400, a missing content type a 415, too much a 413 (the shape: `from_json`).
impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            // Any JSON is a `Value`: the data errors come from `from_json`.
            JsonRejection::JsonDataError(e) => Error::BadRequest(e.body_text()),
            JsonRejection::JsonSyntaxError(e) => Error::BadRequest(e.body_text()),
            JsonRejection::MissingJsonContentType(_) => Error::UnsupportedMediaType(JSON),
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Error::PayloadTooLarge,
            other => Error::BadRequest(other.body_text()),
        }
    }
}

/// `T` from a JSON body, or 422 naming the field: its type is wrong (`invalid`), it is
/// missing (`required`), or the input has no such field (`unknown_field`). A number with no
/// fraction is an integer however it is written (`2.0`, `2e3`), as JSON Schema's `integer`
/// says, so integer fields take it.
///
/// An object of the input is only ever an object, and has no fields but its own: serde would
/// also read a struct from an array of its fields in order (`[null, null]`), and a variant
/// without fields from an object with any, which the document does not allow.
pub fn from_json<T: serde::de::DeserializeOwned + serde::Serialize>(body: &serde_json::Value) -> Result<T> {
    let mut body = body.clone();
    integral_numbers_as_integers(&mut body);
    let body = &body;
    let value: T = serde_path_to_error::deserialize(body).map_err(|e| {
        let path: Vec<serde_path_to_error::Segment> = e.path().iter().cloned().collect();
        Error::Invalid(data_error_fields(body, &path, &e.inner().to_string()))
    })?;
    let read = serde_json::to_value(&value).map_err(internal("cannot write an input back as JSON"))?;
    let mut path = Vec::new();
    if let Some(error) = read_otherwise(body, &read, &mut path) {
        let mut fields = FieldErrors::new();
        let at = field_path(body, &path);
        push(&mut fields, if at.is_empty() { "body".to_owned() } else { at }, error);
        return Err(Error::Invalid(fields));
    }
    Ok(value)
}

/// Where what was sent differs from what it was read as (`read`, the input written back):
/// an array read as an object (`invalid`), or a field with a value that was not read at all
/// (`unknown_field`: serde lets a variant without fields, such as `{"kind":
/// "approved_sheet"}`, take any). `path` then leads to it. A `null` left out is no
/// difference (an absent optional field is not written back).
fn read_otherwise(
    sent: &serde_json::Value,
    read: &serde_json::Value,
    path: &mut Vec<serde_path_to_error::Segment>,
) -> Option<FieldError> {
    use serde_json::Value;
    use serde_path_to_error::Segment;
    match (sent, read) {
        (Value::Array(_), Value::Object(_)) => Some(FieldError::Invalid),
        (Value::Object(sent), Value::Object(read)) => sent.iter().find_map(|(key, value)| {
            let inner = read.get(key);
            if inner.is_none() && value.is_null() {
                return None;
            }
            path.push(Segment::Map { key: key.clone() });
            let found = match inner {
                Some(inner) => read_otherwise(value, inner, path),
                None => Some(FieldError::UnknownField),
            };
            if found.is_none() {
                path.pop();
            }
            found
        }),
        (Value::Array(sent), Value::Array(read)) => {
            sent.iter().zip(read).enumerate().find_map(|(index, (value, inner))| {
                path.push(Segment::Seq { index });
                let found = read_otherwise(value, inner, path);
                if found.is_none() {
                    path.pop();
                }
                found
            })
        }
        _ => None,
    }
}

/// Rewrites every float with no fractional part that fits an `i64` as that integer.
fn integral_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            // -2^63 ≤ f < 2^63: exactly the floats an i64 holds.
            let whole = n
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= -9.223_372_036_854_776e18 && *f < 9.223_372_036_854_776e18);
            if let Some(f) = whole {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(integral_numbers_as_integers),
        _ => {}
    }
}

/// The one scheme of field paths, for serde's errors and the domain's rule errors alike: the
/// JSON path from the body's root, dotted; an array item by its index (`bonuses.0.reason`,
/// `tally.votes.2.votes`), except the items of `scores`, by their `criterion_id`
/// (`scores.28.self_score`), which is what a criterion is known by on every side.
pub fn field_path(body: &serde_json::Value, path: &[serde_path_to_error::Segment]) -> String {
    use serde_path_to_error::Segment;
    let mut parts: Vec<String> = Vec::new();
    let mut node = Some(body);
    for segment in path {
        match segment {
            Segment::Map { key } => {
                node = node.and_then(|n| n.get(key));
                parts.push(key.clone());
            }
            Segment::Seq { index } => {
                let item = node.and_then(|n| n.get(index));
                let id = (parts.last().map(String::as_str) == Some("scores"))
                    .then(|| item.and_then(|i| i.get("criterion_id")).and_then(serde_json::Value::as_i64))
                    .flatten();
                parts.push(id.map_or_else(|| index.to_string(), |id| id.to_string()));
                node = item;
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    parts.join(".")
}

/// What serde's `message` says about the field at `path`: a missing or unknown field is named
/// itself (`{path}.{field}`); any other error is about `path` (`body` at the root).
fn data_error_fields(body: &serde_json::Value, path: &[serde_path_to_error::Segment], message: &str) -> FieldErrors {
    let at = field_path(body, path);
    let named = |prefix: &str| message.strip_prefix(prefix).and_then(|rest| rest.split_once('`')).map(|(f, _)| f);
    // serde_path_to_error's path of an unknown field already ends with its name.
    let join = |field: &str| match path.last() {
        Some(serde_path_to_error::Segment::Map { key }) if key == field => at.clone(),
        _ if at.is_empty() => field.to_owned(),
        _ => format!("{at}.{field}"),
    };
    let mut fields = FieldErrors::new();
    if let Some(field) = named("missing field `") {
        push(&mut fields, join(field), FieldError::Required);
    } else if let Some(field) = named("unknown field `") {
        push(&mut fields, join(field), FieldError::UnknownField);
    } else if at.is_empty() {
        push(&mut fields, "body", FieldError::Invalid);
    } else {
        push(&mut fields, at, FieldError::Invalid);
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(e: Error) -> (StatusCode, ApiErrorBody) {
        let response = e.into_response();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn unprocessable_carries_the_field_map() {
        let step = thidua_domain::Points::from_hundredths(50);
        let fields = FieldErrors::from([("scores.12.self_score".to_owned(), vec![FieldError::OffStep { step }])]);
        let (status, b) = body(Error::Invalid(fields.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(b.code, "invalid_input");
        assert_eq!(b.fields, fields);
        assert_eq!(b.message, "invalid input: scores.12.self_score (must be a multiple of 0.5)");
    }

    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Score {
        criterion_id: i64,
        self_score: Option<f64>,
    }

    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        base_version: i64,
        scores: Vec<Score>,
        #[serde(default)]
        votes: Vec<Score>,
    }

    fn fields_of(json: serde_json::Value) -> FieldErrors {
        match from_json::<Body>(&json) {
            Err(Error::Invalid(fields)) => fields,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn json_data_errors_name_their_field_in_the_one_scheme() {
        let one = |field: &str, e| FieldErrors::from([(field.to_owned(), vec![e])]);
        let score = serde_json::json!({"criterion_id": 28, "self_score": "abc"});
        // A score by its criterion, like the domain's rule errors; other lists by index.
        assert_eq!(
            fields_of(serde_json::json!({"base_version": 1, "scores": [score]})),
            one("scores.28.self_score", FieldError::Invalid)
        );
        assert_eq!(
            fields_of(serde_json::json!({"base_version": 1, "scores": [], "votes": [{"criterion_id": 3}, score]})),
            one("votes.1.self_score", FieldError::Invalid)
        );
        assert_eq!(fields_of(serde_json::json!({"scores": []})), one("base_version", FieldError::Required));
        assert_eq!(
            fields_of(serde_json::json!({"base_version": 1, "scores": [{"self_score": 1.0}]})),
            one("scores.0.criterion_id", FieldError::Required)
        );
        assert_eq!(
            fields_of(serde_json::json!({"base_version": 1, "scores": [], "tie_break": "x"})),
            one("tie_break", FieldError::UnknownField)
        );
        assert_eq!(
            fields_of(serde_json::json!({"base_version": 1, "scores": [{"criterion_id": 4, "extra": 1}]})),
            one("scores.4.extra", FieldError::UnknownField)
        );
        assert_eq!(fields_of(serde_json::json!("x")), one("body", FieldError::Invalid));
    }

    #[test]
    fn whole_numbers_written_as_floats_are_integers() {
        #[derive(Debug, serde::Deserialize, serde::Serialize, PartialEq)]
        struct Numbers {
            id: i64,
            votes: u32,
            points: thidua_domain::Points,
        }
        let read = |json| from_json::<Numbers>(&json);
        let numbers = read(serde_json::json!({"id": 2.0, "votes": 3e1, "points": 12.0})).unwrap();
        assert_eq!(numbers, Numbers { id: 2, votes: 30, points: thidua_domain::Points::whole(12) });
        assert_eq!(read(serde_json::json!({"id": -0.0, "votes": 0, "points": 0.5})).unwrap().id, 0);
        // A fraction, or a whole number beyond any integer field, stays refused.
        let refused = |json| matches!(read(json), Err(Error::Invalid(fields)) if fields.contains_key("id"));
        assert!(refused(serde_json::json!({"id": 2.5, "votes": 0, "points": 0})));
        assert!(refused(serde_json::json!({"id": 1e19, "votes": 0, "points": 0})));
    }

    #[test]
    fn an_object_is_never_read_from_an_array() {
        assert_eq!(
            fields_of(serde_json::json!([1, []])),
            FieldErrors::from([("body".to_owned(), vec![FieldError::Invalid])])
        );
        let nested = serde_json::json!({"base_version": 1, "scores": [[28, 1.5]]});
        assert_eq!(fields_of(nested), FieldErrors::from([("scores.0".to_owned(), vec![FieldError::Invalid])]));
        assert!(from_json::<Body>(&serde_json::json!({"base_version": 1, "scores": [{"criterion_id": 28}]})).is_ok());
    }

    #[test]
    fn a_variant_without_fields_takes_no_fields_either() {
        use thidua_domain::award_types::Eligibility;
        #[derive(Debug, serde::Deserialize, serde::Serialize)]
        #[serde(deny_unknown_fields)]
        struct Rules {
            eligibility: Vec<Eligibility>,
            open: Option<bool>,
        }
        let read = |json| from_json::<Rules>(&json);
        assert!(read(serde_json::json!({"eligibility": [{"kind": "approved_sheet"}], "open": null})).is_ok());
        let extra =
            serde_json::json!({"eligibility": [{"kind": "max_rank", "rank": 1}, {"kind": "approved_sheet", "x": 1}]});
        match read(extra) {
            Err(Error::Invalid(fields)) => {
                assert_eq!(fields, FieldErrors::from([("eligibility.1.x".to_owned(), vec![FieldError::UnknownField])]))
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn too_many_attempts_says_when_to_retry() {
        let response = Error::TooManyAttempts { retry_after: 120 }.into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[RETRY_AFTER], "120");
    }

    #[tokio::test]
    async fn database_errors_do_not_leak_details() {
        let (status, b) = body(Error::Database(sqlx::Error::RowNotFound)).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!((b.code.as_str(), b.message.as_str()), ("internal", "internal error"));
        assert!(b.fields.is_empty());
    }

    /// A real SQLite that runs out of room (its page limit stands for the disk): 507 with a
    /// message an administrator can act on, never 500.
    #[tokio::test]
    async fn a_full_disk_is_507_not_500() {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:").await.unwrap();
        sqlx::query("CREATE TABLE chunks (data BLOB)").execute(&mut conn).await.unwrap();
        sqlx::query("PRAGMA max_page_count = 8").execute(&mut conn).await.unwrap();
        let full = sqlx::query("INSERT INTO chunks VALUES (zeroblob(1000000))").execute(&mut conn).await.unwrap_err();
        let (status, b) = body(Error::Database(full)).await;
        assert_eq!((status, b.code.as_str()), (StatusCode::INSUFFICIENT_STORAGE, "insufficient_storage"));
        assert!(b.message.contains("no room left"), "{}", b.message);
    }

    #[tokio::test]
    async fn an_unreachable_database_is_503_not_500() {
        let (status, b) = body(Error::Database(sqlx::Error::PoolTimedOut)).await;
        assert_eq!((status, b.code.as_str()), (StatusCode::SERVICE_UNAVAILABLE, "unavailable"));
    }
}
