//! What handlers read from a request and write back: path, query and JSON extractors that
//! answer our JSON errors, a file to download, and the JSON an audit trail keeps.

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::http::error::{self, Error, Result};

/// A file to download: `body` with its content type and `Content-Disposition: attachment`.
pub fn attachment(body: Vec<u8>, content_type: &'static str, filename: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Our file names are ASCII letters, digits, `-` and `.`: always a valid header value.
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    response
}

/// What a write changed, as an audit trail keeps it: the JSON of `value`.
pub fn audit_json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(error::internal("cannot write the audit entry"))
}

/// `axum::extract::Path`, but a malformed parameter answers our JSON `bad_request`, and a
/// whole number written with a zero fraction (`2018.0`) is that integer, as in JSON bodies.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) => {
                let pairs = axum::extract::Path::<Vec<(String, String)>>::from_request_parts(parts, state).await;
                pairs.ok().and_then(|p| with_whole_numbers(p.0)).map(Path).ok_or_else(|| rejection.into())
            }
        }
    }
}

/// `axum::extract::Query`, but a malformed parameter answers our JSON `bad_request`, and a
/// whole number written with a zero fraction is that integer (as `Path`).
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => {
                let pairs = axum::extract::Query::<Vec<(String, String)>>::from_request_parts(parts, state).await;
                pairs.ok().and_then(|p| with_whole_numbers(p.0)).map(Query).ok_or_else(|| rejection.into())
            }
        }
    }
}

/// `T` from parameters once those written as whole decimals (`2018.0`, `2e3`) are read as
/// integers; `None` if that does not make them fit either.
fn with_whole_numbers<T: DeserializeOwned>(pairs: Vec<(String, String)>) -> Option<T> {
    let mut changed = false;
    let fields = pairs.into_iter().map(|(name, text)| {
        let whole =
            text.parse::<f64>().ok().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15 && text.parse::<i64>().is_err());
        let value = match whole {
            Some(f) => {
                changed = true;
                serde_json::Value::from(f as i64)
            }
            None => text.parse::<i64>().map_or(serde_json::Value::String(text), serde_json::Value::from),
        };
        (name, value)
    });
    let object: serde_json::Map<String, serde_json::Value> = fields.collect();
    if !changed {
        return None;
    }
    serde_json::from_value(serde_json::Value::Object(object)).ok()
}

/// `axum::Json`, but every rejection is our JSON error (see `Error: From<JsonRejection>`):
/// 400 broken JSON, 415, 413, and 422 on the field whose data has the wrong type, is missing
/// or is not known (every input refuses unknown fields), named in the one field-path scheme
/// of `error::field_path`, the same as the domain's rule errors.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + Serialize, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = Error;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self> {
        // The body as JSON first (content type, size, syntax), then as `T`: the paths of
        // its errors are read against the body itself.
        let axum::Json(value) = axum::Json::<serde_json::Value>::from_request(req, state).await?;
        Ok(Json(error::from_json(&value)?))
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}
