//! What a person has typed into a score sheet, exactly as typed (even "12," or "abc"), kept
//! on the device at every keystroke so that a reload, a dropped network, a server error or
//! an expired session loses nothing. Turning it into a request runs the domain's checks.

use std::collections::BTreeMap;

use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};
use thidua_domain::auth::UserId;
use thidua_domain::criteria::{CriteriaTable, CriterionId};
use thidua_domain::error::{push, FieldError, FieldErrors};
use thidua_domain::sheet::{Adjustment, CriterionScore, ScoreSheet};
use thidua_domain::sheet_edit::{
    score_field, validate_self, validate_verification, SelfAssessmentInput, SelfScoreInput, SheetId, SheetView,
    VerificationInput, VerifiedScoreInput,
};
use thidua_domain::Points;

use crate::staff::input::{parse_score, points_input};

/// Which half of the sheet a form edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Side {
    SelfAssessment,
    Verification,
}

/// One criterion as typed: the score, the note (self) or comment (verification), and the
/// evidence links one per line (self only).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowDraft {
    pub score: String,
    pub text: String,
    pub evidence: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustmentDraft {
    pub reason: String,
    pub points: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetDraft {
    /// The server version these edits started from.
    pub base_version: i64,
    pub rows: BTreeMap<CriterionId, RowDraft>,
    pub bonuses: Vec<AdjustmentDraft>,
    pub deductions: Vec<AdjustmentDraft>,
    /// True while the server has not yet accepted these edits.
    pub dirty: bool,
}

fn links(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

impl SheetDraft {
    /// The server's sheet, as the form for `side` shows it.
    pub fn from_view(view: &SheetView, side: Side, decimal_comma: bool) -> Self {
        let points_text = |p: Option<Points>| p.map(|p| points_input(p, decimal_comma)).unwrap_or_default();
        let rows = view
            .sheet
            .scores
            .iter()
            .map(|s| {
                let row = match side {
                    Side::SelfAssessment => RowDraft {
                        score: points_text(s.self_score),
                        text: s.note.clone(),
                        evidence: s.evidence.join("\n"),
                    },
                    Side::Verification => RowDraft {
                        score: points_text(s.verified_score),
                        text: s.comment.clone(),
                        evidence: String::new(),
                    },
                };
                (s.criterion_id, row)
            })
            .filter(|(_, row)| *row != RowDraft::default())
            .collect();
        let adjustments = |lines: &[Adjustment]| {
            lines
                .iter()
                .map(|a| AdjustmentDraft { reason: a.reason.clone(), points: points_input(a.points, decimal_comma) })
                .collect()
        };
        let (bonuses, deductions) = match side {
            Side::SelfAssessment => (adjustments(&view.sheet.bonuses), adjustments(&view.sheet.deductions)),
            Side::Verification => (Vec::new(), Vec::new()),
        };
        SheetDraft { base_version: view.version, rows, bonuses, deductions, dirty: false }
    }

    /// The same content, ignoring versions and the dirty flag.
    pub fn same_content(&self, other: &SheetDraft) -> bool {
        let blank = RowDraft::default();
        let rows = |d: &SheetDraft| {
            d.rows.iter().filter(|(_, r)| **r != blank).map(|(k, r)| (*k, r.clone())).collect::<Vec<_>>()
        };
        rows(self) == rows(other) && self.bonuses == other.bonuses && self.deductions == other.deductions
    }

    fn parsed_adjustments(&self, errors: &mut FieldErrors, kind: &str, lines: &[AdjustmentDraft]) -> Vec<Adjustment> {
        lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let points = match parse_score(&line.points) {
                    Ok(Some(p)) => p,
                    Ok(None) => {
                        push(errors, format!("{kind}.{i}.points"), FieldError::Required);
                        Points::ZERO
                    }
                    Err(e) => {
                        push(errors, format!("{kind}.{i}.points"), e);
                        Points::ZERO
                    }
                };
                Adjustment { reason: line.reason.trim().to_owned(), points }
            })
            .collect()
    }

    fn parsed_score(errors: &mut FieldErrors, id: CriterionId, column: &str, text: &str) -> Option<Points> {
        parse_score(text).unwrap_or_else(|e| {
            push(errors, score_field(id, column), e);
            None
        })
    }

    /// The request a self-assessment form sends, or every field that is wrong.
    pub fn to_self_input(&self, table: &CriteriaTable) -> Result<SelfAssessmentInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let scores = self
            .rows
            .iter()
            .filter(|(_, r)| **r != RowDraft::default())
            .map(|(&id, r)| SelfScoreInput {
                criterion_id: id,
                self_score: Self::parsed_score(&mut errors, id, "self_score", &r.score),
                note: r.text.trim().to_owned(),
                evidence: links(&r.evidence),
            })
            .collect();
        let bonuses = self.parsed_adjustments(&mut errors, "bonuses", &self.bonuses);
        let deductions = self.parsed_adjustments(&mut errors, "deductions", &self.deductions);
        let input = SelfAssessmentInput { base_version: self.base_version, scores, bonuses, deductions };
        for (field, problems) in validate_self(table, &input) {
            // A line whose points did not parse already says so; do not add "must be above zero".
            errors.entry(field).or_insert(problems);
        }
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }

    /// The request a verification form sends, or every field that is wrong.
    pub fn to_verification_input(&self, table: &CriteriaTable) -> Result<VerificationInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let scores = self
            .rows
            .iter()
            .filter(|(_, r)| !r.score.trim().is_empty() || !r.text.trim().is_empty())
            .map(|(&id, r)| VerifiedScoreInput {
                criterion_id: id,
                verified_score: Self::parsed_score(&mut errors, id, "verified_score", &r.score),
                comment: r.text.trim().to_owned(),
            })
            .collect();
        let input = VerificationInput { base_version: self.base_version, scores };
        for (field, problems) in validate_verification(table, &input) {
            errors.entry(field).or_insert(problems);
        }
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }

    /// The sheet these edits would make of `base` (what parses; the rest as not scored), for
    /// live totals and for showing a conflict.
    pub fn applied_to(&self, base: &ScoreSheet, side: Side) -> ScoreSheet {
        let mut sheet = base.clone();
        for s in &mut sheet.scores {
            match side {
                Side::SelfAssessment => {
                    s.self_score = None;
                    s.note.clear();
                    s.evidence.clear();
                }
                Side::Verification => {
                    s.verified_score = None;
                    s.comment.clear();
                }
            }
        }
        for (&id, row) in &self.rows {
            let score = parse_score(&row.score).ok().flatten();
            let entry = match sheet.scores.iter_mut().position(|s| s.criterion_id == id) {
                Some(i) => &mut sheet.scores[i],
                None => {
                    sheet.scores.push(CriterionScore { criterion_id: id, ..Default::default() });
                    sheet.scores.last_mut().expect("just pushed")
                }
            };
            match side {
                Side::SelfAssessment => {
                    entry.self_score = score;
                    entry.note = row.text.trim().to_owned();
                    entry.evidence = links(&row.evidence);
                }
                Side::Verification => {
                    entry.verified_score = score;
                    entry.comment = row.text.trim().to_owned();
                }
            }
        }
        if side == Side::SelfAssessment {
            let lines = |l: &[AdjustmentDraft]| {
                l.iter()
                    .filter_map(|a| {
                        let points = parse_score(&a.points).ok().flatten()?;
                        Some(Adjustment { reason: a.reason.trim().to_owned(), points })
                    })
                    .collect()
            };
            sheet.bonuses = lines(&self.bonuses);
            sheet.deductions = lines(&self.deductions);
        }
        sheet
    }
}

