//! Published results as revisions. What a province published on a date stays readable exactly
//! as it was: publishing stores revision 1, and every later change that alters what the public
//! sees is a new revision with a written reason, or is refused until staff withdraw the
//! publication (which is itself a revision, `withdrawn`, with its reason).
//!
//! Here: which changes to a published bloc-year make a revision and which are refused, the
//! check of the reason, and the difference between two revisions (units whose rank, total,
//! proposal or decision changed) with its one-line summary.

use serde::{Deserialize, Serialize};

use crate::award_types::AwardTypeId;
use crate::decisions::Decision;
use crate::error::{push, FieldError, FieldErrors};
use crate::model::Unit;
use crate::points::Points;
use crate::published::REASON_MAX;
pub use crate::published::{RevisionKind, RevisionNumber, RevisionStamp};
use crate::results::BlocResults;
use crate::UnitId;

/// One revision as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionEntry {
    pub number: RevisionNumber,
    pub at: String,
    pub kind: RevisionKind,
    /// Who stored it (display name); `None` for one recorded by the system (an upgrade, the demo).
    pub by: Option<String>,
    pub reason: String,
    /// What changed since the revision before, in one line (`summary`).
    pub summary: String,
    /// The content hash of its results JSON (its `ETag` without quotes); empty for a withdrawal.
    pub hash: String,
}

/// The kinds of change to a bloc-year's results, as `while_published` judges them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultsChange {
    /// An award decision entered, corrected or removed: decisions come after publication.
    Decision,
    /// The acclaim-vote tally corrected.
    Tally,
    /// A staff override of the rules for a candidate, set or removed.
    Override,
    /// The publication taken back.
    Withdrawal,
    /// The year's award rules: they feed every bloc of the year, so no single revision says it.
    AwardRules,
    /// The year's tie-break rule, the bloc's criteria, members, leader or bonus cap.
    Setup,
    /// A member's score sheet reopened (returned), edited or approved again.
    Sheet,
}

/// What a change to a published bloc-year takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhilePublished {
    /// Allowed with a written reason; the results after it are the next revision.
    Revision,
    /// Allowed with a written reason; stores a `withdrawn` revision.
    Withdrawal,
    /// Refused (409 `published`): withdraw first, change, then publish again (a new revision).
    Refused,
}

/// Corrections staff make to the conference's record are revisions; changes to what the
/// results are computed from (rules, criteria, members, sheets) are refused: they reach deep
/// into every number, their audit lives elsewhere, and a withdrawal followed by a new
/// publication tells the reader plainly that the results were redone.
pub fn while_published(change: ResultsChange) -> WhilePublished {
    match change {
        ResultsChange::Decision | ResultsChange::Tally | ResultsChange::Override => WhilePublished::Revision,
        ResultsChange::Withdrawal => WhilePublished::Withdrawal,
        ResultsChange::AwardRules | ResultsChange::Setup | ResultsChange::Sheet => WhilePublished::Refused,
    }
}

/// Why a change to published results is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RevisionRefusal {
    /// 409 `published`: not while published.
    Published,
    /// 409 `reason_required`: published results change only with a written reason.
    ReasonRequired,
    /// 422: the reason is too long.
    Invalid(FieldErrors),
}

/// Checks a change against the publication. Unpublished results change freely (`Ok(None)`,
/// any reason is ignored: there is no revision to carry it); published ones answer the
/// trimmed reason the next revision carries, or why not.
pub fn check_change(
    change: ResultsChange,
    published: bool,
    reason: Option<&str>,
) -> Result<Option<String>, RevisionRefusal> {
    if !published {
        return Ok(None);
    }
    if while_published(change) == WhilePublished::Refused {
        return Err(RevisionRefusal::Published);
    }
    let reason = reason.map(str::trim).unwrap_or_default();
    if reason.is_empty() {
        return Err(RevisionRefusal::ReasonRequired);
    }
    if reason.chars().count() > REASON_MAX as usize {
        let mut errors = FieldErrors::new();
        push(&mut errors, "reason", FieldError::TooLong { max: REASON_MAX });
        return Err(RevisionRefusal::Invalid(errors));
    }
    Ok(Some(reason.to_owned()))
}

