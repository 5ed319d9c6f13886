//! `/api/admin/years…`: the years, a new one (copied from an earlier one or empty), and
//! opening or closing a year for scoring.

use std::collections::HashMap;

use crate::db::Conn;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::json;
use thidua_domain::admin::years::{
    blocs_to_copy, check_year_update, copy_setup, validate_new_year, NewYear, YearAdmin, YearUpdate, YearUpdateRefusal,
};
use thidua_domain::criteria::CriteriaTable;
use thidua_domain::error::ApiErrorBody;
use thidua_domain::{BlocId, Year};

use super::{audit, year_target};
use crate::http::auth::Staff;
use crate::http::error::{valid, Error, Result};
use crate::http::extract::{Json, Path};
use crate::http::params::YearPath;
use crate::http::state::{begin_write, AppState};
use crate::store::admin::{self, blocs::NewBlocYear};
use crate::store::{self, awards};

/// Every year, newest first: open for scoring or closed, and how many blocs it has.
#[utoipa::path(
    get,
    path = "/api/admin/years",
    tag = "admin",
    // Not `list_years`: that is the public list's id, and operation ids are unique.
    operation_id = "list_admin_years",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The years, newest first", body = [YearAdmin]),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
    )
)]
pub async fn list_years(Staff(_): Staff, State(state): State<AppState>) -> Result<Json<Vec<YearAdmin>>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(admin::years::years(&mut conn).await?))
}

