//! The frame around every page: header with the language switch, and the footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;
use crate::prefs;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" attr:class="brand">
                    <span class="brand__name">{t!(i18n, app.name)}</span>
                    <span class="brand__tagline">{t!(i18n, app.tagline)}</span>
                </A>
                <LanguageSwitch />
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
            title=move || t_string!(i18n, app.switch_language_label).to_string()
            on:click=switch
        >
            {t!(i18n, app.switch_language)}
        </button>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{t!(i18n, app.footer)}</p>
        </footer>
    }
}
