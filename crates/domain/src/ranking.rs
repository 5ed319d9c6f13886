//! Ranking within a bloc, with the tie-break rule the year is configured with.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::points::Points;
use crate::UnitId;

/// How units with the same total are ordered. Stored per year, so it is data, not code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TieBreak {
    /// Equal totals share a rank (1, 2, 2, 4).
    #[default]
    SharedRank,
    /// Equal totals are ordered by section I, then II, …; still equal, they share a rank.
    SectionOrder,
}

/// What a tie came to, for the results page to say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TieOutcome {
    /// Tied on the total and shares its rank with the others of the tie.
    Shared,
    /// Tied on the total; the scores of this section (index into the sections, 0 = I) decided.
    DecidedBySection { section_index: usize },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankInput {
    pub unit_id: UnitId,
    pub total: Points,
    /// Subtotals in section order.
    pub sections: Vec<Points>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankedUnit {
    pub unit_id: UnitId,
    /// Competition ranking: 1 + the number of units placed strictly above.
    pub rank: u32,
    /// `None` when no other unit has the same total.
    pub tie: Option<TieOutcome>,
}

/// Ranks units, best first. Units that stay level keep their input order, so callers decide
/// the order of equals (by name, say) and the result is deterministic.
pub fn rank(units: &[RankInput], rule: TieBreak) -> Vec<RankedUnit> {
    let compare = |a: &RankInput, b: &RankInput| -> Ordering {
        let by_total = b.total.cmp(&a.total);
        match rule {
            TieBreak::SharedRank => by_total,
            TieBreak::SectionOrder => by_total.then_with(|| b.sections.cmp(&a.sections)),
        }
    };
    let mut order: Vec<&RankInput> = units.iter().collect();
    order.sort_by(|a, b| compare(a, b)); // stable: equals keep input order

    order
        .iter()
        .map(|u| {
            let rank = 1 + order.iter().filter(|o| compare(o, u) == Ordering::Less).count() as u32;
            let same_total: Vec<&&RankInput> = order.iter().filter(|o| o.total == u.total).collect();
            // A unit that stays level with another after the rule is applied shares its rank;
            // that is the fact worth telling even if the rule placed it against a third unit.
            let shares_rank = order.iter().filter(|o| compare(o, u) == Ordering::Equal).count() > 1;
            let tie = if same_total.len() < 2 {
                None
            } else if !shares_rank {
                // The first section in which the tied units are not all level decided.
                let width = same_total.iter().map(|o| o.sections.len()).max().unwrap_or(0);
                let section_index = (0..width)
                    .find(|&i| same_total.iter().any(|o| o.sections.get(i) != u.sections.get(i)))
                    .unwrap_or(0);
                Some(TieOutcome::DecidedBySection { section_index })
            } else {
                Some(TieOutcome::Shared)
            };
            RankedUnit { unit_id: u.unit_id, rank, tie }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(unit_id: UnitId, total: i64, sections: &[i64]) -> RankInput {
        RankInput {
            unit_id,
            total: Points::from_hundredths(total),
            sections: sections.iter().copied().map(Points::from_hundredths).collect(),
        }
    }

    fn ranks(r: &[RankedUnit]) -> Vec<(UnitId, u32)> {
        r.iter().map(|u| (u.unit_id, u.rank)).collect()
    }

    #[test]
    fn orders_by_total() {
        let r = rank(&[input(1, 8000, &[]), input(2, 9050, &[]), input(3, 8500, &[])], TieBreak::SharedRank);
        assert_eq!(ranks(&r), [(2, 1), (3, 2), (1, 3)]);
        assert!(r.iter().all(|u| u.tie.is_none()));
    }

    #[test]
    fn shared_rank_skips_the_next_places() {
        let units = [input(1, 9000, &[4000]), input(2, 9000, &[4500]), input(3, 9500, &[]), input(4, 8000, &[])];
        let r = rank(&units, TieBreak::SharedRank);
        assert_eq!(ranks(&r), [(3, 1), (1, 2), (2, 2), (4, 4)]);
        assert_eq!(r[1].tie, Some(TieOutcome::Shared));
        assert_eq!(r[2].tie, Some(TieOutcome::Shared));
        assert_eq!(r[0].tie, None);
    }

    #[test]
    fn section_order_breaks_the_tie_on_the_first_section_that_differs() {
        let units = [input(1, 9000, &[4500, 1500]), input(2, 9000, &[4600, 1400]), input(3, 9500, &[4000, 1500])];
        let r = rank(&units, TieBreak::SectionOrder);
        assert_eq!(ranks(&r), [(3, 1), (2, 2), (1, 3)]);
        assert_eq!(r[1].tie, Some(TieOutcome::DecidedBySection { section_index: 0 }));
        assert_eq!(r[2].tie, Some(TieOutcome::DecidedBySection { section_index: 0 }));

        let later = [input(1, 9000, &[4500, 1400, 1100]), input(2, 9000, &[4500, 1500, 1000])];
        let r = rank(&later, TieBreak::SectionOrder);
        assert_eq!(ranks(&r), [(2, 1), (1, 2)]);
        assert_eq!(r[0].tie, Some(TieOutcome::DecidedBySection { section_index: 1 }));
    }

    #[test]
    fn section_order_still_shares_when_every_section_is_level() {
        let units = [input(1, 9000, &[4500, 1500]), input(2, 9000, &[4500, 1500]), input(3, 7000, &[3500, 1500])];
        let r = rank(&units, TieBreak::SectionOrder);
        assert_eq!(ranks(&r), [(1, 1), (2, 1), (3, 3)]);
        assert_eq!(r[0].tie, Some(TieOutcome::Shared));
        assert_eq!(r[2].tie, None);
    }

    #[test]
    fn three_way_tie_partly_broken() {
        let units = [input(1, 9000, &[4500]), input(2, 9000, &[4500]), input(3, 9000, &[4700])];
        let r = rank(&units, TieBreak::SectionOrder);
        assert_eq!(ranks(&r), [(3, 1), (1, 2), (2, 2)]);
        // Section I put unit 3 first; units 1 and 2 are level in every section and share rank 2.
        assert_eq!(r[0].tie, Some(TieOutcome::DecidedBySection { section_index: 0 }));
        assert_eq!(r[1].tie, Some(TieOutcome::Shared));
        assert_eq!(r[2].tie, Some(TieOutcome::Shared));
    }

    #[test]
    fn empty_and_single() {
        assert!(rank(&[], TieBreak::SectionOrder).is_empty());
        let r = rank(&[input(7, 0, &[])], TieBreak::SectionOrder);
        assert_eq!(ranks(&r), [(7, 1)]);
    }
}
