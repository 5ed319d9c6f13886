//! `/api/admin/units…`: units with their names through the years, new units, renames, and
//! merges or retirements.

use axum::extract::State;
use axum::http::StatusCode;
use sqlx::SqliteConnection;
use thidua_domain::admin::units::{validate_unit_end, validate_unit_name, NewUnit, UnitAdmin, UnitEnd};
use thidua_domain::error::{push, ApiErrorBody, FieldError};
use thidua_domain::UnitId;

use super::{audit, unit_target};
use crate::http::auth::Staff;
use crate::http::error::{valid, Error, Result};
use crate::http::extract::{Json, Path};
use crate::http::params::UnitPath;
use crate::http::state::{begin_write, AppState};
use crate::store::admin;

/// Every unit, by id: its latest name, every name with the year it took effect (oldest
/// first), and its merge or retirement.
#[utoipa::path(
    get,
    path = "/api/admin/units",
    tag = "admin",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The units", body = [UnitAdmin]),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
    )
)]
pub async fn list_units(Staff(_): Staff, State(state): State<AppState>) -> Result<Json<Vec<UnitAdmin>>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(admin::units::units(&mut conn).await?))
}

/// A new unit, named from `from_year` on.
#[utoipa::path(
    post,
    path = "/api/admin/units",
    tag = "admin",
    request_body = NewUnit,
    security(("session_cookie" = [])),
    responses(
        (status = 201, description = "Created", body = UnitAdmin),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `name` `required`, `too_long` or `duplicate` (another unit's current name, without case or surrounding spaces); `from_year` `invalid`", body = ApiErrorBody),
    )
)]
pub async fn create_unit(
    Staff(user): Staff,
    State(state): State<AppState>,
    Json(input): Json<NewUnit>,
) -> Result<(StatusCode, Json<UnitAdmin>)> {
    let mut tx = begin_write(&state).await?;
    let names: Vec<String> = admin::units::units(&mut tx).await?.into_iter().map(|u| u.name).collect();
    valid(validate_unit_name(&input, &names))?;
    let id = admin::units::insert_unit(&mut tx, input.name.trim(), input.from_year).await?;
    audit(&mut tx, &user, "create_unit", unit_target(id), &input).await?;
    let created = unit(&mut tx, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Renames a unit from a year on: that year and later show the new name, earlier years (their
/// results, the unit's history) keep the name of their time. A name given again for the same
/// year replaces it.
#[utoipa::path(
    post,
    path = "/api/admin/units/{id}/names",
    tag = "admin",
    params(UnitPath),
    request_body = NewUnit,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Renamed", body = UnitAdmin),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`unit_not_found`", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `name` `required`, `too_long` or `duplicate` (another unit's current name); `from_year` `invalid`", body = ApiErrorBody),
    )
)]
pub async fn rename_unit(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(UnitPath { id }): Path<UnitPath>,
    Json(input): Json<NewUnit>,
) -> Result<Json<UnitAdmin>> {
    let mut tx = begin_write(&state).await?;
    let units = units_with(&mut tx, id).await?;
    let others: Vec<String> = units.into_iter().filter(|u| u.id != id).map(|u| u.name).collect();
    valid(validate_unit_name(&input, &others))?;
    admin::units::put_unit_name(&mut tx, id, input.from_year, input.name.trim()).await?;
    audit(&mut tx, &user, "rename_unit", unit_target(id), &input).await?;
    let renamed = unit(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(renamed))
}

/// Merges the unit into another (`merged_into`) or retires it (`null`) from a year on; a
/// second end replaces the first. Years copied from then on follow it
/// (`thidua_domain::admin::units::successor`); the years already set up are left as they are.
#[utoipa::path(
    post,
    path = "/api/admin/units/{id}/end",
    tag = "admin",
    params(UnitPath),
    request_body = UnitEnd,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Recorded", body = UnitAdmin),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`unit_not_found`", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `unit_id` `invalid` (not the unit of the path); `from_year` `invalid`; `merged_into` `invalid` (itself, no such unit, or a cycle of merges)", body = ApiErrorBody),
    )
)]
pub async fn end_unit(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(UnitPath { id }): Path<UnitPath>,
    Json(end): Json<UnitEnd>,
) -> Result<Json<UnitAdmin>> {
    let mut tx = begin_write(&state).await?;
    let units = units_with(&mut tx, id).await?;
    let ids: Vec<UnitId> = units.iter().map(|u| u.id).collect();
    // This end replaces the unit's earlier one, if any.
    let others: Vec<UnitEnd> = units.iter().filter_map(|u| u.end).filter(|e| e.unit_id != id).collect();
    let mut errors = validate_unit_end(&end, &ids, &others);
    if end.unit_id != id {
        push(&mut errors, "unit_id", FieldError::Invalid);
    }
    valid(errors)?;
    admin::units::put_unit_end(&mut tx, &end).await?;
    audit(&mut tx, &user, "end_unit", unit_target(id), &end).await?;
    let ended = unit(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(ended))
}

/// The unit, or 404 `unit_not_found`.
async fn unit(conn: &mut SqliteConnection, id: UnitId) -> Result<UnitAdmin> {
    admin::units::unit(conn, id).await?.ok_or(Error::UnitNotFound(id))
}

/// Every unit, or 404 `unit_not_found` when `id` is not among them.
async fn units_with(conn: &mut SqliteConnection, id: UnitId) -> Result<Vec<UnitAdmin>> {
    let units = admin::units::units(conn).await?;
    if !units.iter().any(|u| u.id == id) {
        return Err(Error::UnitNotFound(id));
    }
    Ok(units)
}
