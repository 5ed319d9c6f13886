//! Changing a score sheet: what the forms send, how it is checked (the same checks in the
//! browser and on the server), how it is applied, and what changed for the audit trail.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::criteria::{CriteriaTable, CriterionId};
use crate::error::{push, Duplicated, FieldError, FieldErrors};
use crate::model::Unit;
use crate::points::Points;
use crate::sheet::{validate_score, Adjustment, CriterionScore, ScoreError, ScoreSheet};
use crate::workflow::{SheetAction, SheetPermissions, SheetState};
use crate::{BlocId, Year};

pub type SheetId = i64;

/// Text limits, in characters.
pub const NOTE_MAX: usize = 2000;
pub const COMMENT_MAX: usize = 2000;
pub const REASON_MAX: usize = 500;
pub const LINK_MAX: usize = 500;
/// Evidence links per criterion, and bonus or deduction lines per sheet.
pub const LINKS_MAX: usize = 10;
pub const ADJUSTMENTS_MAX: usize = 20;

/// One criterion of the self-assessment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SelfScoreInput {
    pub criterion_id: CriterionId,
    /// `null` is "not scored yet"; from 0 to the criterion's maximum, in its step.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::points::score_schema))]
    pub self_score: Option<Points>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: String,
    /// http(s) links.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub evidence: Vec<String>,
}

/// `PUT /api/sheets/{id}/self`: the unit's whole part of the sheet. Criteria left out are
/// not scored; `base_version` is the version the form started from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SelfAssessmentInput {
    pub base_version: i64,
    pub scores: Vec<SelfScoreInput>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub bonuses: Vec<Adjustment>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub deductions: Vec<Adjustment>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VerifiedScoreInput {
    pub criterion_id: CriterionId,
    /// `null` is "not verified yet"; from 0 to the criterion's maximum, in its step.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::points::score_schema))]
    pub verified_score: Option<Points>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub comment: String,
}

/// `PUT /api/sheets/{id}/verification`: the verifier's whole part of the sheet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VerificationInput {
    pub base_version: i64,
    pub scores: Vec<VerifiedScoreInput>,
}

/// `POST /api/sheets/{id}/submit|return|approve`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    pub base_version: i64,
    /// Required when returning a sheet: what the unit must fix.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub comment: String,
}

impl From<ScoreError> for FieldError {
    fn from(e: ScoreError) -> Self {
        match e {
            ScoreError::Negative => FieldError::Negative,
            ScoreError::AboveMax { max } => FieldError::AboveMax { max },
            ScoreError::OffStep { step } => FieldError::OffStep { step },
        }
    }
}

pub fn score_field(id: CriterionId, column: &str) -> String {
    format!("scores.{id}.{column}")
}

fn check_len(errors: &mut FieldErrors, field: String, text: &str, max: usize) {
    if text.chars().count() > max {
        push(errors, field, FieldError::TooLong { max: max as u32 });
    }
}

/// Each criterion named once, and only leaves of this table (sections are sums, not scored).
fn check_criteria(errors: &mut FieldErrors, table: &CriteriaTable, ids: impl Iterator<Item = CriterionId>) {
    let mut seen = HashSet::new();
    for id in ids {
        let field = format!("scores.{id}");
        if table.get(id).is_none() || !table.is_leaf(id) {
            push(errors, field, FieldError::UnknownCriterion);
        } else if !seen.insert(id) {
            push(errors, field, FieldError::Duplicate { of: Duplicated::Criterion });
        }
    }
}

fn check_score(errors: &mut FieldErrors, table: &CriteriaTable, id: CriterionId, column: &str, score: Option<Points>) {
    if let (Some(criterion), Some(score)) = (table.get(id), score) {
        for e in validate_score(criterion, score) {
            push(errors, score_field(id, column), e.into());
        }
    }
}

/// Is this an http(s) link a browser can open?
pub fn valid_link(link: &str) -> bool {
    let rest = link.strip_prefix("https://").or_else(|| link.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !link.chars().any(char::is_whitespace))
}

fn check_adjustments(errors: &mut FieldErrors, table: &CriteriaTable, kind: &str, lines: &[Adjustment]) {
    if lines.len() > ADJUSTMENTS_MAX {
        push(errors, kind, FieldError::TooMany { max: ADJUSTMENTS_MAX as u32 });
    }
    for (i, line) in lines.iter().enumerate() {
        for e in adjustment_reason_errors(&line.reason) {
            push(errors, format!("{kind}.{i}.reason"), e);
        }
        for e in adjustment_points_errors(table, line.points) {
            push(errors, format!("{kind}.{i}.points"), e);
        }
    }
}

