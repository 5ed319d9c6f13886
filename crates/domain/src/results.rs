//! A bloc's results for a year: ranking with totals, section subtotals and every criterion,
//! the acclaim vote, and the proposals the award rules derive from them, with decisions.
//! Computed here so the server and any other backend agree.
//!
//! **Sheets that are not approved.** DOMAIN.md ("the edge cases every year brings") says a
//! unit whose sheet is not approved by the conference is shown as not ranked, with its state
//! and the reason, and cannot be proposed — never as "0 points". So `ranking` holds only the
//! members with an approved sheet; the others are in `unranked` with their state and how many
//! criteria the verifier has scored, and no total at all: a 0 would state a verified result
//! nobody verified, and ranking it last would push every other unit's rank up by a place it
//! did not earn. `tally::derive_proposals` never proposes them (`Broken::SheetNotApproved`),
//! and `publication` lists each of them as a problem staff acknowledge in writing.

use serde::{Deserialize, Serialize};

use crate::award_types::AwardType;
use crate::criteria::{CriteriaTable, Criterion, CriterionId};
use crate::decisions::{Decision, DecisionEntry};
use crate::model::Unit;
use crate::points::Points;
pub use crate::published::NotVerified;
use crate::published::{PublicationNote, PublishProblem, RevisionStamp};
use crate::ranking::{rank, RankInput, TieBreak, TieOutcome};
use crate::sheet::{sheet_totals, Adjustment, ScoreKind, ScoreSheet};
use crate::tally::{derive_proposals, Broken, Candidate, Override, Standing, Tally, TallyMethod, VoteTie};
use crate::workflow::SheetState;
use crate::{BlocId, UnitId, Year};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectionHeader {
    pub criterion_id: CriterionId,
    pub code: String,
    pub title: String,
    pub max_points: Points,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankingRow {
    pub rank: u32,
    pub unit: Unit,
    pub total: Points,
    /// Verified subtotals, one per section, in the order of `BlocResults::sections`.
    pub sections: Vec<Points>,
    pub bonus_counted: Points,
    pub deductions: Points,
    /// How many criteria carry a verified score, out of `criteria_count`.
    pub scored: u32,
    pub criteria_count: u32,
    /// Set when another unit has the same total: what the tie-break rule made of it.
    pub tie: Option<TieOutcome>,
    /// Self-assessed total, beside the verified one.
    pub self_total: Points,
    /// Every scored criterion (leaves only), self against verified.
    pub scores: Vec<LeafScore>,
    /// Bonus lines as claimed; `bonus_counted` is their sum up to the cap.
    pub bonuses: Vec<Adjustment>,
    pub deduction_lines: Vec<Adjustment>,
}

/// A member whose sheet is not approved: listed apart from the ranking, with its state and
/// how far verification got, and never with a total (DOMAIN.md, "the edge cases every year
/// brings": not ranked, with its state, and it cannot be proposed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnrankedRow {
    pub unit: Unit,
    pub state: NotVerified,
    /// How many criteria carry a verified score so far, out of `criteria_count`.
    pub verified: u32,
    pub criteria_count: u32,
}