/// A value before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Changed<T> {
    pub before: T,
    pub after: T,
}

/// An award type for which a unit's proposal changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalChange {
    pub award_type_id: AwardTypeId,
    pub award_name: String,
    pub before: bool,
    pub after: bool,
}

/// An award type for which a unit's decision was entered, corrected or removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionChange {
    pub award_type_id: AwardTypeId,
    pub award_name: String,
    pub before: Option<Decision>,
    pub after: Option<Decision>,
}

/// What changed for one unit. `rank` and `total` are `None` when unchanged; their values are
/// `None` when the unit was not ranked (sheet not approved, or not a member).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitDiff {
    pub unit: Unit,
    pub rank: Option<Changed<Option<u32>>>,
    pub total: Option<Changed<Option<Points>>>,
    pub proposals: Vec<ProposalChange>,
    pub decisions: Vec<DecisionChange>,
}

/// The difference between two revisions of a bloc-year's results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultsDiff {
    pub from: RevisionNumber,
    pub to: RevisionNumber,
    /// `summary(&units)`.
    pub summary: String,
    /// The units that changed, in the order of the newer results (then any that left).
    pub units: Vec<UnitDiff>,
}

fn rank_of(r: &BlocResults, id: UnitId) -> Option<u32> {
    r.ranking.iter().find(|row| row.unit.id == id).map(|row| row.rank)
}

fn total_of(r: &BlocResults, id: UnitId) -> Option<Points> {
    r.ranking.iter().find(|row| row.unit.id == id).map(|row| row.total)
}

fn proposed(r: &BlocResults, id: UnitId, award: AwardTypeId) -> bool {
    r.candidates.iter().any(|c| c.unit_id == id && c.award_type_id == award && c.proposed)
}

fn decision_of(r: &BlocResults, id: UnitId, award: AwardTypeId) -> Option<Decision> {
    r.awards
        .iter()
        .filter(|g| g.award_type.id == award)
        .flat_map(|g| &g.units)
        .find(|u| u.unit.id == id)
        .and_then(|u| u.decision.clone())
}

fn members(r: &BlocResults) -> impl Iterator<Item = &Unit> {
    r.ranking.iter().map(|row| &row.unit).chain(r.unranked.iter().map(|row| &row.unit))
}

fn changed<T: PartialEq>(before: T, after: T) -> Option<Changed<T>> {
    (before != after).then_some(Changed { before, after })
}

/// The units whose rank, total, proposal or decision differs between `old` and `new`.
pub fn diff(old: &BlocResults, new: &BlocResults) -> Vec<UnitDiff> {
    let mut units: Vec<&Unit> = Vec::new();
    for u in members(new).chain(members(old)) {
        if !units.iter().any(|seen| seen.id == u.id) {
            units.push(u);
        }
    }
    let mut awards: Vec<(AwardTypeId, &str)> = Vec::new();
    for t in new.award_types.iter().chain(&old.award_types) {
        if !awards.iter().any(|(id, _)| *id == t.id) {
            awards.push((t.id, &t.name));
        }
    }
    units
        .into_iter()
        .map(|unit| {
            let id = unit.id;
            let proposals = awards
                .iter()
                .filter(|(a, _)| proposed(old, id, *a) != proposed(new, id, *a))
                .map(|&(a, name)| ProposalChange {
                    award_type_id: a,
                    award_name: name.to_owned(),
                    before: proposed(old, id, a),
                    after: proposed(new, id, a),
                })
                .collect();
            let decisions = awards
                .iter()
                .filter(|(a, _)| decision_of(old, id, *a) != decision_of(new, id, *a))
                .map(|&(a, name)| DecisionChange {
                    award_type_id: a,
                    award_name: name.to_owned(),
                    before: decision_of(old, id, a),
                    after: decision_of(new, id, a),
                })
                .collect();
            UnitDiff {
                unit: unit.clone(),
                rank: changed(rank_of(old, id), rank_of(new, id)),
                total: changed(total_of(old, id), total_of(new, id)),
                proposals,
                decisions,
            }
        })
        .filter(|d| d.rank.is_some() || d.total.is_some() || !d.proposals.is_empty() || !d.decisions.is_empty())
        .collect()
}

