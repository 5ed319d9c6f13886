//! `/api/admin/years/{year}/blocs…`: a new bloc in a year, and a bloc-year's set-up: members
//! in order, leader, deputy and pact.

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::json;
use thidua_domain::admin::blocs::{
    check_bloc_removal, check_bloc_setup, same_bloc_name, validate_bloc_setup, validate_new_bloc, BlocRemovalRefusal,
    BlocSetupInput, BlocSetupView, CurrentSetup, NewBloc, SetupRefusal,
};
use thidua_domain::admin::units::{name_in, successor, UnitEnd};
use thidua_domain::error::ApiErrorBody;
use thidua_domain::{Points, UnitId};

use super::{audit, bloc_target, setup_saved};
use crate::http::auth::Staff;
use crate::http::error::{valid, Error, Result};
use crate::http::extract::{Json, Path};
use crate::http::params::{BlocPath, YearPath};
use crate::http::state::{begin_read, begin_write, AppState};
use crate::store::admin::{self, blocs::NewBlocYear};
use crate::store::{self};

const PUBLISHED: &str = "the results of this bloc are published and its members or leader would change";

/// Adds a bloc to the year, without members or criteria yet. A bloc of another year with
/// the same name (without case or surrounding spaces) is taken up again, so its history
/// continues; otherwise the bloc is new.
#[utoipa::path(
    post,
    path = "/api/admin/years/{year}/blocs",
    tag = "admin",
    params(YearPath),
    request_body = NewBloc,
    security(("session_cookie" = [])),
    responses(
        (status = 201, description = "Added", body = BlocSetupView),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `name` `required`, `too_long` or `duplicate` (a bloc of the year has it)", body = ApiErrorBody),
    )
)]
pub async fn create_bloc(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(YearPath { year }): Path<YearPath>,
    Json(input): Json<NewBloc>,
) -> Result<(StatusCode, Json<BlocSetupView>)> {
    let mut tx = begin_write(&state).await?;
    let in_year: Vec<String> = store::blocs(&mut tx, year).await?.into_iter().map(|b| b.name).collect();
    valid(validate_new_bloc(&input, &in_year))?;
    let name = input.name.trim();
    let earlier =
        admin::blocs::all_blocs(&mut tx).await?.into_iter().find(|(_, n)| same_bloc_name(n, name)).map(|(id, _)| id);
    let bloc_id = match earlier {
        Some(id) => id,
        None => admin::blocs::insert_bloc(&mut tx, name).await?,
    };
    let bloc = NewBlocYear { bloc_id, leader: None, deputy: None, bonus_cap: Points::ZERO, sample_data: false };
    admin::blocs::insert_bloc_year(&mut tx, year, &bloc).await?;
    let detail = json!({"input": input, "bloc_id": bloc_id, "taken_up_again": earlier.is_some()});
    audit(&mut tx, &user, "create_bloc", bloc_target(year, bloc_id), &detail).await?;
    let view = admin::blocs::setup_view(&mut tx, year, bloc_id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The bloc-year as staff set it up: members in order with the names of that year, leader,
/// deputy, pact, the criteria tree (`CriteriaDraft`, with ids), the criteria that sheets hold
/// scores for, and the set-up `version` that writes name.
#[utoipa::path(
    get,
    path = "/api/admin/years/{year}/blocs/{bloc_id}",
    tag = "admin",
    params(BlocPath),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The set-up", body = BlocSetupView),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
    )
)]
pub async fn get_bloc(
    Staff(_): Staff,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
) -> Result<Json<BlocSetupView>> {
    let mut tx = begin_read(&state).await?;
    Ok(Json(admin::blocs::setup_view(&mut tx, year, bloc_id).await?))
}

