//! `/api/years/{year}/blocs…`: the blocs of a year, one bloc, and its results.

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, VARY};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use thidua_domain::error::ApiErrorBody;
use thidua_domain::model::{BlocDetail, BlocSummary};
use thidua_domain::results::BlocResults;
use thidua_domain::revisions::RevisionKind;
use thidua_domain::tally::award_permissions;
use thidua_domain::{BlocId, Year};

use super::auth::CurrentUser;
use super::error::Result;
use super::revisions;
use crate::http::extract::Path;
use crate::http::params::{BlocPath, YearPath};
use crate::http::state::{begin_read, AppState};
use crate::store;

/// The blocs of a year with their member count and leader.
#[utoipa::path(
    get,
    path = "/api/years/{year}/blocs",
    tag = "blocs",
    params(YearPath),
    responses(
        (status = 200, description = "The blocs of the year", body = [BlocSummary]),
        (status = 404, description = "`year_not_found`", body = ApiErrorBody),
    )
)]
pub async fn list_blocs(
    State(state): State<AppState>,
    Path(YearPath { year }): Path<YearPath>,
) -> Result<Json<Vec<BlocSummary>>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(store::blocs(&mut conn, year).await?))
}

/// One bloc in one year: members in order, leader, deputy and pact.
#[utoipa::path(
    get,
    path = "/api/years/{year}/blocs/{bloc_id}",
    tag = "blocs",
    params(BlocPath),
    responses(
        (status = 200, description = "The bloc in that year", body = BlocDetail),
        (status = 404, description = "`year_not_found`, or `bloc_not_found` (also for a bloc without that year)", body = ApiErrorBody),
    )
)]
pub async fn bloc_detail(
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
) -> Result<Json<BlocDetail>> {
    let mut tx = begin_read(&state).await?;
    Ok(Json(store::bloc_detail(&mut tx, year, bloc_id).await?))
}

/// The bloc's results for the year: ranking on verified scores (approved sheets only) with
/// section subtotals and every criterion, the acclaim-vote tally, the candidates with every
/// rule they break, the proposals derived from them and the decisions. Computed by
/// `thidua_domain::results`. Published results are the latest stored revision's bytes (its
/// `revision` stamp says which), never recomputed, with an `ETag` (their SHA-256), `304` on
/// `If-None-Match`, and `Cache-Control: public, max-age=60, stale-while-revalidate=600`.
/// Unpublished results are `not_published` (or `withdrawn`, with the reason in `message`) to
/// everyone but signed-in staff and the leader unit's officer, who get a live preview
/// (`published: false`, no `revision`, `Cache-Control: no-store`).
#[utoipa::path(
    get,
    path = "/api/years/{year}/blocs/{bloc_id}/results",
    tag = "blocs",
    params(BlocPath),
    responses(
        (status = 200, description = "Ranking, totals, tally, candidates, proposals and decisions", body = BlocResults),
        (status = 304, description = "Published, and `If-None-Match` names the latest revision's ETag"),
        (status = 404, description = "`year_not_found`, `bloc_not_found`, `not_published` (not yet published; staff see a preview) or `withdrawn` (the publication was taken back; `message` gives the reason)", body = ApiErrorBody),
    )
)]
pub async fn bloc_results(
    user: Option<CurrentUser>,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
    headers: HeaderMap,
) -> Result<Response> {
    if let Some(served) = revisions::latest(&state, year, bloc_id).await? {
        if served.kind != RevisionKind::Withdrawn {
            return Ok(revisions::answer(&served, &headers, revisions::LATEST_CACHE));
        }
    }
    let results = visible_results(&state, user.as_ref(), year, bloc_id).await?;
    let preview = !results.published;
    Ok(gated(Json(results).into_response(), preview))
}

/// The results if `user` may see them: published ones (the latest stored revision) to anyone,
/// unpublished ones (computed now) to staff and to the officer of the bloc's leader unit
/// (who enters the tally).
pub(super) async fn visible_results(
    state: &AppState,
    user: Option<&CurrentUser>,
    year: Year,
    bloc_id: BlocId,
) -> Result<BlocResults> {
    if let Some(results) = revisions::published_results(state, year, bloc_id).await? {
        return Ok(results);
    }
    // One read transaction: every part of the results comes from the same state.
    let mut tx = begin_read(state).await?;
    let results = store::results(&mut tx, year, bloc_id).await?;
    let may_preview = award_permissions(user.map(|u| &u.principal), results.leader_unit_id).preview;
    if !results.published && !may_preview {
        return Err(revisions::unpublished_refusal(state, year, bloc_id).await?);
    }
    Ok(results)
}

/// Headers of an answer that depends on who asks: a staff preview is never stored.
pub(super) fn gated(mut response: Response, preview: bool) -> Response {
    let headers = response.headers_mut();
    headers.insert(VARY, HeaderValue::from_static("Cookie"));
    if preview {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
