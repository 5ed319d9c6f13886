//! The conference's vote in the product (issue 21), as staff and the bloc leader's officer run
//! it: the printed ballot, opening the vote with its cards, voiding a card, each clerk's entry
//! of the paper ballots, and closing, which makes the tally. The delegates' side is
//! `vote_cards`. Who may: as for the tally (`thidua_domain::tally::check_tally_entry`), and
//! only while the bloc's results are unpublished (closing writes the tally).
//!
//! While the vote is open, every answer holds counts only. Nothing here reads or answers a
//! single phone ballot before closing, and nothing ever joins one to a card.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use thidua_domain::award_types::AwardTypeId;
use thidua_domain::ballots::{compare, Ballot, BallotSection, ValidityRules};
use thidua_domain::error::{push, ApiErrorBody, FieldError, FieldErrors};
use thidua_domain::tally::{award_permissions, check_tally_entry, Standing, TallyMethod, TallyRefusal};
use thidua_domain::thresholds::validate_bases;
use thidua_domain::vote::{
    self, ballot_label, ballot_sections, check_open, check_paper, clerk_entry, normalize_card_code, CardCode,
    CloseRefusal, CloseVote, IssuedCards, MoreCards, OpenVote, PaperEntry, PrintedBallot, VoteResult, VoteSession,
    VoteState,
};
use thidua_domain::Points;
use thidua_domain::{BlocId, UnitId, Year};
use utoipa::IntoParams;

use super::auth::CurrentUser;
use super::error::{valid, Error, Result};
use super::vote_error::VoteError;
use crate::accounts::token_hash;
use crate::clock::now;
use crate::db::{Engine, Tx};
use crate::http::extract::{audit_json, Json, Path};
use crate::http::params::BlocPath;
use crate::http::state::{begin_read, begin_write, AppState};
use crate::store::awards::{self, AwardAudit};
use crate::store::votes::{self, Session};
use crate::store::{self, admin};

const PUBLISHED_BLOC: &str = "the results of this bloc are published";

/// `/…/vote/paper/{clerk}`.
#[derive(Debug, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ClerkPath {
    /// The emulation year
    #[param(value_type = i32)]
    pub year: Year,
    /// The bloc's id
    #[param(value_type = i64)]
    pub bloc_id: BlocId,
    /// The clerk: 1 or 2
    #[param(minimum = 1, maximum = 2)]
    pub clerk: u8,
}

/// 403, 409 `published` or `year_closed` unless `user` may run this bloc's vote now.
async fn may_run(tx: &mut Tx, user: &CurrentUser, year: Year, bloc_id: BlocId) -> Result<()> {
    let bloc = store::bloc_year(tx, year, bloc_id).await?;
    let open = admin::years::year(tx, year).await?.open;
    let published = bloc.published_at.is_some();
    check_tally_entry(&user.principal, bloc.leader_unit_id, published, open).map_err(|refusal| match refusal {
        TallyRefusal::Forbidden => Error::Forbidden,
        TallyRefusal::Published => Error::Published(PUBLISHED_BLOC),
        TallyRefusal::YearClosed => Error::YearClosed(year),
    })?;
    if published {
        // Closing writes the tally: staff too unpublish first.
        return Err(Error::Published(PUBLISHED_BLOC));
    }
    Ok(())
}

/// 403 unless `user` may see this bloc's vote: as for the tally, but also once the results are
/// published or the year closed (the count, the receipts and the minutes stay readable).
async fn may_read(tx: &mut Tx, user: &CurrentUser, year: Year, bloc_id: BlocId) -> Result<()> {
    let bloc = store::bloc_year(tx, year, bloc_id).await?;
    match award_permissions(Some(&user.principal), bloc.leader_unit_id).enter_tally {
        true => Ok(()),
        false => Err(Error::Forbidden),
    }
}

