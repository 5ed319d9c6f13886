//! A field's problem, in the reader's language, next to the field.

use leptos::prelude::*;
use thidua_domain::error::{Duplicated, FieldError};

use crate::format;
use crate::i18n::*;

pub fn message(i18n: leptos_i18n::I18nContext<Locale>, error: &FieldError) -> String {
    let locale = i18n.get_locale();
    match error {
        FieldError::Required => t_string!(i18n, field.required).to_string(),
        FieldError::NotANumber => t_string!(i18n, field.not_a_number).to_string(),
        FieldError::TooPrecise => t_string!(i18n, field.too_precise).to_string(),
        FieldError::Negative => t_string!(i18n, field.negative).to_string(),
        FieldError::NotPositive => t_string!(i18n, field.not_positive).to_string(),
        FieldError::AboveMax { max } => {
            let max = format::points(*max, locale);
            t_string!(i18n, field.above_max, max).to_string()
        }
        FieldError::OffStep { step } => {
            let step = format::points(*step, locale);
            t_string!(i18n, field.off_step, step).to_string()
        }
        FieldError::TooLong { max } => {
            let max = *max;
            t_string!(i18n, field.too_long, max).to_string()
        }
        FieldError::TooShort { min } => {
            let min = *min;
            t_string!(i18n, field.too_short, min).to_string()
        }
        FieldError::TooMany { max } => {
            let max = *max;
            t_string!(i18n, field.too_many, max).to_string()
        }
        FieldError::NotALink => t_string!(i18n, field.not_a_link).to_string(),
        FieldError::NotVerified => t_string!(i18n, field.not_verified).to_string(),
        FieldError::UnknownField => t_string!(i18n, field.unknown_field).to_string(),
        FieldError::UnknownCriterion => t_string!(i18n, field.unknown_criterion).to_string(),
        FieldError::Duplicate { of } => duplicate(i18n, *of).to_owned(),
        FieldError::Invalid => t_string!(i18n, field.invalid).to_string(),
    }
}

/// What is repeated, said as such.
fn duplicate(i18n: leptos_i18n::I18nContext<Locale>, of: Duplicated) -> &'static str {
    match of {
        Duplicated::Criterion => t_string!(i18n, field.duplicate_criterion),
        Duplicated::CriterionCode => t_string!(i18n, field.duplicate_criterion_code),
        Duplicated::Username => t_string!(i18n, field.duplicate_username),
        Duplicated::UnitName => t_string!(i18n, field.duplicate_unit_name),
        Duplicated::BlocName => t_string!(i18n, field.duplicate_bloc_name),
        Duplicated::Year => t_string!(i18n, field.duplicate_year),
        Duplicated::AwardTypeCode => t_string!(i18n, field.duplicate_award_type_code),
        Duplicated::AwardTypeName => t_string!(i18n, field.duplicate_award_type_name),
        Duplicated::Eligibility => t_string!(i18n, field.duplicate_eligibility),
        Duplicated::TallyEntry => t_string!(i18n, field.duplicate_tally_entry),
        Duplicated::Bloc => t_string!(i18n, field.duplicate_bloc),
        Duplicated::Member => t_string!(i18n, field.duplicate_member),
        Duplicated::Leader => t_string!(i18n, field.duplicate_leader),
    }
}

/// The message line under a field; empty (but present, for `aria-describedby`) when fine.
/// `required`: the words for `Required` where a form has its own (sign-in).
#[component]
pub fn FieldMessage(
    id: String,
    errors: Signal<Vec<FieldError>>,
    #[prop(default = None)] required: Option<fn(Locale) -> &'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = move |e: &FieldError| match (e, required) {
        (FieldError::Required, Some(words)) => words(i18n.get_locale()).to_owned(),
        _ => message(i18n, e),
    };
    view! {
        <p class="field__error" id=id>
            {move || errors.with(|e| e.iter().map(text).collect::<Vec<_>>().join(" "))}
        </p>
    }
}
