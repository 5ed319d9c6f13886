//! The awards: the award rules of a year, and per bloc and year the acclaim-vote tally, staff
//! overrides, publication and the decisions. The proposals themselves are derived by
//! `thidua_domain` from the ranking, the tally and the rules; nothing here decides them.
//!
//! Writes are staff-only and check in this order: signed in (401) → staff (403) → the year,
//! bloc or entry exists (404) → the state allows it (409 `published`, `not_proposed`) → the
//! domain's validation (422) → while published, a written reason (`?reason=`, 409
//! `reason_required`; `thidua_domain::revisions`) → the version it was based on (409
//! `stale_version`). Each write moves the awards version on, goes into `award_audit`, and is
//! one transaction; bloc writes answer the results as they are now (a staff preview), or,
//! published, as the revision the write stored.

use crate::db::Tx;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use thidua_domain::award_types::{validate_award_type, AwardType, AwardTypeId, AwardTypeInput};
use thidua_domain::decisions::{validate_decision, Decision};
use thidua_domain::error::ApiErrorBody;
use thidua_domain::publication::{check_publication, PublicationNote, PublishRefusal, PublishRequest};
use thidua_domain::results::BlocResults;
use thidua_domain::revisions::{check_change, ResultsChange, RevisionKind, RevisionRefusal};
use thidua_domain::tally::{check_tally_entry, validate_override, validate_tally, Override, TallyRefusal, TallyUpdate};
use thidua_domain::thresholds::method_after_edit;
use thidua_domain::{BlocId, UnitId, Year};

use super::auth::{CurrentUser, Staff};
use super::council_error::CouncilError;
use super::error::{from_json, valid, Error, Result};
use super::vote_error::VoteError;
use crate::clock::now;
use crate::http::extract::{audit_json, Json, Path, Query};
use crate::http::params::{AwardTypePath, BlocPath, CandidatePath, ReasonQuery, YearPath};
use crate::http::state::{begin_read, begin_write, AppState};
use crate::revisions;
use crate::store::admin;
use crate::store::awards::{self, AwardAudit};
use crate::store::{self, BlocYear};
use thidua_domain::council::may_record_decision;

const PUBLISHED_YEAR: &str = "a bloc of this year has published results that these rules would change";
const PUBLISHED_BLOC: &str = "the results of this bloc are published";

