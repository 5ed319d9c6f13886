//! The words for a sheet's fields, values and states, shared by the conflict panel, the audit
//! trail, the state badge and the approve check.

use thidua_domain::criteria::CriteriaTable;
use thidua_domain::workflow::SheetState;
use thidua_domain::Points;

use crate::format;
use crate::i18n::*;

/// `scores.12.self_score` → "1.1 · Điểm tự chấm", for people.
pub fn field_label(table: &CriteriaTable, field: &str, i18n: leptos_i18n::I18nContext<Locale>) -> String {
    let mut parts = field.split('.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("scores"), Some(id), Some(column)) => {
            let code =
                id.parse().ok().and_then(|id| table.get(id).map(|c| c.code.clone())).unwrap_or_else(|| id.to_owned());
            let column = match column {
                "self_score" => t_string!(i18n, sheet.score_self).to_string(),
                "verified_score" => t_string!(i18n, sheet.score_verified).to_string(),
                "note" => t_string!(i18n, sheet.note).to_string(),
                "evidence" => t_string!(i18n, sheet.evidence).to_string(),
                "comment" => t_string!(i18n, sheet.comment).to_string(),
                other => other.to_owned(),
            };
            format!("{code} · {column}")
        }
        (Some("return_comment"), ..) => t_string!(i18n, sheet.return_comment_field).to_string(),
        (Some("bonuses"), ..) => t_string!(i18n, sheet.bonus_lines).to_string(),
        (Some("deductions"), ..) => t_string!(i18n, sheet.deductions).to_string(),
        _ => field.to_owned(),
    }
}

/// Scores in the reader's locale (9,5 in Vietnamese); other values as they were stored.
pub fn value_text(field: &str, value: Option<&str>, locale: Locale) -> String {
    match value {
        None => "—".to_owned(),
        Some(v) if field.ends_with("_score") => {
            v.parse::<Points>().map(|p| format::points(p, locale)).unwrap_or_else(|_| v.to_owned())
        }
        Some(v) => v.to_owned(),
    }
}

/// A sheet's state in words.
pub fn state_name(i18n: leptos_i18n::I18nContext<Locale>, state: SheetState) -> String {
    match state {
        SheetState::Draft => t_string!(i18n, sheet.state_draft).to_string(),
        SheetState::Submitted => t_string!(i18n, sheet.state_submitted).to_string(),
        SheetState::Returned => t_string!(i18n, sheet.state_returned).to_string(),
        SheetState::Approved => t_string!(i18n, sheet.state_approved).to_string(),
    }
}
