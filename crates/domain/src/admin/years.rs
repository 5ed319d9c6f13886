//! Preparing a year: a new year, opening and closing it, and copying the previous year's
//! set-up into it.

use serde::{Deserialize, Serialize};

use super::criteria::CriteriaDraft;
use super::units::{successor, UnitEnd};
use crate::error::{push, Duplicated, FieldError, FieldErrors};
use crate::ranking::TieBreak;
use crate::{BlocId, UnitId, Year, YEAR_MAX, YEAR_MIN};

/// `POST /api/admin/years`: a new year, copied from an earlier one or empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewYear {
    #[cfg_attr(feature = "openapi", schema(value_type = i32, minimum = 2000, maximum = 2100))]
    pub year: Year,
    /// Copy this year's blocs, members, leaders, deputies, criteria and award rules.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i32>, minimum = 2000, maximum = 2100))]
    pub copy_from: Option<Year>,
    /// With `copy_from`: copy only these of its blocs (left out: all of them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocs: Option<Vec<BlocId>>,
    /// Without `copy_from`: start with this earlier year's award types and rules (left out:
    /// none), so a year set up from nothing need not enter them again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub award_types_from: Option<Year>,
}

/// A year as staff manage it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearAdmin {
    pub year: Year,
    /// Open for scoring: officers may write their sheets. A closed year is read-only to all
    /// but staff.
    pub open: bool,
    pub bloc_count: u32,
    /// How many of its blocs have published results: while any has, the tie-break rule is
    /// fixed (`check_year_update`).
    pub published_blocs: u32,
    /// How units with the same total are ordered in every bloc of the year.
    pub tie_break: TieBreak,
}

impl YearAdmin {
    /// May the year's tie-break rule be changed now? The staff page asks before it offers.
    pub fn tie_break_changeable(&self) -> bool {
        let other = match self.tie_break {
            TieBreak::SharedRank => TieBreak::SectionOrder,
            TieBreak::SectionOrder => TieBreak::SharedRank,
        };
        check_year_update(&YearUpdate { open: None, tie_break: Some(other) }, self.tie_break, self.published_blocs > 0)
            .is_ok()
    }
}

/// `PUT /api/admin/years/{year}`: what is given changes, what is left out stays.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct YearUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tie_break: Option<TieBreak>,
}

/// Why a year update is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearUpdateRefusal {
    /// The tie-break rule orders published rankings: unpublish the year's blocs first (409
    /// `published`), as for the award rules.
    Published,
}

/// May `update` be made to a year whose blocs are published (`published`) and whose rule is
/// `current`? Opening or closing is always allowed; changing the tie-break rule is not once a
/// bloc of the year is published (setting the same rule again changes nothing).
pub fn check_year_update(update: &YearUpdate, current: TieBreak, published: bool) -> Result<(), YearUpdateRefusal> {
    match update.tie_break {
        Some(rule) if rule != current && published => Err(YearUpdateRefusal::Published),
        _ => Ok(()),
    }
}

/// `existing`: the years there are; `source_blocs`: the blocs of `copy_from` (empty without
/// it). Field paths: `year`, `copy_from`, `blocs`, `blocs.{i}`, `award_types_from`.
pub fn validate_new_year(input: &NewYear, existing: &[Year], source_blocs: &[BlocId]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if !(YEAR_MIN..=YEAR_MAX).contains(&input.year) {
        push(&mut errors, "year", FieldError::Invalid);
    } else if existing.contains(&input.year) {
        push(&mut errors, "year", FieldError::Duplicate { of: Duplicated::Year });
    }
    if let Some(from) = input.copy_from {
        if !existing.contains(&from) || from == input.year {
            push(&mut errors, "copy_from", FieldError::Invalid);
        }
    }
    match (&input.blocs, input.copy_from) {
        (Some(_), None) => push(&mut errors, "blocs", FieldError::Invalid),
        (Some(blocs), Some(_)) => {
            if blocs.is_empty() {
                push(&mut errors, "blocs", FieldError::Required);
            }
            for (i, b) in blocs.iter().enumerate() {
                if !source_blocs.contains(b) {
                    push(&mut errors, format!("blocs.{i}"), FieldError::Invalid);
                } else if blocs[..i].contains(b) {
                    push(&mut errors, format!("blocs.{i}"), FieldError::Duplicate { of: Duplicated::Bloc });
                }
            }
        }
        (None, _) => {}
    }
    if let Some(from) = input.award_types_from {
        // A copied year brings its own award types.
        if input.copy_from.is_some() || !existing.contains(&from) {
            push(&mut errors, "award_types_from", FieldError::Invalid);
        }
    }
    errors
}