/// The award types of a year with their rules (quota, threshold, eligibility, precedence,
/// exclusivity, legal basis), highest first. Public: the rules are part of the record.
#[utoipa::path(
    get,
    path = "/api/years/{year}/award-types",
    tag = "awards",
    params(YearPath),
    responses(
        (status = 200, description = "The award types of the year, by precedence", body = [AwardType]),
        (status = 400, description = "`bad_request`: the year is not a number", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`", body = ApiErrorBody),
    )
)]
pub async fn list_award_types(
    State(state): State<AppState>,
    Path(YearPath { year }): Path<YearPath>,
) -> Result<Json<Vec<AwardType>>> {
    let mut tx = begin_read(&state).await?;
    store::ensure_year(&mut tx, year).await?;
    Ok(Json(awards::award_types(&mut tx, year).await?))
}

/// Adds an award type to the year. Refused while any bloc of the year is published.
#[utoipa::path(
    post,
    path = "/api/years/{year}/award-types",
    tag = "awards",
    params(YearPath),
    request_body = AwardTypeInput,
    security(("session_cookie" = [])),
    responses(
        (status = 201, description = "Added", body = AwardType),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`", body = ApiErrorBody),
        (status = 409, description = "`published`: a bloc of the year is published", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `code` (`required`, `invalid`, `duplicate`), `name`, `precedence`, `threshold.numerator`, `threshold.denominator`, `eligibility.{i}`, `legal_basis`", body = ApiErrorBody),
    )
)]
pub async fn create_award_type(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(YearPath { year }): Path<YearPath>,
    Json(input): Json<AwardTypeInput>,
) -> Result<(StatusCode, Json<AwardType>)> {
    let mut tx = begin_write(&state).await?;
    store::ensure_year(&mut tx, year).await?;
    rules_unpublished(&mut tx, year).await?;
    let others = awards::award_types(&mut tx, year).await?;
    valid(validate_award_type(&input, &others))?;
    let id = awards::insert_award_type(&mut tx, year, &input).await?;
    let created = AwardType::from_input(id, input);
    rules_changed(&mut tx, &user, year, "create_award_type", &created).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Replaces an award type's name and rules. Refused while any bloc of the year is published.
#[utoipa::path(
    put,
    path = "/api/years/{year}/award-types/{id}",
    tag = "awards",
    params(AwardTypePath),
    request_body = AwardTypeInput,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Saved", body = AwardType),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `award_type_not_found`", body = ApiErrorBody),
        (status = 409, description = "`published`: a bloc of the year is published", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`, as for adding one", body = ApiErrorBody),
    )
)]
pub async fn update_award_type(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(AwardTypePath { year, id }): Path<AwardTypePath>,
    Json(input): Json<AwardTypeInput>,
) -> Result<Json<AwardType>> {
    let mut tx = begin_write(&state).await?;
    store::ensure_year(&mut tx, year).await?;
    let (this, others): (Vec<AwardType>, Vec<AwardType>) =
        awards::award_types(&mut tx, year).await?.into_iter().partition(|t| t.id == id);
    if this.is_empty() {
        return Err(Error::AwardTypeNotFound { year, id });
    }
    rules_unpublished(&mut tx, year).await?;
    valid(validate_award_type(&input, &others))?;
    awards::update_award_type(&mut tx, year, id, &input).await?;
    let saved = AwardType::from_input(id, input);
    rules_changed(&mut tx, &user, year, "update_award_type", &saved).await?;
    tx.commit().await?;
    Ok(Json(saved))
}

/// 409 `published` while any bloc of the year is published: the rules feed its results.
async fn rules_unpublished(tx: &mut Tx, year: Year) -> Result<()> {
    if awards::year_has_published(tx, year).await? {
        return Err(Error::Published(PUBLISHED_YEAR));
    }
    Ok(())
}

/// The rules change every bloc's derived proposals: every bloc of the year moves on.
async fn rules_changed(
    tx: &mut Tx,
    user: &CurrentUser,
    year: Year,
    action: &str,
    award_type: &AwardType,
) -> Result<()> {
    record(tx, user, year, None, action, audit_json(award_type)?).await
}

/// Replaces the bloc's whole acclaim-vote tally: staff, or the officer of the bloc's leader
/// unit that year. `version` is the results' `version` it was made from. Votes may be 0 (kept
/// as entered; they propose no one).
#[utoipa::path(
    put,
    path = "/api/years/{year}/blocs/{bloc_id}/tally",
    tag = "awards",
    params(BlocPath, ReasonQuery),
    request_body = TallyUpdate,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Saved; the results as they are now (a staff preview while unpublished)", body = BlocResults),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff or the officer of the bloc's leader unit only", body = ApiErrorBody),
        (status = 409, description = "`published` (the leader's officer while published: staff revise), `reason_required` (published: give `?reason=`; the change is a new revision), `year_closed` (the leader's officer in a closed year), `vote_open` (a vote is being counted in the product: its close makes the tally) or `stale_version` (reload)", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `voters_present` `not_positive`; `votes.{i}.votes` `above_max` (more than the voters present); `votes.{i}` `invalid` (not a member, or not an award type of the year) or `duplicate`; `membership` `invalid` (fewer than the voters present), `above_max` or `required` (written opinions without it); `valid.{i}` `invalid` (not an award type, or twice), `valid.{i}.valid` `above_max`; `written.{i}` `invalid`, `written.{i}.votes` `above_max` (more than the members absent); each under `tally.`", body = ApiErrorBody),
    )
)]
pub async fn put_tally(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
    Query(ReasonQuery { reason }): Query<ReasonQuery>,
    Json(update): Json<TallyUpdate>,
) -> Result<Json<BlocResults>> {
    let (mut tx, bloc) = bloc_for_write(&state, year, bloc_id).await?;
    let year_open = admin::years::year(&mut tx, year).await?.open;
    let published = bloc.published_at.is_some();
    check_tally_entry(&user.principal, bloc.leader_unit_id, published, year_open).map_err(|refusal| match refusal {
        TallyRefusal::Forbidden => Error::Forbidden,
        TallyRefusal::Published => Error::Published(PUBLISHED_BLOC),
        TallyRefusal::YearClosed => Error::YearClosed(year),
    })?;
    let revision = revision_reason(&bloc, ResultsChange::Tally, reason.as_deref())?;
    let members: Vec<UnitId> = store::members(&mut tx, year, bloc_id).await?.into_iter().map(|u| u.id).collect();
    let types: Vec<AwardTypeId> = awards::award_types(&mut tx, year).await?.into_iter().map(|t| t.id).collect();
    valid(validate_tally(&update.tally, &members, &types))?;
    if update.version != bloc.awards_version {
        return Err(Error::StaleVersion);
    }
    if crate::store::votes::open_session_exists(&mut tx, year, bloc_id).await? {
        return Err(VoteError::Open.into());
    }
    let stored = awards::tally(&mut tx, year, bloc_id).await?;
    let stored_method = awards::tally_method(&mut tx, year, bloc_id).await?;
    let method = method_after_edit(stored.as_ref().zip(stored_method), &update.tally);
    awards::replace_tally(&mut tx, year, bloc_id, &update.tally, method).await?;
    finish_revised(tx, &user, year, bloc_id, "put_tally", audit_json(&update.tally)?, revision).await
}

/// Staff decide a candidate against the rules, with a written reason that is shown publicly
/// beside the broken rules: `propose: true` proposes it, `false` leaves it out. One override
/// per unit and award type (a second one replaces the first).
#[utoipa::path(
    put,
    path = "/api/years/{year}/blocs/{bloc_id}/overrides",
    tag = "awards",
    params(BlocPath, ReasonQuery),
    request_body = Override,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Saved; the results as they are now", body = BlocResults),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
        (status = 409, description = "`reason_required`: published, give `?reason=` (the change is a new revision)", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `reason` `required`; `unit_id` `invalid` when the unit has no votes for that award type in the tally (not a candidate)", body = ApiErrorBody),
    )
)]
pub async fn put_override(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
    Query(ReasonQuery { reason }): Query<ReasonQuery>,
    Json(o): Json<Override>,
) -> Result<Json<BlocResults>> {
    let (mut tx, bloc) = bloc_for_write(&state, year, bloc_id).await?;
    let revision = revision_reason(&bloc, ResultsChange::Override, reason.as_deref())?;
    let results = store::results(&mut tx, year, bloc_id).await?;
    let ranked: Vec<UnitId> = results.ranking.iter().map(|r| r.unit.id).collect();
    valid(validate_override(&o, results.tally.as_ref(), &ranked))?;
    awards::upsert_override(&mut tx, year, bloc_id, &o).await?;
    finish_revised(tx, &user, year, bloc_id, "put_override", audit_json(&o)?, revision).await
}

/// Removes an override: the rules alone decide that candidate again.
#[utoipa::path(
    delete,
    path = "/api/years/{year}/blocs/{bloc_id}/overrides/{unit_id}/{award_type_id}",
    tag = "awards",
    params(CandidatePath, ReasonQuery),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Removed; the results as they are now", body = BlocResults),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`, `bloc_not_found` or `override_not_found`", body = ApiErrorBody),
        (status = 409, description = "`reason_required`: published, give `?reason=` (the change is a new revision)", body = ApiErrorBody),
    )
)]
pub async fn delete_override(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(CandidatePath { year, bloc_id, unit_id, award_type_id }): Path<CandidatePath>,
    Query(ReasonQuery { reason }): Query<ReasonQuery>,
) -> Result<Json<BlocResults>> {
    let (mut tx, bloc) = bloc_for_write(&state, year, bloc_id).await?;
    let overrides = awards::overrides(&mut tx, year, bloc_id).await?;
    if !overrides.iter().any(|o| o.unit_id == unit_id && o.award_type_id == award_type_id) {
        return Err(Error::OverrideNotFound { unit_id, award_type_id });
    }
    let revision = revision_reason(&bloc, ResultsChange::Override, reason.as_deref())?;
    awards::delete_override(&mut tx, year, bloc_id, unit_id, award_type_id).await?;
    let detail = audit_json(&Key { unit_id, award_type_id })?;
    finish_revised(tx, &user, year, bloc_id, "delete_override", detail, revision).await
}

