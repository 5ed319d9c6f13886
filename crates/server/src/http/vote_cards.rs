//! The delegates' side of the vote: a card's code opens the ballot on the delegate's phone
//! and casts it once, for a receipt. No sign-in, no cookie; the code travels in the body
//! (never in a URL, which logs and proxies keep). The ballot is stored with a random id and
//! its ticks only, and the card is marked used in another table: nothing stored or logged
//! joins the two.

use axum::extract::State;
use thidua_domain::error::ApiErrorBody;
use thidua_domain::vote::{check_cast, CardBallot, CardCode, Cast, Named, Receipt, VoteState};

use super::error::{valid, Result};
use super::vote_error::VoteError;
use super::votes::{ballot_id, card_code, printed, random_symbols};
use crate::accounts::token_hash;
use crate::http::extract::Json;
use crate::http::state::{begin_read, begin_write, AppState};
use crate::store::votes::{self, Card};
use crate::store::{self, awards};

/// The card's row, or 404 `card_unknown`.
async fn find_card(tx: &mut crate::db::Tx, typed: &str) -> Result<(String, Card)> {
    let hash = token_hash(&card_code(typed)?);
    let card = votes::card(tx, &hash).await?.ok_or(VoteError::CardUnknown)?;
    Ok((hash, card))
}

/// What a card opens: the ballot with its award types' and units' names while the vote is
/// open, and the receipt once the card has voted.
#[utoipa::path(
    post,
    path = "/api/vote/ballot",
    tag = "vote",
    request_body = CardCode,
    responses(
        (status = 200, description = "The ballot this card votes on", body = CardBallot),
        (status = 404, description = "`card_unknown`", body = ApiErrorBody),
        (status = 409, description = "`card_voided`", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `code` `invalid` (not a card code)", body = ApiErrorBody),
    )
)]
pub async fn card_ballot(State(state): State<AppState>, Json(code): Json<CardCode>) -> Result<Json<CardBallot>> {
    let mut tx = begin_read(&state).await?;
    let (_, card) = find_card(&mut tx, &code.code).await?;
    if card.state == "voided" {
        return Err(VoteError::CardVoided.into());
    }
    let session = votes::session(&mut tx, card.year, card.bloc_id).await?.ok_or(VoteError::CardUnknown)?;
    let ballot = printed(&mut tx, card.year, card.bloc_id).await?;
    let types = awards::award_types(&mut tx, card.year).await?;
    let members = store::members(&mut tx, card.year, card.bloc_id).await?;
    let awards = ballot
        .sections
        .iter()
        .filter_map(|s| types.iter().find(|t| t.id == s.award_type_id))
        .map(|t| Named { id: t.id, name: t.name.clone() })
        .collect();
    let units = members
        .iter()
        .filter(|u| ballot.sections.iter().any(|s| s.units.contains(&u.id)))
        .map(|u| Named { id: u.id, name: u.name.clone() })
        .collect();
    Ok(Json(CardBallot { ballot, awards, units, state: session.state, receipt: card.receipt }))
}

/// Casts the card's ballot: stored once, with a random id and the ticks only; the card is
/// marked used with the receipt it answers. The same card again answers the same receipt and
/// stores nothing (`stored: false`), however often and however fast it is sent.
#[utoipa::path(
    post,
    path = "/api/vote/cast",
    tag = "vote",
    request_body = Cast,
    responses(
        (status = 200, description = "The receipt", body = Receipt),
        (status = 404, description = "`card_unknown`", body = ApiErrorBody),
        (status = 409, description = "`card_voided`, `vote_closed` or `card_not_unused` (voided while this cast waited)", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `code` `invalid`; `ticks.{award_type_id}` `invalid` (not on the ballot) or `above_max` (more than the quota)", body = ApiErrorBody),
    )
)]
pub async fn cast(State(state): State<AppState>, Json(cast): Json<Cast>) -> Result<Json<Receipt>> {
    // Checked on a read first: an unknown, voided or used card, a closed vote or a bad ballot
    // never waits for (or holds) the one write lock every writer shares.
    let mut read = begin_read(&state).await?;
    let (hash, card) = find_card(&mut read, &cast.code).await?;
    if let Some(answer) = castable(&mut read, &card, &cast).await? {
        return Ok(Json(answer));
    }
    drop(read);
    let mut tx = begin_write(&state).await?;
    let (_, card) = find_card(&mut tx, &cast.code).await?;
    if let Some(answer) = castable(&mut tx, &card, &cast).await? {
        return Ok(Json(answer));
    }
    let receipt = new_receipt(&mut tx).await?;
    // Writers take turns (`begin_write`), so the card is still unused here; checked anyway.
    if !votes::use_card(&mut tx, &hash, &receipt).await? {
        return Err(VoteError::CardNotUnused.into());
    }
    votes::insert_ballot(&mut tx, card.year, card.bloc_id, &ballot_id()?, &cast.ballot()).await?;
    tx.commit().await?;
    Ok(Json(Receipt { receipt, stored: true }))
}

/// `Some(receipt)` when the card has voted (the same answer again), an error when it may not
/// vote or the ballot is not valid, `None` when the cast may be stored.
async fn castable(tx: &mut crate::db::Tx, card: &Card, cast: &Cast) -> Result<Option<Receipt>> {
    match (card.state.as_str(), &card.receipt) {
        ("voided", _) => return Err(VoteError::CardVoided.into()),
        (_, Some(receipt)) => return Ok(Some(Receipt { receipt: receipt.clone(), stored: false })),
        _ => {}
    }
    let session = votes::session(tx, card.year, card.bloc_id).await?.ok_or(VoteError::CardUnknown)?;
    if session.state != VoteState::Open {
        return Err(VoteError::Closed.into());
    }
    valid(check_cast(&cast.ticks, &session.sections))?;
    Ok(None)
}

/// A receipt no card holds yet (8 symbols, 40 bits: a repeat is rare, and tried again).
async fn new_receipt(tx: &mut crate::db::Tx) -> Result<String> {
    loop {
        let symbols = random_symbols(8)?;
        let receipt = format!("{}-{}", &symbols[..4], &symbols[4..]);
        if !votes::receipt_taken(tx, &receipt).await? {
            return Ok(receipt);
        }
    }
}
