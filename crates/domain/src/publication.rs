//! Publication: the server decides, not the page. Publishing is refused while the results
//! have problems that staff have not acknowledged, exactly and in writing; the reason they
//! give is stored and shown to the public beside the results. Any client of the API gets
//! the same protection, and the staff page asks the same function what to list.

use serde::{Deserialize, Serialize};

use crate::tally::Broken;
use crate::award_types::AwardTypeId;
use crate::error::{push, FieldError, FieldErrors};
use crate::results::{BlocResults, NotVerified};
use crate::UnitId;

/// Something a reader of the published results must be told about, and staff must accept
/// in writing before publishing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum PublishProblem {
    /// The year has award types but no acclaim vote was entered: nobody would be proposed.
    NoTally,
    /// A member's sheet is not approved: it is published as not ranked, with its state.
    SheetNotApproved { unit_id: UnitId, state: NotVerified },
    /// Candidates level in votes for the last places of a quota that the award type's rule
    /// did not settle and staff have not decided in writing.
    VoteTie { award_type_id: AwardTypeId, unit_ids: Vec<UnitId> },
    /// More units proposed (by overrides) than the quota allows.
    OverQuota { award_type_id: AwardTypeId, quota: u32, proposed: u32 },
    /// A unit proposed (by an override) with fewer votes than the threshold.
    BelowThreshold { award_type_id: AwardTypeId, unit_id: UnitId },
    /// A unit proposed (by an override) that fails a condition of the award type.
    NotEligible { award_type_id: AwardTypeId, unit_id: UnitId },
}

/// `POST …/publish`: the problems the staff member saw and accepts, and why publishing
/// now is right. Both may be left out when the results have no problem.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    #[serde(default)]
    pub acknowledge: Vec<PublishProblem>,
    #[serde(default)]
    pub reason: String,
}

/// What was accepted when the results were published, shown beside them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicationNote {
    /// Empty when there was nothing to accept.
    pub reason: String,
    pub acknowledged: Vec<PublishProblem>,
}

pub const REASON_MAX: u32 = 2000;

/// Every problem of the results, in a stable order: the tally, the sheets, then per award
/// type (in precedence order) ties, the quota, and each proposal against the rules.
pub fn publication_problems(results: &BlocResults) -> Vec<PublishProblem> {
    let mut out = Vec::new();
    if results.tally.is_none() && !results.award_types.is_empty() {
        out.push(PublishProblem::NoTally);
    }
    for row in &results.unranked {
        out.push(PublishProblem::SheetNotApproved { unit_id: row.unit.id, state: row.state });
    }
    for t in &results.award_types {
        for tie in results.vote_ties.iter().filter(|v| v.award_type_id == t.id && !v.settled) {
            out.push(PublishProblem::VoteTie { award_type_id: t.id, unit_ids: tie.unit_ids.clone() });
        }
        let of_type = || results.candidates.iter().filter(|c| c.award_type_id == t.id);
        let proposed = of_type().filter(|c| c.proposed).count() as u32;
        if proposed > t.quota_per_bloc {
            out.push(PublishProblem::OverQuota { award_type_id: t.id, quota: t.quota_per_bloc, proposed });
        }
        for c in of_type().filter(|c| c.proposed) {
            if c.broken.iter().any(|b| matches!(b.broken, Broken::Threshold { .. })) {
                out.push(PublishProblem::BelowThreshold { award_type_id: t.id, unit_id: c.unit_id });
            }
            if c.broken.iter().any(|b| matches!(b.broken, Broken::Eligibility { .. })) {
                out.push(PublishProblem::NotEligible { award_type_id: t.id, unit_id: c.unit_id });
            }
        }
    }
    out
}

/// Why a publication is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublishRefusal {
    /// 409: the acknowledgement is not exactly the results' problems (listed here).
    Unacknowledged(Vec<PublishProblem>),
    /// 422: problems acknowledged without a written reason (or one too long).
    Invalid(FieldErrors),
}

/// Publishing is allowed when the request acknowledges exactly `problems` (in any order,
/// nothing more, nothing less) and, if there are any, gives a reason.
pub fn check_publication(problems: &[PublishProblem], request: &PublishRequest) -> Result<(), PublishRefusal> {
    let same = request.acknowledge.len() == problems.len()
        && problems.iter().all(|p| request.acknowledge.contains(p))
        && request.acknowledge.iter().all(|p| problems.contains(p));
    if !same {
        return Err(PublishRefusal::Unacknowledged(problems.to_vec()));
    }
    let mut errors = FieldErrors::new();
    if !problems.is_empty() && request.reason.trim().is_empty() {
        push(&mut errors, "reason", FieldError::Required);
    }
    if request.reason.chars().count() > REASON_MAX as usize {
        push(&mut errors, "reason", FieldError::TooLong { max: REASON_MAX });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(PublishRefusal::Invalid(errors))
    }
}