/// Publishes the bloc's results for the year: from now on anyone can read them. The server
/// decides, not the page: while the results have problems (`thidua_domain::publication`:
/// no tally, sheets not approved, ties in votes at a quota's boundary left open, more
/// proposed than the quota, proposals below the threshold or failing a condition) it refuses
/// with 409 `publication_problems` and their complete list, unless the request acknowledges
/// exactly those problems and gives a written reason, which is stored and shown to the
/// public beside the results. Without problems the body may be empty. Publishing published
/// results changes nothing.
#[utoipa::path(
    post,
    path = "/api/years/{year}/blocs/{bloc_id}/publish",
    tag = "awards",
    params(BlocPath),
    request_body(content = Option<PublishRequest>, description = "The problems acknowledged and the reason; may be empty when there are none"),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Published; the results with `published: true` and the `publication` note", body = BlocResults),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
        (status = 409, description = "`publication_problems`: `problems` lists every problem; acknowledge exactly those; `vote_open`: a vote is still taking ballots", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `reason` `required` (problems acknowledged without one) or `too_long`; `acknowledge…` or unknown fields", body = ApiErrorBody),
    )
)]
pub async fn publish(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
    body: axum::body::Bytes,
) -> Result<Json<BlocResults>> {
    // An empty body or `null` (as the document allows) is "nothing to acknowledge"; anything
    // else must be the request.
    let request: PublishRequest = if body.iter().all(u8::is_ascii_whitespace) {
        PublishRequest::default()
    } else {
        let value: serde_json::Value =
            serde_json::from_slice(&body).map_err(|e| Error::BadRequest(format!("the body is not JSON: {e}")))?;
        if value.is_null() {
            PublishRequest::default()
        } else {
            from_json(&value)?
        }
    };
    let (mut tx, bloc) = bloc_for_write(&state, year, bloc_id).await?;
    if bloc.published_at.is_some() {
        return results_now(tx, year, bloc_id).await;
    }
    // A vote still taking ballots has not made its tally: close it (or take it back) first.
    if crate::store::votes::open_session_exists(&mut tx, year, bloc_id).await? {
        return Err(VoteError::Open.into());
    }
    let results = store::results(&mut tx, year, bloc_id).await?;
    match check_publication(&results.problems, &request) {
        Ok(()) => {}
        Err(PublishRefusal::Unacknowledged(problems)) => return Err(Error::PublicationProblems(problems)),
        Err(PublishRefusal::Invalid(fields)) => return Err(Error::Invalid(fields)),
    }
    let note = PublicationNote { reason: request.reason.trim().to_owned(), acknowledged: results.problems.clone() };
    awards::set_published(&mut tx, year, bloc_id, Some((now(), &note))).await?;
    let detail = audit_json(&note)?;
    let revision = Some((RevisionKind::Published, note.reason));
    finish_stored(tx, &user, year, bloc_id, "publish", detail, revision).await
}

