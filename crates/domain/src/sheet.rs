//! A score sheet (one unit, one year) and the totals computed from it.

use serde::{Deserialize, Serialize};

use crate::criteria::{CriteriaTable, Criterion, CriterionId};
use crate::points::Points;
use crate::UnitId;

/// One criterion on a sheet. `None` means "not scored yet", which is not the same as 0.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CriterionScore {
    pub criterion_id: CriterionId,
    pub self_score: Option<Points>,
    pub verified_score: Option<Points>,
    #[serde(default)]
    pub note: String,
    /// Links to the evidence for the self score (documents, reports).
    #[serde(default)]
    pub evidence: Vec<String>,
    /// The verifier's comment on this criterion.
    #[serde(default)]
    pub comment: String,
}

/// A bonus or a deduction, always with its reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 500))]
    pub reason: String,
    /// Above zero, and at most the table's maximum total.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::points::positive_schema))]
    pub points: Points,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreSheet {
    pub unit_id: UnitId,
    pub scores: Vec<CriterionScore>,
    pub bonuses: Vec<Adjustment>,
    pub deductions: Vec<Adjustment>,
}

/// Which column of the sheet a total is computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoreKind {
    SelfAssessed,
    Verified,
}

/// What is wrong with one score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("a score cannot be negative")]
    Negative,
    #[error("a score cannot be above the maximum of {max}")]
    AboveMax { max: Points },
    #[error("a score must be a multiple of {step}")]
    OffStep { step: Points },
}

