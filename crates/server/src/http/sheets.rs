//! `/api/sheets…`: the score sheets a signed-in user may read, the two forms (the unit's
//! self-assessment, the verifier's scores) and the workflow (submit, return, approve).
//!
//! Every request checks in the same order: signed in (401) → the sheet exists (404) → the
//! domain's `authorize` (403 `forbidden`, 409 `wrong_state`) → an officer's write in a year
//! closed for scoring (409 `year_closed`; staff may still write) → the domain's validation
//! (422) → the version it was based on (409 `stale_version`). A write and its audit rows are
//! one transaction.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use crate::db::{Conn, Tx};
use axum::extract::State;
use serde::Deserialize;
use thidua_domain::criteria::CriteriaTable;
use thidua_domain::error::ApiErrorBody;
use thidua_domain::revisions::{check_change, ResultsChange};
use thidua_domain::sheet::{sheet_totals, ScoreKind, ScoreSheet};
use thidua_domain::sheet_edit::{
    apply_self, apply_verification, changes, unscored, validate_self, validate_transition, validate_verification,
    Change, SelfAssessmentInput, SheetId, SheetSummary, SheetView, TransitionInput, VerificationInput,
};
use thidua_domain::workflow::{authorize, next_state, permissions, SheetAction, SheetState};
use thidua_domain::{BlocId, Year};
use utoipa::IntoParams;

use super::auth::CurrentUser;
use super::error::{valid, Error, Result};
use crate::clock::now;
use crate::http::extract::{Json, Path, Query};
use crate::http::params::SheetPath;
use crate::http::state::{begin_read, begin_write, AppState};
use crate::store::sheets::{self, Scope, SheetHead};
use crate::store::{self};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SheetFilter {
    /// Only sheets of this emulation year.
    pub year: Option<Year>,
    /// Only sheets of this bloc.
    pub bloc_id: Option<BlocId>,
}

/// The sheets the signed-in user may read: a unit officer its own unit's, a leader officer
/// also every sheet of the blocs its unit leads, staff all. Newest year first, then by bloc
/// and the unit's place in it. `scored` counts the criteria with a self score.
#[utoipa::path(
    get,
    path = "/api/sheets",
    tag = "sheets",
    params(SheetFilter),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The sheets this user may read", body = [SheetSummary]),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
    )
)]
pub async fn list_sheets(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(filter): Query<SheetFilter>,
) -> Result<Json<Vec<SheetSummary>>> {
    let mut tx = begin_read(&state).await?;
    let scope = Scope { year: filter.year, bloc: filter.bloc_id, ..Scope::default() };
    let heads: Vec<SheetHead> = sheets::heads(&mut tx, scope)
        .await?
        .into_iter()
        .filter(|h| authorize(&user.principal, &h.facts(false), SheetAction::Read).is_ok())
        .collect();
    if heads.is_empty() {
        return Ok(Json(Vec::new()));
    }
    let mut contents = sheets::contents(&mut tx, scope).await?;
    let mut tables: HashMap<(Year, BlocId), CriteriaTable> = HashMap::new();
    let mut out = Vec::with_capacity(heads.len());
    for head in heads {
        let table = match tables.entry((head.year, head.bloc_id)) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                e.insert(store::criteria_table(&mut tx, head.year, head.bloc_id, head.bonus_cap).await?)
            }
        };
        let sheet =
            contents.remove(&head.id).unwrap_or_else(|| ScoreSheet { unit_id: head.unit.id, ..Default::default() });
        let totals = sheet_totals(table, &sheet, ScoreKind::SelfAssessed);
        out.push(SheetSummary {
            id: head.id,
            year: head.year,
            bloc_id: head.bloc_id,
            bloc_name: head.bloc_name,
            unit: head.unit,
            state: head.state,
            scored: totals.scored,
            criteria_count: totals.criteria_count,
        });
    }
    Ok(Json(out))
}

