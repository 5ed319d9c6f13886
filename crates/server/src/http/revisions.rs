//! Published results as stored revisions: `GET …/results` answers the latest one's bytes, each
//! revision has its own permanent URL, the list says what changed and why, and the diff
//! compares two. Revisions are held in memory once read (`revision_cache.rs`).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use thidua_domain::error::ApiErrorBody;
use thidua_domain::results::BlocResults;
use thidua_domain::revisions::{diff, summary, ResultsDiff, RevisionEntry, RevisionKind, RevisionNumber};
use thidua_domain::{BlocId, Year};

use super::error::{internal, Error, Result};
use super::etag;
use crate::db::Conn;
use crate::http::extract::{Json, Path, Query};
use crate::http::params::{BlocPath, DiffQuery, RevisionPath};
use crate::http::revision_cache::Served;
use crate::http::state::{begin_read, AppState};
use crate::revisions::parse;
use crate::store::revisions::{self as stored};
use crate::store::{self};

/// The latest revision's URL: a CDN or browser keeps it a minute, then may serve it up to
/// ten more while it asks again (`If-None-Match`: a 304 when nothing changed). A correction
/// therefore reaches every reader within about a minute of the first request after it.
pub const LATEST_CACHE: &str = "public, max-age=60, stale-while-revalidate=600";
/// A numbered revision never changes.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The latest revision of the bloc-year (`None` if it was never published).
pub async fn latest(state: &AppState, year: Year, bloc_id: BlocId) -> Result<Option<Arc<Served>>> {
    let key = (year, bloc_id);
    if let Some(hit) = state.revisions.fresh_latest(key) {
        return Ok(hit);
    }
    let mut conn = state.db.acquire().await?;
    let served = stored::latest(&mut conn, year, bloc_id).await?.map(Served::of).transpose()?.map(Arc::new);
    // Only bloc-years that have revisions are remembered, so the map is bounded by the
    // database: a request for any other year or bloc asks the database each time.
    if served.is_some() {
        state.revisions.remember_latest(key, served.clone());
    }
    Ok(served)
}

async fn numbered(state: &AppState, year: Year, bloc_id: BlocId, number: RevisionNumber) -> Result<Arc<Served>> {
    let key = (year, bloc_id, number);
    if let Some(hit) = state.revisions.numbered(key) {
        return Ok(hit);
    }
    let mut tx = begin_read(state).await?;
    store::bloc_year(&mut tx, year, bloc_id).await?;
    let found = stored::revision(&mut tx, year, bloc_id, number).await?.ok_or(Error::RevisionNotFound(number))?;
    let served = Arc::new(Served::of(found)?);
    state.revisions.remember_numbered(key, served.clone());
    Ok(served)
}

/// After a successful write through this server, the latest revisions are read again.
pub async fn forget_after_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let write = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let response = next.run(request).await;
    if write && response.status().is_success() {
        state.revisions.forget_latest();
    }
    response
}

/// A revision's bytes as the answer: `ETag`, `Cache-Control`, and 304 when the client has them.
pub fn answer(served: &Served, request: &HeaderMap, cache_control: &'static str) -> Response {
    let (Some(body), Some(etag)) = (&served.body, &served.etag) else {
        return Error::RevisionNotFound(served.number).into_response();
    };
    let cache = HeaderValue::from_static(cache_control);
    if etag::not_modified(request, etag) {
        return (StatusCode::NOT_MODIFIED, [(ETAG, etag.clone()), (CACHE_CONTROL, cache)]).into_response();
    }
    let json = HeaderValue::from_static("application/json");
    ([(CONTENT_TYPE, json), (ETAG, etag.clone()), (CACHE_CONTROL, cache)], Body::from(body.clone())).into_response()
}

/// The results of a revision that has them (404 `withdrawn` otherwise).
fn withdrawn(year: Year, bloc_id: BlocId, served: &Served) -> Error {
    Error::Withdrawn { year, bloc_id, reason: served.reason.clone() }
}

fn results_of(year: Year, bloc_id: BlocId, served: &Served) -> Result<BlocResults> {
    let body = served.body.as_ref().ok_or_else(|| withdrawn(year, bloc_id, served))?;
    serde_json::from_slice(body).map_err(internal("a stored revision is not results JSON"))
}

/// The published results as the latest revision holds them (for the downloads and the
/// history), `None` when the bloc-year is not published now.
pub async fn published_results(state: &AppState, year: Year, bloc_id: BlocId) -> Result<Option<BlocResults>> {
    match latest(state, year, bloc_id).await? {
        Some(served) if served.kind != RevisionKind::Withdrawn => Ok(Some(results_of(year, bloc_id, &served)?)),
        _ => Ok(None),
    }
}

