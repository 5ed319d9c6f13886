//! `/api/years/{year}/blocs…`: the blocs of a year, one bloc, and its results.

use axum::extract::State;
use axum::Json;
use thidua_domain::error::ApiErrorBody;
use thidua_domain::model::{BlocDetail, BlocSummary};
use thidua_domain::results::BlocResults;
use thidua_domain::{BlocId, Year};

use super::error::Result;
use super::{AppState, Path};
use crate::store;

/// The blocs of a year with their member count and leader.
#[utoipa::path(
    get,
    path = "/api/years/{year}/blocs",
    tag = "blocs",
    params(("year" = i32, Path, description = "The emulation year, e.g. 2018")),
    responses(
        (status = 200, description = "The blocs of the year", body = [BlocSummary]),
        (status = 400, description = "`bad_request`: the year is not a number", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`", body = ApiErrorBody),
    )
)]
pub async fn list_blocs(State(state): State<AppState>, Path(year): Path<Year>) -> Result<Json<Vec<BlocSummary>>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(store::blocs(&mut conn, year).await?))
}

/// One bloc in one year: members in order, leader, deputy and pact.
#[utoipa::path(
    get,
    path = "/api/years/{year}/blocs/{bloc_id}",
    tag = "blocs",
    params(
        ("year" = i32, Path, description = "The emulation year, e.g. 2018"),
        ("bloc_id" = i64, Path, description = "The bloc's id"),
    ),
    responses(
        (status = 200, description = "The bloc in that year", body = BlocDetail),
        (status = 400, description = "`bad_request`: a parameter is not a number", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`, or `bloc_not_found` (also for a bloc without that year)", body = ApiErrorBody),
    )
)]
pub async fn bloc_detail(
    State(state): State<AppState>,
    Path((year, bloc_id)): Path<(Year, BlocId)>,
) -> Result<Json<BlocDetail>> {
    let mut tx = state.db.begin().await?;
    Ok(Json(store::bloc_detail(&mut tx, year, bloc_id).await?))
}

/// The bloc's results for the year: ranking on verified scores with section subtotals,
/// and the award proposals grouped by award type. Computed by `thidua_domain::results`.
#[utoipa::path(
    get,
    path = "/api/years/{year}/blocs/{bloc_id}/results",
    tag = "blocs",
    params(
        ("year" = i32, Path, description = "The emulation year, e.g. 2018"),
        ("bloc_id" = i64, Path, description = "The bloc's id"),
    ),
    responses(
        (status = 200, description = "Ranking, totals and proposals", body = BlocResults),
        (status = 400, description = "`bad_request`: a parameter is not a number", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
    )
)]
pub async fn bloc_results(
    State(state): State<AppState>,
    Path((year, bloc_id)): Path<(Year, BlocId)>,
) -> Result<Json<BlocResults>> {
    // One read transaction: every part of the results comes from the same state.
    let mut tx = state.db.begin().await?;
    Ok(Json(store::results(&mut tx, year, bloc_id).await?))
}