/// The blocs of `copy_from` that a new year copies.
pub fn blocs_to_copy(input: &NewYear, source_blocs: &[BlocId]) -> Vec<BlocId> {
    match &input.blocs {
        Some(chosen) => source_blocs.iter().copied().filter(|b| chosen.contains(b)).collect(),
        None => source_blocs.to_vec(),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlocSetup {
    pub bloc_id: BlocId,
    pub members: Vec<UnitId>,
    pub leader: Option<UnitId>,
    pub deputy: Option<UnitId>,
    pub criteria: CriteriaDraft,
}

/// The set-up of `year`, copied from the previous one: merged units are replaced by the unit
/// they joined (once), retired units leave, a leader or deputy who left is not carried over;
/// the criteria tree is copied whole (as new criteria). Sheets, votes, decisions and
/// publication are never copied.
pub fn copy_setup(previous: &[BlocSetup], year: Year, ends: &[UnitEnd]) -> Vec<BlocSetup> {
    previous
        .iter()
        .map(|b| {
            let mut members: Vec<UnitId> = Vec::new();
            for m in &b.members {
                if let Some(s) = successor(*m, year, ends) {
                    if !members.contains(&s) {
                        members.push(s);
                    }
                }
            }
            let keep =
                |role: Option<UnitId>| role.and_then(|u| successor(u, year, ends)).filter(|u| members.contains(u));
            let leader = keep(b.leader);
            let deputy = keep(b.deputy).filter(|d| Some(*d) != leader);
            BlocSetup { bloc_id: b.bloc_id, members, leader, deputy, criteria: b.criteria.without_ids() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::tests::small_table;
    use crate::points::Points;

    fn setup(members: &[UnitId], leader: UnitId, deputy: UnitId) -> BlocSetup {
        BlocSetup {
            bloc_id: 1,
            members: members.to_vec(),
            leader: Some(leader),
            deputy: Some(deputy),
            criteria: CriteriaDraft::from_table(&small_table()),
        }
    }

    #[test]
    fn copying_a_year_carries_members_roles_and_criteria_but_follows_merges() {
        // Units 3 and 4 merge into 4 (3 was the leader); 6 is retired (the deputy).
        let ends = [
            UnitEnd { unit_id: 3, from_year: 2019, merged_into: Some(4) },
            UnitEnd { unit_id: 6, from_year: 2019, merged_into: None },
        ];
        let copied = copy_setup(&[setup(&[1, 3, 4, 6, 7], 3, 6)], 2019, &ends);
        assert_eq!(copied[0].members, [1, 4, 7], "merged once, retired gone");
        assert_eq!(copied[0].leader, Some(4), "the leader's successor leads");
        assert_eq!(copied[0].deputy, None, "a retired deputy is not carried over");
        assert_eq!(copied[0].criteria.max_total(), Points::whole(65));
        assert!(copied[0].criteria.walk().iter().all(|(_, _, n)| n.id.is_none()), "new criteria");
        // Nothing merged: the same bloc.
        let same = copy_setup(&[setup(&[1, 2], 1, 2)], 2019, &[]);
        assert_eq!((same[0].members.clone(), same[0].leader, same[0].deputy), (vec![1, 2], Some(1), Some(2)));
    }

    #[test]
    fn a_new_year_is_new_and_copies_an_existing_one() {
        let new = |year, copy_from| NewYear { year, copy_from, blocs: None, award_types_from: None };
        assert!(validate_new_year(&new(2020, Some(2019)), &[2018, 2019], &[1, 2]).is_empty());
        let e = validate_new_year(&new(2019, Some(2017)), &[2018, 2019], &[]);
        assert_eq!(e["year"], [FieldError::Duplicate { of: Duplicated::Year }]);
        assert_eq!(e["copy_from"], [FieldError::Invalid]);
    }

    #[test]
    fn a_new_year_copies_the_chosen_blocs_or_starts_with_an_earlier_years_award_types() {
        let chosen = NewYear { year: 2020, copy_from: Some(2019), blocs: Some(vec![3, 1]), award_types_from: None };
        assert!(validate_new_year(&chosen, &[2019], &[1, 2, 3]).is_empty());
        assert_eq!(blocs_to_copy(&chosen, &[1, 2, 3]), [1, 3], "in the source's order");
        let all = NewYear { blocs: None, ..chosen.clone() };
        assert_eq!(blocs_to_copy(&all, &[1, 2, 3]), [1, 2, 3]);
        let bad = NewYear { blocs: Some(vec![1, 9, 1]), ..chosen.clone() };
        let e = validate_new_year(&bad, &[2019], &[1, 2, 3]);
        assert_eq!(
            (&e["blocs.1"], &e["blocs.2"]),
            (&vec![FieldError::Invalid], &vec![FieldError::Duplicate { of: Duplicated::Bloc }])
        );
        let none = NewYear { blocs: Some(vec![]), ..chosen.clone() };
        assert_eq!(validate_new_year(&none, &[2019], &[1, 2, 3])["blocs"], [FieldError::Required]);
        let without_source = NewYear { copy_from: None, ..chosen.clone() };
        assert_eq!(validate_new_year(&without_source, &[2019], &[])["blocs"], [FieldError::Invalid]);

        let empty = NewYear { year: 2020, copy_from: None, blocs: None, award_types_from: Some(2019) };
        assert!(validate_new_year(&empty, &[2018, 2019], &[]).is_empty());
        let both = NewYear { copy_from: Some(2019), ..empty.clone() };
        assert_eq!(validate_new_year(&both, &[2019], &[1])["award_types_from"], [FieldError::Invalid]);
        let unknown = NewYear { award_types_from: Some(2017), ..empty };
        assert_eq!(validate_new_year(&unknown, &[2019], &[])["award_types_from"], [FieldError::Invalid]);
    }

    #[test]
    fn the_tie_break_rule_changes_only_while_nothing_of_the_year_is_published() {
        let to = |rule| YearUpdate { open: None, tie_break: Some(rule) };
        assert_eq!(check_year_update(&to(TieBreak::SectionOrder), TieBreak::SharedRank, false), Ok(()));
        assert_eq!(
            check_year_update(&to(TieBreak::SectionOrder), TieBreak::SharedRank, true),
            Err(YearUpdateRefusal::Published)
        );
        assert_eq!(check_year_update(&to(TieBreak::SharedRank), TieBreak::SharedRank, true), Ok(()), "no change");
        let close = YearUpdate { open: Some(false), tie_break: None };
        assert_eq!(check_year_update(&close, TieBreak::SharedRank, true), Ok(()));
        let year = |published_blocs| YearAdmin {
            year: 2019,
            open: true,
            bloc_count: 2,
            published_blocs,
            tie_break: TieBreak::SharedRank,
        };
        assert!(year(0).tie_break_changeable());
        assert!(!year(1).tie_break_changeable(), "fixed while a bloc is published");
        let json: YearUpdate = serde_json::from_value(serde_json::json!({"tie_break": "section_order"})).unwrap();
        assert_eq!(json, to(TieBreak::SectionOrder));
    }
}
