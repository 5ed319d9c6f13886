//! Units as staff manage them: names with their history, merges and retirements.

use serde::{Deserialize, Serialize};

use crate::error::{push, Duplicated, FieldError, FieldErrors};
use crate::{UnitId, Year, YEAR_MAX, YEAR_MIN};

/// A unit that no longer takes part on its own from a year on: merged into another, or
/// retired (dissolved).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitEnd {
    pub unit_id: UnitId,
    #[cfg_attr(feature = "openapi", schema(value_type = i32, minimum = 2000, maximum = 2100))]
    pub from_year: Year,
    /// `Some`: merged into that unit; `None`: retired.
    pub merged_into: Option<UnitId>,
}

/// Who stands for `unit` in `year`: itself, the unit it was merged into (following merges
/// of merges), or no one once retired.
pub fn successor(unit: UnitId, year: Year, ends: &[UnitEnd]) -> Option<UnitId> {
    let mut current = unit;
    for _ in 0..=ends.len() {
        match ends.iter().find(|e| e.unit_id == current && e.from_year <= year) {
            None => return Some(current),
            Some(UnitEnd { merged_into: Some(next), .. }) => current = *next,
            Some(UnitEnd { merged_into: None, .. }) => return None,
        }
    }
    None // a cycle of merges: no one
}

/// A name a unit carried from a year on (renames keep the history).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitName {
    pub from_year: Year,
    pub name: String,
}

/// A unit as staff manage it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitAdmin {
    pub id: UnitId,
    /// The latest name.
    pub name: String,
    /// Every name, oldest first; the first one's `from_year` is the unit's first year.
    pub names: Vec<UnitName>,
    pub end: Option<UnitEnd>,
}

/// `POST /api/admin/units`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewUnit {
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 200))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i32, minimum = 2000, maximum = 2100))]
    pub from_year: Year,
}

/// The name in force in `year`: the latest one from that year or before.
pub fn name_in(names: &[UnitName], year: Year) -> Option<&str> {
    names.iter().filter(|n| n.from_year <= year).max_by_key(|n| n.from_year).map(|n| n.name.as_str())
}

/// A name for a new unit or a rename (`POST /api/admin/units/{id}/names`): `others` are the
/// other units' current names, compared without case or surrounding spaces.
pub fn validate_unit_name(input: &NewUnit, others: &[String]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() {
        push(&mut errors, "name", FieldError::Required);
    } else if name.chars().count() > 200 {
        push(&mut errors, "name", FieldError::TooLong { max: 200 });
    } else if others.iter().any(|o| o.trim().to_lowercase() == name.to_lowercase()) {
        push(&mut errors, "name", FieldError::Duplicate { of: Duplicated::UnitName });
    }
    if !(YEAR_MIN..=YEAR_MAX).contains(&input.from_year) {
        push(&mut errors, "from_year", FieldError::Invalid);
    }
    errors
}

/// `POST /api/admin/units/{id}/end`: merge into another unit, or retire, from a year on.
pub fn validate_unit_end(end: &UnitEnd, units: &[UnitId], ends: &[UnitEnd]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if !(YEAR_MIN..=YEAR_MAX).contains(&end.from_year) {
        push(&mut errors, "from_year", FieldError::Invalid);
    }
    if let Some(into) = end.merged_into {
        let mut with = ends.to_vec();
        with.push(*end);
        // Into an existing, other unit, without a cycle of merges.
        if into == end.unit_id || !units.contains(&into) || successor(end.unit_id, end.from_year, &with).is_none() {
            push(&mut errors, "merged_into", FieldError::Invalid);
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_follow_through_and_retired_units_leave() {
        let ends = [
            UnitEnd { unit_id: 3, from_year: 2019, merged_into: Some(4) },
            UnitEnd { unit_id: 4, from_year: 2020, merged_into: Some(5) },
            UnitEnd { unit_id: 6, from_year: 2019, merged_into: None },
        ];
        assert_eq!(successor(3, 2018, &ends), Some(3));
        assert_eq!(successor(3, 2019, &ends), Some(4));
        assert_eq!(successor(3, 2020, &ends), Some(5), "a merge of a merge");
        assert_eq!(successor(6, 2019, &ends), None);
        let cycle = [
            UnitEnd { unit_id: 1, from_year: 2019, merged_into: Some(2) },
            UnitEnd { unit_id: 2, from_year: 2019, merged_into: Some(1) },
        ];
        assert_eq!(successor(1, 2019, &cycle), None);
    }

    #[test]
    fn names_have_a_history_and_merges_cannot_loop() {
        let names = [
            UnitName { from_year: 2015, name: "Sở Văn hóa, Thể thao và Du lịch".into() },
            UnitName { from_year: 2025, name: "Sở Văn hóa và Thể thao".into() },
        ];
        assert_eq!(name_in(&names, 2018), Some("Sở Văn hóa, Thể thao và Du lịch"));
        assert_eq!(name_in(&names, 2026), Some("Sở Văn hóa và Thể thao"));
        assert_eq!(name_in(&names, 2010), None);
        let others = ["Sở Y tế".to_owned()];
        let e = validate_unit_name(&NewUnit { name: " sở y tế ".into(), from_year: 1999 }, &others);
        assert_eq!(
            (e["name"].clone(), e["from_year"].clone()),
            (vec![FieldError::Duplicate { of: Duplicated::UnitName }], vec![FieldError::Invalid])
        );
        let ends = [UnitEnd { unit_id: 2, from_year: 2019, merged_into: Some(1) }];
        let back = UnitEnd { unit_id: 1, from_year: 2019, merged_into: Some(2) };
        assert_eq!(validate_unit_end(&back, &[1, 2], &ends)["merged_into"], [FieldError::Invalid]);
        let ok = UnitEnd { unit_id: 3, from_year: 2019, merged_into: Some(1) };
        assert!(validate_unit_end(&ok, &[1, 2, 3], &ends).is_empty());
    }
}
