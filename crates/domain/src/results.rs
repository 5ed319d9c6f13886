//! A bloc's results for a year: ranking with totals and section subtotals, and the award
//! proposals grouped by type. Computed here so the server and any other backend agree.

use serde::{Deserialize, Serialize};

use crate::awards::{group_proposals, AwardType, Decision, Proposal};
use crate::criteria::{CriteriaTable, CriterionId};
use crate::model::Unit;
use crate::points::Points;
use crate::ranking::{rank, RankInput, TieBreak, TieOutcome};
use crate::sheet::{sheet_totals, ScoreKind, ScoreSheet};
use crate::{BlocId, Year};

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
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposedUnit {
    pub unit: Unit,
    /// Present once the award has been made; until then the unit is only proposed.
    pub decision: Option<Decision>,
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
    /// True when the scores are illustrative demo data, not a real record.
    pub sample_scores: bool,
    pub tie_break: TieBreak,
    pub sections: Vec<SectionHeader>,
    pub max_total: Points,
    pub bonus_cap: Points,
    pub ranking: Vec<RankingRow>,
    pub awards: Vec<AwardGroup>,
}

/// Everything needed to compute a bloc's results; the members in the bloc's order.
pub struct ResultsInput<'a> {
    pub year: Year,
    pub bloc_id: BlocId,
    pub bloc_name: &'a str,
    pub sample_scores: bool,
    pub tie_break: TieBreak,
    pub members: &'a [Unit],
    pub table: &'a CriteriaTable,
    pub sheets: &'a [ScoreSheet],
    pub award_types: &'a [AwardType],
    pub proposals: &'a [Proposal],
}

/// Ranks the members on their verified totals. A member without a sheet ranks with 0 and
/// shows 0 of n criteria scored; equals keep the members' order.
pub fn bloc_results(input: &ResultsInput<'_>) -> BlocResults {
    let empty = |unit_id| ScoreSheet { unit_id, ..Default::default() };
    let totals: Vec<_> = input
        .members
        .iter()
        .map(|u| {
            let sheet = input.sheets.iter().find(|s| s.unit_id == u.id).cloned().unwrap_or_else(|| empty(u.id));
            (u, sheet_totals(input.table, &sheet, ScoreKind::Verified))
        })
        .collect();
    let rank_inputs: Vec<RankInput> = totals
        .iter()
        .map(|(u, t)| RankInput {
            unit_id: u.id,
            total: t.total,
            sections: t.sections.iter().map(|s| s.points).collect(),
        })
        .collect();
    let ranking = rank(&rank_inputs, input.tie_break)
        .into_iter()
        .filter_map(|r| {
            let (unit, t) = totals.iter().find(|(u, _)| u.id == r.unit_id)?;
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
            })
        })
        .collect();
    let unit = |id| input.members.iter().find(|u| u.id == id).cloned();
    let awards = group_proposals(input.award_types, input.proposals)
        .into_iter()
        .map(|(t, ps)| AwardGroup {
            award_type: t.clone(),
            units: ps
                .into_iter()
                .filter_map(|p| Some(ProposedUnit { unit: unit(p.unit_id)?, decision: p.decision.clone() }))
                .collect(),
        })
        .collect();
    BlocResults {
        year: input.year,
        bloc_id: input.bloc_id,
        bloc_name: input.bloc_name.to_owned(),
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
        ranking,
        awards,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::tests::small_table;
    use crate::sheet::{Adjustment, CriterionScore};

    fn verified(unit_id: i64, scores: &[(i64, i64)], bonus: i64) -> ScoreSheet {
        ScoreSheet {
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
        }
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
            legal_basis: String::new(),
        }];
        let proposals = [Proposal { unit_id: 2, award_type_id: 1, decision: None }];
        let results = bloc_results(&ResultsInput {
            year: 2018,
            bloc_id: 1,
            bloc_name: "Khối",
            sample_scores: true,
            tie_break: TieBreak::SectionOrder,
            members: &members,
            table: &table,
            sheets: &sheets,
            award_types: &award_types,
            proposals: &proposals,
        });
        let rows: Vec<(i64, u32, i64)> =
            results.ranking.iter().map(|r| (r.unit.id, r.rank, r.total.hundredths())).collect();
        assert_eq!(rows, [(2, 1, 6000), (1, 2, 5500), (3, 2, 5500)]);
        assert_eq!(results.ranking[1].tie, Some(TieOutcome::Shared));
        assert_eq!(results.ranking[0].bonus_counted, Points::whole(5));
        assert_eq!(results.sections.len(), 2);
        assert_eq!(results.max_total, Points::whole(65));
        assert_eq!(results.awards.len(), 1);
        assert_eq!(results.awards[0].units[0].unit.name, "B");
    }

    #[test]
    fn a_member_without_a_sheet_ranks_last_with_nothing_scored() {
        let table = small_table();
        let members = [Unit { id: 1, name: "A".into() }, Unit { id: 2, name: "B".into() }];
        let sheets = [verified(2, &[(4, 100)], 0)];
        let r = bloc_results(&ResultsInput {
            year: 2018,
            bloc_id: 1,
            bloc_name: "Khối",
            sample_scores: false,
            tie_break: TieBreak::SharedRank,
            members: &members,
            table: &table,
            sheets: &sheets,
            award_types: &[],
            proposals: &[],
        });
        assert_eq!(r.ranking[1].unit.id, 1);
        assert_eq!((r.ranking[1].scored, r.ranking[1].criteria_count), (0, 3));
        assert_eq!(r.ranking[0].sections, [Points::ZERO, Points::whole(1)]);
    }
}
