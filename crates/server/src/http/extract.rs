//! What handlers read from a request and write back: path, query and JSON extractors that
//! answer our JSON errors, a file to download, and the JSON an audit trail keeps.

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
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

/// `axum::extract::Path`, but a malformed parameter answers our JSON `bad_request`.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(Error))]
pub struct Path<T>(pub T);

/// `axum::extract::Query`, but a malformed parameter answers our JSON `bad_request`.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Error))]
pub struct Query<T>(pub T);

/// `axum::Json`, but every rejection is our JSON error (see `Error: From<JsonRejection>`):
/// 400 broken JSON, 415, 413, and 422 on the field whose data has the wrong type, is missing
/// or is not known (every input refuses unknown fields), named in the one field-path scheme
/// of `error::field_path`, the same as the domain's rule errors.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
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