/// A bonus or deduction line's reason: written, and not over `REASON_MAX` characters.
pub fn adjustment_reason_errors(reason: &str) -> Vec<FieldError> {
    if reason.trim().is_empty() {
        vec![FieldError::Required]
    } else if reason.chars().count() > REASON_MAX {
        vec![FieldError::TooLong { max: REASON_MAX as u32 }]
    } else {
        Vec::new()
    }
}

/// A bonus or deduction line's points: above zero and not over the sheet's maximum total.
pub fn adjustment_points_errors(table: &CriteriaTable, points: Points) -> Vec<FieldError> {
    if points <= Points::ZERO {
        vec![FieldError::NotPositive]
    } else if points > table.max_total() {
        vec![FieldError::AboveMax { max: table.max_total() }]
    } else {
        Vec::new()
    }
}

/// Every problem with a self-assessment, by field.
pub fn validate_self(table: &CriteriaTable, input: &SelfAssessmentInput) -> FieldErrors {
    let mut errors = FieldErrors::new();
    check_criteria(&mut errors, table, input.scores.iter().map(|s| s.criterion_id));
    for s in &input.scores {
        check_score(&mut errors, table, s.criterion_id, "self_score", s.self_score);
        check_len(&mut errors, score_field(s.criterion_id, "note"), &s.note, NOTE_MAX);
        let field = score_field(s.criterion_id, "evidence");
        if s.evidence.len() > LINKS_MAX {
            push(&mut errors, field.clone(), FieldError::TooMany { max: LINKS_MAX as u32 });
        }
        for link in &s.evidence {
            if link.chars().count() > LINK_MAX {
                push(&mut errors, field.clone(), FieldError::TooLong { max: LINK_MAX as u32 });
            } else if !valid_link(link) {
                push(&mut errors, field.clone(), FieldError::NotALink);
            }
        }
    }
    check_adjustments(&mut errors, table, "bonuses", &input.bonuses);
    check_adjustments(&mut errors, table, "deductions", &input.deductions);
    errors
}

/// Every problem with a verification, by field.
pub fn validate_verification(table: &CriteriaTable, input: &VerificationInput) -> FieldErrors {
    let mut errors = FieldErrors::new();
    check_criteria(&mut errors, table, input.scores.iter().map(|s| s.criterion_id));
    for s in &input.scores {
        check_score(&mut errors, table, s.criterion_id, "verified_score", s.verified_score);
        check_len(&mut errors, score_field(s.criterion_id, "comment"), &s.comment, COMMENT_MAX);
    }
    errors
}

/// What a state change needs: a comment to return a sheet; a verified score on every
/// criterion to approve it. Submitting with criteria left unscored is allowed (the form asks
/// for confirmation and lists them).
pub fn validate_transition(
    table: &CriteriaTable,
    sheet: &ScoreSheet,
    action: SheetAction,
    input: &TransitionInput,
) -> FieldErrors {
    let mut errors = FieldErrors::new();
    check_len(&mut errors, "comment".to_owned(), &input.comment, COMMENT_MAX);
    match action {
        SheetAction::Return if input.comment.trim().is_empty() => push(&mut errors, "comment", FieldError::Required),
        SheetAction::Approve => {
            for leaf in unscored(table, sheet, |s| s.verified_score) {
                push(&mut errors, score_field(leaf, "verified_score"), FieldError::Required);
            }
        }
        _ => {}
    }
    errors
}

/// The leaves with no score in the column `pick` reads, in table order.
pub fn unscored(
    table: &CriteriaTable,
    sheet: &ScoreSheet,
    pick: impl Fn(&CriterionScore) -> Option<Points>,
) -> Vec<CriterionId> {
    table
        .leaves()
        .filter(|leaf| sheet.scores.iter().find(|s| s.criterion_id == leaf.id).and_then(&pick).is_none())
        .map(|leaf| leaf.id)
        .collect()
}

