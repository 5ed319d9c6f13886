//! The sign-in form: on its own page, and inside a form whose session has expired, so the
//! person signs in again without leaving (or losing) what they were typing.

use leptos::prelude::*;
use leptos::task::spawn_local;
use thidua_domain::auth::Me;

use crate::api::ApiError;
use crate::i18n::*;
use crate::staff::api;
use crate::staff::session::use_session;
use crate::text::tr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Problem {
    UsernameRequired,
    PasswordRequired,
    Credentials,
    TooMany,
    Network,
}

/// A field's label, its message when left empty, and the problem that shows the message.
type Texts = (fn(Locale) -> &'static str, fn(Locale) -> &'static str, Problem);

#[component]
pub fn SignInForm(
    /// Called once the server has accepted the password.
    on_success: Callback<Me>,
    /// Distinguishes the ids when the form appears twice on a page.
    #[prop(default = "sign-in")]
    id_prefix: &'static str,
    /// The username to start with (after an expired session: the same person).
    #[prop(optional)]
    username: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let username = RwSignal::new(username);
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Problem>);
    let busy = RwSignal::new(false);
    let form_err_id = format!("{id_prefix}-error");

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (u, p) = (username.get_untracked().trim().to_lowercase(), password.get_untracked());
        if u.is_empty() {
            problem.set(Some(Problem::UsernameRequired));
            return;
        }
        if p.is_empty() {
            problem.set(Some(Problem::PasswordRequired));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::login(u, p).await {
                Ok(me) => {
                    problem.set(None);
                    password.set(String::new());
                    session.signed_in(me.clone());
                    on_success.run(me);
                }
                Err(ApiError::TooManyAttempts) => problem.set(Some(Problem::TooMany)),
                Err(ApiError::Unauthenticated | ApiError::Invalid | ApiError::Forbidden) => {
                    problem.set(Some(Problem::Credentials))
                }
                Err(_) => problem.set(Some(Problem::Network)),
            }
            busy.set(false);
        });
    };

    let form_message = move || match problem.get() {
        Some(Problem::Credentials) => Some(t_string!(i18n, auth.bad_credentials).to_string()),
        Some(Problem::TooMany) => Some(t_string!(i18n, auth.too_many).to_string()),
        Some(Problem::Network) => Some(t_string!(i18n, errors.network).to_string()),
        _ => None,
    };
    // Both fields: a label, the input the browser may fill in, and the message when empty.
    let field = move |name: &'static str, kind: &'static str, autocomplete: &'static str, texts: Texts| {
        let (label, required, when) = texts;
        let id = format!("{id_prefix}-{name}");
        let err_id = format!("{id}-error");
        let value = if name == "username" { username } else { password };
        let invalid = move || problem.get() == Some(when);
        view! {
            <div class="field">
                <label for=id.clone()>{tr(label)}</label>
                <input
                    id=id
                    name=name
                    type=kind
                    autocomplete=autocomplete
                    autocapitalize="none"
                    spellcheck="false"
                    required
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=move || invalid().to_string()
                    aria-describedby=err_id.clone()
                />
                <p class="field__error" id=err_id>{move || invalid().then(tr(required))}</p>
            </div>
        }
    };

    view! {
        <form class="form sign-in" on:submit=submit novalidate data-testid=format!("{id_prefix}-form")>
            {field("username", "text", "username", (|l| td_string!(l, auth.username), |l| td_string!(l, auth.username_required), Problem::UsernameRequired))}
            {field("password", "password", "current-password", (|l| td_string!(l, auth.password), |l| td_string!(l, auth.password_required), Problem::PasswordRequired))}
            <p class="form__error" id=form_err_id role="alert">{form_message}</p>
            <button type="submit" class="button button--primary" disabled=move || busy.get()>
                {tr(|l| td_string!(l, auth.sign_in))}
            </button>
        </form>
    }
}
