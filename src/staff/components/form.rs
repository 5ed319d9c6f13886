//! What the staff forms share: a labelled text field with its message, the field errors of
//! one key, a form's write as a Leptos action, and the line that says how it went.

use std::future::Future;
use std::rc::Rc;

use leptos::either::Either;
use leptos::prelude::*;
use thidua_domain::error::{FieldError, FieldErrors};

use crate::api::{ApiError, ApiResult};
use crate::i18n::*;
use crate::staff::components::field_error::FieldMessage;
use crate::text::tr;

/// The errors of one field, as a form's error map changes.
pub fn errors_of(errors: RwSignal<FieldErrors>, key: impl Into<String>) -> Signal<Vec<FieldError>> {
    let key = key.into();
    Signal::derive(move || errors.with(|e| e.get(&key).cloned().unwrap_or_default()))
}

/// The one field of the staff forms: a label, an input (or a text area) bound to `value`, and
/// the field's message below it (`{id}-error`).
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
    /// A text area of this many rows instead of a one-line input.
    #[prop(optional)]
    rows: Option<u32>,
    /// What the browser may fill in (`username`, `current-password`); else nothing, or a new
    /// password for a password field.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// The field's message when it is left empty, where the form words it itself (sign-in);
    /// the field is then marked required.
    #[prop(optional)]
    required: Option<fn(Locale) -> &'static str>,
) -> impl IntoView {
    let err_id = format!("{id}-error");
    let invalid = move || (!errors.get().is_empty()).to_string();
    let control = match rows {
        Some(rows) => Either::Left(view! {
            <textarea
                id=id.clone()
                class="input"
                rows=rows
                aria-describedby=err_id.clone()
                aria-invalid=invalid
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
        }),
        None => Either::Right(view! {
            <input
                type=kind
                inputmode=if numeric { "decimal" } else { "text" }
                class="input"
                class:input--count=numeric
                id=id.clone()
                name=autocomplete.map(|a| if a == "username" { "username" } else { kind })
                autocomplete=autocomplete.unwrap_or(if kind == "password" { "new-password" } else { "off" })
                // A username is typed exactly as it is.
                autocapitalize=(autocomplete == Some("username")).then_some("none")
                spellcheck=(autocomplete == Some("username")).then_some("false")
                required=required.is_some()
                aria-describedby=err_id.clone()
                aria-invalid=invalid
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        }),
    };
    view! {
        <div class="field" class:field--wide=!numeric>
            <label for=id>{tr(label)}</label>
            {control}
            <FieldMessage id=err_id errors required />
        </div>
    }
}

/// A form's write, as a Leptos action (`Action::new_local`, the way for CSR): `pending()`
/// while it is on its way, `value()` how the last one went, which `SaveOutcome` shows.
pub type Write<I> = Action<I, Result<(), ApiError>>;

/// A write that sends `send(input)` and, once the server has accepted it, hands the answer
/// to `saved`.
pub fn write<I, T, Fu>(send: impl Fn(I) -> Fu + 'static, saved: impl Fn(T) + 'static) -> Write<I>
where
    I: Clone + 'static,
    T: 'static,
    Fu: Future<Output = ApiResult<T>> + 'static,
{
    let saved = Rc::new(saved);
    Action::new_local(move |input: &I| {
        let (request, saved) = (send(input.clone()), Rc::clone(&saved));
        async move { request.await.map(|answer| saved(answer)) }
    })
}

/// How the last write of a form went, in the reader's language; nothing while one is on its
/// way. `reloaded`: after a `stale_version` the page already shows the latest (else the
/// person reloads). `quiet`: only a failure is shown (a write that saves nothing).
#[component]
pub fn SaveOutcome<I: 'static>(
    write: Write<I>,
    #[prop(optional)] reloaded: bool,
    #[prop(optional)] quiet: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = move || if write.pending().get() { None } else { write.value().get() };
    move || {
        outcome().filter(|o| !(quiet && o.is_ok())).map(|o| match o {
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
                        "not_approved" => t_string!(i18n, council.err_not_approved),
                        "decision_recorded" => t_string!(i18n, council.err_decision_recorded),
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
