//! The frame around every page: header with the language switch, and the footer.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use crate::i18n::*;
use crate::prefs;
use crate::staff::AccountNav;
use crate::text::tr;

#[component]
pub fn Header() -> impl IntoView {
    // Links are plain `<a>`: the router takes their clicks, and every href is absolute. Only
    // this one can point at the page shown, so only it says so.
    let location = use_location();
    let home = move || (location.pathname.get() == "/").then_some("page");
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a href="/" class="brand" aria-current=home>
                    <span class="brand__name">{tr(|l| td_string!(l, app.name))}</span>
                    <span class="brand__tagline">{tr(|l| td_string!(l, app.tagline))}</span>
                </a>
                <div class="site-header__tools">
                    <AccountNav />
                    <LanguageSwitch />
                </div>
            </div>
        </header>
    }
}

/// One link that offers the other language, named in that language (with its `lang`) so a
/// reader who does not know the current one can still find it. The visible text is its whole
/// accessible name; the longer hint is a tooltip only. Without JavaScript it is a plain link
/// (`?lang=en`: the server renders the page in that language and keeps the choice); with it,
/// the page switches in place.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let other = move || match i18n.get_locale() {
        Locale::vi => Locale::en,
        Locale::en => Locale::vi,
    };
    let other_tag = move || prefs::locale_tag(other());
    let href = move || format!("{}?lang={}", location.pathname.get(), other_tag());
    let navigate = use_navigate();
    let switch = move |event: leptos::ev::MouseEvent| {
        // A new tab or window keeps the link's own behaviour.
        if event.ctrl_key() || event.meta_key() || event.shift_key() || event.button() != 0 {
            return;
        }
        event.prevent_default();
        let next = other();
        i18n.set_locale(next);
        prefs::store_locale(next);
        // An address that names a language would bring the old one back on reload.
        let search = location.search.get_untracked();
        if search.contains("lang=") {
            let rest: Vec<&str> = search
                .trim_start_matches('?')
                .split('&')
                .filter(|kv| !kv.starts_with("lang=") && !kv.is_empty())
                .collect();
            let query = if rest.is_empty() { String::new() } else { format!("?{}", rest.join("&")) };
            let path = format!("{}{query}{}", location.pathname.get_untracked(), location.hash.get_untracked());
            navigate(&path, NavigateOptions { replace: true, scroll: false, ..Default::default() });
        }
    };
    view! {
        <a
            href=href
            class="lang-switch"
            data-testid="lang-switch"
            hreflang=other_tag
            lang=other_tag
            rel="alternate"
            title=tr(|l| td_string!(l, app.switch_language_label))
            on:click=switch
        >
            {tr(|l| td_string!(l, app.switch_language))}
        </a>
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
