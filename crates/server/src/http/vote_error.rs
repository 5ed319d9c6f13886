//! The conference's vote's refusals: part of the API's one error type (`Error::Vote`), in a
//! room of their own.

use axum::http::StatusCode;

#[derive(Debug, thiserror::Error)]
pub enum VoteError {
    /// 404: the bloc has no vote for the year.
    #[error("there is no vote for this bloc and year")]
    NotFound,
    /// 409: the bloc already has its vote for the year.
    #[error("this bloc already has a vote for this year")]
    Exists,
    /// 409: the vote is closed; its tally is made.
    #[error("the vote is closed")]
    Closed,
    /// 409: a tally typed in while the vote is being counted in the product.
    #[error("the vote is open: its tally comes from the count when it closes")]
    Open,
    /// 404: no card has this code (mistyped, or never printed).
    #[error("no voting card has this code")]
    CardUnknown,
    /// 409: the card was voided in front of the room.
    #[error("this voting card was voided")]
    CardVoided,
    /// 409: only an unused card can be voided.
    #[error("this card has voted or was voided already")]
    CardNotUnused,
    /// 409: another person enters this clerk's copy.
    #[error("another person enters this clerk's copy of the paper ballots")]
    ClerkTaken,
    /// 409: this person enters the other clerk's copy: two clerks are two people.
    #[error("you enter the other clerk's copy: the two copies must come from two people")]
    SameClerk,
    /// 409: the two clerks' entries of the paper ballots differ at `places` places.
    #[error("the two clerks' entries differ in {0} place(s): they must agree before the count")]
    ClerksDisagree(usize),
    /// 409: more ballots than voters present.
    #[error("{phone} phone and {paper} paper ballots are more than the {voters_present} voters present")]
    NotReconciled { phone: u32, paper: u32, voters_present: u32 },
}

impl VoteError {
    pub fn status(&self) -> StatusCode {
        match self {
            VoteError::NotFound | VoteError::CardUnknown => StatusCode::NOT_FOUND,
            _ => StatusCode::CONFLICT,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            VoteError::NotFound => "vote_not_found",
            VoteError::Exists => "vote_exists",
            VoteError::Closed => "vote_closed",
            VoteError::Open => "vote_open",
            VoteError::CardUnknown => "card_unknown",
            VoteError::CardVoided => "card_voided",
            VoteError::CardNotUnused => "card_not_unused",
            VoteError::ClerkTaken => "clerk_taken",
            VoteError::SameClerk => "same_clerk",
            VoteError::ClerksDisagree(_) => "clerks_disagree",
            VoteError::NotReconciled { .. } => "not_reconciled",
        }
    }
}
