//! A unit's record across years: its rank and total in each published year.

use serde::{Deserialize, Serialize};

use crate::model::Unit;
use crate::points::Points;
use crate::results::{BlocResults, NotVerified};
use crate::{BlocId, UnitId, Year};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryPoint {
    pub year: Year,
    pub bloc_id: BlocId,
    pub bloc_name: String,
    /// The unit's name as it was that year.
    pub unit_name: String,
    /// How many members the bloc had: rank 3 of 7.
    pub members: u32,
    pub max_total: Points,
    /// Ranked on a verified total, or not verified that year (then no total at all).
    pub standing: HistoryStanding,
}

/// A year of a unit's record: a total is shown only when it was verified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HistoryStanding {
    Ranked {
        rank: u32,
        total: Points,
    },
    /// The sheet was not approved when the results were published: no rank, no total.
    NotVerified {
        state: NotVerified,
    },
}

impl HistoryPoint {
    pub fn rank(&self) -> Option<u32> {
        match self.standing {
            HistoryStanding::Ranked { rank, .. } => Some(rank),
            HistoryStanding::NotVerified { .. } => None,
        }
    }

    pub fn total(&self) -> Option<Points> {
        match self.standing {
            HistoryStanding::Ranked { total, .. } => Some(total),
            HistoryStanding::NotVerified { .. } => None,
        }
    }
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
    let ranked = results.ranking.iter().find(|r| r.unit.id == unit_id);
    let (unit_name, standing) = match ranked {
        Some(row) => (row.unit.name.clone(), HistoryStanding::Ranked { rank: row.rank, total: row.total }),
        None => {
            let row = results.unranked.iter().find(|r| r.unit.id == unit_id)?;
            (row.unit.name.clone(), HistoryStanding::NotVerified { state: row.state })
        }
    };
    Some(HistoryPoint {
        year: results.year,
        bloc_id: results.bloc_id,
        bloc_name: results.bloc_name.clone(),
        unit_name,
        members: (results.ranking.len() + results.unranked.len()) as u32,
        max_total: results.max_total,
        standing,
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
    use crate::results::{bloc_results, MemberSheet, ResultsInput};
    use crate::sheet::ScoreSheet;
    use crate::workflow::SheetState;

    fn results(year: Year, members: &[Unit]) -> BlocResults {
        let sheets: Vec<MemberSheet> = members
            .iter()
            .map(|u| MemberSheet {
                state: SheetState::Approved,
                sheet: ScoreSheet { unit_id: u.id, ..Default::default() },
            })
            .collect();
        bloc_results(&ResultsInput {
            year,
            bloc_id: 1,
            bloc_name: "Khối",
            leader_unit_id: None,
            sample_scores: false,
            tie_break: TieBreak::SharedRank,
            members,
            table: &small_table(),
            sheets: &sheets,
            published: true,
            version: 0,
            award_types: &[],
            tally: None,
            overrides: &[],
            decisions: &[],
            publication: None,
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
        assert_eq!(h.points[0].standing, HistoryStanding::Ranked { rank: 1, total: Points::ZERO });
    }

    #[test]
    fn a_year_without_a_verified_sheet_shows_no_total() {
        let unit = Unit { id: 7, name: "Sở Y tế".into() };
        let r = bloc_results(&ResultsInput {
            year: 2019,
            bloc_id: 1,
            bloc_name: "Khối",
            leader_unit_id: None,
            sample_scores: false,
            tie_break: TieBreak::SharedRank,
            members: std::slice::from_ref(&unit),
            table: &small_table(),
            sheets: &[],
            published: true,
            version: 0,
            award_types: &[],
            tally: None,
            overrides: &[],
            decisions: &[],
            publication: None,
        });
        let h = unit_history(unit, &[r]);
        assert_eq!(h.points[0].standing, HistoryStanding::NotVerified { state: NotVerified::NoSheet });
        assert_eq!((h.points[0].rank(), h.points[0].total(), h.points[0].members), (None, None, 1));
        let json = serde_json::to_value(&h.points[0]).unwrap();
        assert_eq!(json["standing"]["kind"], "not_verified");
        assert!(json["standing"].get("total").is_none());
    }
}
