//! The provincial Council's list (danh sách đề nghị khen thưởng trình Hội đồng Thi đua - Khen
//! thưởng tỉnh): every bloc's published proposals of a year by award type, with the rank,
//! total and votes behind each, and the Council's outcome per proposal. A decision follows
//! only an approved proposal; an approval with a decision stays an approval.
//!
//! Only published results go before the Council: a bloc not published is named with that
//! reason, never left out silently.

use serde::{Deserialize, Serialize};

use crate::award_types::{AwardType, AwardTypeId};
use crate::decisions::Decision;
use crate::documents::date_vi;
use crate::error::{check_text, push, FieldError, FieldErrors};
use crate::model::Unit;
use crate::results::BlocResults;
use crate::thresholds::on_base;
use crate::{BlocId, Points, UnitId, Year};

/// The longest reason the Council's outcome carries.
pub const OUTCOME_REASON_MAX: u32 = 1000;

/// What the Council decided on one proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Đồng ý: the Council submits it for the award.
    Approved,
    /// Không đồng ý: with the Council's reason.
    NotApproved,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Approved => "approved",
            Outcome::NotApproved => "not_approved",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "approved" => Some(Outcome::Approved),
            "not_approved" => Some(Outcome::NotApproved),
            _ => None,
        }
    }
}

/// The outcome staff record for the Council: a reason is required when it is not approved,
/// and may be noted when it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OutcomeInput {
    pub outcome: Outcome,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub reason: Option<String>,
}

/// `reason` (`required` when not approved, `too_long`).
pub fn validate_outcome(input: &OutcomeInput) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let reason = input.reason.as_deref().unwrap_or_default();
    match input.outcome {
        Outcome::NotApproved => check_text(&mut errors, "reason", reason, OUTCOME_REASON_MAX),
        Outcome::Approved if reason.chars().count() > OUTCOME_REASON_MAX as usize => {
            push(&mut errors, "reason", FieldError::TooLong { max: OUTCOME_REASON_MAX })
        }
        Outcome::Approved => {}
    }
    errors
}

/// What the Council had before it on a proposal: the rank, total and votes behind it. An
/// outcome holds for these; when a later revision changes them, it is kept apart, not applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalFacts {
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub rank: Option<u32>,
    pub total: Option<Points>,
    pub votes: u32,
    pub base: Option<u32>,
}

/// The outcome as recorded, with when (UTC, RFC 3339) and on what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilOutcome {
    pub outcome: Outcome,
    /// Trimmed; absent when none was given (an approval without a note).
    pub reason: Option<String>,
    pub recorded_at: String,
    pub facts: ProposalFacts,
}

/// A recorded outcome and the proposal it is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutcomeEntry {
    pub bloc_id: BlocId,
    pub unit_id: UnitId,
    pub award_type_id: AwardTypeId,
    pub outcome: CouncilOutcome,
}

/// One bloc's proposal of one unit for one award type, as the Council reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilProposal {
    pub bloc_id: BlocId,
    pub bloc_name: String,
    pub unit: Unit,
    /// The unit's rank in its bloc (absent only if the ranking does not hold it).
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub rank: Option<u32>,
    pub total: Option<Points>,
    /// The votes the award type's threshold counts (on a membership base, written votes too).
    pub votes: u32,
    /// What the share is taken of (the threshold's base), when the tally says.
    pub base: Option<u32>,
    /// Set when staff proposed the unit against the rules: their written reason.
    pub override_reason: Option<String>,
    pub decision: Option<Decision>,
    pub outcome: Option<CouncilOutcome>,
}

impl CouncilProposal {
    pub fn facts(&self) -> ProposalFacts {
        ProposalFacts { rank: self.rank, total: self.total, votes: self.votes, base: self.base }
    }
}

/// The proposals for one award type, bloc by bloc, best rank first within a bloc.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilGroup {
    pub award_type: AwardType,
    pub proposals: Vec<CouncilProposal>,
}

/// How far the Council got with a group: approved, not approved, not yet decided.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutcomeCounts {
    pub approved: usize,
    pub not_approved: usize,
    pub pending: usize,
}

