//! The one error type of the API. Every failure answers JSON in the shape of
//! `thidua_domain::error::ApiErrorBody`, whose `code` clients may rely on.

use axum::extract::rejection::PathRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use thidua_domain::error::{ApiErrorBody, FieldErrors};
use thidua_domain::{BlocId, Year};

use crate::store::LookupError;

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
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 422: well-formed but invalid input, with what is wrong with each field.
    #[error("{}", invalid_message(.0))]
    Invalid(FieldErrors),
    /// 500: logged in full, answered without details.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::NotFound | Error::YearNotFound(_) | Error::BlocNotFound { .. } => StatusCode::NOT_FOUND,
            Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Database(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadRequest(_) => "bad_request",
            Error::NotFound => "not_found",
            Error::YearNotFound(_) => "year_not_found",
            Error::BlocNotFound { .. } => "bloc_not_found",
            Error::MethodNotAllowed => "method_not_allowed",
            Error::Invalid(_) => "invalid_input",
            Error::Database(_) => "internal",
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let message = match &self {
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
        let body = ApiErrorBody { code: self.code().to_owned(), message, fields };
        (self.status(), Json(body)).into_response()
    }
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

#[cfg(test)]
mod tests {
    use thidua_domain::error::FieldError;

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

    #[tokio::test]
    async fn database_errors_do_not_leak_details() {
        let (status, b) = body(Error::Database(sqlx::Error::RowNotFound)).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!((b.code.as_str(), b.message.as_str()), ("internal", "internal error"));
        assert!(b.fields.is_empty());
    }
}
