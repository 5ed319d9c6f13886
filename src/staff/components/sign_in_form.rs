//! The sign-in form: on its own page, and inside a form whose session has expired, so the
//! person signs in again without leaving (or losing) what they were typing.

use leptos::prelude::*;
use thidua_domain::auth::Me;
use thidua_domain::error::FieldError;

use crate::api::ApiError;
use crate::i18n::*;
use crate::staff::api;
use crate::staff::components::form::TextField;
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
    // What the form itself found (an empty field); the server's answer is the action's value.
    let problem = RwSignal::new(None::<Problem>);
    let login = Action::new_local(move |(u, p): &(String, String)| {
        let request = api::login(u.clone(), p.clone());
        async move {
            match request.await {
                Ok(me) => {
                    password.set(String::new());
                    session.signed_in(me.clone());
                    on_success.run(me);
                    None
                }
                Err(ApiError::TooManyAttempts) => Some(Problem::TooMany),
                Err(ApiError::Unauthenticated | ApiError::Invalid | ApiError::Forbidden) => Some(Problem::Credentials),
                Err(_) => Some(Problem::Network),
            }
        }
    });
    let busy = login.pending();
    let shown = move || problem.get().or_else(|| login.value().get().flatten());
    let form_err_id = format!("{id_prefix}-error");

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (u, p) = (username.get_untracked().trim().to_lowercase(), password.get_untracked());
        let empty = if u.is_empty() {
            Some(Problem::UsernameRequired)
        } else if p.is_empty() {
            Some(Problem::PasswordRequired)
        } else {
            None
        };
        problem.set(empty);
        if empty.is_some() {
            login.clear();
            return;
        }
        login.dispatch((u, p));
    };

    let form_message = move || match shown() {
        Some(Problem::Credentials) => Some(t_string!(i18n, auth.bad_credentials).to_string()),
        Some(Problem::TooMany) => Some(t_string!(i18n, auth.too_many).to_string()),
        Some(Problem::Network) => Some(t_string!(i18n, errors.network).to_string()),
        _ => None,
    };
    // An empty field, as the one field component shows it: with the form's own words.
    let empty = move |which: Problem| {
        Signal::derive(move || if shown() == Some(which) { vec![FieldError::Required] } else { Vec::new() })
    };

    view! {
        <form class="form sign-in" on:submit=submit novalidate data-testid=format!("{id_prefix}-form")>
            <TextField id=format!("{id_prefix}-username") label=|l| td_string!(l, auth.username) value=username
                errors=empty(Problem::UsernameRequired) autocomplete="username" required=|l| td_string!(l, auth.username_required) />
            <TextField id=format!("{id_prefix}-password") label=|l| td_string!(l, auth.password) value=password kind="password"
                errors=empty(Problem::PasswordRequired) autocomplete="current-password" required=|l| td_string!(l, auth.password_required) />
            <p class="form__error" id=form_err_id role="alert">{form_message}</p>
            <button type="submit" class="button button--primary" disabled=move || busy.get()>
                {tr(|l| td_string!(l, auth.sign_in))}
            </button>
        </form>
    }
}