/// Creates a year, open for scoring. With `copy_from`, it starts as a copy of that year
/// (`thidua_domain::admin::years::copy_setup`): every bloc with its members in order (a merged unit
/// replaced by the unit it joined, a retired one left out), leader and deputy (unless they
/// left), criteria (as new criteria) and bonus cap; the award types with their rules; the
/// tie-break rule; an empty draft sheet for every member. Never the pact, scores, tally,
/// overrides, decisions or publication. `blocs` copies only those of `copy_from`'s blocs.
/// Without `copy_from`, `award_types_from` starts the year with that year's award types.
#[utoipa::path(
    post,
    path = "/api/admin/years",
    tag = "admin",
    request_body = NewYear,
    security(("session_cookie" = [])),
    responses(
        (status = 201, description = "Created", body = YearAdmin),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `year` `invalid` (outside 2000–2100) or `duplicate`; `copy_from` `invalid` (no such year); `blocs` `invalid` (without `copy_from`) or `required` (empty), `blocs.{i}` `invalid` (not a bloc of `copy_from`) or `duplicate`; `award_types_from` `invalid` (with `copy_from`, or no such year)", body = ApiErrorBody),
    )
)]
pub async fn create_year(
    Staff(user): Staff,
    State(state): State<AppState>,
    Json(input): Json<NewYear>,
) -> Result<(StatusCode, Json<YearAdmin>)> {
    let mut tx = begin_write(&state).await?;
    let existing: Vec<Year> = admin::years::years(&mut tx).await?.into_iter().map(|y| y.year).collect();
    let source_blocs = match input.copy_from {
        Some(from) if existing.contains(&from) => admin::blocs::bloc_ids(&mut tx, from).await?,
        _ => Vec::new(),
    };
    valid(validate_new_year(&input, &existing, &source_blocs))?;
    admin::years::insert_year(&mut tx, input.year, input.copy_from).await?;
    let (blocs, award_types) = match input.copy_from {
        Some(from) => copy_year(&mut tx, from, input.year, &blocs_to_copy(&input, &source_blocs)).await?,
        None => (Vec::new(), 0),
    };
    let award_types = match input.award_types_from {
        Some(from) => copy_award_types(&mut tx, from, input.year).await?,
        None => award_types,
    };
    let detail = json!({"input": input, "blocs": blocs, "award_types": award_types});
    audit(&mut tx, &user, "create_year", year_target(input.year), &detail).await?;
    let created = admin::years::year(&mut tx, input.year).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Copies `from`'s set-up of `blocs` into the new `year`, and all its award types; answers
/// the blocs and the number of award types copied.
async fn copy_year(conn: &mut Conn, from: Year, year: Year, blocs: &[BlocId]) -> Result<(Vec<BlocId>, usize)> {
    let mut previous = Vec::new();
    let mut sample_data: HashMap<BlocId, bool> = HashMap::new();
    let mut names: HashMap<BlocId, String> = HashMap::new();
    for &bloc_id in blocs {
        let (setup, sample) = admin::blocs::bloc_setup(&mut *conn, from, bloc_id).await?;
        sample_data.insert(bloc_id, sample);
        names.insert(bloc_id, store::bloc_year(&mut *conn, from, bloc_id).await?.name);
        previous.push(setup);
    }
    let ends = admin::units::unit_ends(&mut *conn).await?;
    for setup in copy_setup(&previous, year, &ends) {
        let bloc = NewBlocYear {
            bloc_id: setup.bloc_id,
            leader: setup.leader,
            deputy: setup.deputy,
            bonus_cap: setup.criteria.bonus_cap,
            // Leader and deputy carried over from sample data are as illustrative as they were.
            sample_data: sample_data.get(&setup.bloc_id).copied().unwrap_or(false),
        };
        admin::blocs::insert_bloc_year(&mut *conn, year, &bloc).await?;
        // A bloc renamed in `from` keeps the new name.
        if let Some(name) = names.get(&setup.bloc_id) {
            admin::blocs::rename_bloc_year(&mut *conn, year, setup.bloc_id, name).await?;
        }
        admin::blocs::place_members(&mut *conn, year, setup.bloc_id, &setup.members).await?;
        admin::criteria::write_criteria(
            &mut *conn,
            year,
            setup.bloc_id,
            &CriteriaTable::default(),
            &setup.criteria,
            &[],
        )
        .await?;
    }
    let types = copy_award_types(conn, from, year).await?;
    Ok((previous.iter().map(|b| b.bloc_id).collect(), types))
}

/// Gives the new `year` the award types of `from`, with their rules; answers how many.
async fn copy_award_types(conn: &mut Conn, from: Year, year: Year) -> Result<usize> {
    let types = awards::award_types(&mut *conn, from).await?;
    for t in &types {
        awards::insert_award_type(&mut *conn, year, &t.input()).await?;
    }
    Ok(types.len())
}

/// Opens the year for scoring (officers may write their sheets) or closes it (read-only to
/// all but staff).
#[utoipa::path(
    put,
    path = "/api/admin/years/{year}",
    tag = "admin",
    params(YearPath),
    request_body = YearUpdate,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Saved", body = YearAdmin),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`", body = ApiErrorBody),
        (status = 409, description = "`published`: a new `tie_break` while a bloc of the year is published", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `open` not a boolean, `tie_break` not `shared_rank` or `section_order`, or an unknown field (`unknown_field`)", body = ApiErrorBody),
    )
)]
pub async fn update_year(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(YearPath { year }): Path<YearPath>,
    Json(input): Json<YearUpdate>,
) -> Result<Json<YearAdmin>> {
    let mut tx = begin_write(&state).await?;
    let current = admin::years::year(&mut tx, year).await?;
    let published = awards::year_has_published(&mut tx, year).await?;
    check_year_update(&input, current.tie_break, published).map_err(|refusal| match refusal {
        YearUpdateRefusal::Published => {
            Error::Published("a bloc of this year has published results ranked by this rule")
        }
    })?;
    if let Some(open) = input.open {
        admin::years::set_year_open(&mut tx, year, open).await?;
    }
    if let Some(rule) = input.tie_break {
        admin::years::set_tie_break(&mut tx, year, rule).await?;
    }
    audit(&mut tx, &user, "update_year", year_target(year), &input).await?;
    let saved = admin::years::year(&mut tx, year).await?;
    tx.commit().await?;
    Ok(Json(saved))
}
