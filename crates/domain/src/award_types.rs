//! Award types and their rules. An award type carries its own rules (quota, vote threshold,
//! eligibility, precedence, legal basis) as data that staff edit per year: laws and
//! provincial decisions change, the code does not.

use serde::{Deserialize, Serialize};

use crate::error::{check_text, push, Duplicated, FieldError, FieldErrors};
use crate::points::Points;

pub use crate::AwardTypeId;

/// How candidates level in votes for the last places of the quota are settled: a rule of
/// the award type, under its legal basis, shown next to the result.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VoteTieRule {
    /// The unit ranked higher in the bloc takes the place; level in rank too, the conference
    /// decides.
    BlocRank,
    /// The conference decides (a second vote, or the provincial council): staff record its
    /// outcome in writing, as overrides. Nothing is decided for them meanwhile.
    #[default]
    ConferenceDecides,
}

impl VoteTieRule {
    pub fn as_str(self) -> &'static str {
        match self {
            VoteTieRule::BlocRank => "bloc_rank",
            VoteTieRule::ConferenceDecides => "conference_decides",
        }
    }

    pub fn parse(s: &str) -> Option<VoteTieRule> {
        [VoteTieRule::BlocRank, VoteTieRule::ConferenceDecides].into_iter().find(|r| r.as_str() == s)
    }
}

/// What staff write when they add or change an award type of a year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AwardTypeInput {
    /// Stable machine name, e.g. `co_chinh_phu`: lowercase letters, digits and `_`.
    #[cfg_attr(feature = "openapi", schema(max_length = 64, pattern = "^[a-z0-9_]+$"))]
    pub code: String,
    /// As printed, e.g. "Cờ thi đua của Chính phủ".
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 200))]
    pub name: String,
    /// 1 is the highest award; rules apply and groups are listed in this order.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub precedence: u32,
    /// How many units of one bloc may be proposed: at least one (an award no unit may be
    /// proposed for is not an award type of the year).
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub quota_per_bloc: u32,
    /// The share of the votes cast a unit needs.
    pub threshold: VoteThreshold,
    /// Every condition a unit must meet, beside the vote.
    #[serde(default)]
    pub eligibility: Vec<Eligibility>,
    /// A unit proposed for an exclusive award is not proposed for a lower exclusive one in the
    /// same bloc ("at most one award type per unit unless configured otherwise").
    pub exclusive: bool,
    /// How a tie in votes at the quota's boundary is settled (left out: the conference).
    #[serde(default)]
    pub vote_tie: VoteTieRule,
    /// The legal basis of these rules, as text, shown with every broken rule.
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub legal_basis: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardType {
    pub id: AwardTypeId,
    pub code: String,
    pub name: String,
    pub precedence: u32,
    /// At least 1 (`validate_award_type`).
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub quota_per_bloc: u32,
    pub threshold: VoteThreshold,
    pub eligibility: Vec<Eligibility>,
    pub exclusive: bool,
    pub vote_tie: VoteTieRule,
    pub legal_basis: String,
}

impl AwardType {
    pub fn from_input(id: AwardTypeId, i: AwardTypeInput) -> AwardType {
        AwardType {
            id,
            code: i.code,
            name: i.name,
            precedence: i.precedence,
            quota_per_bloc: i.quota_per_bloc,
            threshold: i.threshold,
            eligibility: i.eligibility,
            exclusive: i.exclusive,
            vote_tie: i.vote_tie,
            legal_basis: i.legal_basis,
        }
    }

    pub fn input(&self) -> AwardTypeInput {
        AwardTypeInput {
            code: self.code.clone(),
            name: self.name.clone(),
            precedence: self.precedence,
            quota_per_bloc: self.quota_per_bloc,
            threshold: self.threshold,
            eligibility: self.eligibility.clone(),
            exclusive: self.exclusive,
            vote_tie: self.vote_tie,
            legal_basis: self.legal_basis.clone(),
        }
    }
}

pub const MAX_NAME: u32 = 200;
pub const MAX_LEGAL_BASIS: u32 = 2000;

