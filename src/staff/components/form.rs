//! What the staff forms share: a labelled text field with its message, the field errors of
//! one key, and the line that says how a save went.

use leptos::either::Either;
use leptos::prelude::*;
use thidua_domain::error::{FieldError, FieldErrors};

use crate::api::ApiError;
use crate::i18n::*;
use crate::staff::components::field_error::FieldMessage;
use crate::text::tr;

/// The errors of one field, as a form's error map changes.
pub fn errors_of(errors: RwSignal<FieldErrors>, key: impl Into<String>) -> Signal<Vec<FieldError>> {
    let key = key.into();
    Signal::derive(move || errors.with(|e| e.get(&key).cloned().unwrap_or_default()))
}

/// A label, an input bound to `value`, and the field's message below it (`{id}-error`).
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    label: fn(Locale) -> &'static str,
    value: RwSignal<String>,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    /// `text`, `date`, `url`, `password`.
    #[prop(default = "text")]
    kind: &'static str,
    /// A number: a narrow field with the phone's number keyboard.
    #[prop(optional)]
    numeric: bool,
) -> impl IntoView {
    let err_id = format!("{id}-error");
    view! {
        <div class="field" class:field--wide=!numeric>
            <label for=id.clone()>{tr(label)}</label>
            <input
                type=kind
                inputmode=if numeric { "decimal" } else { "text" }
                class="input"
                class:input--count=numeric
                id=id
                autocomplete=if kind == "password" { "new-password" } else { "off" }
                aria-describedby=err_id.clone()
                aria-invalid=move || (!errors.get().is_empty()).to_string()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <FieldMessage id=err_id errors />
        </div>
    }
}

/// How the last save of a form went, in the reader's language. `reloaded`: after a
/// `stale_version` the page already shows the latest (else the person reloads).
#[component]
pub fn SaveOutcome(outcome: RwSignal<Option<Result<(), ApiError>>>, #[prop(optional)] reloaded: bool) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        outcome.get().map(|o| match o {
            Ok(()) => {
                Either::Left(view! { <p class="form__ok" role="status">{tr(|l| td_string!(l, awards.saved))}</p> })
            }
            Err(e) => {
                let text = match &e {
                    ApiError::Conflict { code } => match code.as_str() {
                        "stale_version" if reloaded => t_string!(i18n, awards.err_stale),
                        "stale_version" => t_string!(i18n, admin.err_stale),
                        "published" => t_string!(i18n, awards.err_published),
                        "not_proposed" => t_string!(i18n, awards.err_not_proposed),
                        "member_has_scores" => t_string!(i18n, admin.err_member_scores),
                        _ => t_string!(i18n, errors.conflict),
                    },
                    ApiError::Unauthenticated => t_string!(i18n, errors.unauthenticated),
                    ApiError::Forbidden => t_string!(i18n, errors.forbidden),
                    ApiError::Invalid => t_string!(i18n, awards.err_invalid),
                    ApiError::Network => t_string!(i18n, errors.network),
                    ApiError::Encode => t_string!(i18n, errors.encode),
                    _ => t_string!(i18n, awards.err_failed),
                };
                Either::Right(view! { <p class="form__error" role="alert">{text.to_string()}</p> })
            }
        })
    }
}
