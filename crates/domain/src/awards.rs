//! Award types and proposals. A proposal (đề nghị) and an award made by decision
//! (được tặng theo QĐ số …) are different facts: an award is a proposal with a decision.
//! An award type carries its own rules (quota, vote threshold, eligibility, precedence,
//! legal basis) as data that staff edit per year: laws change, the code does not.

use serde::{Deserialize, Serialize};

use crate::award_rules::{Eligibility, VoteThreshold};
use crate::error::{push, FieldError, FieldErrors};
use crate::UnitId;

pub type AwardTypeId = i64;

/// What staff write when they add or change an award type of a year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardTypeInput {
    /// Stable machine name, e.g. `co_chinh_phu`: lowercase letters, digits and `_`.
    pub code: String,
    /// As printed, e.g. "Cờ thi đua của Chính phủ".
    pub name: String,
    /// 1 is the highest award; rules apply and groups are listed in this order.
    pub precedence: u32,
    /// How many units of one bloc may be proposed.
    pub quota_per_bloc: u32,
    /// The share of the votes cast a unit needs.
    pub threshold: VoteThreshold,
    /// Every condition a unit must meet, beside the vote.
    #[serde(default)]
    pub eligibility: Vec<Eligibility>,
    /// A unit proposed for an exclusive award is not proposed for a lower exclusive one in the
    /// same bloc ("at most one award type per unit unless configured otherwise").
    pub exclusive: bool,
    /// The legal basis of these rules, as text, shown with every broken rule.
    pub legal_basis: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardType {
    pub id: AwardTypeId,
    pub code: String,
    pub name: String,
    pub precedence: u32,
    pub quota_per_bloc: u32,
    pub threshold: VoteThreshold,
    pub eligibility: Vec<Eligibility>,
    pub exclusive: bool,
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
            legal_basis: self.legal_basis.clone(),
        }
    }
}

pub const MAX_NAME: u32 = 200;
pub const MAX_LEGAL_BASIS: u32 = 2000;

fn check_text(errors: &mut FieldErrors, field: &str, text: &str, max: u32) {
    if text.trim().is_empty() {
        push(errors, field, FieldError::Required);
    } else if text.chars().count() > max as usize {
        push(errors, field, FieldError::TooLong { max });
    }
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
        push(&mut errors, "code", FieldError::Duplicate);
    }
    check_text(&mut errors, "name", &input.name, MAX_NAME);
    if others.iter().any(|o| o.name.trim() == input.name.trim()) {
        push(&mut errors, "name", FieldError::Duplicate);
    }
    if input.precedence == 0 {
        push(&mut errors, "precedence", FieldError::NotPositive);
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
            push(&mut errors, format!("eligibility.{i}"), FieldError::Duplicate);
        }
    }
    if input.legal_basis.chars().count() > MAX_LEGAL_BASIS as usize {
        push(&mut errors, "legal_basis", FieldError::TooLong { max: MAX_LEGAL_BASIS });
    }
    errors
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

/// True for a real calendar date written `YYYY-MM-DD`.
pub fn is_iso_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num =
        |r: std::ops::Range<usize>| text.get(r).filter(|s| s.bytes().all(|c| c.is_ascii_digit()))?.parse::<u32>().ok();
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else { return false };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1900 && (1..=days).contains(&d)
}

pub fn validate_decision(d: &Decision) -> FieldErrors {
    let mut errors = FieldErrors::new();
    check_text(&mut errors, "number", &d.number, 100);
    if d.date.trim().is_empty() {
        push(&mut errors, "date", FieldError::Required);
    } else if !is_iso_date(&d.date) {
        push(&mut errors, "date", FieldError::Invalid);
    }
    check_text(&mut errors, "issuer", &d.issuer, MAX_NAME);
    errors
}

/// A decision recorded for one proposed unit and award type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionEntry {
    pub unit_id: UnitId,
    pub award_type_id: AwardTypeId,
    pub decision: Decision,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::points::Points;

    pub fn input(code: &str, name: &str) -> AwardTypeInput {
        AwardTypeInput {
            code: code.into(),
            name: name.into(),
            precedence: 1,
            quota_per_bloc: 1,
            threshold: VoteThreshold::MORE_THAN_HALF,
            eligibility: vec![Eligibility::MaxRank { rank: 1 }, Eligibility::ApprovedSheet],
            exclusive: true,
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
        bad.threshold = VoteThreshold { numerator: 3, denominator: 2, strict: false };
        bad.eligibility = vec![Eligibility::MaxRank { rank: 0 }, Eligibility::MaxRank { rank: 2 }];
        let e = validate_award_type(&bad, &[flag]);
        assert_eq!(e["code"], [FieldError::Duplicate]);
        assert_eq!(e["name"], [FieldError::Duplicate]);
        assert_eq!(e["precedence"], [FieldError::NotPositive]);
        assert_eq!(e["threshold.numerator"], [FieldError::Invalid]);
        assert_eq!(e["eligibility.0"], [FieldError::NotPositive]);
        assert_eq!(e["eligibility.1"], [FieldError::Duplicate]);

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
    fn decisions_need_a_number_a_real_date_and_an_issuer() {
        let d =
            Decision {
                number: "12/QĐ-TTg".into(), date: "2020-02-29".into(), issuer: "Thủ tướng Chính phủ".into()
            };
        assert!(validate_decision(&d).is_empty());
        for date in ["2019-02-29", "2019-13-01", "2019-1-01", "01/03/2019", "2019-04-31", "abcd-ef-gh"] {
            let e = validate_decision(&Decision { date: date.into(), ..d.clone() });
            assert_eq!(e["date"], [FieldError::Invalid], "{date}");
        }
        let e = validate_decision(&Decision { number: " ".into(), date: String::new(), issuer: String::new() });
        assert_eq!(e["number"], [FieldError::Required]);
        assert_eq!(e["date"], [FieldError::Required]);
        assert_eq!(e["issuer"], [FieldError::Required]);
    }
}
