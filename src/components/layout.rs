//! The frame around every page: header with the language switch, and the footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;
use crate::prefs;
use crate::staff::AccountNav;
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

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>{tr(|l| td_string!(l, app.footer))}</p>
        </footer>
    }
}
