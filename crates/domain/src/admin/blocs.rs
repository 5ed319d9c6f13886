//! A bloc-year as staff set it up: a new bloc, its members in order, leader, deputy and
//! pact.

use serde::{Deserialize, Serialize};

use super::criteria::{CriteriaDraft, MAX_TITLE};
use crate::criteria::CriterionId;
use crate::dates::is_iso_date;
use crate::error::{push, FieldError, FieldErrors};
use crate::{BlocId, UnitId, Year};

/// `GET /api/admin/years/{year}/blocs/{bloc_id}`: a bloc-year as staff set it up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlocSetupView {
    pub year: Year,
    pub bloc_id: BlocId,
    pub name: String,
    /// Members in the bloc's order, with the names of that year.
    pub members: Vec<crate::model::Unit>,
    pub leader: Option<UnitId>,
    pub deputy: Option<UnitId>,
    pub pact_signed_on: Option<String>,
    pub pact_note: String,
    pub pact_document_url: Option<String>,
    pub criteria: CriteriaDraft,
    /// Criteria that some sheet of this bloc-year holds a score for (self or verified).
    pub scored_criteria: Vec<CriterionId>,
    pub version: i64,
}

/// `POST /api/admin/years/{year}/blocs`: a new bloc in a year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewBloc {
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 500))]
    pub name: String,
}

/// A new bloc's name: `others` are the names of the blocs the year has, compared without
/// case or surrounding spaces.
pub fn validate_new_bloc(input: &NewBloc, others: &[String]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() {
        push(&mut errors, "name", FieldError::Required);
    } else if name.chars().count() > MAX_TITLE as usize {
        push(&mut errors, "name", FieldError::TooLong { max: MAX_TITLE });
    } else if others.iter().any(|o| o.trim().to_lowercase() == name.to_lowercase()) {
        push(&mut errors, "name", FieldError::Duplicate);
    }
    errors
}

/// `PUT /api/admin/years/{year}/blocs/{bloc_id}`: members in order, leader, deputy, pact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BlocSetupInput {
    pub members: Vec<UnitId>,
    pub leader: Option<UnitId>,
    pub deputy: Option<UnitId>,
    /// ISO date, `YYYY-MM-DD`.
    pub pact_signed_on: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub pact_note: String,
    pub pact_document_url: Option<String>,
    /// The bloc-year's `version` this was made from.
    pub version: i64,
}

/// Field paths: `members`, `members.{i}`, `leader`, `deputy`, `pact_signed_on`,
/// `pact_note`, `pact_document_url`.
pub fn validate_bloc_setup(input: &BlocSetupInput, known_units: &[UnitId]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if input.members.is_empty() {
        push(&mut errors, "members", FieldError::Required);
    }
    for (i, m) in input.members.iter().enumerate() {
        if !known_units.contains(m) {
            push(&mut errors, format!("members.{i}"), FieldError::Invalid);
        } else if input.members[..i].contains(m) {
            push(&mut errors, format!("members.{i}"), FieldError::Duplicate);
        }
    }
    if input.leader.is_some_and(|l| !input.members.contains(&l)) {
        push(&mut errors, "leader", FieldError::Invalid);
    }
    if input.deputy.is_some_and(|d| !input.members.contains(&d)) {
        push(&mut errors, "deputy", FieldError::Invalid);
    } else if input.deputy.is_some() && input.deputy == input.leader {
        push(&mut errors, "deputy", FieldError::Duplicate);
    }
    if let Some(date) = &input.pact_signed_on {
        if !is_iso_date(date) {
            push(&mut errors, "pact_signed_on", FieldError::Invalid);
        }
    }
    if input.pact_note.chars().count() > 2000 {
        push(&mut errors, "pact_note", FieldError::TooLong { max: 2000 });
    }
    if let Some(url) = &input.pact_document_url {
        let url = url.trim();
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() > 2000 || url.contains(' ') {
            push(&mut errors, "pact_document_url", FieldError::NotALink);
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bloc_setup_keeps_leader_and_deputy_among_the_members() {
        let ok = BlocSetupInput {
            members: vec![1, 2, 3],
            leader: Some(1),
            deputy: Some(2),
            pact_signed_on: Some("2019-02-20".into()),
            pact_note: String::new(),
            pact_document_url: Some("https://example.vn/giao-uoc.pdf".into()),
            version: 0,
        };
        assert!(validate_bloc_setup(&ok, &[1, 2, 3, 4]).is_empty());
        let bad = BlocSetupInput {
            members: vec![1, 2, 2, 9],
            leader: Some(4),
            deputy: Some(4),
            pact_signed_on: Some("20/02/2019".into()),
            pact_document_url: Some("giao-uoc.pdf".into()),
            ..ok.clone()
        };
        let e = validate_bloc_setup(&bad, &[1, 2, 3, 4]);
        assert_eq!(e["members.2"], [FieldError::Duplicate]);
        assert_eq!(e["members.3"], [FieldError::Invalid]);
        assert_eq!(e["leader"], [FieldError::Invalid]);
        assert_eq!(e["deputy"], [FieldError::Invalid]);
        assert_eq!(e["pact_signed_on"], [FieldError::Invalid]);
        assert_eq!(e["pact_document_url"], [FieldError::NotALink]);
        let same = BlocSetupInput { deputy: Some(1), ..ok };
        assert_eq!(validate_bloc_setup(&same, &[1, 2, 3])["deputy"], [FieldError::Duplicate]);
    }

    #[test]
    fn a_new_bloc_has_a_name_of_its_own_in_its_year() {
        let others = ["Khối văn hóa, xã hội".to_owned()];
        assert!(validate_new_bloc(&NewBloc { name: "Khối kinh tế".into() }, &others).is_empty());
        let e = validate_new_bloc(&NewBloc { name: " khối VĂN HÓA, xã hội ".into() }, &others);
        assert_eq!(e["name"], [FieldError::Duplicate]);
        assert_eq!(validate_new_bloc(&NewBloc { name: "  ".into() }, &others)["name"], [FieldError::Required]);
    }
}
