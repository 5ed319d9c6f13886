//! Award types and proposals. A proposal (đề nghị) and an award made by decision
//! (được tặng theo QĐ số …) are different facts: an award is a proposal with a decision.

use serde::{Deserialize, Serialize};

use crate::UnitId;

pub type AwardTypeId = i64;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardType {
    pub id: AwardTypeId,
    /// Stable machine name, e.g. `co_chinh_phu`.
    pub code: String,
    /// As printed, e.g. "Cờ thi đua của Chính phủ".
    pub name: String,
    /// 1 is the highest award; groups are listed in this order.
    pub precedence: u32,
    /// How many units of one bloc may be proposed.
    pub quota_per_bloc: u32,
    /// The legal basis of the award's rules, as text.
    pub legal_basis: String,
}

/// The award decision of the issuing authority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    /// "Số 123/QĐ-UBND".
    pub number: String,
    /// ISO date, `YYYY-MM-DD`.
    pub date: String,
    pub issuer: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proposal {
    pub unit_id: UnitId,
    pub award_type_id: AwardTypeId,
    /// `None` while the proposal awaits a decision.
    pub decision: Option<Decision>,
}

impl Proposal {
    pub fn is_awarded(&self) -> bool {
        self.decision.is_some()
    }
}

/// The award types in precedence order, each with its proposals in input order.
/// Types without proposals are left out; proposals of unknown types too.
pub fn group_proposals<'a>(
    types: &'a [AwardType],
    proposals: &'a [Proposal],
) -> Vec<(&'a AwardType, Vec<&'a Proposal>)> {
    let mut types: Vec<&AwardType> = types.iter().collect();
    types.sort_by_key(|t| (t.precedence, t.id));
    types
        .into_iter()
        .map(|t| (t, proposals.iter().filter(|p| p.award_type_id == t.id).collect::<Vec<_>>()))
        .filter(|(_, ps)| !ps.is_empty())
        .collect()
}

/// Award types whose proposals in one bloc exceed the quota.
pub fn over_quota<'a>(types: &'a [AwardType], proposals: &[Proposal]) -> Vec<&'a AwardType> {
    types
        .iter()
        .filter(|t| proposals.iter().filter(|p| p.award_type_id == t.id).count() > t.quota_per_bloc as usize)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn award(id: AwardTypeId, precedence: u32, quota: u32) -> AwardType {
        AwardType {
            id,
            code: format!("a{id}"),
            name: format!("Award {id}"),
            precedence,
            quota_per_bloc: quota,
            legal_basis: String::new(),
        }
    }

    fn proposal(unit_id: UnitId, award_type_id: AwardTypeId) -> Proposal {
        Proposal { unit_id, award_type_id, decision: None }
    }

    #[test]
    fn groups_follow_precedence_and_skip_empty_types() {
        let types = [award(10, 3, 2), award(11, 1, 1), award(12, 2, 2), award(13, 4, 1)];
        let proposals = [proposal(1, 10), proposal(2, 11), proposal(3, 12), proposal(4, 12), proposal(5, 99)];
        let groups = group_proposals(&types, &proposals);
        let shape: Vec<(AwardTypeId, Vec<UnitId>)> =
            groups.iter().map(|(t, ps)| (t.id, ps.iter().map(|p| p.unit_id).collect())).collect();
        assert_eq!(shape, [(11, vec![2]), (12, vec![3, 4]), (10, vec![1])]);
    }

    #[test]
    fn proposed_is_not_awarded_until_a_decision() {
        let mut p = proposal(1, 1);
        assert!(!p.is_awarded());
        p.decision = Some(Decision {
            number: "12/QĐ-TTg".into(),
            date: "2019-03-01".into(),
            issuer: "Thủ tướng Chính phủ".into(),
        });
        assert!(p.is_awarded());
    }

    #[test]
    fn quota() {
        let types = [award(1, 1, 1), award(2, 2, 2)];
        assert!(over_quota(&types, &[proposal(1, 1), proposal(2, 2), proposal(3, 2)]).is_empty());
        let over = over_quota(&types, &[proposal(1, 1), proposal(2, 1)]);
        assert_eq!(over.iter().map(|t| t.id).collect::<Vec<_>>(), [1]);
    }
}
