//! A unit's record across years: its rank and total in each published year.

use serde::{Deserialize, Serialize};

use crate::model::Unit;
use crate::points::Points;
use crate::results::BlocResults;
use crate::{BlocId, UnitId, Year};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryPoint {
    pub year: Year,
    pub bloc_id: BlocId,
    pub bloc_name: String,
    /// The unit's name as it was that year.
    pub unit_name: String,
    pub rank: u32,
    /// How many members the bloc had: rank 3 of 7.
    pub members: u32,
    pub total: Points,
    pub max_total: Points,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitHistory {
    pub unit: Unit,
    /// Oldest year first.
    pub points: Vec<HistoryPoint>,
}

/// Where `unit_id` stood in one bloc's results, if it was a member.
pub fn history_point(results: &BlocResults, unit_id: UnitId) -> Option<HistoryPoint> {
    let row = results.ranking.iter().find(|r| r.unit.id == unit_id)?;
    Some(HistoryPoint {
        year: results.year,
        bloc_id: results.bloc_id,
        bloc_name: results.bloc_name.clone(),
        unit_name: row.unit.name.clone(),
        rank: row.rank,
        members: results.ranking.len() as u32,
        total: row.total,
        max_total: results.max_total,
    })
}

/// The history from the results of every published bloc-year, oldest first.
pub fn unit_history(unit: Unit, results: &[BlocResults]) -> UnitHistory {
    let mut points: Vec<HistoryPoint> = results.iter().filter_map(|r| history_point(r, unit.id)).collect();
    points.sort_by_key(|p| (p.year, p.bloc_id));
    UnitHistory { unit, points }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::tests::small_table;
    use crate::ranking::TieBreak;
    use crate::results::{bloc_results, ResultsInput};

    fn results(year: Year, members: &[Unit]) -> BlocResults {
        bloc_results(&ResultsInput {
            year,
            bloc_id: 1,
            bloc_name: "Khối",
            leader_unit_id: None,
            sample_scores: false,
            tie_break: TieBreak::SharedRank,
            members,
            table: &small_table(),
            sheets: &[],
            published: true,
            version: 0,
            award_types: &[],
            tally: None,
            overrides: &[],
            decisions: &[],
        })
    }

    #[test]
    fn history_keeps_the_name_of_the_time_and_skips_years_without_the_unit() {
        let old = Unit { id: 7, name: "Sở Văn hóa, Thể thao và Du lịch".into() };
        let other = Unit { id: 8, name: "Sở Y tế".into() };
        let all = [
            results(2019, std::slice::from_ref(&other)),
            results(2018, &[old.clone(), other.clone()]),
            results(2020, &[other.clone(), Unit { id: 7, name: "Sở Văn hóa và Thể thao".into() }]),
        ];
        let h = unit_history(old, &all);
        let years: Vec<_> = h.points.iter().map(|p| (p.year, p.unit_name.as_str(), p.members)).collect();
        assert_eq!(years, [(2018, "Sở Văn hóa, Thể thao và Du lịch", 2), (2020, "Sở Văn hóa và Thể thao", 2)]);
        assert_eq!(h.points[0].max_total, Points::whole(65));
    }
}