/// The ballot as it would be printed now: the ranking's approved members that meet each award
/// type's conditions.
async fn ballot_now(tx: &mut Tx, year: Year, bloc_id: BlocId) -> Result<(String, Vec<BallotSection>)> {
    let results = store::results(tx, year, bloc_id).await?;
    let standings: Vec<Standing> = results
        .ranking
        .iter()
        .map(|r| Standing { unit_id: r.unit.id, rank: r.rank, total: r.total, approved: true })
        .collect();
    Ok((results.bloc_name, ballot_sections(&results.award_types, &standings)))
}

/// The printed ballot: as the vote has it once opened, else as the ranking gives it now.
pub(super) async fn printed(tx: &mut Tx, year: Year, bloc_id: BlocId) -> Result<PrintedBallot> {
    let (bloc_name, now) = ballot_now(tx, year, bloc_id).await?;
    let sections = match votes::session(tx, year, bloc_id).await? {
        Some(s) => s.sections,
        None => now,
    };
    let label = ballot_label(year, bloc_id, &sections);
    Ok(PrintedBallot { year, bloc_id, bloc_name, label, sections })
}

async fn view(tx: &mut Tx, year: Year, bloc_id: BlocId, s: Session) -> Result<VoteSession> {
    let cards = votes::card_counts(tx, year, bloc_id).await?;
    let first = votes::paper(tx, year, bloc_id, 1).await?;
    let second = votes::paper(tx, year, bloc_id, 2).await?;
    let disagreements = compare(&first, &second);
    let result = match (s.state, s.voters_present, s.result) {
        (VoteState::Closed, Some(voters_present), Some(count)) => Some(VoteResult {
            voters_present,
            phone_ballots: cards.cast,
            paper_ballots: first.len() as u32,
            count,
            receipts: votes::receipts(tx, year, bloc_id).await?,
        }),
        _ => None,
    };
    Ok(VoteSession {
        year,
        bloc_id,
        state: s.state,
        ballot_label: s.label,
        clerks: vec![clerk_entry(1, first, &s.sections, &s.rules), clerk_entry(2, second, &s.sections, &s.rules)],
        sections: s.sections,
        rules: s.rules,
        committee: s.committee,
        cards,
        disagreements,
        result,
    })
}

async fn session_of(tx: &mut Tx, year: Year, bloc_id: BlocId) -> Result<Session> {
    votes::session(tx, year, bloc_id).await?.ok_or(Error::Vote(VoteError::NotFound))
}

async fn open_session(tx: &mut Tx, year: Year, bloc_id: BlocId) -> Result<Session> {
    let s = session_of(tx, year, bloc_id).await?;
    match s.state {
        VoteState::Open => Ok(s),
        VoteState::Closed => Err(VoteError::Closed.into()),
    }
}

/// `n` random bytes from the operating system.
pub(super) fn random_bytes(n: usize) -> Result<Vec<u8>> {
    let mut bytes = vec![0u8; n];
    getrandom::getrandom(&mut bytes).map_err(|e| {
        tracing::error!(error = %e, "no randomness from the operating system");
        Error::Internal
    })?;
    Ok(bytes)
}

/// `len` symbols of the card alphabet (32 symbols: a byte modulo 32 is uniform).
pub(super) fn random_symbols(len: usize) -> Result<String> {
    Ok(random_bytes(len)?.into_iter().map(|b| vote::CARD_ALPHABET[usize::from(b % 32)] as char).collect())
}

/// Prints `n` new cards: their codes, and the hashes that are stored.
async fn print_cards(tx: &mut Tx, year: Year, bloc_id: BlocId, n: u32) -> Result<Vec<String>> {
    let mut codes = Vec::with_capacity(n as usize);
    for _ in 0..n {
        codes.push(random_symbols(vote::CARD_CODE_LEN)?);
    }
    let hashes: Vec<String> = codes.iter().map(|c| token_hash(c)).collect();
    votes::add_cards(tx, year, bloc_id, &hashes).await?;
    Ok(codes.iter().map(|c| vote::format_card_code(c)).collect())
}

async fn audit(
    tx: &mut Tx,
    user: &CurrentUser,
    year: Year,
    bloc_id: BlocId,
    action: &str,
    detail: String,
) -> Result<()> {
    let entry = AwardAudit { user: user.principal.user_id, at: now(), year, bloc_id: Some(bloc_id), action, detail };
    Ok(awards::audit(tx, entry).await?)
}