/// The refusal for a bloc-year that is not published now: `withdrawn` with its reason when
/// its latest revision is a withdrawal, `not_published` when it never was.
pub async fn unpublished_refusal(state: &AppState, year: Year, bloc_id: BlocId) -> Result<Error> {
    Ok(match latest(state, year, bloc_id).await? {
        Some(served) if served.kind == RevisionKind::Withdrawn => withdrawn(year, bloc_id, &served),
        _ => Error::NotPublished { year, bloc_id },
    })
}

/// The revisions of the bloc's results, newest first: number, date, kind (`published`,
/// `revised`, `withdrawn`), who, the reason and a one-line summary of what changed since the
/// revision before. Public (empty while never published); withdrawals stay listed, with
/// their reason.
#[utoipa::path(
    get,
    path = "/api/years/{year}/blocs/{bloc_id}/results/revisions",
    tag = "blocs",
    params(BlocPath),
    responses(
        (status = 200, description = "Every revision, newest first; `Cache-Control: public, max-age=60, stale-while-revalidate=600`", body = [RevisionEntry]),
        (status = 400, description = "`bad_request`: a parameter is not a number", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
    )
)]
pub async fn list_revisions(
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
) -> Result<Response> {
    let mut tx = begin_read(&state).await?;
    store::bloc_year(&mut tx, year, bloc_id).await?;
    let list = stored::list(&mut tx, year, bloc_id).await?;
    let mut response = Json(list).into_response();
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(LATEST_CACHE));
    Ok(response)
}

/// One revision of the bloc's results, exactly as it was stored and served: the results JSON
/// with its `revision` stamp (number, date, kind, reason). Permanent and immutable, with an
/// `ETag`; a withdrawal has no results (404 `withdrawn`, its reason in `message`).
#[utoipa::path(
    get,
    path = "/api/years/{year}/blocs/{bloc_id}/results/revisions/{number}",
    tag = "blocs",
    params(RevisionPath),
    responses(
        (status = 200, description = "The revision's results; `Cache-Control: public, max-age=31536000, immutable`, `ETag`", body = BlocResults),
        (status = 304, description = "`If-None-Match` names its ETag"),
        (status = 400, description = "`bad_request`: a parameter is not a number", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`, `bloc_not_found`, `revision_not_found`, or `withdrawn` (a withdrawal)", body = ApiErrorBody),
    )
)]
pub async fn get_revision(
    State(state): State<AppState>,
    Path(RevisionPath { year, bloc_id, number }): Path<RevisionPath>,
    headers: HeaderMap,
) -> Result<Response> {
    let served = numbered(&state, year, bloc_id, number).await?;
    if served.kind == RevisionKind::Withdrawn {
        return Err(withdrawn(year, bloc_id, &served));
    }
    Ok(answer(&served, &headers, IMMUTABLE))
}

/// What changed between two revisions (`from` older, `to` newer, any two that have results):
/// the units whose rank, total, proposal or decision changed, before and after, and the
/// one-line summary (`thidua_domain::revisions::diff`). Immutable like the revisions.
#[utoipa::path(
    get,
    path = "/api/years/{year}/blocs/{bloc_id}/results/diff",
    tag = "blocs",
    params(BlocPath, DiffQuery),
    responses(
        (status = 200, description = "The changed units; `Cache-Control: public, max-age=31536000, immutable`", body = ResultsDiff),
        (status = 400, description = "`bad_request`: a parameter is missing or not a number", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`, `bloc_not_found`, `revision_not_found`, or `withdrawn` (one of them is a withdrawal)", body = ApiErrorBody),
    )
)]
pub async fn diff_revisions(
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
    Query(DiffQuery { from, to }): Query<DiffQuery>,
) -> Result<Response> {
    let old = results_of(year, bloc_id, &*numbered(&state, year, bloc_id, from).await?)?;
    let new = results_of(year, bloc_id, &*numbered(&state, year, bloc_id, to).await?)?;
    let units = diff(&old, &new);
    let body = ResultsDiff { from, to, summary: summary(&units), units };
    let mut response = Json(body).into_response();
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    Ok(response)
}

/// The results a unit's history reads: the latest published revision of each bloc-year.
pub async fn published_in(conn: &mut Conn, year: Year, bloc_id: BlocId) -> Result<Option<BlocResults>> {
    let found = stored::latest_with_results(conn, year, bloc_id).await?;
    Ok(match found {
        Some(s) => parse(&s)?,
        None => None,
    })
}
