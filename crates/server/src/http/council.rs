//! The provincial Council's list for a year (staff only): every bloc's published proposals by
//! award type with the votes and ranks behind them (`thidua_domain::council` makes it), the
//! Council's outcome per proposal, a decision made from an approved proposal in one step, and
//! the list as Word and PDF.
//!
//! Writes check in this order: signed in (401) → staff (403) → the year and bloc exist (404) →
//! the state allows it (409 `not_proposed`, `decision_recorded`, `not_approved`) → the
//! domain's validation (422). Each write is one transaction with its row in `award_audit`.

use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use thidua_domain::council::{
    check_outcome, council_list, decision_reason, may_decide, validate_outcome, BlocEntry, CouncilList, CouncilOutcome,
    CouncilProposal, OutcomeEntry, OutcomeInput, OutcomeRefusal,
};
use thidua_domain::decisions::{validate_decision, Decision};
use thidua_domain::error::ApiErrorBody;
use thidua_domain::revisions::ResultsChange;
use thidua_domain::{AwardTypeId, UnitId, Year};
use utoipa::{IntoParams, ToSchema};

use super::auth::{CurrentUser, Staff};
use super::council_error::CouncilError;
use super::error::{valid, Error, Result};
use crate::clock::{now, timestamp};
use crate::db::Tx;
use crate::http::extract::{audit_json, Json, Path};
use crate::http::params::{CandidatePath, YearPath};
use crate::http::state::{begin_read, begin_write, AppState};
use crate::store::awards::{self, AwardAudit};
use crate::store::revisions as revisions_store;
use crate::store::{self, council};

/// The Council's list for the year: the blocs (each with the published revision it is read
/// from, or none: not before the Council), the proposals by award type with rank, total,
/// votes, decision and the Council's outcome, and outcomes a later revision left behind.
#[utoipa::path(
    get,
    path = "/api/years/{year}/council",
    tag = "council",
    params(YearPath),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The list", body = CouncilList),
        (status = 400, description = "`bad_request`: the year is not a number", body = ApiErrorBody),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`", body = ApiErrorBody),
    )
)]
pub async fn get_council(
    Staff(_user): Staff,
    State(state): State<AppState>,
    Path(YearPath { year }): Path<YearPath>,
) -> Result<Json<CouncilList>> {
    Ok(Json(list_of(&state, year).await?))
}

/// Records the Council's outcome for a bloc's published proposal (a second one replaces the
/// first): approved, with an optional note, or not approved with the Council's reason.
#[utoipa::path(
    put,
    path = "/api/years/{year}/blocs/{bloc_id}/council/{unit_id}/{award_type_id}",
    tag = "council",
    params(CandidatePath),
    request_body = OutcomeInput,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Recorded; the list as it is now", body = CouncilList),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
        (status = 409, description = "`not_proposed`: the bloc's published results do not propose that unit for that award type; `decision_recorded`: a decision stands on this approval (remove it first)", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `reason` (`required` when not approved, `too_long`), `outcome` (`required`, `invalid`: neither `approved` nor `not_approved`), any other field `unknown_field`", body = ApiErrorBody),
    )
)]
pub async fn put_outcome(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(CandidatePath { year, bloc_id, unit_id, award_type_id }): Path<CandidatePath>,
    Json(input): Json<OutcomeInput>,
) -> Result<Json<CouncilList>> {
    let mut tx = begin_write(&state).await?;
    let found = proposal(&mut tx, year, bloc_id, unit_id, award_type_id).await?;
    let decided = found.as_ref().is_some_and(|p| p.decision.is_some());
    check_outcome(found.is_some(), decided, Some(input.outcome)).map_err(|r| refused(r, unit_id, award_type_id))?;
    valid(validate_outcome(&input))?;
    let facts = found.map(|p| p.facts()).ok_or(Error::NotProposed { unit_id, award_type_id })?;
    let reason = input.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    let entry = OutcomeEntry {
        bloc_id,
        unit_id,
        award_type_id,
        outcome: CouncilOutcome { outcome: input.outcome, reason, recorded_at: timestamp(now()), facts },
    };
    council::upsert(&mut tx, year, &entry).await?;
    let detail = audit_json(&OutcomeAudit {
        unit_id,
        award_type_id,
        outcome: Some(input.outcome.as_str()),
        reason: entry.outcome.reason.as_deref(),
    })?;
    audit(&mut tx, &user, year, bloc_id, "council_outcome", detail).await?;
    tx.commit().await?;
    Ok(Json(list_of(&state, year).await?))
}

/// Removes an outcome entered in error (or one a later revision left behind). Refused while a
/// decision stands on it.
#[utoipa::path(
    delete,
    path = "/api/years/{year}/blocs/{bloc_id}/council/{unit_id}/{award_type_id}",
    tag = "council",
    params(CandidatePath),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Removed; the list as it is now", body = CouncilList),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`, `bloc_not_found` or `outcome_not_found`", body = ApiErrorBody),
        (status = 409, description = "`decision_recorded`: a decision stands on this approval (remove it first)", body = ApiErrorBody),
    )
)]
pub async fn delete_outcome(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(CandidatePath { year, bloc_id, unit_id, award_type_id }): Path<CandidatePath>,
) -> Result<Json<CouncilList>> {
    let mut tx = begin_write(&state).await?;
    let found = proposal(&mut tx, year, bloc_id, unit_id, award_type_id).await?;
    if council::outcome(&mut tx, year, bloc_id, unit_id, award_type_id).await?.is_none() {
        return Err(CouncilError::OutcomeNotFound.into());
    }
    let decided = found.as_ref().is_some_and(|p| p.decision.is_some());
    check_outcome(found.is_some(), decided, None).map_err(|r| refused(r, unit_id, award_type_id))?;
    council::delete(&mut tx, year, bloc_id, unit_id, award_type_id).await?;
    let detail = audit_json(&OutcomeAudit { unit_id, award_type_id, outcome: None, reason: None })?;
    audit(&mut tx, &user, year, bloc_id, "council_outcome", detail).await?;
    tx.commit().await?;
    Ok(Json(list_of(&state, year).await?))
}