/// The ballot for the bloc and year, to print: each award type with "chọn không quá N đơn
/// vị" and the units that may stand, and its label. Before the vote opens it follows the
/// ranking; once open, it is the ballot the vote counts.
#[utoipa::path(
    get,
    path = "/api/years/{year}/blocs/{bloc_id}/vote/ballot",
    tag = "vote",
    params(BlocPath),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The ballot to print", body = PrintedBallot),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff or the officer of the bloc's leader unit only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
    )
)]
pub async fn get_ballot(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
) -> Result<Json<PrintedBallot>> {
    let mut tx = begin_read(&state).await?;
    may_read(&mut tx, &user, year, bloc_id).await?;
    Ok(Json(printed(&mut tx, year, bloc_id).await?))
}

/// The vote as it stands: the ballot, the cards as counts (issued, cast, voided: never which
/// card), each clerk's entry with its running count, where the two entries differ, and once
/// closed the result with the receipts handed out.
#[utoipa::path(
    get,
    path = "/api/years/{year}/blocs/{bloc_id}/vote",
    tag = "vote",
    params(BlocPath),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The vote", body = VoteSession),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`, `bloc_not_found` or `vote_not_found`", body = ApiErrorBody),
    )
)]
pub async fn get_vote(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
) -> Result<Json<VoteSession>> {
    let mut tx = begin_read(&state).await?;
    may_read(&mut tx, &user, year, bloc_id).await?;
    let s = session_of(&mut tx, year, bloc_id).await?;
    Ok(Json(view(&mut tx, year, bloc_id, s).await?))
}

/// Opens the vote: the ballot is fixed as it is now, and `cards` voting cards are printed.
/// Their codes are in this answer only (the server keeps their hashes): print them now.
#[utoipa::path(
    post,
    path = "/api/years/{year}/blocs/{bloc_id}/vote",
    tag = "vote",
    params(BlocPath),
    request_body = OpenVote,
    security(("session_cookie" = [])),
    responses(
        (status = 201, description = "Opened; the cards' codes", body = IssuedCards),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
        (status = 409, description = "`published`, `year_closed` or `vote_exists`", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `cards` `above_max`; `committee` or `rules.legal_basis` `too_long`, `rules.legal_basis` `required`; `ballot` `required` (no unit may stand for any award)", body = ApiErrorBody),
    )
)]
pub async fn open_vote(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
    Json(open): Json<OpenVote>,
) -> Result<(StatusCode, Json<IssuedCards>)> {
    let mut tx = begin_write(&state).await?;
    may_run(&mut tx, &user, year, bloc_id).await?;
    if votes::session(&mut tx, year, bloc_id).await?.is_some() {
        return Err(VoteError::Exists.into());
    }
    let (_, sections) = ballot_now(&mut tx, year, bloc_id).await?;
    valid(check_open(&open, &sections))?;
    let rules = open.rules.clone().unwrap_or_default();
    let label = ballot_label(year, bloc_id, &sections);
    votes::create_session(&mut tx, year, bloc_id, &sections, &label, &rules, open.committee.trim()).await?;
    let codes = print_cards(&mut tx, year, bloc_id, open.cards).await?;
    #[derive(Serialize)]
    struct Opened<'a> {
        ballot_label: &'a str,
        cards: u32,
        rules: &'a ValidityRules,
    }
    audit(
        &mut tx,
        &user,
        year,
        bloc_id,
        "open_vote",
        audit_json(&Opened { ballot_label: &label, cards: open.cards, rules: &rules })?,
    )
    .await?;
    let s = session_of(&mut tx, year, bloc_id).await?;
    let session = view(&mut tx, year, bloc_id, s).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(IssuedCards { codes, session })))
}

