//! The conference's vote: staff's and the counting committee's calls, and a delegate's card
//! (no sign-in: the card's code is in the body, never in the URL).

use gloo_net::http::Method;
use thidua_domain::ballots::Ballot;
use thidua_domain::vote::{
    CardBallot, CardCode, Cast, CloseVote, IssuedCards, MoreCards, OpenVote, PaperEntry, PrintedBallot, Receipt,
    VoteSession,
};
use thidua_domain::{BlocId, Year};

use super::{write, write_json};
use crate::api::{get_json, ApiResult};

fn base(year: Year, bloc: BlocId) -> String {
    format!("/api/years/{year}/blocs/{bloc}/vote")
}

pub async fn ballot(year: Year, bloc: BlocId) -> ApiResult<PrintedBallot> {
    get_json(&format!("{}/ballot", base(year, bloc))).await
}

/// The vote, or `NotFound { code: "vote_not_found" }` before it is opened.
pub async fn session(year: Year, bloc: BlocId) -> ApiResult<VoteSession> {
    get_json(&base(year, bloc)).await
}

pub async fn open(year: Year, bloc: BlocId, open: OpenVote) -> ApiResult<IssuedCards> {
    write_json(Method::POST, &base(year, bloc), &open).await
}

/// Takes an open vote back (its cards, phone ballots and paper entries are deleted).
pub async fn cancel(year: Year, bloc: BlocId) -> ApiResult<()> {
    write(Method::DELETE, &base(year, bloc), None).await.map(|_| ())
}

pub async fn more_cards(year: Year, bloc: BlocId, cards: u32) -> ApiResult<IssuedCards> {
    write_json(Method::POST, &format!("{}/cards", base(year, bloc)), &MoreCards { cards }).await
}

pub async fn void(year: Year, bloc: BlocId, code: String) -> ApiResult<VoteSession> {
    write_json(Method::POST, &format!("{}/void", base(year, bloc)), &CardCode { code }).await
}

pub async fn save_paper(year: Year, bloc: BlocId, clerk: u8, ballots: Vec<Ballot>) -> ApiResult<VoteSession> {
    write_json(Method::PUT, &format!("{}/paper/{clerk}", base(year, bloc)), &PaperEntry { ballots }).await
}

/// Closes with the voters present and, where a threshold counts on it, the membership (the
/// absent members' written opinions are added on the awards page's tally form).
pub async fn close(year: Year, bloc: BlocId, voters_present: u32, membership: Option<u32>) -> ApiResult<VoteSession> {
    let closing = CloseVote { voters_present, membership, written: Vec::new() };
    write_json(Method::POST, &format!("{}/close", base(year, bloc)), &closing).await
}

pub async fn card(code: String) -> ApiResult<CardBallot> {
    write_json(Method::POST, "/api/vote/ballot", &CardCode { code }).await
}

pub async fn cast(cast: Cast) -> ApiResult<Receipt> {
    write_json(Method::POST, "/api/vote/cast", &cast).await
}
