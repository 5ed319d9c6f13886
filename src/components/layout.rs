//! The frame around every page: header with the language switch, and the footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;
use crate::prefs;
use crate::text::tr;

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" attr:class="brand">
                    <span class="brand__name">{tr(|l| td_string!(l, app.name))}</span>
                    <span class="brand__tagline">{tr(|l| td_string!(l, app.tagline))}</span>
                </A>
                <div class="site-header__tools">
                    <AccountNav />
                    <LanguageSwitch />
                </div>
            </div>
        </header>
    }
}

/// One button that offers the other language, named in that language (with its `lang`) so a
/// reader who does not know the current one can still find it. The visible text is its whole
/// accessible name; the longer hint is a tooltip only.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let other = move || match i18n.get_locale() {
        Locale::vi => Locale::en,
        Locale::en => Locale::vi,
    };
    let other_tag = move || prefs::locale_tag(other());
    let switch = move |_| {
        let next = other();
        i18n.set_locale(next);
        prefs::store_locale(next);
    };
    view! {
        <button
            type="button"
            class="lang-switch"
            data-testid="lang-switch"
            lang=other_tag
            title=tr(|l| td_string!(l, app.switch_language_label))
            on:click=switch
        >
            {tr(|l| td_string!(l, app.switch_language))}
        </button>
    }
}

/// The public app: a quiet way in for staff. `rel="external"` makes it a page load, which
/// brings the staff build (the public one does not carry the forms).
#[cfg(not(feature = "staff"))]
#[component]
fn AccountNav() -> impl IntoView {
    view! {
        <a href="/sign-in" rel="external" class="account__link">
            {tr(|l| td_string!(l, auth.sign_in))}
        </a>
    }
}

/// Signed in: the person's sheets and sign-out. Otherwise a quiet way in for staff.
#[cfg(feature = "staff")]
#[component]
fn AccountNav() -> impl IntoView {
    use crate::api;
    use crate::session::use_session;
    let session = use_session();
    let navigate = leptos_router::hooks::use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            // Forget the session here even if the server cannot be told now.
            let _ = api::logout().await;
            session.signed_out();
            navigate("/", Default::default());
        });
    };
    move || match session.me.get() {
        Some(me) => leptos::either::Either::Left(view! {
            <nav class="account" aria-label=tr(|l| td_string!(l, auth.account))>
                <A href="/sheets" attr:class="account__link">{tr(|l| td_string!(l, sheets.title))}</A>
                {(me.role == thidua_domain::auth::Role::Staff).then(|| view! {
                    <A href="/admin" attr:class="account__link" attr:data-testid="admin-link">{tr(|l| td_string!(l, admin.title))}</A>
                })}
                <span class="account__name" data-testid="signed-in-as">{me.display_name}</span>
                <button type="button" class="account__link" data-testid="sign-out" on:click=sign_out.clone()>
                    {tr(|l| td_string!(l, auth.sign_out))}
                </button>
            </nav>
        }),
        None => leptos::either::Either::Right(view! {
            <A href="/sign-in" attr:class="account__link">{tr(|l| td_string!(l, auth.sign_in))}</A>
        }),
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>{tr(|l| td_string!(l, app.footer))}</p>
        </footer>
    }
}