/// A member's sheet as the results read it: its state decides whether it is ranked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberSheet {
    pub state: SheetState,
    pub sheet: ScoreSheet,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeafScore {
    pub criterion_id: CriterionId,
    pub self_score: Option<Points>,
    pub verified_score: Option<Points>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposedUnit {
    pub unit: Unit,
    /// Present once the award has been made; until then the unit is only proposed.
    pub decision: Option<Decision>,
    /// Set when staff proposed this unit against the rules: their written reason.
    pub override_reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardGroup {
    pub award_type: AwardType,
    pub units: Vec<ProposedUnit>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlocResults {
    pub year: Year,
    pub bloc_id: BlocId,
    pub bloc_name: String,
    /// The bloc's leader unit that year: its officer enters the tally.
    pub leader_unit_id: Option<UnitId>,
    /// True when the scores are illustrative demo data, not a real record.
    pub sample_scores: bool,
    pub tie_break: TieBreak,
    pub sections: Vec<SectionHeader>,
    pub max_total: Points,
    pub bonus_cap: Points,
    /// The whole criteria tree, sections before their items.
    pub criteria: Vec<Criterion>,
    /// The members with an approved sheet, best first.
    pub ranking: Vec<RankingRow>,
    /// The members without an approved sheet, in the bloc's order: not ranked, no total.
    pub unranked: Vec<UnrankedRow>,
    /// False only in a staff preview: the public never receives unpublished results.
    pub published: bool,
    /// Changes with every write to the tally, overrides or decisions; a tally update names
    /// the version it was made from (optimistic concurrency).
    pub version: i64,
    /// The award types of the year with their rules, in precedence order.
    pub award_types: Vec<AwardType>,
    /// The acclaim vote, once staff have entered it.
    pub tally: Option<Tally>,
    /// How the tally was made (absent without a tally, and in revisions stored before this
    /// was recorded, which were all typed in).
    #[serde(default)]
    pub tally_method: Option<TallyMethod>,
    /// Every unit that received votes, per award type, and what the rules made of it.
    pub candidates: Vec<Candidate>,
    /// Candidates level in votes for the last places of a quota, per award type: every unit
    /// named, with the award type's rule for settling it and whether it is settled.
    pub vote_ties: Vec<VoteTie>,
    /// The proposed units per award type (types without any left out).
    pub awards: Vec<AwardGroup>,
    /// What staff would have to acknowledge in writing to publish now
    /// (`publication::publication_problems`).
    pub problems: Vec<PublishProblem>,
    /// What staff acknowledged, and why they published: present once published.
    pub publication: Option<PublicationNote>,
    /// Which stored revision this is (`revisions`): set in every published answer, absent
    /// in a staff preview of unpublished results.
    #[serde(default)]
    pub revision: Option<RevisionStamp>,
}

/// Everything needed to compute a bloc's results; the members in the bloc's order.
pub struct ResultsInput<'a> {
    pub year: Year,
    pub bloc_id: BlocId,
    pub bloc_name: &'a str,
    pub leader_unit_id: Option<UnitId>,
    pub sample_scores: bool,
    pub tie_break: TieBreak,
    pub members: &'a [Unit],
    pub table: &'a CriteriaTable,
    /// Every sheet of the bloc-year with its state; only approved ones are ranked.
    pub sheets: &'a [MemberSheet],
    pub published: bool,
    pub version: i64,
    pub award_types: &'a [AwardType],
    pub tally: Option<&'a Tally>,
    pub overrides: &'a [Override],
    pub decisions: &'a [DecisionEntry],
    /// Staff's written reason and acknowledgement, once published.
    pub publication: Option<&'a PublicationNote>,
}

/// Ranks the members with an approved sheet on their verified totals, lists the others apart
/// (their state and how many criteria are verified, no total), then derives the proposals
/// from the ranking, the tally and the award rules. Equals keep the members' order.
pub fn bloc_results(input: &ResultsInput<'_>) -> BlocResults {
    let sheet_of = |id| input.sheets.iter().find(|s| s.sheet.unit_id == id);
    let mut unranked = Vec::new();
    let mut totals = Vec::new();
    for u in input.members {
        let found = sheet_of(u.id);
        match NotVerified::of(found.map(|s| s.state)) {
            Some(state) => {
                let verified = found.map(|s| sheet_totals(input.table, &s.sheet, ScoreKind::Verified));
                unranked.push(UnrankedRow {
                    unit: u.clone(),
                    state,
                    verified: verified.as_ref().map_or(0, |t| t.scored),
                    criteria_count: input.table.leaves().count() as u32,
                });
            }
            None => {
                let sheet = found.map(|s| s.sheet.clone()).unwrap_or_default();
                let t = sheet_totals(input.table, &sheet, ScoreKind::Verified);
                totals.push((u, t, sheet));
            }
        }
    }
    let rank_inputs: Vec<RankInput> = totals
        .iter()
        .map(|(u, t, _)| RankInput {
            unit_id: u.id,
            total: t.total,
            sections: t.sections.iter().map(|s| s.points).collect(),
        })
        .collect();
    let ranking = rank(&rank_inputs, input.tie_break)
        .into_iter()
        .filter_map(|r| {
            let (unit, t, sheet) = totals.iter().find(|(u, _, _)| u.id == r.unit_id)?;
            let score_of = |id| sheet.scores.iter().find(|s| s.criterion_id == id);
            Some(RankingRow {
                rank: r.rank,
                unit: (*unit).clone(),
                total: t.total,
                sections: t.sections.iter().map(|s| s.points).collect(),
                bonus_counted: t.bonus_counted,
                deductions: t.deductions,
                scored: t.scored,
                criteria_count: t.criteria_count,
                tie: r.tie,
                self_total: sheet_totals(input.table, sheet, ScoreKind::SelfAssessed).total,
                scores: input
                    .table
                    .leaves()
                    .map(|c| LeafScore {
                        criterion_id: c.id,
                        self_score: score_of(c.id).and_then(|s| s.self_score),
                        verified_score: score_of(c.id).and_then(|s| s.verified_score),
                    })
                    .collect(),
                bonuses: sheet.bonuses.clone(),
                deduction_lines: sheet.deductions.clone(),
            })
        })
        .collect::<Vec<RankingRow>>();

    let standings: Vec<Standing> = ranking
        .iter()
        .map(|r: &RankingRow| Standing { unit_id: r.unit.id, rank: r.rank, total: r.total, approved: true })
        .collect();
    let (candidates, vote_ties) = match input.tally {
        Some(tally) => {
            let p = derive_proposals(input.award_types, &standings, tally, input.overrides);
            (p.candidates, p.vote_ties)
        }
        None => (Vec::new(), Vec::new()),
    };
    let mut award_types = input.award_types.to_vec();
    award_types.sort_by_key(|t| (t.precedence, t.id));
    let unit = |id| input.members.iter().find(|u| u.id == id).cloned();
    let decision = |unit_id: UnitId, award_type_id| {
        input
            .decisions
            .iter()
            .find(|d| d.unit_id == unit_id && d.award_type_id == award_type_id)
            .map(|d| d.decision.clone())
    };
    let awards = award_types
        .iter()
        .map(|t| AwardGroup {
            award_type: t.clone(),
            units: candidates
                .iter()
                .filter(|c| c.proposed && c.award_type_id == t.id)
                .filter_map(|c| {
                    Some(ProposedUnit {
                        unit: unit(c.unit_id)?,
                        decision: decision(c.unit_id, t.id),
                        override_reason: c.override_reason.clone(),
                    })
                })
                .collect(),
        })
        .filter(|g| !g.units.is_empty())
        .collect();
    let mut results = BlocResults {
        year: input.year,
        bloc_id: input.bloc_id,
        bloc_name: input.bloc_name.to_owned(),
        leader_unit_id: input.leader_unit_id,
        sample_scores: input.sample_scores,
        tie_break: input.tie_break,
        sections: input
            .table
            .sections()
            .map(|s| SectionHeader {
                criterion_id: s.id,
                code: s.code.clone(),
                title: s.title.clone(),
                max_points: s.max_points,
            })
            .collect(),
        max_total: input.table.max_total(),
        bonus_cap: input.table.bonus_cap,
        criteria: input.table.criteria.clone(),
        ranking,
        unranked,
        published: input.published,
        version: input.version,
        award_types,
        tally: input.tally.cloned(),
        tally_method: input.tally.map(|_| TallyMethod::Entered),
        candidates,
        vote_ties,
        awards,
        problems: Vec::new(),
        publication: input.published.then(|| input.publication.cloned().unwrap_or_default()),
        revision: None,
    };
    results.problems = publication_problems(&results);
    results
}

/// Every problem of the results, in a stable order (what publishing must acknowledge:
/// `publication::check_publication`): the tally, the sheets, then per award
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::award_types::{Eligibility, VoteThreshold, VoteTieRule};
    use crate::criteria::tests::small_table;
    use crate::sheet::CriterionScore;
    use crate::tally::TallyEntry;

    fn verified(unit_id: i64, scores: &[(i64, i64)], bonus: i64) -> MemberSheet {
        sheet_in(SheetState::Approved, unit_id, scores, bonus)
    }

    fn sheet_in(state: SheetState, unit_id: i64, scores: &[(i64, i64)], bonus: i64) -> MemberSheet {
        let sheet = ScoreSheet {
            unit_id,
            scores: scores
                .iter()
                .map(|&(c, h)| CriterionScore {
                    criterion_id: c,
                    verified_score: Some(Points::from_hundredths(h)),
                    ..Default::default()
                })
                .collect(),
            bonuses: vec![Adjustment { reason: "Cờ thi đua".into(), points: Points::from_hundredths(bonus) }],
            deductions: vec![],
        };
        MemberSheet { state, sheet }
    }

    #[test]
    fn ranks_members_and_groups_awards() {
        let table = small_table();
        let members =
            [Unit { id: 1, name: "A".into() }, Unit { id: 2, name: "B".into() }, Unit { id: 3, name: "C".into() }];
        let sheets = [
            verified(1, &[(2, 2500), (3, 2000), (4, 1000)], 0),   // 55
            verified(2, &[(2, 3000), (3, 1500), (4, 1000)], 900), // 55 + 5 (capped) = 60
            verified(3, &[(2, 3000), (3, 1500), (4, 1000)], 0),   // 55, section I 45 vs A's 45 — level
        ];
        let award_types = [AwardType {
            id: 1,
            code: "flag".into(),
            name: "Cờ".into(),
            precedence: 1,
            quota_per_bloc: 1,
            threshold: VoteThreshold::MORE_THAN_HALF,
            eligibility: vec![Eligibility::ApprovedSheet],
            exclusive: true,
            vote_tie: VoteTieRule::BlocRank,
            legal_basis: String::new(),
        }];
        let tally = Tally {
            voters_present: 3,
            votes: vec![
                TallyEntry { unit_id: 1, award_type_id: 1, votes: 3 },
                TallyEntry { unit_id: 2, award_type_id: 1, votes: 3 },
            ],
            ..Tally::default()
        };
        let decisions = [DecisionEntry {
            unit_id: 2,
            award_type_id: 1,
            decision: Decision { number: "1/QĐ".into(), date: "2019-01-02".into(), issuer: "UBND".into() },
        }];
        let results = bloc_results(&ResultsInput {
            year: 2018,
            bloc_id: 1,
            bloc_name: "Khối",
            leader_unit_id: None,
            sample_scores: true,
            tie_break: TieBreak::SectionOrder,
            members: &members,
            table: &table,
            sheets: &sheets,
            published: true,
            version: 0,
            award_types: &award_types,
            tally: Some(&tally),
            overrides: &[],
            decisions: &decisions,
            publication: None,
        });
        let rows: Vec<(i64, u32, i64)> =
            results.ranking.iter().map(|r| (r.unit.id, r.rank, r.total.hundredths())).collect();
        assert_eq!(rows, [(2, 1, 6000), (1, 2, 5500), (3, 2, 5500)]);
        assert_eq!(results.ranking[1].tie, Some(TieOutcome::Shared));
        assert_eq!(results.ranking[0].bonus_counted, Points::whole(5));
        assert_eq!(results.sections.len(), 2);
        assert_eq!(results.max_total, Points::whole(65));
        // B leads on votes and rank; A had as many votes but the quota is 1.
        assert_eq!(results.awards.len(), 1);
        assert_eq!(results.awards[0].units.len(), 1);
        assert_eq!(results.awards[0].units[0].unit.name, "B");
        assert_eq!(results.awards[0].units[0].decision.as_ref().map(|d| d.number.as_str()), Some("1/QĐ"));
        assert_eq!(results.candidates.len(), 2);
        assert!(!results.candidates[1].proposed);
        // Level in votes for the one place: a tie, flagged with both units, settled by rank.
        assert_eq!(results.vote_ties.len(), 1);
        assert_eq!((results.vote_ties[0].unit_ids.clone(), results.vote_ties[0].settled), (vec![2, 1], true));
        assert!(results.problems.is_empty(), "a tie the rule settles needs no acknowledgement");
        // The breakdown: every leaf, self against verified, and the bonus line as claimed.
        let b = &results.ranking[0];
        assert_eq!(b.scores.len(), 3);
        assert_eq!(b.scores[0].verified_score, Some(Points::whole(30)));
        assert_eq!(b.scores[0].self_score, None);
        assert_eq!(b.bonuses[0].points, Points::whole(9));
    }

    fn two_level_members(tie_break: TieBreak) -> Vec<(i64, u32)> {
        let table = small_table();
        let members = [Unit { id: 1, name: "A".into() }, Unit { id: 2, name: "B".into() }];
        // 55 each; B has more in section I.
        let sheets =
            [verified(1, &[(2, 2500), (3, 2000), (4, 1000)], 0), verified(2, &[(2, 3000), (3, 2000), (4, 500)], 0)];
        let r = bloc_results(&ResultsInput {
            year: 2020,
            bloc_id: 1,
            bloc_name: "Khối",
            leader_unit_id: None,
            sample_scores: false,
            tie_break,
            members: &members,
            table: &table,
            sheets: &sheets,
            published: false,
            version: 0,
            award_types: &[],
            tally: None,
            overrides: &[],
            decisions: &[],
            publication: None,
        });
        assert_eq!(r.tie_break, tie_break, "the results say which rule decided");
        r.ranking.iter().map(|row| (row.unit.id, row.rank)).collect()
    }

    #[test]
    fn the_year_tie_break_rule_switched_changes_the_ranking() {
        assert_eq!(two_level_members(TieBreak::SharedRank), [(1, 1), (2, 1)]);
        assert_eq!(two_level_members(TieBreak::SectionOrder), [(2, 1), (1, 2)]);
    }

    #[test]
    fn a_member_without_an_approved_sheet_is_listed_apart_without_a_total() {
        let table = small_table();
        let members =
            [Unit { id: 1, name: "A".into() }, Unit { id: 2, name: "B".into() }, Unit { id: 3, name: "C".into() }];
        // C self-assessed a full sheet, but the verifier scored only one criterion.
        let mut c = sheet_in(SheetState::Submitted, 3, &[(2, 3000)], 0);
        for s in &mut c.sheet.scores {
            s.self_score = Some(Points::whole(30));
        }
        let sheets = [verified(2, &[(4, 100)], 0), c];
        let r = bloc_results(&ResultsInput {
            year: 2018,
            bloc_id: 1,
            bloc_name: "Khối",
            leader_unit_id: None,
            sample_scores: false,
            tie_break: TieBreak::SharedRank,
            members: &members,
            table: &table,
            sheets: &sheets,
            published: false,
            version: 0,
            award_types: &[],
            tally: None,
            overrides: &[],
            decisions: &[],
            publication: None,
        });
        assert_eq!(r.ranking.len(), 1, "only the approved sheet is ranked");
        assert_eq!((r.ranking[0].unit.id, r.ranking[0].rank), (2, 1));
        assert_eq!(r.ranking[0].sections, [Points::ZERO, Points::whole(1)]);
        assert_eq!(
            r.unranked,
            [
                UnrankedRow { unit: members[0].clone(), state: NotVerified::NoSheet, verified: 0, criteria_count: 3 },
                UnrankedRow { unit: members[2].clone(), state: NotVerified::Submitted, verified: 1, criteria_count: 3 },
            ]
        );
        // The JSON says so in words: no number stands for "missing".
        let json = serde_json::to_value(&r.unranked[1]).unwrap();
        assert_eq!(json["state"], "submitted");
        assert!(json.get("total").is_none() && json.get("rank").is_none());
        assert!(r.candidates.is_empty() && r.awards.is_empty(), "no tally, no proposals");
    }
}
