//! The error body every API endpoint answers with, so any backend can speak the contract.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::points::Points;
use crate::published::PublishProblem;

/// `{"code": "year_not_found", "message": "…"}`; on 422 `fields` maps each field to what is
/// wrong with it, e.g. `{"scores.12.self_score": [{"code": "above_max", "max": 30}]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    /// Stable and machine-readable: clients translate on it, never on `message`.
    pub code: String,
    /// For people and logs, in English.
    pub message: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: FieldErrors,
    /// On 409 `publication_problems`: every problem to acknowledge before publishing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<PublishProblem>,
}

/// Field path → what is wrong with it. One scheme for every 422, type and rule errors alike:
/// the dotted JSON path from the body's root, an array item by its index, except the items
/// of `scores`, by their criterion id: `scores.{criterion_id}.self_score`,
/// `bonuses.{index}.reason`, `tally.votes.{index}.votes`, `comment`, …
pub type FieldErrors = BTreeMap<String, Vec<FieldError>>;

/// What is wrong with one field, as a code (with its numbers) that clients translate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FieldError {
    #[error("required")]
    Required,
    #[error("not a number")]
    NotANumber,
    #[error("more than two decimal places")]
    TooPrecise,
    #[error("cannot be negative")]
    Negative,
    #[error("must be above zero")]
    NotPositive,
    #[error("cannot be above {max}")]
    AboveMax { max: Points },
    #[error("must be a multiple of {step}")]
    OffStep { step: Points },
    #[error("longer than {max} characters")]
    TooLong { max: u32 },
    #[error("shorter than {min} characters")]
    TooShort { min: u32 },
    #[error("more than {max} entries")]
    TooMany { max: u32 },
    #[error("not an http(s) link")]
    NotALink,
    #[error("no such criterion on this sheet")]
    UnknownCriterion,
    /// `of` says what is repeated, so the message can name it.
    #[error("{of}")]
    Duplicate { of: Duplicated },
    #[error("invalid value")]
    Invalid,
    /// A unit whose sheet is not approved cannot be proposed.
    #[error("the unit's sheet is not approved")]
    NotVerified,
    /// The input has no such field: nothing was saved under that name.
    #[error("not a field of this input")]
    UnknownField,
}

/// What a `duplicate` repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Duplicated {
    /// A criterion scored twice on one sheet.
    #[error("this criterion is listed twice")]
    Criterion,
    /// Two criteria of a table with one code.
    #[error("another criterion has this code")]
    CriterionCode,
    #[error("this username is taken")]
    Username,
    #[error("another unit has this name")]
    UnitName,
    /// Two blocs of a year with one name.
    #[error("the year has a bloc of this name")]
    BlocName,
    #[error("this year exists already")]
    Year,
    #[error("another award type of the year has this code")]
    AwardTypeCode,
    #[error("another award type of the year has this name")]
    AwardTypeName,
    /// An award type's eligibility listing one required award twice.
    #[error("this requirement is listed twice")]
    Eligibility,
    /// One unit's votes for one award type entered twice.
    #[error("this unit's votes for this award are entered twice")]
    TallyEntry,
    /// A bloc chosen twice.
    #[error("this bloc is listed twice")]
    Bloc,
    /// A unit listed twice among a bloc's members.
    #[error("this unit is listed twice")]
    Member,
    /// The deputy named as the leader too.
    #[error("the leader cannot also be the deputy")]
    Leader,
}

/// Collects field errors as a form is checked.
pub fn push(errors: &mut FieldErrors, field: impl Into<String>, error: FieldError) {
    errors.entry(field.into()).or_default().push(error);
}

/// A required text of at most `max` characters (surrounding spaces do not count as text).
pub fn check_text(errors: &mut FieldErrors, field: &str, text: &str, max: u32) {
    if text.trim().is_empty() {
        push(errors, field, FieldError::Required);
    } else if text.chars().count() > max as usize {
        push(errors, field, FieldError::TooLong { max });
    }
}
