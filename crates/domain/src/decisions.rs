//! Award decisions. A proposal (đề nghị) and an award made by decision (được tặng theo QĐ
//! số …) are different facts: an award is a proposal with a decision.

use serde::{Deserialize, Serialize};

use crate::award_types::{AwardTypeId, MAX_NAME};
use crate::dates::is_iso_date;
use crate::error::{check_text, push, FieldError, FieldErrors};
use crate::UnitId;

/// The award decision of the issuing authority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// "Số 123/QĐ-UBND".
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 100))]
    pub number: String,
    /// ISO date, `YYYY-MM-DD`, a real day.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub date: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 200))]
    pub issuer: String,
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