/// Takes the bloc's results back from the public (to redo a sheet, say), with a written
/// reason (`?reason=`), stored as a `withdrawn` revision: the public is then told the results
/// were withdrawn, and why. Unpublishing unpublished results changes nothing.
#[utoipa::path(
    post,
    path = "/api/years/{year}/blocs/{bloc_id}/unpublish",
    tag = "awards",
    params(BlocPath, ReasonQuery),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Unpublished; the results with `published: false`", body = BlocResults),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
        (status = 409, description = "`reason_required`: published results are withdrawn only with `?reason=`", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `reason` `too_long`", body = ApiErrorBody),
    )
)]
pub async fn unpublish(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
    Query(ReasonQuery { reason }): Query<ReasonQuery>,
) -> Result<Json<BlocResults>> {
    let (mut tx, bloc) = bloc_for_write(&state, year, bloc_id).await?;
    let Some(reason) = revision_reason(&bloc, ResultsChange::Withdrawal, reason.as_deref())? else {
        // Not published: nothing to withdraw, nothing to record.
        return results_now(tx, year, bloc_id).await;
    };
    awards::set_published(&mut tx, year, bloc_id, None).await?;
    revisions::store_withdrawal(&mut tx, year, bloc_id, user.principal.user_id, &reason).await?;
    finish(tx, &user, year, bloc_id, "unpublish", audit_json(&WithdrawalAudit { reason: &reason })?).await
}