/// The summary of a first publication.
pub const FIRST_PUBLICATION: &str = "Công bố kết quả";
/// The summary of a withdrawal.
pub const WITHDRAWN: &str = "Thu hồi công bố";
/// The summary of a revision that changed nothing a reader sees in the ranking or awards.
pub const NOTHING_CHANGED: &str = "Không thay đổi thứ hạng, tổng điểm, đề nghị hay quyết định";

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(|| "—".to_owned(), ToString::to_string)
}

/// One line, in Vietnamese like the public page: each changed unit and what changed, e.g.
/// "Sở Y tế: quyết định Bằng khen 12/QĐ-UBND; Sở Tư pháp: hạng 3 → 2, tổng 90 → 91.5".
pub fn summary(units: &[UnitDiff]) -> String {
    if units.is_empty() {
        return NOTHING_CHANGED.to_owned();
    }
    let parts: Vec<String> = units
        .iter()
        .map(|u| {
            let mut what = Vec::new();
            if let Some(c) = &u.rank {
                what.push(format!("hạng {} → {}", opt(&c.before), opt(&c.after)));
            }
            if let Some(c) = &u.total {
                what.push(format!("tổng {} → {}", opt(&c.before), opt(&c.after)));
            }
            for p in &u.proposals {
                what.push(if p.after {
                    format!("đề nghị {}", p.award_name)
                } else {
                    format!("bỏ đề nghị {}", p.award_name)
                });
            }
            for d in &u.decisions {
                what.push(match (&d.before, &d.after) {
                    (None, Some(after)) => format!("quyết định {} số {}", d.award_name, after.number),
                    (Some(_), Some(after)) => format!("sửa quyết định {} (số {})", d.award_name, after.number),
                    _ => format!("bỏ quyết định {}", d.award_name),
                });
            }
            format!("{}: {}", u.unit.name, what.join(", "))
        })
        .collect();
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::award_types::{AwardType, VoteThreshold, VoteTieRule};
    use crate::criteria::tests::small_table;
    use crate::decisions::DecisionEntry;
    use crate::ranking::TieBreak;
    use crate::results::{bloc_results, MemberSheet, ResultsInput};
    use crate::tally::{Tally, TallyEntry};

    #[test]
    fn corrections_are_revisions_and_recomputations_are_refused() {
        use ResultsChange::*;
        for c in [Decision, Tally, Override] {
            assert_eq!(while_published(c), WhilePublished::Revision, "{c:?}");
        }
        assert_eq!(while_published(Withdrawal), WhilePublished::Withdrawal);
        for c in [AwardRules, Setup, Sheet] {
            assert_eq!(while_published(c), WhilePublished::Refused, "{c:?}");
        }
    }

    #[test]
    fn a_published_change_needs_a_reason() {
        assert_eq!(check_change(ResultsChange::Decision, false, None), Ok(None), "unpublished: no revision");
        assert_eq!(check_change(ResultsChange::Sheet, false, Some("x")), Ok(None));
        assert_eq!(check_change(ResultsChange::Decision, true, None), Err(RevisionRefusal::ReasonRequired));
        assert_eq!(check_change(ResultsChange::Decision, true, Some("  ")), Err(RevisionRefusal::ReasonRequired));
        assert_eq!(
            check_change(ResultsChange::Withdrawal, true, Some(" Sai số liệu ")),
            Ok(Some("Sai số liệu".to_owned()))
        );
        assert_eq!(check_change(ResultsChange::Sheet, true, Some("x")), Err(RevisionRefusal::Published));
        let long = "x".repeat(REASON_MAX as usize + 1);
        assert!(matches!(check_change(ResultsChange::Tally, true, Some(&long)), Err(RevisionRefusal::Invalid(_))));
    }

    use crate::criteria::tests::approved_sheet as sheet;

    fn results(sheets: &[MemberSheet], votes: &[(UnitId, u32)], decisions: &[DecisionEntry]) -> BlocResults {
        let members: Vec<Unit> = (1..=3).map(|id| Unit { id, name: format!("Đơn vị {id}") }).collect();
        let types = [AwardType {
            id: 9,
            code: "bang_khen".into(),
            name: "Bằng khen".into(),
            precedence: 1,
            quota_per_bloc: 1,
            threshold: VoteThreshold::MORE_THAN_HALF,
            eligibility: vec![],
            exclusive: true,
            vote_tie: VoteTieRule::BlocRank,
            legal_basis: String::new(),
        }];
        let tally = Tally {
            voters_present: 10,
            votes: votes.iter().map(|&(unit_id, votes)| TallyEntry { unit_id, award_type_id: 9, votes }).collect(),
            ..Tally::default()
        };
        bloc_results(&ResultsInput {
            year: 2020,
            bloc_id: 1,
            bloc_name: "Khối",
            leader_unit_id: None,
            sample_scores: false,
            tie_break: TieBreak::SharedRank,
            members: &members,
            table: &small_table(),
            sheets,
            published: true,
            version: 0,
            award_types: &types,
            tally: Some(&tally),
            overrides: &[],
            decisions,
            publication: None,
        })
    }

    fn decision(number: &str) -> DecisionEntry {
        DecisionEntry {
            unit_id: 1,
            award_type_id: 9,
            decision: Decision { number: number.into(), date: "2021-01-05".into(), issuer: "UBND tỉnh".into() },
        }
    }

    #[test]
    fn the_diff_names_each_unit_and_what_changed() {
        let sheets = [sheet(1, 10), sheet(2, 9), sheet(3, 8)];
        let old = results(&sheets, &[(1, 8), (2, 3)], &[]);
        assert_eq!(diff(&old, &old), []);
        assert_eq!(summary(&diff(&old, &old)), NOTHING_CHANGED);

        // A decision entered for unit 1, then corrected, then removed.
        let one = results(&sheets, &[(1, 8), (2, 3)], &[decision("12/QĐ-UBND")]);
        let d = diff(&old, &one);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].unit.id, d[0].rank.as_ref(), d[0].proposals.len()), (1, None, 0));
        assert_eq!(d[0].decisions[0].before, None);
        assert_eq!(d[0].decisions[0].after.as_ref().map(|x| x.number.as_str()), Some("12/QĐ-UBND"));
        assert_eq!(summary(&d), "Đơn vị 1: quyết định Bằng khen số 12/QĐ-UBND");
        let corrected = results(&sheets, &[(1, 8), (2, 3)], &[decision("13/QĐ-UBND")]);
        assert_eq!(summary(&diff(&one, &corrected)), "Đơn vị 1: sửa quyết định Bằng khen (số 13/QĐ-UBND)");
        assert_eq!(summary(&diff(&corrected, &old)), "Đơn vị 1: bỏ quyết định Bằng khen");

        // A corrected tally moves the proposal from unit 1 to unit 2; a reapproved sheet
        // moves ranks and totals.
        let moved = results(&[sheet(1, 7), sheet(2, 9), sheet(3, 8)], &[(1, 3), (2, 8)], &[]);
        let d = diff(&old, &moved);
        let ids: Vec<UnitId> = d.iter().map(|u| u.unit.id).collect();
        assert_eq!(ids, [2, 3, 1], "in the order of the newer ranking");
        let one = d.iter().find(|u| u.unit.id == 1).unwrap();
        assert_eq!(one.rank, Some(Changed { before: Some(1), after: Some(3) }));
        assert_eq!(one.total, Some(Changed { before: Some(Points::whole(30)), after: Some(Points::whole(21)) }));
        assert_eq!(
            one.proposals[0],
            ProposalChange { award_type_id: 9, award_name: "Bằng khen".into(), before: true, after: false }
        );
        assert_eq!(
            summary(&d),
            "Đơn vị 2: hạng 2 → 1, đề nghị Bằng khen; Đơn vị 3: hạng 3 → 2; \
             Đơn vị 1: hạng 1 → 3, tổng 30 → 21, bỏ đề nghị Bằng khen"
        );
    }

    #[test]
    fn a_unit_whose_sheet_is_no_longer_approved_loses_its_rank_and_total() {
        let old = results(&[sheet(1, 10), sheet(2, 9)], &[], &[]);
        let new = results(&[sheet(1, 10)], &[], &[]);
        let d = diff(&old, &new);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].rank, Some(Changed { before: Some(2), after: None }));
        assert_eq!(summary(&d), "Đơn vị 2: hạng 2 → —, tổng 27 → —");
    }
}