/// What a threshold's share is of: the law names it. Most rules count on the voters present;
/// some on the valid ballots; Decree 98/2023 counted the Council's flag votes (at least 80 %)
/// on its total membership, absent members' written opinions included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ThresholdBase {
    /// The voters present (what every threshold counted on before the base was data).
    #[default]
    VotersPresent,
    /// The valid ballots of that award type's part.
    ValidBallots,
    /// The body's total membership; absent members' written opinions add to the votes.
    Membership,
}

impl ThresholdBase {
    pub const ALL: [ThresholdBase; 3] =
        [ThresholdBase::VotersPresent, ThresholdBase::ValidBallots, ThresholdBase::Membership];

    pub fn as_str(self) -> &'static str {
        match self {
            ThresholdBase::VotersPresent => "voters_present",
            ThresholdBase::ValidBallots => "valid_ballots",
            ThresholdBase::Membership => "membership",
        }
    }

    pub fn parse(s: &str) -> Option<ThresholdBase> {
        ThresholdBase::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// "More than half of the votes cast" is `{numerator: 1, denominator: 2, strict: true}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VoteThreshold {
    /// At most `denominator`: a share above the whole can never be met.
    pub numerator: u32,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub denominator: u32,
    /// True: strictly more than the share; false: at least the share.
    pub strict: bool,
    /// What the share is of (the voters present when left out).
    #[serde(default)]
    pub base: ThresholdBase,
}

impl VoteThreshold {
    pub const MORE_THAN_HALF: VoteThreshold =
        VoteThreshold { numerator: 1, denominator: 2, strict: true, base: ThresholdBase::VotersPresent };

    /// Exact: compares `votes / voters` with the share in integers, never in floating point.
    pub fn passes(self, votes: u32, voters: u32) -> bool {
        if voters == 0 || self.denominator == 0 {
            return false;
        }
        let (lhs, rhs) =
            (u64::from(votes) * u64::from(self.denominator), u64::from(self.numerator) * u64::from(voters));
        if self.strict {
            lhs > rhs
        } else {
            lhs >= rhs
        }
    }
}

/// A condition a unit must meet to be proposed for an award type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Eligibility {
    /// Ranked at most this in its bloc (1: must lead the bloc).
    MaxRank {
        #[cfg_attr(feature = "openapi", schema(minimum = 1))]
        rank: u32,
    },
    /// Its score sheet for the year is approved.
    ApprovedSheet,
    /// Its verified total is at least this.
    MinTotal {
        #[cfg_attr(feature = "openapi", schema(schema_with = crate::points::non_negative_schema))]
        points: Points,
    },
}