/// 0 ≤ score ≤ max, on the criterion's step: every rule the score breaks (30.25 on a
/// 30-point criterion with step 0.5 is both above the maximum and off the step), so the
/// person fixes it once.
pub fn validate_score(criterion: &Criterion, score: Points) -> Vec<ScoreError> {
    let mut problems = Vec::new();
    if score.is_negative() {
        problems.push(ScoreError::Negative);
    } else if score > criterion.max_points {
        problems.push(ScoreError::AboveMax { max: criterion.max_points });
    }
    if !score.is_multiple_of(criterion.step) {
        problems.push(ScoreError::OffStep { step: criterion.step });
    }
    problems
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectionSubtotal {
    /// The section's criterion id.
    pub criterion_id: CriterionId,
    pub points: Points,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SheetTotals {
    /// One per section, in the table's order.
    pub sections: Vec<SectionSubtotal>,
    /// Sum of the scored criteria.
    pub criteria_points: Points,
    /// Bonus points claimed, before the cap.
    pub bonus_claimed: Points,
    /// Bonus points that count: `min(claimed, cap)`.
    pub bonus_counted: Points,
    pub deductions: Points,
    /// `criteria_points + bonus_counted − deductions`.
    pub total: Points,
    /// How many leaf criteria have a score in the chosen column.
    pub scored: u32,
    /// How many leaf criteria there are.
    pub criteria_count: u32,
}

/// Total = sum of scores + bonus (capped) − deductions. Unscored criteria add nothing
/// but are counted as unscored, so a half-filled sheet never passes for a low one.
pub fn sheet_totals(table: &CriteriaTable, sheet: &ScoreSheet, kind: ScoreKind) -> SheetTotals {
    let score_of = |id: CriterionId| {
        sheet.scores.iter().find(|s| s.criterion_id == id).and_then(|s| match kind {
            ScoreKind::SelfAssessed => s.self_score,
            ScoreKind::Verified => s.verified_score,
        })
    };
    let mut sections: Vec<SectionSubtotal> =
        table.sections().map(|s| SectionSubtotal { criterion_id: s.id, points: Points::ZERO }).collect();
    let (mut scored, mut criteria_count) = (0u32, 0u32);
    for leaf in table.leaves() {
        criteria_count += 1;
        let Some(points) = score_of(leaf.id) else { continue };
        scored += 1;
        let section = table.section_of(leaf.id).map(|s| s.id);
        if let Some(sub) = sections.iter_mut().find(|s| Some(s.criterion_id) == section) {
            sub.points += points;
        }
    }
    let criteria_points = sections.iter().map(|s| s.points).sum();
    let bonus_claimed: Points = sheet.bonuses.iter().map(|b| b.points).sum();
    let bonus_counted = bonus_claimed.min(table.bonus_cap).max(Points::ZERO);
    let deductions = sheet.deductions.iter().map(|d| d.points).sum();
    SheetTotals {
        sections,
        criteria_points,
        bonus_claimed,
        bonus_counted,
        deductions,
        total: criteria_points + bonus_counted - deductions,
        scored,
        criteria_count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::tests::small_table;

    fn score(id: CriterionId, self_score: Option<i64>, verified: Option<i64>) -> CriterionScore {
        CriterionScore {
            criterion_id: id,
            self_score: self_score.map(Points::from_hundredths),
            verified_score: verified.map(Points::from_hundredths),
            ..Default::default()
        }
    }

    fn adj(points: i64) -> Adjustment {
        Adjustment { reason: "lý do".into(), points: Points::from_hundredths(points) }
    }

    #[test]
    fn totals_per_section_with_capped_bonus_and_deductions() {
        let table = small_table();
        let sheet = ScoreSheet {
            unit_id: 1,
            scores: vec![
                score(2, Some(2950), Some(2850)),
                score(3, Some(2000), Some(1950)),
                score(4, Some(1500), Some(1425)),
            ],
            bonuses: vec![adj(300), adj(400)],
            deductions: vec![adj(50)],
        };
        let v = sheet_totals(&table, &sheet, ScoreKind::Verified);
        assert_eq!(v.sections.iter().map(|s| s.points.hundredths()).collect::<Vec<_>>(), [4800, 1425]);
        assert_eq!(v.criteria_points, Points::from_hundredths(6225));
        assert_eq!(v.bonus_claimed, Points::whole(7));
        assert_eq!(v.bonus_counted, Points::whole(5), "the bonus is capped at 5");
        assert_eq!(v.deductions, Points::from_hundredths(50));
        assert_eq!(v.total, Points::from_hundredths(6225 + 500 - 50));
        assert_eq!((v.scored, v.criteria_count), (3, 3));
        let s = sheet_totals(&table, &sheet, ScoreKind::SelfAssessed);
        assert_eq!(s.criteria_points, Points::whole(64) + Points::from_hundredths(50));
    }

    #[test]
    fn unscored_is_not_zero() {
        let table = small_table();
        let sheet = ScoreSheet {
            unit_id: 1,
            scores: vec![score(2, Some(0), None), score(3, None, None)],
            ..Default::default()
        };
        let s = sheet_totals(&table, &sheet, ScoreKind::SelfAssessed);
        assert_eq!(s.total, Points::ZERO);
        assert_eq!(s.scored, 1, "a score of 0 counts as scored");
        assert_eq!(s.criteria_count, 3);
        let v = sheet_totals(&table, &sheet, ScoreKind::Verified);
        assert_eq!(v.scored, 0);
    }

    #[test]
    fn bonus_below_cap_counts_in_full() {
        let table = small_table();
        let sheet = ScoreSheet { unit_id: 1, bonuses: vec![adj(250)], ..Default::default() };
        assert_eq!(sheet_totals(&table, &sheet, ScoreKind::Verified).bonus_counted, Points::from_hundredths(250));
    }

    #[test]
    fn score_validation_range_and_step() {
        let table = small_table();
        let c = table.get(2).unwrap(); // max 30, step 0.5
        let step = ScoreError::OffStep { step: Points::from_hundredths(50) };
        let above = ScoreError::AboveMax { max: Points::whole(30) };
        assert_eq!(validate_score(c, Points::whole(30)), []);
        assert_eq!(validate_score(c, Points::ZERO), []);
        assert_eq!(validate_score(c, Points::from_hundredths(1250)), []);
        assert_eq!(validate_score(c, Points::from_hundredths(-50)), [ScoreError::Negative]);
        assert_eq!(validate_score(c, Points::from_hundredths(3050)), [above]);
        assert_eq!(validate_score(c, Points::from_hundredths(1225)), [step]);
        // Every rule a score breaks, not only the first.
        assert_eq!(validate_score(c, Points::from_hundredths(3025)), [above, step]);
        assert_eq!(validate_score(c, Points::from_hundredths(-25)), [ScoreError::Negative, step]);
    }
}