/// The unit's part of `sheet` replaced by `input`; the verifier's part kept.
pub fn apply_self(sheet: &ScoreSheet, input: &SelfAssessmentInput) -> ScoreSheet {
    let mut out = ScoreSheet {
        unit_id: sheet.unit_id,
        scores: Vec::new(),
        bonuses: input.bonuses.clone(),
        deductions: input.deductions.clone(),
    };
    let ids: Vec<CriterionId> = sheet
        .scores
        .iter()
        .map(|s| s.criterion_id)
        .chain(input.scores.iter().map(|s| s.criterion_id))
        .collect::<Vec<_>>();
    let mut seen = HashSet::new();
    for id in ids.into_iter().filter(|id| seen.insert(*id)) {
        let old = sheet.scores.iter().find(|s| s.criterion_id == id);
        let new = input.scores.iter().find(|s| s.criterion_id == id);
        let score = CriterionScore {
            criterion_id: id,
            self_score: new.and_then(|n| n.self_score),
            note: new.map(|n| n.note.clone()).unwrap_or_default(),
            evidence: new.map(|n| n.evidence.clone()).unwrap_or_default(),
            verified_score: old.and_then(|o| o.verified_score),
            comment: old.map(|o| o.comment.clone()).unwrap_or_default(),
        };
        if !is_blank(&score) {
            out.scores.push(score);
        }
    }
    out
}

/// The verifier's part of `sheet` replaced by `input`; the unit's part kept.
pub fn apply_verification(sheet: &ScoreSheet, input: &VerificationInput) -> ScoreSheet {
    let mut out = sheet.clone();
    for s in &mut out.scores {
        s.verified_score = None;
        s.comment.clear();
    }
    for v in &input.scores {
        match out.scores.iter_mut().find(|s| s.criterion_id == v.criterion_id) {
            Some(s) => {
                s.verified_score = v.verified_score;
                s.comment = v.comment.clone();
            }
            None => out.scores.push(CriterionScore {
                criterion_id: v.criterion_id,
                verified_score: v.verified_score,
                comment: v.comment.clone(),
                ..Default::default()
            }),
        }
    }
    out.scores.retain(|s| !is_blank(s));
    out
}

fn is_blank(s: &CriterionScore) -> bool {
    s.self_score.is_none()
        && s.verified_score.is_none()
        && s.note.is_empty()
        && s.evidence.is_empty()
        && s.comment.is_empty()
}

/// The self-assessment a sheet holds, as the form would send it back.
pub fn self_input_of(sheet: &ScoreSheet, base_version: i64) -> SelfAssessmentInput {
    SelfAssessmentInput {
        base_version,
        scores: sheet
            .scores
            .iter()
            .filter(|s| s.self_score.is_some() || !s.note.is_empty() || !s.evidence.is_empty())
            .map(|s| SelfScoreInput {
                criterion_id: s.criterion_id,
                self_score: s.self_score,
                note: s.note.clone(),
                evidence: s.evidence.clone(),
            })
            .collect(),
        bonuses: sheet.bonuses.clone(),
        deductions: sheet.deductions.clone(),
    }
}

/// The verification a sheet holds, as the form would send it back.
pub fn verification_input_of(sheet: &ScoreSheet, base_version: i64) -> VerificationInput {
    VerificationInput {
        base_version,
        scores: sheet
            .scores
            .iter()
            .filter(|s| s.verified_score.is_some() || !s.comment.is_empty())
            .map(|s| VerifiedScoreInput {
                criterion_id: s.criterion_id,
                verified_score: s.verified_score,
                comment: s.comment.clone(),
            })
            .collect(),
    }
}

/// One changed field: the audit trail's row, and what a conflict shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// A field path, as in the error map: `scores.12.self_score`, `bonuses`, …
    pub field: String,
    /// `null` where there was (or is) nothing.
    pub old: Option<String>,
    pub new: Option<String>,
}

