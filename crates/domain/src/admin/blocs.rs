//! A bloc-year as staff set it up: a new bloc, its members in order, leader, deputy and
//! pact.

use serde::{Deserialize, Serialize};

use super::criteria::{CriteriaDraft, MAX_TITLE};
use crate::criteria::CriterionId;
use crate::dates::is_iso_date;
use crate::error::{push, Duplicated, FieldError, FieldErrors};
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
    /// The year's conference, as its minutes name it.
    #[serde(default)]
    pub conference: Conference,
    pub criteria: CriteriaDraft,
    /// Criteria that some sheet of this bloc-year holds a score for (self or verified).
    pub scored_criteria: Vec<CriterionId>,
    /// The bloc-year's results are published: its name, members and leader are fixed.
    pub published: bool,
    /// Something is recorded for the bloc-year (a score, a bonus or deduction line, a vote,
    /// an override, a decision): it cannot leave the year.
    pub has_records: bool,
    pub version: i64,
}

impl BlocSetupView {
    /// May the bloc be taken out of this year? The staff page asks before it offers.
    pub fn removable(&self) -> bool {
        check_bloc_removal(self.published, self.has_records).is_ok()
    }
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
    check_bloc_name(&mut errors, &input.name, others);
    errors
}

/// Blocs' names are the same when they differ only in case or surrounding spaces.
pub fn same_bloc_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

fn check_bloc_name(errors: &mut FieldErrors, name: &str, others: &[String]) {
    let name = name.trim();
    if name.is_empty() {
        push(errors, "name", FieldError::Required);
    } else if name.chars().count() > MAX_TITLE as usize {
        push(errors, "name", FieldError::TooLong { max: MAX_TITLE });
    } else if others.iter().any(|o| same_bloc_name(o, name)) {
        push(errors, "name", FieldError::Duplicate { of: Duplicated::BlocName });
    }
}

/// Why a set-up is refused though each field is valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetupRefusal {
    /// The results are published: the name, the members and the leader they show stay (409
    /// `published`); order, deputy and pact may still change.
    Published,
    /// These leaving members have something recorded in the bloc-year (409
    /// `member_has_scores`): they cannot leave it.
    MembersHaveRecords(Vec<UnitId>),
}

/// The bloc-year as it is, for `check_bloc_setup`.
#[derive(Clone, Debug, Default)]
pub struct CurrentSetup {
    pub name: String,
    pub members: Vec<UnitId>,
    pub leader: Option<UnitId>,
    pub published: bool,
    /// The current members that have something recorded in the bloc-year.
    pub members_with_records: Vec<UnitId>,
}

/// May `input` replace the set-up `current`? (Each field's own validity is
/// `validate_bloc_setup`'s.)
pub fn check_bloc_setup(input: &BlocSetupInput, current: &CurrentSetup) -> Result<(), SetupRefusal> {
    let leaving: Vec<UnitId> = current.members.iter().copied().filter(|u| !input.members.contains(u)).collect();
    let joining = input.members.iter().any(|u| !current.members.contains(u));
    let renamed = input.name.as_deref().is_some_and(|n| n.trim() != current.name);
    if current.published && (!leaving.is_empty() || joining || input.leader != current.leader || renamed) {
        return Err(SetupRefusal::Published);
    }
    let stuck: Vec<UnitId> = leaving.into_iter().filter(|u| current.members_with_records.contains(u)).collect();
    if stuck.is_empty() {
        Ok(())
    } else {
        Err(SetupRefusal::MembersHaveRecords(stuck))
    }
}

/// Why a bloc cannot be taken out of a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlocRemovalRefusal {
    /// Its results are published (409 `published`).
    Published,
    /// Something is recorded for it (409 `bloc_has_records`): a score, a line, a vote, an
    /// override, a decision, or results once published (their revisions stay for good).
    /// Set up by mistake and still empty, it may go.
    HasRecords,
}

/// A bloc leaves a year (its members, empty sheets and criteria with it) only while nothing
/// is published or recorded for it there.
pub fn check_bloc_removal(published: bool, has_records: bool) -> Result<(), BlocRemovalRefusal> {
    if published {
        Err(BlocRemovalRefusal::Published)
    } else if has_records {
        Err(BlocRemovalRefusal::HasRecords)
    } else {
        Ok(())
    }
}

