//! `/api/units/{unit_id}/history`: a unit's record across the published years.

use axum::extract::State;
use thidua_domain::error::ApiErrorBody;
use thidua_domain::history::{unit_history, UnitHistory};

use super::error::{Error, Result};
use crate::http::extract::{Json, Path};
use crate::http::params::UnitHistoryPath;
use crate::http::revisions::published_in;
use crate::http::state::{begin_read, AppState};
use crate::store::awards;

/// The unit's rank and total in every published bloc-year it was a member of, oldest first,
/// with its name as it was that year, read from the latest published revision of each (so a
/// year changes only by a visible revision). Unpublished years are never part of it.
#[utoipa::path(
    get,
    path = "/api/units/{unit_id}/history",
    tag = "units",
    params(UnitHistoryPath),
    responses(
        (status = 200, description = "The unit (as named now) and its published years", body = UnitHistory),
        (status = 404, description = "`unit_not_found`", body = ApiErrorBody),
    )
)]
pub async fn history(
    State(state): State<AppState>,
    Path(UnitHistoryPath { unit_id }): Path<UnitHistoryPath>,
) -> Result<Json<UnitHistory>> {
    let mut tx = begin_read(&state).await?;
    let unit = awards::unit(&mut tx, unit_id).await?.ok_or(Error::UnitNotFound(unit_id))?;
    let mut results = Vec::new();
    // As published: each bloc-year's latest stored revision, never a recomputation.
    for (year, bloc_id) in awards::published_memberships(&mut tx, unit_id).await? {
        results.extend(published_in(&mut tx, year, bloc_id).await?);
    }
    Ok(Json(unit_history(unit, &results)))
}