/// Replaces the members (in this order), leader, deputy and pact, and renames the bloc from
/// this year on when `name` is given (earlier years keep their name). A unit that joins gets an
/// empty draft sheet; a unit that leaves takes its sheet with it, which it may only do while
/// nothing is recorded for it there. Checks, after 404: 422 → 409 `stale_version` → 409
/// `published` (a published bloc-year keeps its name, members and leader; order, deputy and
/// pact may change) → 409 `member_has_scores`.
#[utoipa::path(
    put,
    path = "/api/admin/years/{year}/blocs/{bloc_id}",
    tag = "admin",
    params(BlocPath),
    request_body = BlocSetupInput,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Saved; the set-up as it is now", body = BlocSetupView),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
        (status = 409, description = "`stale_version` (reload); `published`; `member_has_scores`: a unit that would leave has scores, bonus or deduction lines, votes or a decision in this bloc-year", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `name` `required`, `too_long` or `duplicate` (another bloc of the year has it); `members` `required`; `members.{i}` `invalid` (no such unit in that year: not yet named, merged or retired) or `duplicate`; `leader`, `deputy` `invalid` (not a member); `deputy` `duplicate` (the leader); `pact_signed_on` `invalid`; `pact_note` `too_long`; `pact_document_url` `not_a_link`", body = ApiErrorBody),
    )
)]
pub async fn put_bloc(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
    Json(input): Json<BlocSetupInput>,
) -> Result<Json<BlocSetupView>> {
    let mut tx = begin_write(&state).await?;
    let bloc = store::bloc_year(&mut tx, year, bloc_id).await?;
    let current: Vec<UnitId> = store::members(&mut tx, year, bloc_id).await?.into_iter().map(|u| u.id).collect();
    // The units that exist on their own that year, and the members the bloc has (who may stay).
    let units = admin::units::units(&mut tx).await?;
    let ends: Vec<UnitEnd> = units.iter().filter_map(|u| u.end).collect();
    let known: Vec<UnitId> = units
        .iter()
        .filter(|u| {
            current.contains(&u.id) || (name_in(&u.names, year).is_some() && successor(u.id, year, &ends) == Some(u.id))
        })
        .map(|u| u.id)
        .collect();
    let others: Vec<String> =
        store::blocs(&mut tx, year).await?.into_iter().filter(|b| b.id != bloc_id).map(|b| b.name).collect();
    valid(validate_bloc_setup(&input, &known, &others))?;
    if input.version != bloc.setup_version {
        return Err(Error::StaleVersion);
    }
    let leaving: Vec<UnitId> = current.iter().copied().filter(|u| !input.members.contains(u)).collect();
    let mut members_with_records = Vec::new();
    for unit in &leaving {
        if admin::blocs::member_has_record(&mut tx, year, bloc_id, *unit).await? {
            members_with_records.push(*unit);
        }
    }
    let facts = CurrentSetup {
        name: bloc.name.clone(),
        members: current,
        leader: bloc.leader_unit_id,
        published: bloc.published_at.is_some(),
        members_with_records,
    };
    check_bloc_setup(&input, &facts).map_err(|refusal| match refusal {
        SetupRefusal::Published => Error::Published(PUBLISHED),
        SetupRefusal::MembersHaveRecords(units) => Error::MemberHasScores(units[0]),
    })?;
    if let Some(name) = &input.name {
        admin::blocs::rename_bloc_year(&mut tx, year, bloc_id, name.trim()).await?;
    }
    let mut deleted_sheets = Vec::new();
    for unit in &leaving {
        deleted_sheets.extend(admin::blocs::remove_member(&mut tx, year, bloc_id, *unit).await?);
    }
    admin::blocs::place_members(&mut tx, year, bloc_id, &input.members).await?;
    admin::blocs::update_setup(&mut tx, year, bloc_id, &input).await?;
    let detail = json!({"input": input, "left": leaving, "deleted_sheets": deleted_sheets});
    setup_saved(tx, &user, "update_bloc", year, bloc_id, &detail).await
}

/// Takes a bloc out of a year — one set up by mistake: its members, their empty sheets and
/// its criteria go with it; the bloc stays in the years it has. Refused (409) while its
/// results are published (`published`) or once anything is recorded for it there
/// (`bloc_has_records`: a score, a line, a vote, an override, a decision).
#[utoipa::path(
    delete,
    path = "/api/admin/years/{year}/blocs/{bloc_id}",
    tag = "admin",
    params(BlocPath),
    security(("session_cookie" = [])),
    responses(
        (status = 204, description = "Taken out of the year"),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
        (status = 409, description = "`published`; `bloc_has_records`", body = ApiErrorBody),
    )
)]
pub async fn delete_bloc(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
) -> Result<StatusCode> {
    let mut tx = begin_write(&state).await?;
    let bloc = store::bloc_year(&mut tx, year, bloc_id).await?;
    let has_records = admin::blocs::bloc_has_records(&mut tx, year, bloc_id).await?;
    check_bloc_removal(bloc.published_at.is_some(), has_records).map_err(|refusal| match refusal {
        BlocRemovalRefusal::Published => Error::Published("the results of this bloc are published"),
        BlocRemovalRefusal::HasRecords => Error::BlocHasRecords,
    })?;
    let deleted_sheets = admin::blocs::remove_bloc_year(&mut tx, year, bloc_id).await?;
    let detail = json!({"name": bloc.name, "deleted_sheets": deleted_sheets});
    audit(&mut tx, &user, "delete_bloc", bloc_target(year, bloc_id), &detail).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
