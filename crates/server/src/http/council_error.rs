//! The Council's list's refusals: part of the API's one error type (`Error::Council`).

use axum::http::StatusCode;

#[derive(Debug, thiserror::Error)]
pub enum CouncilError {
    /// 409: a decision is made from the Council's list only for an approved proposal.
    #[error("the Council has not approved this proposal: record its approval first")]
    NotApproved,
    /// 409: a decision is recorded for this proposal; its approval stands until the decision
    /// is removed.
    #[error("a decision is recorded for this proposal: remove the decision before changing the Council's outcome")]
    DecisionRecorded,
    /// 404: no outcome is recorded for this proposal.
    #[error("no outcome of the Council is recorded for this proposal")]
    OutcomeNotFound,
}

impl CouncilError {
    pub fn status(&self) -> StatusCode {
        match self {
            CouncilError::NotApproved | CouncilError::DecisionRecorded => StatusCode::CONFLICT,
            CouncilError::OutcomeNotFound => StatusCode::NOT_FOUND,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            CouncilError::NotApproved => "not_approved",
            CouncilError::DecisionRecorded => "decision_recorded",
            CouncilError::OutcomeNotFound => "outcome_not_found",
        }
    }
}