impl CouncilGroup {
    pub fn counts(&self) -> OutcomeCounts {
        self.proposals.iter().fold(OutcomeCounts::default(), |mut c, p| {
            match p.outcome.as_ref().map(|o| o.outcome) {
                Some(Outcome::Approved) => c.approved += 1,
                Some(Outcome::NotApproved) => c.not_approved += 1,
                None => c.pending += 1,
            }
            c
        })
    }
}

/// A bloc of the year and whether its proposals are before the Council.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilBloc {
    pub bloc_id: BlocId,
    pub bloc_name: String,
    /// The published revision the list reads; absent when the bloc's results are not
    /// published (then none of its proposals is before the Council).
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub revision: Option<u32>,
}

/// Why an outcome is not applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaleReason {
    /// A later revision of the bloc's results no longer makes the proposal.
    NoLongerProposed,
    /// A later revision changed the rank, total or votes the outcome was recorded on: the
    /// Council's outcome is recorded again on the results as they are.
    FactsChanged,
    /// The bloc's results are not published now (withdrawn).
    NotPublished,
}

/// An outcome recorded for a proposal the bloc's published results do not make now (a later
/// revision, or a withdrawal): kept and shown with why, never applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaleOutcome {
    pub bloc_id: BlocId,
    pub bloc_name: String,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub award_type_id: AwardTypeId,
    pub award_name: String,
    pub outcome: CouncilOutcome,
    pub why: StaleReason,
}

/// The Council's list for a year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilList {
    #[cfg_attr(feature = "openapi", schema(minimum = 2000, maximum = 2100))]
    pub year: Year,
    pub blocs: Vec<CouncilBloc>,
    /// By award precedence; award types nobody is proposed for are left out.
    pub groups: Vec<CouncilGroup>,
    pub stale: Vec<StaleOutcome>,
}

/// A bloc of the year, with its published results if it has them, and its members (their
/// names for an outcome the results no longer show).
pub struct BlocEntry {
    pub bloc_id: BlocId,
    pub bloc_name: String,
    pub published: Option<BlocResults>,
    pub members: Vec<Unit>,
}

/// The Council's list from the year's award types (precedence order), every bloc of the
/// year and the recorded outcomes. Deterministic.
pub fn council_list(
    year: Year,
    award_types: &[AwardType],
    blocs: &[BlocEntry],
    outcomes: &[OutcomeEntry],
) -> CouncilList {
    let mut groups: Vec<CouncilGroup> =
        award_types.iter().map(|t| CouncilGroup { award_type: t.clone(), proposals: Vec::new() }).collect();
    let outcome_of = |bloc: BlocId, unit: UnitId, award: AwardTypeId| {
        outcomes.iter().find(|o| o.bloc_id == bloc && o.unit_id == unit && o.award_type_id == award)
    };
    for b in blocs {
        let Some(r) = &b.published else { continue };
        for g in &r.awards {
            let Some(group) = groups.iter_mut().find(|x| x.award_type.id == g.award_type.id) else { continue };
            for p in &g.units {
                let row = r.ranking.iter().find(|row| row.unit.id == p.unit.id);
                let candidate =
                    r.candidates.iter().find(|c| c.unit_id == p.unit.id && c.award_type_id == g.award_type.id);
                let (votes, base) = match candidate {
                    Some(c) => match r
                        .tally
                        .as_ref()
                        .and_then(|t| on_base(t, g.award_type.threshold.base, c.unit_id, c.award_type_id, c.votes))
                    {
                        Some((v, base)) => (v, Some(base)),
                        None => (c.votes, None),
                    },
                    None => (0, None),
                };
                let mut proposal = CouncilProposal {
                    bloc_id: b.bloc_id,
                    bloc_name: b.bloc_name.clone(),
                    unit: p.unit.clone(),
                    rank: row.map(|row| row.rank),
                    total: row.map(|row| row.total),
                    votes,
                    base,
                    override_reason: p.override_reason.clone(),
                    decision: p.decision.clone(),
                    outcome: None,
                };
                // Applied only to what it was recorded on.
                proposal.outcome = outcome_of(b.bloc_id, p.unit.id, g.award_type.id)
                    .filter(|o| o.outcome.facts == proposal.facts())
                    .map(|o| o.outcome.clone());
                group.proposals.push(proposal);
            }
        }
    }
    groups.retain(|g| !g.proposals.is_empty());
    let proposal_of = |o: &OutcomeEntry| {
        groups
            .iter()
            .filter(|g| g.award_type.id == o.award_type_id)
            .flat_map(|g| &g.proposals)
            .find(|p| p.bloc_id == o.bloc_id && p.unit.id == o.unit_id)
    };
    let stale = outcomes
        .iter()
        .filter(|o| proposal_of(o).is_none_or(|p| p.outcome.is_none()))
        .map(|o| {
            let bloc = blocs.iter().find(|b| b.bloc_id == o.bloc_id);
            StaleOutcome {
                bloc_id: o.bloc_id,
                bloc_name: bloc.map(|b| b.bloc_name.clone()).unwrap_or_default(),
                unit_id: o.unit_id,
                unit_name: bloc
                    .and_then(|b| b.members.iter().find(|u| u.id == o.unit_id).map(|u| u.name.clone()))
                    .or_else(|| bloc.and_then(|b| b.published.as_ref()).and_then(|r| unit_name(r, o.unit_id)))
                    .unwrap_or_else(|| format!("#{}", o.unit_id)),
                award_type_id: o.award_type_id,
                award_name: award_types
                    .iter()
                    .find(|t| t.id == o.award_type_id)
                    .map(|t| t.name.clone())
                    .unwrap_or_default(),
                outcome: o.outcome.clone(),
                why: match (bloc.and_then(|b| b.published.as_ref()), proposal_of(o)) {
                    (None, _) => StaleReason::NotPublished,
                    (Some(_), Some(_)) => StaleReason::FactsChanged,
                    (Some(_), None) => StaleReason::NoLongerProposed,
                },
            }
        })
        .collect();
    let blocs = blocs
        .iter()
        .map(|b| CouncilBloc {
            bloc_id: b.bloc_id,
            bloc_name: b.bloc_name.clone(),
            revision: b.published.as_ref().and_then(|r| r.revision.as_ref()).map(|s| s.number),
        })
        .collect();
    CouncilList { year, blocs, groups, stale }
}