/// One sheet with its criteria, both columns of scores, the last return comment, what this
/// user may do now, and the audit trail (newest first).
#[utoipa::path(
    get,
    path = "/api/sheets/{id}",
    tag = "sheets",
    params(SheetPath),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The sheet", body = SheetView),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: this user may not read the sheet", body = ApiErrorBody),
        (status = 404, description = "`sheet_not_found`", body = ApiErrorBody),
    )
)]
pub async fn get_sheet(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(SheetPath { id }): Path<SheetPath>,
) -> Result<Json<SheetView>> {
    let mut tx = begin_read(&state).await?;
    let head = checked_head(&mut tx, &user, id, SheetAction::Read).await?;
    Ok(Json(view(&mut tx, &state, &user, head).await?))
}

/// Saves the unit's self-assessment: every criterion's self score, note and evidence links,
/// and the bonus and deduction lines. Criteria left out are not scored; verified scores are
/// kept. Allowed to the unit (and staff) while the sheet is `draft` or `returned`.
#[utoipa::path(
    put,
    path = "/api/sheets/{id}/self",
    tag = "sheets",
    params(SheetPath),
    request_body = SelfAssessmentInput,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Saved; the sheet as it is now", body = SheetView),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`", body = ApiErrorBody),
        (status = 404, description = "`sheet_not_found`", body = ApiErrorBody),
        (status = 409, description = "`wrong_state` (the sheet is submitted or approved), `year_closed` (an officer in a closed year) or `stale_version` (reload)", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`, with `fields` such as `scores.12.self_score: [{code: above_max, max: 30}]`", body = ApiErrorBody),
    )
)]
pub async fn put_self(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(SheetPath { id }): Path<SheetPath>,
    Json(input): Json<SelfAssessmentInput>,
) -> Result<Json<SheetView>> {
    let mut tx = begin_write(&state).await?;
    let head = checked_head(&mut tx, &user, id, SheetAction::EditSelf).await?;
    let table = table_of(&mut tx, &head).await?;
    valid(validate_self(&table, &input))?;
    let old = sheets::sheet(&mut tx, &head).await?;
    let new = apply_self(&old, &input);
    let edit = Edit { table: &table, old: &old, new: Some(&new) };
    finish(&state, tx, &user, head, SheetAction::EditSelf, input.base_version, None, edit).await
}

/// Saves the verifier's part: every criterion's verified score and comment (criteria left
/// out are not verified; the unit's part is kept). Allowed to the bloc's leader officer
/// (not on its own unit's sheet) and staff while the sheet is `submitted`.
#[utoipa::path(
    put,
    path = "/api/sheets/{id}/verification",
    tag = "sheets",
    params(SheetPath),
    request_body = VerificationInput,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Saved; the sheet as it is now", body = SheetView),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`", body = ApiErrorBody),
        (status = 404, description = "`sheet_not_found`", body = ApiErrorBody),
        (status = 409, description = "`wrong_state` (not submitted), `year_closed` (an officer in a closed year) or `stale_version` (reload)", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`, with `fields` such as `scores.12.verified_score`", body = ApiErrorBody),
    )
)]
pub async fn put_verification(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(SheetPath { id }): Path<SheetPath>,
    Json(input): Json<VerificationInput>,
) -> Result<Json<SheetView>> {
    let mut tx = begin_write(&state).await?;
    let head = checked_head(&mut tx, &user, id, SheetAction::EditVerification).await?;
    let table = table_of(&mut tx, &head).await?;
    valid(validate_verification(&table, &input))?;
    let old = sheets::sheet(&mut tx, &head).await?;
    let new = apply_verification(&old, &input);
    let edit = Edit { table: &table, old: &old, new: Some(&new) };
    finish(&state, tx, &user, head, SheetAction::EditVerification, input.base_version, None, edit).await
}

/// Submits the sheet for verification (from `draft` or `returned`); clears the return comment.
#[utoipa::path(
    post,
    path = "/api/sheets/{id}/submit",
    tag = "sheets",
    params(SheetPath),
    request_body = TransitionInput,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Submitted; the sheet as it is now", body = SheetView),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`", body = ApiErrorBody),
        (status = 404, description = "`sheet_not_found`", body = ApiErrorBody),
        (status = 409, description = "`wrong_state`, `year_closed` (an officer in a closed year) or `stale_version`", body = ApiErrorBody),
        (status = 422, description = "`invalid_input` (e.g. `comment` too long)", body = ApiErrorBody),
    )
)]
pub async fn submit(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(SheetPath { id }): Path<SheetPath>,
    Json(input): Json<TransitionInput>,
) -> Result<Json<SheetView>> {
    transition(state, user, id, SheetAction::Submit, input).await
}