/// Records the award decision for a unit the results propose for that award type (a
/// second one replaces the first). Allowed while published, since decisions come after
/// publication, with a written reason (`?reason=`): the results after it are stored as the
/// next revision.
#[utoipa::path(
    put,
    path = "/api/years/{year}/blocs/{bloc_id}/decisions/{unit_id}/{award_type_id}",
    tag = "awards",
    params(CandidatePath, ReasonQuery),
    request_body = Decision,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Saved; the results as they are now", body = BlocResults),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
        (status = 409, description = "`not_proposed`: the results do not propose that unit for that award type; `not_approved`: the Council's outcome recorded for it is \"not approved\"; `reason_required`: published, give `?reason=` (the change is a new revision)", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `number`, `issuer` (`required`, `too_long`), `date` (`required`, `invalid`: not a real `YYYY-MM-DD` date)", body = ApiErrorBody),
    )
)]
pub async fn put_decision(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(CandidatePath { year, bloc_id, unit_id, award_type_id }): Path<CandidatePath>,
    Query(ReasonQuery { reason }): Query<ReasonQuery>,
    Json(decision): Json<Decision>,
) -> Result<Json<BlocResults>> {
    let (mut tx, bloc) = bloc_for_write(&state, year, bloc_id).await?;
    let results = store::results(&mut tx, year, bloc_id).await?;
    let proposed =
        results.candidates.iter().any(|c| c.unit_id == unit_id && c.award_type_id == award_type_id && c.proposed);
    if !proposed {
        return Err(Error::NotProposed { unit_id, award_type_id });
    }
    if !may_record_decision(crate::store::council::outcome(&mut tx, year, bloc_id, unit_id, award_type_id).await?) {
        return Err(CouncilError::NotApproved.into());
    }
    valid(validate_decision(&decision))?;
    let revision = revision_reason(&bloc, ResultsChange::Decision, reason.as_deref())?;
    awards::upsert_decision(&mut tx, year, bloc_id, unit_id, award_type_id, &decision).await?;
    let detail = audit_json(&DecisionAudit { unit_id, award_type_id, decision: &decision })?;
    finish_revised(tx, &user, year, bloc_id, "put_decision", detail, revision).await
}

/// Removes a recorded decision (entered in error): the unit is proposed again, not awarded.
#[utoipa::path(
    delete,
    path = "/api/years/{year}/blocs/{bloc_id}/decisions/{unit_id}/{award_type_id}",
    tag = "awards",
    params(CandidatePath, ReasonQuery),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Removed; the results as they are now", body = BlocResults),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`, `bloc_not_found` or `decision_not_found`", body = ApiErrorBody),
        (status = 409, description = "`reason_required`: published, give `?reason=` (the change is a new revision)", body = ApiErrorBody),
    )
)]
pub async fn delete_decision(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(CandidatePath { year, bloc_id, unit_id, award_type_id }): Path<CandidatePath>,
    Query(ReasonQuery { reason }): Query<ReasonQuery>,
) -> Result<Json<BlocResults>> {
    let (mut tx, bloc) = bloc_for_write(&state, year, bloc_id).await?;
    let decisions = awards::decisions(&mut tx, year, bloc_id).await?;
    if !decisions.iter().any(|d| d.unit_id == unit_id && d.award_type_id == award_type_id) {
        return Err(Error::DecisionNotFound { unit_id, award_type_id });
    }
    let revision = revision_reason(&bloc, ResultsChange::Decision, reason.as_deref())?;
    awards::delete_decision(&mut tx, year, bloc_id, unit_id, award_type_id).await?;
    let detail = audit_json(&Key { unit_id, award_type_id })?;
    finish_revised(tx, &user, year, bloc_id, "delete_decision", detail, revision).await
}

/// A write transaction on an existing bloc-year (404 `year_not_found`, `bloc_not_found`).
async fn bloc_for_write(state: &AppState, year: Year, bloc_id: BlocId) -> Result<(Tx, BlocYear)> {
    let mut tx = begin_write(state).await?;
    let bloc = store::bloc_year(&mut tx, year, bloc_id).await?;
    Ok((tx, bloc))
}

