//! `/api/years`

use axum::extract::State;
use axum::Json;
use thidua_domain::model::YearSummary;

use super::error::Result;
use crate::http::state::AppState;

/// The years on record, newest first.
#[utoipa::path(
    get,
    path = "/api/years",
    tag = "years",
    responses((status = 200, description = "Years, newest first, with how many blocs each has", body = [YearSummary]))
)]
pub async fn list_years(State(state): State<AppState>) -> Result<Json<Vec<YearSummary>>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(crate::store::years(&mut conn).await?))
}