/// Takes back an open vote (opened by mistake, or to start again): its cards, any phone
/// ballots and the clerks' entries are deleted, and the taking back is audited. A closed
/// vote made the tally: it is corrected on the tally, never undone here.
#[utoipa::path(
    delete,
    path = "/api/years/{year}/blocs/{bloc_id}/vote",
    tag = "vote",
    params(BlocPath),
    security(("session_cookie" = [])),
    responses(
        (status = 204, description = "Taken back"),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`, `bloc_not_found` or `vote_not_found`", body = ApiErrorBody),
        (status = 409, description = "`published`, `year_closed` or `vote_closed`", body = ApiErrorBody),
    )
)]
pub async fn cancel_vote(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
) -> Result<StatusCode> {
    let mut tx = begin_write(&state).await?;
    may_run(&mut tx, &user, year, bloc_id).await?;
    open_session(&mut tx, year, bloc_id).await?;
    let cards = votes::card_counts(&mut tx, year, bloc_id).await?;
    votes::delete_session(&mut tx, year, bloc_id).await?;
    audit(&mut tx, &user, year, bloc_id, "cancel_vote", audit_json(&cards)?).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Prints more cards for the open vote (delegates who came late, a spoiled card).
#[utoipa::path(
    post,
    path = "/api/years/{year}/blocs/{bloc_id}/vote/cards",
    tag = "vote",
    params(BlocPath),
    request_body = MoreCards,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The new cards' codes", body = IssuedCards),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`, `bloc_not_found` or `vote_not_found`", body = ApiErrorBody),
        (status = 409, description = "`published`, `year_closed` or `vote_closed`", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `cards` `not_positive` or `above_max`", body = ApiErrorBody),
    )
)]
pub async fn more_cards(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
    Json(more): Json<MoreCards>,
) -> Result<Json<IssuedCards>> {
    let mut tx = begin_write(&state).await?;
    may_run(&mut tx, &user, year, bloc_id).await?;
    open_session(&mut tx, year, bloc_id).await?;
    let mut errors = FieldErrors::new();
    if more.cards == 0 {
        push(&mut errors, "cards", FieldError::NotPositive);
    } else if more.cards > vote::CARDS_MAX {
        push(&mut errors, "cards", FieldError::AboveMax { max: Points::whole(i64::from(vote::CARDS_MAX)) });
    }
    valid(errors)?;
    let codes = print_cards(&mut tx, year, bloc_id, more.cards).await?;
    audit(&mut tx, &user, year, bloc_id, "print_cards", audit_json(&more)?).await?;
    let s = session_of(&mut tx, year, bloc_id).await?;
    let session = view(&mut tx, year, bloc_id, s).await?;
    tx.commit().await?;
    Ok(Json(IssuedCards { codes, session }))
}

/// Voids an unused card, by the code on it, in front of the room.
#[utoipa::path(
    post,
    path = "/api/years/{year}/blocs/{bloc_id}/vote/void",
    tag = "vote",
    params(BlocPath),
    request_body = CardCode,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Voided; the vote", body = VoteSession),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`, `bloc_not_found`, `vote_not_found` or `card_unknown` (no card of this vote has that code)", body = ApiErrorBody),
        (status = 409, description = "`published`, `year_closed`, `vote_closed` or `card_not_unused`", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `code` `invalid` (not a card code)", body = ApiErrorBody),
    )
)]
pub async fn void_card(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
    Json(card): Json<CardCode>,
) -> Result<Json<VoteSession>> {
    let mut tx = begin_write(&state).await?;
    may_run(&mut tx, &user, year, bloc_id).await?;
    open_session(&mut tx, year, bloc_id).await?;
    let code = card_code(&card.code)?;
    let hash = token_hash(&code);
    match votes::card(&mut tx, &hash).await? {
        Some(c) if c.year == year && c.bloc_id == bloc_id => {}
        _ => return Err(VoteError::CardUnknown.into()),
    }
    if !votes::void_card(&mut tx, year, bloc_id, &hash).await? {
        return Err(VoteError::CardNotUnused.into());
    }
    audit(&mut tx, &user, year, bloc_id, "void_card", "{}".to_owned()).await?;
    let s = session_of(&mut tx, year, bloc_id).await?;
    let session = view(&mut tx, year, bloc_id, s).await?;
    tx.commit().await?;
    Ok(Json(session))
}