/// 409 `published` when the bloc's results are published (staff unpublish first). The
/// criteria editor refuses the same way.
pub(super) fn unpublished(bloc: &BlocYear) -> Result<()> {
    match bloc.published_at {
        Some(_) => Err(Error::Published(PUBLISHED_BLOC)),
        None => Ok(()),
    }
}

/// Moves the awards version of the bloc (`Some`) or of every bloc of the year (`None`) on, so
/// forms loaded before see `stale_version`, and writes the audit entry.
async fn record(
    tx: &mut Tx,
    user: &CurrentUser,
    year: Year,
    bloc_id: Option<BlocId>,
    action: &str,
    detail: String,
) -> Result<()> {
    awards::bump_version(tx, year, bloc_id).await?;
    let entry = AwardAudit { user: user.principal.user_id, at: now(), year, bloc_id, action, detail };
    Ok(awards::audit(tx, entry).await?)
}

/// Records a bloc write (see `record`), commits, and answers the results as they are now.
async fn finish(
    mut tx: Tx,
    user: &CurrentUser,
    year: Year,
    bloc_id: BlocId,
    action: &str,
    detail: String,
) -> Result<Json<BlocResults>> {
    record(&mut tx, user, year, Some(bloc_id), action, detail).await?;
    results_now(tx, year, bloc_id).await
}

/// As `finish`, and when the results are published (`revision` is the reason
/// `revision_reason` answered) stores them as the next revision, `revised`.
pub(super) async fn finish_revised(
    tx: Tx,
    user: &CurrentUser,
    year: Year,
    bloc_id: BlocId,
    action: &str,
    detail: String,
    revision: Option<String>,
) -> Result<Json<BlocResults>> {
    let revision = revision.map(|reason| (RevisionKind::Revised, reason));
    finish_stored(tx, user, year, bloc_id, action, detail, revision).await
}

/// As `finish`; with `Some((kind, reason))` the results after the write are stored as the
/// next revision, and answered as stored.
async fn finish_stored(
    mut tx: Tx,
    user: &CurrentUser,
    year: Year,
    bloc_id: BlocId,
    action: &str,
    detail: String,
    revision: Option<(RevisionKind, String)>,
) -> Result<Json<BlocResults>> {
    let Some((kind, reason)) = revision else {
        return finish(tx, user, year, bloc_id, action, detail).await;
    };
    record(&mut tx, user, year, Some(bloc_id), action, detail).await?;
    let results = revisions::store_results(&mut tx, year, bloc_id, kind, Some(user.principal.user_id), &reason).await?;
    tx.commit().await?;
    Ok(Json(results))
}

/// 409 `published`, 409 `reason_required` or 422 unless `change` may be made to the bloc's
/// results now (`thidua_domain::revisions::check_change`); `Some(reason)` when the change
/// makes a revision, `None` when the results are not published.
pub(super) fn revision_reason(bloc: &BlocYear, change: ResultsChange, reason: Option<&str>) -> Result<Option<String>> {
    check_change(change, bloc.published_at.is_some(), reason).map_err(|refusal| match refusal {
        RevisionRefusal::Published => Error::Published(PUBLISHED_BLOC),
        RevisionRefusal::ReasonRequired => Error::ReasonRequired,
        RevisionRefusal::Invalid(fields) => Error::Invalid(fields),
    })
}

/// Commits and answers the bloc's results as they are now: for published results, the
/// latest stored revision (what the public reads), else the staff preview.
async fn results_now(mut tx: Tx, year: Year, bloc_id: BlocId) -> Result<Json<BlocResults>> {
    let mut results = store::results(&mut tx, year, bloc_id).await?;
    if results.published {
        if let Some(latest) = crate::store::revisions::latest_with_results(&mut tx, year, bloc_id).await? {
            results = revisions::parse(&latest)?.unwrap_or(results);
        }
    }
    tx.commit().await?;
    Ok(Json(results))
}

#[derive(Serialize)]
struct WithdrawalAudit<'a> {
    reason: &'a str,
}

#[derive(Serialize)]
struct Key {
    unit_id: UnitId,
    award_type_id: AwardTypeId,
}

#[derive(Serialize)]
struct DecisionAudit<'a> {
    unit_id: UnitId,
    award_type_id: AwardTypeId,
    #[serde(flatten)]
    decision: &'a Decision,
}