fn text(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

fn adjustments_text(lines: &[Adjustment]) -> Option<String> {
    let parts: Vec<String> = lines.iter().map(|a| format!("{} ({})", a.reason, a.points)).collect();
    text(&parts.join("; "))
}

/// Every field that differs between two versions of a sheet, in table order.
pub fn changes(table: &CriteriaTable, old: &ScoreSheet, new: &ScoreSheet) -> Vec<Change> {
    let mut out = Vec::new();
    let mut diff = |field: String, a: Option<String>, b: Option<String>| {
        if a != b {
            out.push(Change { field, old: a, new: b });
        }
    };
    let empty = CriterionScore::default();
    for leaf in table.leaves() {
        let a = old.scores.iter().find(|s| s.criterion_id == leaf.id).unwrap_or(&empty);
        let b = new.scores.iter().find(|s| s.criterion_id == leaf.id).unwrap_or(&empty);
        let id = leaf.id;
        let points = |p: Option<Points>| p.map(|p| p.to_string());
        diff(score_field(id, "self_score"), points(a.self_score), points(b.self_score));
        diff(score_field(id, "note"), text(&a.note), text(&b.note));
        diff(score_field(id, "evidence"), text(&a.evidence.join(" ")), text(&b.evidence.join(" ")));
        diff(score_field(id, "verified_score"), points(a.verified_score), points(b.verified_score));
        diff(score_field(id, "comment"), text(&a.comment), text(&b.comment));
    }
    diff("bonuses".into(), adjustments_text(&old.bonuses), adjustments_text(&new.bonuses));
    diff("deductions".into(), adjustments_text(&old.deductions), adjustments_text(&new.deductions));
    out
}

/// One line of a sheet's audit trail: a field change or a state change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// RFC 3339, UTC.
    pub at: String,
    pub user: String,
    pub action: SheetAction,
    /// The field changed; `null` for a state change.
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A sheet in a list: `GET /api/sheets`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SheetSummary {
    pub id: SheetId,
    pub year: Year,
    pub bloc_id: BlocId,
    pub bloc_name: String,
    pub unit: Unit,
    pub state: SheetState,
    pub scored: u32,
    pub criteria_count: u32,
}

/// `GET /api/sheets/{id}`: everything the forms need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SheetView {
    pub id: SheetId,
    pub year: Year,
    pub bloc_id: BlocId,
    pub bloc_name: String,
    pub unit: Unit,
    pub state: SheetState,
    /// Goes up by one with every change; writes name the version they were based on.
    pub version: i64,
    pub criteria: CriteriaTable,
    pub sheet: ScoreSheet,
    /// The comment of the last return, shown to the unit until it resubmits.
    pub return_comment: String,
    /// What the signed-in user may do now.
    pub permissions: SheetPermissions,
    /// Newest first.
    pub audit: Vec<AuditEntry>,
    /// The evidence files attached to the sheet, in the order they were attached.
    #[serde(default)]
    pub files: Vec<crate::evidence::EvidenceFile>,
    /// How large its files may be (the server's configuration).
    #[serde(default)]
    pub file_limits: crate::files::FileLimits,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::tests::small_table;

    fn p(h: i64) -> Points {
        Points::from_hundredths(h)
    }

    fn self_score(id: CriterionId, score: Option<i64>) -> SelfScoreInput {
        SelfScoreInput { criterion_id: id, self_score: score.map(p), ..Default::default() }
    }

    #[test]
    fn self_assessment_validation_by_field() {
        let table = small_table(); // 2: 1.1 max 30; 3: 1.2 max 20; 4: II max 15; step 0.5
        let input = SelfAssessmentInput {
            base_version: 1,
            scores: vec![
                self_score(2, Some(3050)),
                self_score(3, Some(-50)),
                self_score(4, Some(1225)),
                self_score(1, Some(100)), // a section is not scored
                self_score(99, None),
                SelfScoreInput { criterion_id: 2, ..Default::default() },
            ],
            bonuses: vec![Adjustment { reason: " ".into(), points: p(0) }],
            deductions: vec![Adjustment { reason: "x".repeat(REASON_MAX + 1), points: p(50) }],
        };
        let e = validate_self(&table, &input);
        assert_eq!(e["scores.2.self_score"], [FieldError::AboveMax { max: Points::whole(30) }]);
        assert_eq!(e["scores.3.self_score"], [FieldError::Negative]);
        assert_eq!(e["scores.4.self_score"], [FieldError::OffStep { step: p(50) }]);
        assert_eq!(e["scores.1"], [FieldError::UnknownCriterion]);
        assert_eq!(e["scores.99"], [FieldError::UnknownCriterion]);
        assert_eq!(e["scores.2"], [FieldError::Duplicate { of: Duplicated::Criterion }]);
        assert_eq!(e["bonuses.0.reason"], [FieldError::Required]);
        assert_eq!(e["bonuses.0.points"], [FieldError::NotPositive]);
        assert_eq!(e["deductions.0.reason"], [FieldError::TooLong { max: REASON_MAX as u32 }]);
        assert!(!e.contains_key("deductions.0.points"));
    }

    #[test]
    fn a_clean_self_assessment_passes_and_unscored_is_allowed() {
        let table = small_table();
        let input = SelfAssessmentInput {
            base_version: 1,
            scores: vec![
                SelfScoreInput {
                    criterion_id: 2,
                    self_score: Some(p(2950)),
                    note: "Hoàn thành".into(),
                    evidence: vec!["https://example.org/bao-cao.pdf".into()],
                },
                self_score(3, None),
            ],
            bonuses: vec![Adjustment { reason: "Cờ thi đua".into(), points: p(300) }],
            deductions: vec![],
        };
        assert!(validate_self(&table, &input).is_empty());
    }

    #[test]
    fn notes_and_links_have_limits() {
        let table = small_table();
        let mut s = self_score(2, Some(100));
        s.note = "ư".repeat(NOTE_MAX + 1);
        s.evidence = vec!["javascript:alert(1)".into(), "ftp://x".into()];
        let e = validate_self(&table, &SelfAssessmentInput { scores: vec![s], ..Default::default() });
        assert_eq!(e["scores.2.note"], [FieldError::TooLong { max: NOTE_MAX as u32 }]);
        assert_eq!(e["scores.2.evidence"], [FieldError::NotALink, FieldError::NotALink]);
        assert!(valid_link("https://vanban.bacninh.gov.vn/qd-123"));
        assert!(!valid_link("https://"));
        assert!(!valid_link("https://a b"));
    }

    #[test]
    fn verification_validation() {
        let table = small_table();
        let input = VerificationInput {
            base_version: 3,
            scores: vec![VerifiedScoreInput { criterion_id: 3, verified_score: Some(p(2050)), comment: String::new() }],
        };
        let e = validate_verification(&table, &input);
        assert_eq!(e["scores.3.verified_score"], [FieldError::AboveMax { max: Points::whole(20) }]);
    }

    #[test]
    fn returning_needs_a_comment_and_approving_needs_every_verified_score() {
        let table = small_table();
        let mut sheet = ScoreSheet { unit_id: 1, ..Default::default() };
        let none = TransitionInput::default();
        assert_eq!(validate_transition(&table, &sheet, SheetAction::Return, &none)["comment"], [FieldError::Required]);
        assert!(validate_transition(&table, &sheet, SheetAction::Submit, &none).is_empty());
        let e = validate_transition(&table, &sheet, SheetAction::Approve, &none);
        assert_eq!(
            e.keys().collect::<Vec<_>>(),
            ["scores.2.verified_score", "scores.3.verified_score", "scores.4.verified_score"]
        );
        for id in [2, 3, 4] {
            sheet.scores.push(CriterionScore { criterion_id: id, verified_score: Some(p(0)), ..Default::default() });
        }
        assert!(validate_transition(&table, &sheet, SheetAction::Approve, &none).is_empty(), "0 is a score");
    }

    #[test]
    fn applying_keeps_the_other_side_and_changes_are_listed() {
        let table = small_table();
        let before = ScoreSheet {
            unit_id: 1,
            scores: vec![CriterionScore {
                criterion_id: 2,
                self_score: Some(p(2000)),
                verified_score: Some(p(1900)),
                comment: "thiếu minh chứng".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let input = SelfAssessmentInput {
            base_version: 1,
            scores: vec![self_score(2, Some(2050)), self_score(3, Some(1000))],
            bonuses: vec![Adjustment { reason: "Sáng kiến".into(), points: p(100) }],
            deductions: vec![],
        };
        let after = apply_self(&before, &input);
        assert_eq!(after.scores[0].verified_score, Some(p(1900)));
        assert_eq!(after.scores[0].comment, "thiếu minh chứng");
        assert_eq!(after.scores[1].self_score, Some(p(1000)));
        let c = changes(&table, &before, &after);
        assert_eq!(
            c,
            [
                Change { field: "scores.2.self_score".into(), old: Some("20".into()), new: Some("20.5".into()) },
                Change { field: "scores.3.self_score".into(), old: None, new: Some("10".into()) },
                Change { field: "bonuses".into(), old: None, new: Some("Sáng kiến (1)".into()) },
            ]
        );
        assert_eq!(self_input_of(&after, 1).scores.len(), 2);

        let verified = apply_verification(
            &after,
            &VerificationInput {
                base_version: 2,
                scores: vec![VerifiedScoreInput { criterion_id: 3, verified_score: Some(p(950)), comment: "".into() }],
            },
        );
        assert_eq!(verified.scores[0].verified_score, None, "left out means not verified");
        assert_eq!(verified.scores[0].self_score, Some(p(2050)), "the unit's part is kept");
        assert_eq!(verified.scores[1].verified_score, Some(p(950)));
        assert_eq!(verification_input_of(&verified, 2).scores.len(), 1);
        assert!(unscored(&table, &verified, |s| s.verified_score).contains(&2));
    }

    #[test]
    fn clearing_a_score_removes_the_blank_row() {
        let before = ScoreSheet {
            unit_id: 1,
            scores: vec![CriterionScore { criterion_id: 2, self_score: Some(p(100)), ..Default::default() }],
            ..Default::default()
        };
        let after = apply_self(&before, &SelfAssessmentInput::default());
        assert!(after.scores.is_empty());
    }
}