/// Every problem with an award type, by field; `others` are the year's other award types
/// (code and name must be unique within the year).
pub fn validate_award_type(input: &AwardTypeInput, others: &[AwardType]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let code_ok = !input.code.is_empty()
        && input.code.len() <= 64
        && input.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if input.code.is_empty() {
        push(&mut errors, "code", FieldError::Required);
    } else if !code_ok {
        push(&mut errors, "code", FieldError::Invalid);
    } else if others.iter().any(|o| o.code == input.code) {
        push(&mut errors, "code", FieldError::Duplicate { of: Duplicated::AwardTypeCode });
    }
    check_text(&mut errors, "name", &input.name, MAX_NAME);
    if others.iter().any(|o| o.name.trim() == input.name.trim()) {
        push(&mut errors, "name", FieldError::Duplicate { of: Duplicated::AwardTypeName });
    }
    if input.precedence == 0 {
        push(&mut errors, "precedence", FieldError::NotPositive);
    }
    if input.quota_per_bloc == 0 {
        push(&mut errors, "quota_per_bloc", FieldError::NotPositive);
    }
    let t = input.threshold;
    if t.denominator == 0 {
        push(&mut errors, "threshold.denominator", FieldError::NotPositive);
    } else if t.numerator > t.denominator {
        // A share above the whole can never be met.
        push(&mut errors, "threshold.numerator", FieldError::Invalid);
    }
    for (i, condition) in input.eligibility.iter().enumerate() {
        match condition {
            Eligibility::MaxRank { rank: 0 } => push(&mut errors, format!("eligibility.{i}"), FieldError::NotPositive),
            Eligibility::MinTotal { points } if points.hundredths() < 0 => {
                push(&mut errors, format!("eligibility.{i}"), FieldError::Negative)
            }
            _ => {}
        }
        if input.eligibility[..i].iter().any(|c| std::mem::discriminant(c) == std::mem::discriminant(condition)) {
            push(&mut errors, format!("eligibility.{i}"), FieldError::Duplicate { of: Duplicated::Eligibility });
        }
    }
    if input.legal_basis.chars().count() > MAX_LEGAL_BASIS as usize {
        push(&mut errors, "legal_basis", FieldError::TooLong { max: MAX_LEGAL_BASIS });
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn input(code: &str, name: &str) -> AwardTypeInput {
        AwardTypeInput {
            code: code.into(),
            name: name.into(),
            precedence: 1,
            quota_per_bloc: 1,
            threshold: VoteThreshold::MORE_THAN_HALF,
            eligibility: vec![Eligibility::MaxRank { rank: 1 }, Eligibility::ApprovedSheet],
            exclusive: true,
            vote_tie: VoteTieRule::BlocRank,
            legal_basis: "Nghị định 91/2017/NĐ-CP".into(),
        }
    }

    #[test]
    fn an_award_type_is_checked_field_by_field() {
        let flag = AwardType::from_input(1, input("co_chinh_phu", "Cờ thi đua của Chính phủ"));
        assert!(
            validate_award_type(&input("co_tinh", "Cờ thi đua của UBND tỉnh"), std::slice::from_ref(&flag)).is_empty()
        );
        assert_eq!(flag.input(), input("co_chinh_phu", "Cờ thi đua của Chính phủ"));

        let mut bad = input("co_chinh_phu", " Cờ thi đua của Chính phủ ");
        bad.precedence = 0;
        bad.quota_per_bloc = 0;
        bad.threshold = VoteThreshold { numerator: 3, denominator: 2, strict: false, ..VoteThreshold::MORE_THAN_HALF };
        bad.eligibility = vec![Eligibility::MaxRank { rank: 0 }, Eligibility::MaxRank { rank: 2 }];
        let e = validate_award_type(&bad, &[flag]);
        assert_eq!(e["code"], [FieldError::Duplicate { of: Duplicated::AwardTypeCode }]);
        assert_eq!(e["name"], [FieldError::Duplicate { of: Duplicated::AwardTypeName }]);
        assert_eq!(e["precedence"], [FieldError::NotPositive]);
        assert_eq!(e["quota_per_bloc"], [FieldError::NotPositive]);
        assert_eq!(e["threshold.numerator"], [FieldError::Invalid]);
        assert_eq!(e["eligibility.0"], [FieldError::NotPositive]);
        assert_eq!(e["eligibility.1"], [FieldError::Duplicate { of: Duplicated::Eligibility }]);

        let mut bad = input("Cờ", "");
        bad.threshold.denominator = 0;
        bad.eligibility = vec![Eligibility::MinTotal { points: Points::from_hundredths(-1) }];
        let e = validate_award_type(&bad, &[]);
        assert_eq!(e["code"], [FieldError::Invalid]);
        assert_eq!(e["name"], [FieldError::Required]);
        assert_eq!(e["threshold.denominator"], [FieldError::NotPositive]);
        assert_eq!(e["eligibility.0"], [FieldError::Negative]);
    }

    #[test]
    fn threshold_exactly_at_the_share_strict_and_not() {
        let strict = VoteThreshold::MORE_THAN_HALF;
        let at_least = VoteThreshold { strict: false, ..strict };
        assert!(!strict.passes(7, 14));
        assert!(at_least.passes(7, 14));
        assert!(strict.passes(8, 14));
        assert!(!at_least.passes(6, 14));
        let two_thirds = VoteThreshold { numerator: 2, denominator: 3, strict: false, ..VoteThreshold::MORE_THAN_HALF };
        assert!(two_thirds.passes(10, 15) && !two_thirds.passes(9, 15));
        assert!(!strict.passes(0, 0), "no voters, no proposal");
    }
}
