//! What results carry about their publication: the problems staff must accept before
//! publishing, the note of what they accepted, a revision's stamp, and a sheet's standing when
//! it is not ranked. Types and their names only, no rules, so that the results, the
//! publication rules, the revisions and the API's error body can all name them without naming
//! each other.

use serde::{Deserialize, Serialize};

use crate::workflow::SheetState;
use crate::{AwardTypeId, UnitId};

/// Where a member's sheet stands when it has not been approved. Such a member has no total
/// and no rank: a sheet that nobody verified is not a result, and showing it as 0 points
/// (ranked last) would tell the reader something false about the unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotVerified {
    /// No sheet at all for the year.
    NoSheet,
    /// The unit is still filling it in.
    Draft,
    /// Submitted, not yet verified.
    Submitted,
    /// Returned to the unit with a comment.
    Returned,
}

impl NotVerified {
    /// `None` for an approved sheet: that one is ranked.
    pub fn of(state: Option<SheetState>) -> Option<NotVerified> {
        match state {
            None => Some(NotVerified::NoSheet),
            Some(SheetState::Draft) => Some(NotVerified::Draft),
            Some(SheetState::Submitted) => Some(NotVerified::Submitted),
            Some(SheetState::Returned) => Some(NotVerified::Returned),
            Some(SheetState::Approved) => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NotVerified::NoSheet => "no_sheet",
            NotVerified::Draft => "draft",
            NotVerified::Submitted => "submitted",
            NotVerified::Returned => "returned",
        }
    }
}

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

/// What was accepted when the results were published, shown beside them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicationNote {
    /// Empty when there was nothing to accept.
    pub reason: String,
    pub acknowledged: Vec<PublishProblem>,
}

pub const REASON_MAX: u32 = 2000;

/// A revision's number within its bloc-year: 1, 2, …
pub type RevisionNumber = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RevisionKind {
    /// Published (the first time, or again after a withdrawal).
    Published,
    /// A change while published (a decision entered, corrected or removed, …), with its reason.
    Revised,
    /// Taken back from the public, with its reason; it has no results of its own.
    Withdrawn,
}

impl RevisionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RevisionKind::Published => "published",
            RevisionKind::Revised => "revised",
            RevisionKind::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Option<RevisionKind> {
        match text {
            "published" => Some(RevisionKind::Published),
            "revised" => Some(RevisionKind::Revised),
            "withdrawn" => Some(RevisionKind::Withdrawn),
            _ => None,
        }
    }
}

/// What the results JSON of a revision says about itself (`BlocResults::revision`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionStamp {
    pub number: RevisionNumber,
    /// When it was stored, RFC 3339 UTC (`2019-03-01T08:30:00Z`).
    pub at: String,
    pub kind: RevisionKind,
    /// Why: the publication's reason for the first one, the change's reason after.
    pub reason: String,
}
