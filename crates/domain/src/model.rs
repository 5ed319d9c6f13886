//! Years, blocs, units and memberships, as the API carries them.

use serde::{Deserialize, Serialize};

use crate::{BlocId, UnitId, Year};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unit {
    pub id: UnitId,
    /// The name valid in the year asked about, with diacritics: "Sở Y tế".
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearSummary {
    pub year: Year,
    pub bloc_count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlocSummary {
    pub id: BlocId,
    pub name: String,
    pub member_count: u32,
    pub leader: Option<Unit>,
}

/// The emulation pact signed early in the year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pact {
    /// ISO date, `YYYY-MM-DD`, when known.
    pub signed_on: Option<String>,
    pub note: String,
    pub document_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlocDetail {
    pub year: Year,
    pub id: BlocId,
    pub name: String,
    /// Member units in the bloc's order.
    pub members: Vec<Unit>,
    pub leader_id: Option<UnitId>,
    pub deputy_id: Option<UnitId>,
    pub pact: Option<Pact>,
    /// True when the leader, deputy and scores of this bloc-year are illustrative demo data.
    pub sample_data: bool,
}

/// What is wrong with a bloc's membership for a year.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MembershipError {
    #[error("the leader must be a member of the bloc")]
    LeaderNotMember,
    #[error("the deputy must be a member of the bloc")]
    DeputyNotMember,
    #[error("the leader and the deputy must be different units")]
    LeaderIsDeputy,
    #[error("a unit is listed twice")]
    DuplicateMember,
}

impl BlocDetail {
    pub fn leader(&self) -> Option<&Unit> {
        self.members.iter().find(|u| Some(u.id) == self.leader_id)
    }

    pub fn deputy(&self) -> Option<&Unit> {
        self.members.iter().find(|u| Some(u.id) == self.deputy_id)
    }
}

/// Leader and deputy are distinct members; no unit is listed twice.
pub fn validate_membership(members: &[UnitId], leader: Option<UnitId>, deputy: Option<UnitId>) -> Vec<MembershipError> {
    let mut errors = Vec::new();
    if members.iter().enumerate().any(|(i, m)| members[..i].contains(m)) {
        errors.push(MembershipError::DuplicateMember);
    }
    if leader.is_some_and(|l| !members.contains(&l)) {
        errors.push(MembershipError::LeaderNotMember);
    }
    if deputy.is_some_and(|d| !members.contains(&d)) {
        errors.push(MembershipError::DeputyNotMember);
    }
    if leader.is_some() && leader == deputy {
        errors.push(MembershipError::LeaderIsDeputy);
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn membership_rules() {
        assert!(validate_membership(&[1, 2, 3], Some(1), Some(2)).is_empty());
        assert!(validate_membership(&[1, 2, 3], None, None).is_empty());
        assert_eq!(validate_membership(&[1, 2], Some(9), Some(2)), [MembershipError::LeaderNotMember]);
        assert_eq!(validate_membership(&[1, 2], Some(1), Some(9)), [MembershipError::DeputyNotMember]);
        assert_eq!(validate_membership(&[1, 2], Some(1), Some(1)), [MembershipError::LeaderIsDeputy]);
        assert_eq!(validate_membership(&[1, 2, 1], None, None), [MembershipError::DuplicateMember]);
    }

    #[test]
    fn leader_and_deputy_lookup() {
        let bloc = BlocDetail {
            year: 2018,
            id: 1,
            name: "Khối".into(),
            members: vec![
                Unit { id: 1, name: "Sở Y tế".into() },
                Unit { id: 2, name: "Sở Giáo dục và Đào tạo".into() },
            ],
            leader_id: Some(2),
            deputy_id: None,
            pact: None,
            sample_data: false,
        };
        assert_eq!(bloc.leader().map(|u| u.name.as_str()), Some("Sở Giáo dục và Đào tạo"));
        assert_eq!(bloc.deputy(), None);
    }
}