fn unit_name(r: &BlocResults, unit: UnitId) -> Option<String> {
    r.ranking
        .iter()
        .map(|x| &x.unit)
        .chain(r.unranked.iter().map(|x| &x.unit))
        .find(|u| u.id == unit)
        .map(|u| u.name.clone())
}

/// Why an outcome cannot be recorded or removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutcomeRefusal {
    /// The bloc's published results do not make that proposal.
    NotProposed,
    /// A decision is recorded for it: the approval stands until the decision is removed.
    DecisionRecorded,
}

/// Whether the outcome of a proposal may become `new` (`None`: removed, entered in error; an
/// outcome left by a later revision may always be removed).
pub fn check_outcome(proposed: bool, decided: bool, new: Option<Outcome>) -> Result<(), OutcomeRefusal> {
    if new.is_some() && !proposed {
        return Err(OutcomeRefusal::NotProposed);
    }
    if decided && new != Some(Outcome::Approved) {
        return Err(OutcomeRefusal::DecisionRecorded);
    }
    Ok(())
}

/// A decision entered on a bloc's awards page: refused only where the Council did not approve
/// (a decision with no Council step recorded stays possible, as before the list existed).
pub fn may_record_decision(outcome: Option<Outcome>) -> bool {
    outcome != Some(Outcome::NotApproved)
}

/// A decision is made from the Council's list only for an approved proposal.
pub fn may_decide(outcome: Option<Outcome>) -> bool {
    outcome == Some(Outcome::Approved)
}

/// The reason the bloc's next revision carries when a decision is made from the Council's
/// list (the public reads it): the decision and the Council's approval.
pub fn decision_reason(d: &Decision) -> String {
    let date = date_vi(&d.date).unwrap_or_else(|| d.date.clone());
    format!(
        "Quyết định khen thưởng số {} {} của {}, theo đề nghị đã được Hội đồng Thi đua - Khen thưởng tỉnh đồng ý",
        d.number.trim(),
        date,
        d.issuer.trim()
    )
}

#[cfg(test)]
#[path = "council_tests.rs"]
mod tests;