/// The bloc's conference of the year, as its minutes name it (issue 22); empty until staff
/// enter it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Conference {
    /// ISO date, `YYYY-MM-DD`.
    #[serde(default)]
    pub held_on: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub place: String,
    /// Who chaired (name and office).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub chair: String,
    /// Who took the minutes.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub secretary: String,
    /// Who attended, as the minutes list them.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub attendees: String,
}

/// `PUT /api/admin/years/{year}/blocs/{bloc_id}`: members in order, leader, deputy, pact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BlocSetupInput {
    /// A new name for the bloc from this year on (earlier years keep theirs); left out, the
    /// name stays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub members: Vec<UnitId>,
    pub leader: Option<UnitId>,
    pub deputy: Option<UnitId>,
    /// ISO date, `YYYY-MM-DD`.
    pub pact_signed_on: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub pact_note: String,
    pub pact_document_url: Option<String>,
    /// The year's conference (left out: nothing recorded).
    #[serde(default)]
    pub conference: Conference,
    /// The bloc-year's `version` this was made from.
    pub version: i64,
}

/// `other_names`: the names of the year's other blocs. Field paths: `name`, `members`,
/// `members.{i}`, `leader`, `deputy`, `pact_signed_on`,
/// `pact_note`, `pact_document_url`, `conference.held_on`, `conference.place`,
/// `conference.chair`, `conference.secretary`, `conference.attendees`.
pub fn validate_bloc_setup(input: &BlocSetupInput, known_units: &[UnitId], other_names: &[String]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if let Some(name) = &input.name {
        check_bloc_name(&mut errors, name, other_names);
    }
    if input.members.is_empty() {
        push(&mut errors, "members", FieldError::Required);
    }
    for (i, m) in input.members.iter().enumerate() {
        if !known_units.contains(m) {
            push(&mut errors, format!("members.{i}"), FieldError::Invalid);
        } else if input.members[..i].contains(m) {
            push(&mut errors, format!("members.{i}"), FieldError::Duplicate { of: Duplicated::Member });
        }
    }
    if input.leader.is_some_and(|l| !input.members.contains(&l)) {
        push(&mut errors, "leader", FieldError::Invalid);
    }
    if input.deputy.is_some_and(|d| !input.members.contains(&d)) {
        push(&mut errors, "deputy", FieldError::Invalid);
    } else if input.deputy.is_some() && input.deputy == input.leader {
        push(&mut errors, "deputy", FieldError::Duplicate { of: Duplicated::Leader });
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
    let c = &input.conference;
    if c.held_on.as_deref().is_some_and(|d| !is_iso_date(d)) {
        push(&mut errors, "conference.held_on", FieldError::Invalid);
    }
    for (field, text, max) in [
        ("conference.place", &c.place, 200u32),
        ("conference.chair", &c.chair, 200),
        ("conference.secretary", &c.secretary, 200),
        ("conference.attendees", &c.attendees, 2000),
    ] {
        if text.chars().count() > max as usize {
            push(&mut errors, field, FieldError::TooLong { max });
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
            name: None,
            members: vec![1, 2, 3],
            leader: Some(1),
            deputy: Some(2),
            pact_signed_on: Some("2019-02-20".into()),
            pact_note: String::new(),
            pact_document_url: Some("https://example.vn/giao-uoc.pdf".into()),
            conference: Conference::default(),
            version: 0,
        };
        assert!(validate_bloc_setup(&ok, &[1, 2, 3, 4], &[]).is_empty());
        let bad = BlocSetupInput {
            members: vec![1, 2, 2, 9],
            leader: Some(4),
            deputy: Some(4),
            pact_signed_on: Some("20/02/2019".into()),
            pact_document_url: Some("giao-uoc.pdf".into()),
            ..ok.clone()
        };
        let e = validate_bloc_setup(&bad, &[1, 2, 3, 4], &[]);
        assert_eq!(e["members.2"], [FieldError::Duplicate { of: Duplicated::Member }]);
        assert_eq!(e["members.3"], [FieldError::Invalid]);
        assert_eq!(e["leader"], [FieldError::Invalid]);
        assert_eq!(e["deputy"], [FieldError::Invalid]);
        assert_eq!(e["pact_signed_on"], [FieldError::Invalid]);
        assert_eq!(e["pact_document_url"], [FieldError::NotALink]);
        let same = BlocSetupInput { deputy: Some(1), ..ok };
        assert_eq!(
            validate_bloc_setup(&same, &[1, 2, 3], &[])["deputy"],
            [FieldError::Duplicate { of: Duplicated::Leader }]
        );
        // A new name: not empty, and not another bloc's of the year.
        let others = ["Khối các sở kinh tế".to_owned()];
        let renamed = |name: &str| BlocSetupInput { name: Some(name.into()), ..same.clone() };
        assert_eq!(validate_bloc_setup(&renamed("  "), &[1, 2, 3], &others)["name"], [FieldError::Required]);
        assert_eq!(
            validate_bloc_setup(&renamed(" khối các sở KINH TẾ"), &[1, 2, 3], &others)["name"],
            [FieldError::Duplicate { of: Duplicated::BlocName }]
        );
        assert!(!validate_bloc_setup(&renamed("Khối văn hóa - xã hội"), &[1, 2, 3], &others).contains_key("name"));
    }

    #[test]
    fn a_published_bloc_keeps_its_name_members_and_leader_and_members_with_records_stay() {
        let input = BlocSetupInput {
            name: None,
            members: vec![1, 2, 3],
            leader: Some(1),
            deputy: Some(2),
            pact_signed_on: None,
            pact_note: String::new(),
            pact_document_url: None,
            conference: Conference::default(),
            version: 0,
        };
        let current = CurrentSetup {
            name: "Khối A".into(),
            members: vec![1, 2, 3],
            leader: Some(1),
            published: true,
            members_with_records: vec![3],
        };
        // Order, deputy and pact may change while published.
        let reordered = BlocSetupInput { members: vec![3, 2, 1], deputy: Some(3), ..input.clone() };
        assert_eq!(check_bloc_setup(&reordered, &current), Ok(()));
        assert_eq!(
            check_bloc_setup(&BlocSetupInput { name: Some("Khối A ".into()), ..input.clone() }, &current),
            Ok(())
        );
        for changed in [
            BlocSetupInput { name: Some("Khối B".into()), ..input.clone() },
            BlocSetupInput { members: vec![1, 2], ..input.clone() },
            BlocSetupInput { members: vec![1, 2, 3, 4], ..input.clone() },
            BlocSetupInput { leader: Some(2), deputy: None, ..input.clone() },
        ] {
            assert_eq!(check_bloc_setup(&changed, &current), Err(SetupRefusal::Published), "{changed:?}");
        }
        let open = CurrentSetup { published: false, ..current };
        let without = |m: Vec<UnitId>| BlocSetupInput { members: m, ..input.clone() };
        assert_eq!(check_bloc_setup(&without(vec![1, 3]), &open), Ok(()), "2 has nothing recorded");
        assert_eq!(check_bloc_setup(&without(vec![1]), &open), Err(SetupRefusal::MembersHaveRecords(vec![3])));
    }

    #[test]
    fn a_bloc_leaves_a_year_only_with_nothing_published_or_recorded() {
        assert_eq!(check_bloc_removal(false, false), Ok(()));
        assert_eq!(check_bloc_removal(true, false), Err(BlocRemovalRefusal::Published));
        assert_eq!(check_bloc_removal(false, true), Err(BlocRemovalRefusal::HasRecords));
        assert_eq!(check_bloc_removal(true, true), Err(BlocRemovalRefusal::Published));
    }

    #[test]
    fn a_new_bloc_has_a_name_of_its_own_in_its_year() {
        let others = ["Khối văn hóa, xã hội".to_owned()];
        assert!(validate_new_bloc(&NewBloc { name: "Khối kinh tế".into() }, &others).is_empty());
        let e = validate_new_bloc(&NewBloc { name: " khối VĂN HÓA, xã hội ".into() }, &others);
        assert_eq!(e["name"], [FieldError::Duplicate { of: Duplicated::BlocName }]);
        assert_eq!(validate_new_bloc(&NewBloc { name: "  ".into() }, &others)["name"], [FieldError::Required]);
    }
}