/// One clerk's entry of the paper ballots, whole, as it grows (ballot by ballot, in the
/// stack's order): saved as sent, counted as it stands, and compared with the other clerk's.
#[utoipa::path(
    put,
    path = "/api/years/{year}/blocs/{bloc_id}/vote/paper/{clerk}",
    tag = "vote",
    params(ClerkPath),
    request_body = PaperEntry,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Saved; the vote with both entries and where they differ", body = VoteSession),
        (status = 400, description = "`bad_request`: the clerk is not 1 or 2", body = ApiErrorBody),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`, `bloc_not_found` or `vote_not_found`", body = ApiErrorBody),
        (status = 409, description = "`published`, `year_closed`, `vote_closed`, `clerk_taken` (another person enters this copy) or `same_clerk` (this person enters the other copy)", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `ballots.{i}.set_aside` `required` or `too_long`; `ballots.{i}.ticks.{award_type_id}` `invalid` (not on the ballot); `ballots` `too_many`", body = ApiErrorBody),
    )
)]
pub async fn put_paper(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(ClerkPath { year, bloc_id, clerk }): Path<ClerkPath>,
    Json(entry): Json<PaperEntry>,
) -> Result<Json<VoteSession>> {
    if !(1..=2).contains(&clerk) {
        return Err(Error::BadRequest("the clerk is 1 or 2".to_owned()));
    }
    let mut tx = begin_write(&state).await?;
    may_run(&mut tx, &user, year, bloc_id).await?;
    let s = open_session(&mut tx, year, bloc_id).await?;
    valid(check_paper(&entry, &s.sections))?;
    // Two clerks are two people: the first to save an entry holds it, and nobody holds both.
    let me = user.principal.user_id;
    match votes::clerk_user(&mut tx, year, bloc_id, clerk).await? {
        Some(holder) if holder != me => return Err(VoteError::ClerkTaken.into()),
        Some(_) => {}
        None => {
            let other = if clerk == 1 { 2 } else { 1 };
            if votes::clerk_user(&mut tx, year, bloc_id, other).await? == Some(me) {
                return Err(VoteError::SameClerk.into());
            }
            votes::set_clerk_user(&mut tx, year, bloc_id, clerk, me).await?;
        }
    }
    votes::replace_paper(&mut tx, year, bloc_id, clerk, &entry.ballots).await?;
    #[derive(Serialize)]
    struct Entered {
        clerk: u8,
        ballots: usize,
    }
    audit(&mut tx, &user, year, bloc_id, "paper_entry", audit_json(&Entered { clerk, ballots: entry.ballots.len() })?)
        .await?;
    let session = view(&mut tx, year, bloc_id, s).await?;
    tx.commit().await?;
    Ok(Json(session))
}

/// Closes the vote: the clerks' entries must agree and the ballots (phone and paper) be no
/// more than the voters present; the count of both together becomes the bloc's tally
/// ("counted"), from which the proposals follow. Phone voting ends with it: cards still unused
/// are voided.
#[utoipa::path(
    post,
    path = "/api/years/{year}/blocs/{bloc_id}/vote/close",
    tag = "vote",
    params(BlocPath),
    request_body = CloseVote,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Closed; the vote with its result", body = VoteSession),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`, `bloc_not_found` or `vote_not_found`", body = ApiErrorBody),
        (status = 409, description = "`published`, `year_closed`, `vote_closed`, `clerks_disagree` or `not_reconciled` (more ballots than voters present)", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `voters_present` `not_positive` or `above_max`; `membership` `invalid` (fewer than the voters present), `above_max` or `required` (written opinions without it); `written.{i}` `invalid` (not a member or award type, or twice); `written.{i}.votes` `above_max` (more than the members absent)", body = ApiErrorBody),
    )
)]
pub async fn close_vote(
    user: CurrentUser,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
    Json(close): Json<CloseVote>,
) -> Result<Json<VoteSession>> {
    let mut tx = begin_write(&state).await?;
    may_run(&mut tx, &user, year, bloc_id).await?;
    let s = open_session(&mut tx, year, bloc_id).await?;
    let phone = votes::ballots(&mut tx, year, bloc_id).await?;
    let first = votes::paper(&mut tx, year, bloc_id, 1).await?;
    let second = votes::paper(&mut tx, year, bloc_id, 2).await?;
    let (count, tally) =
        vote::close(&phone, [&first, &second], &close, &s.sections, &s.rules).map_err(|refusal| match refusal {
            CloseRefusal::ClerksDisagree(d) => Error::Vote(VoteError::ClerksDisagree(d.len())),
            CloseRefusal::NotReconciled { phone, paper, voters_present } => {
                Error::Vote(VoteError::NotReconciled { phone, paper, voters_present })
            }
            CloseRefusal::Invalid(fields) => Error::Invalid(fields),
        })?;
    // The membership and written opinions as a typed tally's: fields named as in this body.
    let members: Vec<UnitId> = store::members(&mut tx, year, bloc_id).await?.into_iter().map(|u| u.id).collect();
    let types: Vec<AwardTypeId> = awards::award_types(&mut tx, year).await?.into_iter().map(|t| t.id).collect();
    let problems: FieldErrors = validate_bases(&tally, &members, &types)
        .into_iter()
        .map(|(field, errors)| (field.strip_prefix("tally.").unwrap_or(&field).to_owned(), errors))
        .collect();
    valid(problems)?;
    let shuffled: Vec<(String, Ballot)> =
        shuffle(phone)?.into_iter().map(|b| Ok((ballot_id()?, b))).collect::<Result<_>>()?;
    let cards = shuffle(votes::cards(&mut tx, year, bloc_id).await?)?;
    let voided_now = cards.iter().filter(|(_, state, _)| state == "unused").count();
    let engine = Engine::of(&state.db);
    votes::close(&mut tx, engine, year, bloc_id, close.voters_present, &count, &shuffled, &cards).await?;
    awards::replace_tally(&mut tx, year, bloc_id, &tally, TallyMethod::Counted).await?;
    awards::bump_version(&mut tx, year, Some(bloc_id)).await?;
    #[derive(Serialize)]
    struct Closed {
        voters_present: u32,
        phone_ballots: usize,
        paper_ballots: usize,
        cards_voided: usize,
    }
    let detail = Closed {
        voters_present: close.voters_present,
        phone_ballots: shuffled.len(),
        paper_ballots: first.len(),
        cards_voided: voided_now,
    };
    audit(&mut tx, &user, year, bloc_id, "close_vote", audit_json(&detail)?).await?;
    let s = session_of(&mut tx, year, bloc_id).await?;
    let session = view(&mut tx, year, bloc_id, s).await?;
    tx.commit().await?;
    if let Err(e) = votes::compact(&state.db).await {
        // The vote is closed and counted; only the clean-up of old row versions failed.
        tracing::warn!(error = %e, "after closing a vote: compacting the ballots' tables failed");
    }
    Ok(Json(session))
}

/// `rows` in a random order (Fisher–Yates over the system's randomness).
fn shuffle<T>(mut rows: Vec<T>) -> Result<Vec<T>> {
    let n = rows.len();
    let random = random_bytes(8 * n)?;
    for i in (1..n).rev() {
        let r = u64::from_le_bytes(random[8 * i..8 * i + 8].try_into().unwrap_or_default());
        rows.swap(i, (r % (i as u64 + 1)) as usize);
    }
    Ok(rows)
}

/// A phone ballot's id: 16 random bytes in hex, which say nothing about when it came.
pub(super) fn ballot_id() -> Result<String> {
    Ok(random_bytes(16)?.iter().map(|b| format!("{b:02x}")).collect())
}

/// The card code in its stored form, or 422 `code` `invalid`.
pub(super) fn card_code(typed: &str) -> Result<String> {
    normalize_card_code(typed).ok_or_else(|| {
        let mut errors = FieldErrors::new();
        push(&mut errors, "code", FieldError::Invalid);
        Error::Invalid(errors)
    })
}