/// Returns a submitted sheet to its unit; `comment` (required) says what to fix and stays
/// on the sheet as `return_comment` until it is submitted again.
#[utoipa::path(
    post,
    path = "/api/sheets/{id}/return",
    tag = "sheets",
    params(SheetPath),
    request_body = TransitionInput,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Returned; the sheet as it is now", body = SheetView),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`", body = ApiErrorBody),
        (status = 404, description = "`sheet_not_found`", body = ApiErrorBody),
        (status = 409, description = "`wrong_state`, `year_closed` (an officer in a closed year) or `stale_version`", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `comment` `required`", body = ApiErrorBody),
    )
)]
pub async fn return_sheet(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(SheetPath { id }): Path<SheetPath>,
    Json(input): Json<TransitionInput>,
) -> Result<Json<SheetView>> {
    transition(state, user, id, SheetAction::Return, input).await
}

/// Approves a submitted sheet: its verified scores then count in the public ranking. Every
/// criterion needs a verified score.
#[utoipa::path(
    post,
    path = "/api/sheets/{id}/approve",
    tag = "sheets",
    params(SheetPath),
    request_body = TransitionInput,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Approved; the sheet as it is now", body = SheetView),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`", body = ApiErrorBody),
        (status = 404, description = "`sheet_not_found`", body = ApiErrorBody),
        (status = 409, description = "`wrong_state`, `year_closed` (an officer in a closed year) or `stale_version`", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `scores.{id}.verified_score` `required` for each criterion not verified", body = ApiErrorBody),
    )
)]
pub async fn approve(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(SheetPath { id }): Path<SheetPath>,
    Json(input): Json<TransitionInput>,
) -> Result<Json<SheetView>> {
    transition(state, user, id, SheetAction::Approve, input).await
}

async fn transition(
    state: AppState,
    user: CurrentUser,
    id: SheetId,
    action: SheetAction,
    input: TransitionInput,
) -> Result<Json<SheetView>> {
    let mut tx = begin_write(&state).await?;
    let head = checked_head(&mut tx, &user, id, action).await?;
    let table = table_of(&mut tx, &head).await?;
    let sheet = sheets::sheet(&mut tx, &head).await?;
    valid(validate_transition(&table, &sheet, action, &input))?;
    let return_comment = match action {
        SheetAction::Return => Some(input.comment),
        // The unit has answered the return: its comment has served.
        SheetAction::Submit => Some(String::new()),
        _ => None,
    };
    let edit = Edit { table: &table, old: &sheet, new: None };
    finish(&state, tx, &user, head, action, input.base_version, return_comment, edit).await
}