/// Makes the award decision for an approved proposal in one step: the decision is recorded
/// (replacing one there was) and the bloc's results are stored as their next revision, whose
/// reason — the decision and the Council's approval — the domain words.
#[utoipa::path(
    post,
    path = "/api/years/{year}/blocs/{bloc_id}/council/{unit_id}/{award_type_id}/decision",
    tag = "council",
    params(CandidatePath),
    request_body = Decision,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Decided; the list as it is now", body = CouncilList),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
        (status = 409, description = "`not_proposed`: the bloc's published results do not propose it; `not_approved`: the Council's approval is not recorded", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `number`, `issuer` (`required`, `too_long`), `date` (`required`, `invalid`: not a real `YYYY-MM-DD` date), any other field `unknown_field`", body = ApiErrorBody),
    )
)]
pub async fn post_decision(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(CandidatePath { year, bloc_id, unit_id, award_type_id }): Path<CandidatePath>,
    Json(decision): Json<Decision>,
) -> Result<Json<CouncilList>> {
    let mut tx = begin_write(&state).await?;
    let found = proposal(&mut tx, year, bloc_id, unit_id, award_type_id).await?;
    let found = found.ok_or(Error::NotProposed { unit_id, award_type_id })?;
    // The outcome as applied: one recorded on other votes or rank does not count.
    if !may_decide(found.outcome.map(|o| o.outcome)) {
        return Err(CouncilError::NotApproved.into());
    }
    valid(validate_decision(&decision))?;
    let decision = Decision {
        number: decision.number.trim().to_owned(),
        date: decision.date,
        issuer: decision.issuer.trim().to_owned(),
    };
    let bloc = store::bloc_year(&mut tx, year, bloc_id).await?;
    let reason = decision_reason(&decision);
    let revision = super::awards::revision_reason(&bloc, ResultsChange::Decision, Some(&reason))?;
    awards::upsert_decision(&mut tx, year, bloc_id, unit_id, award_type_id, &decision).await?;
    let detail = audit_json(&DecisionAudit { unit_id, award_type_id, from: "council", decision: &decision })?;
    super::awards::finish_revised(tx, &user, year, bloc_id, "put_decision", detail, revision).await?;
    Ok(Json(list_of(&state, year).await?))
}

/// The list as a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, ToSchema)]
pub enum CouncilDocument {
    /// Danh sách đề nghị khen thưởng trình Hội đồng Thi đua - Khen thưởng tỉnh.
    #[serde(rename = "list.docx")]
    ListDocx,
    #[serde(rename = "list.pdf")]
    ListPdf,
}

/// `/api/years/{year}/council/documents/{file}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CouncilDocumentPath {
    /// The emulation year, e.g. 2018
    #[param(value_type = i32, minimum = 2000, maximum = 2100)]
    pub year: Year,
    /// Which file
    #[param(inline)]
    pub file: CouncilDocument,
}