/// One draft per person, sheet and side: two people on one device never see each other's.
pub fn storage_key(user: UserId, sheet: SheetId, side: Side) -> String {
    let side = match side {
        Side::SelfAssessment => "self",
        Side::Verification => "verification",
    };
    format!("thidua.draft.{user}.{sheet}.{side}")
}

pub fn load(key: &str) -> Option<SheetDraft> {
    LocalStorage::get(key).ok()
}

/// Keeps the draft on the device. False when the browser refused (storage full or
/// disabled): the form then says so rather than promising what it cannot keep.
pub fn store(key: &str, draft: &SheetDraft) -> bool {
    LocalStorage::set(key, draft).is_ok()
}

pub fn remove(key: &str) {
    LocalStorage::delete(key);
}

#[cfg(test)]
mod tests {
    use super::*;
    use thidua_domain::criteria::Criterion;

    fn table() -> CriteriaTable {
        let c = |id, parent, code: &str, max| Criterion {
            id,
            parent_id: parent,
            code: code.into(),
            title: code.into(),
            max_points: Points::whole(max),
            step: Points::from_hundredths(50),
        };
        CriteriaTable {
            criteria: vec![c(1, None, "I", 30), c(2, Some(1), "1.1", 10), c(3, Some(1), "1.2", 20)],
            bonus_cap: Points::whole(5),
        }
    }

    fn row(score: &str) -> RowDraft {
        RowDraft { score: score.into(), ..Default::default() }
    }

    #[test]
    fn typed_text_becomes_a_request_or_field_errors() {
        let mut d = SheetDraft { base_version: 4, ..Default::default() };
        d.rows.insert(2, row("9,5"));
        d.rows.insert(3, row(""));
        let input = d.to_self_input(&table()).unwrap();
        assert_eq!(input.base_version, 4);
        assert_eq!(input.scores.len(), 1, "an untouched row is not sent");
        assert_eq!(input.scores[0].self_score, Some(Points::from_hundredths(950)));

        d.rows.insert(3, row("abc"));
        d.rows.insert(2, row("9.25"));
        d.bonuses.push(AdjustmentDraft { reason: "".into(), points: "".into() });
        let errors = d.to_self_input(&table()).unwrap_err();
        assert_eq!(errors["scores.3.self_score"], [FieldError::NotANumber]);
        assert_eq!(errors["scores.2.self_score"], [FieldError::OffStep { step: Points::from_hundredths(50) }]);
        assert_eq!(errors["bonuses.0.points"], [FieldError::Required]);
        assert_eq!(errors["bonuses.0.reason"], [FieldError::Required]);
    }

    #[test]
    fn verification_drafts_and_applying() {
        let mut d = SheetDraft::default();
        d.rows.insert(2, RowDraft { score: "8".into(), text: "thiếu minh chứng".into(), ..Default::default() });
        let input = d.to_verification_input(&table()).unwrap();
        assert_eq!(input.scores[0].verified_score, Some(Points::whole(8)));
        d.rows.insert(3, row("25"));
        assert_eq!(
            d.to_verification_input(&table()).unwrap_err()["scores.3.verified_score"],
            [FieldError::AboveMax { max: Points::whole(20) }]
        );
        let base = ScoreSheet {
            unit_id: 7,
            scores: vec![CriterionScore { criterion_id: 2, self_score: Some(Points::whole(9)), ..Default::default() }],
            ..Default::default()
        };
        let applied = d.applied_to(&base, Side::Verification);
        assert_eq!(applied.scores[0].self_score, Some(Points::whole(9)));
        assert_eq!(applied.scores[0].verified_score, Some(Points::whole(8)));
    }
}