/// The sheet, if it exists and `user` may do `action` to it now: 404, then the domain's
/// `authorize` (403, 409 `wrong_state`, 409 `year_closed` for an officer's write in a year
/// closed for scoring).
pub(super) async fn checked_head(
    conn: &mut Conn,
    user: &CurrentUser,
    id: SheetId,
    action: SheetAction,
) -> Result<SheetHead> {
    let head = sheets::head(conn, id).await?.ok_or(Error::SheetNotFound(id))?;
    // Approval's completeness is `validate_transition`'s 422, which names the criteria.
    authorize(&user.principal, &head.facts(true), action).map_err(|r| Error::refused(r, head.year))?;
    // A sheet of a bloc-year whose results are published changes only after a withdrawal
    // (`thidua_domain::revisions`: the published revision must not drift from its sheets).
    if action != SheetAction::Read {
        let bloc = crate::store::bloc_year(conn, head.year, head.bloc_id).await?;
        check_change(ResultsChange::Sheet, bloc.published_at.is_some(), None)
            .map_err(|_| Error::Published("the results of this sheet's bloc are published"))?;
    }
    Ok(head)
}

pub(super) async fn table_of(conn: &mut Conn, head: &SheetHead) -> Result<CriteriaTable> {
    Ok(store::criteria_table(conn, head.year, head.bloc_id, head.bonus_cap).await?)
}

/// The contents before a write, and after it if it changes them.
struct Edit<'a> {
    table: &'a CriteriaTable,
    old: &'a ScoreSheet,
    new: Option<&'a ScoreSheet>,
}

/// Moves the sheet on from `base_version` (or answers `stale_version`), stores the new
/// contents and state, writes the audit rows, commits, and answers the sheet as it is now.
#[allow(clippy::too_many_arguments)]
async fn finish(
    app: &AppState,
    mut tx: Tx,
    user: &CurrentUser,
    head: SheetHead,
    action: SheetAction,
    base_version: i64,
    return_comment: Option<String>,
    edit: Edit<'_>,
) -> Result<Json<SheetView>> {
    let at = now();
    let state: SheetState = next_state(head.state, action);
    let return_comment = return_comment.unwrap_or_else(|| head.return_comment.clone());
    if !sheets::advance(&mut tx, &head, base_version, state, &return_comment, at).await? {
        return Err(Error::StaleVersion);
    }
    let mut changed: Vec<Change> = Vec::new();
    if let Some(new) = edit.new {
        sheets::save(&mut tx, head.id, new).await?;
        changed = changes(edit.table, edit.old, new);
        // Files on bonus and deduction lines follow their lines; a removed line's files go.
        changed.extend(super::files::follow_lines(&mut tx, app, head.id, edit.table, edit.old, new).await?);
    }
    if return_comment != head.return_comment {
        let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        changed.push(Change {
            field: "return_comment".to_owned(),
            old: text(&head.return_comment),
            new: text(&return_comment),
        });
    }
    let state_change = (state != head.state).then_some((head.state, state));
    sheets::audit(&mut tx, head.id, user.principal.user_id, action, at, &changed, state_change).await?;
    let head = sheets::head(&mut tx, head.id).await?.ok_or(Error::SheetNotFound(head.id))?;
    let view = view(&mut tx, app, user, head).await?;
    tx.commit().await?;
    Ok(Json(view))
}

async fn view(conn: &mut Conn, state: &AppState, user: &CurrentUser, head: SheetHead) -> Result<SheetView> {
    let criteria = table_of(conn, &head).await?;
    let sheet = sheets::sheet(conn, &head).await?;
    let audit = sheets::audit_trail(conn, head.id).await?;
    // What the SPA offers follows what the server allows: nothing to write in a closed year,
    // no approval while a criterion is unverified.
    let all_verified = unscored(&criteria, &sheet, |s| s.verified_score).is_empty();
    let permissions = permissions(&user.principal, &head.facts(all_verified));
    let files = crate::store::files::of_sheet(conn, head.id).await?.iter().filter_map(|f| f.to_api()).collect();
    Ok(SheetView {
        permissions,
        id: head.id,
        year: head.year,
        bloc_id: head.bloc_id,
        bloc_name: head.bloc_name,
        unit: head.unit,
        state: head.state,
        version: head.version,
        criteria,
        sheet,
        return_comment: head.return_comment,
        audit,
        files,
        file_limits: state.file_limits,
    })
}