/// The Council's list as Word (A4, Decree 30/2020's layout; the number, date and signature
/// left to staff) or PDF: per award type every bloc's proposals with rank, total, votes and
/// the outcome recorded so far (an empty cell where none is); the revision of each bloc.
#[utoipa::path(
    get,
    path = "/api/years/{year}/council/documents/{file}",
    tag = "council",
    params(CouncilDocumentPath),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "`attachment; filename=\"danh-sach-hoi-dong-{year}.{docx|pdf}\"`", content(
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (Vec<u8> = "application/pdf"),
        )),
        (status = 400, description = "`bad_request`: not one of the documents", body = ApiErrorBody),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`", body = ApiErrorBody),
        (status = 503, description = "`pdf_unavailable`: this server cannot make the PDF now; the Word file still can be had", body = ApiErrorBody),
    )
)]
pub async fn council_document(
    Staff(_user): Staff,
    State(state): State<AppState>,
    Path(CouncilDocumentPath { year, file }): Path<CouncilDocumentPath>,
) -> Result<Response> {
    let list = list_of(&state, year).await?;
    let docx = crate::documents::council::council(&list);
    super::documents::answer(docx, file == CouncilDocument::ListPdf, &format!("danh-sach-hoi-dong-{year}")).await
}

/// The list as it is now, in a read of its own (the answer to every write, after its commit).
async fn list_of(state: &AppState, year: Year) -> Result<CouncilList> {
    let mut tx = begin_read(state).await?;
    let list = list_in(&mut tx, year).await?;
    tx.rollback().await?;
    Ok(list)
}

/// The list as `tx` sees it, from each bloc's latest published revision: read from the
/// database, not the revision cache, so the answer to a write always shows it.
async fn list_in(tx: &mut Tx, year: Year) -> Result<CouncilList> {
    let blocs = store::blocs(tx, year).await?;
    let types = awards::award_types(tx, year).await?;
    let outcomes = council::outcomes(tx, year).await?;
    let mut entries = Vec::with_capacity(blocs.len());
    for b in blocs {
        let published = match store::bloc_year(tx, year, b.id).await?.published_at {
            Some(_) => match revisions_store::latest_with_results(tx, year, b.id).await? {
                Some(latest) => crate::revisions::parse(&latest)?,
                None => None,
            },
            None => None,
        };
        let members = store::members(tx, year, b.id).await?;
        entries.push(BlocEntry { bloc_id: b.id, bloc_name: b.name, published, members });
    }
    Ok(council_list(year, &types, &entries, &outcomes))
}

/// The bloc's proposal of the unit for the award type, as the Council's list has it (404 for a
/// year or bloc that does not exist); `None` when the bloc's published results do not make it
/// (unpublished results propose nothing to the Council).
async fn proposal(
    tx: &mut Tx,
    year: Year,
    bloc_id: thidua_domain::BlocId,
    unit_id: UnitId,
    award_type_id: AwardTypeId,
) -> Result<Option<CouncilProposal>> {
    store::bloc_year(tx, year, bloc_id).await?;
    let list = list_in(tx, year).await?;
    Ok(list
        .groups
        .into_iter()
        .filter(|g| g.award_type.id == award_type_id)
        .flat_map(|g| g.proposals)
        .find(|p| p.bloc_id == bloc_id && p.unit.id == unit_id))
}

fn refused(r: OutcomeRefusal, unit_id: UnitId, award_type_id: AwardTypeId) -> Error {
    match r {
        OutcomeRefusal::NotProposed => Error::NotProposed { unit_id, award_type_id },
        OutcomeRefusal::DecisionRecorded => CouncilError::DecisionRecorded.into(),
    }
}

async fn audit(
    tx: &mut Tx,
    user: &CurrentUser,
    year: Year,
    bloc_id: thidua_domain::BlocId,
    action: &str,
    detail: String,
) -> Result<()> {
    let entry = AwardAudit { user: user.principal.user_id, at: now(), year, bloc_id: Some(bloc_id), action, detail };
    Ok(awards::audit(tx, entry).await?)
}

#[derive(Serialize)]
struct OutcomeAudit<'a> {
    unit_id: UnitId,
    award_type_id: AwardTypeId,
    /// `None`: removed.
    outcome: Option<&'a str>,
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct DecisionAudit<'a> {
    unit_id: UnitId,
    award_type_id: AwardTypeId,
    /// Made from the Council's list.
    from: &'a str,
    #[serde(flatten)]
    decision: &'a Decision,
}
