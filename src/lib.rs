//! The thidua single-page app: the public results of emulation blocs.
//! `App` holds the router; one file per page under `pages/`; all HTTP in `api`.

pub mod api;
pub mod components;
pub mod config;
pub mod format;
pub mod pages;
pub mod prefs;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::{Footer, Header};
use crate::i18n::*;
use crate::pages::{BlocPage, HomePage, NotFound, ResultsPage};

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Vietnamese unless this reader chose English before. The top-level provider would follow
    // the browser's language instead; a provider with an initial locale is the library's way
    // to start from our own choice.
    let initial = prefs::stored_locale().unwrap_or(Locale::vi);
    view! {
        <I18nSubContextProvider initial_locale=Signal::stored(initial)>
            <Shell />
        </I18nSubContextProvider>
    }
}

#[component]
fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    // <html lang> follows the locale, for screen readers and for the browser's hyphenation.
    Effect::new(move || {
        let tag = prefs::locale_tag(i18n.get_locale());
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", tag);
        }
    });
    view! {
        <Title formatter=move |page: String| {
            let name = t_string!(i18n, app.name).to_string();
            if page.is_empty() { name } else { format!("{page} · {name}") }
        } />
        <Router>
            <a class="skip-link" href="#main">{t!(i18n, app.skip_to_content)}</a>
            <Header />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/:year/blocs/:bloc") view=BlocPage />
                    <Route path=path!("/:year/blocs/:bloc/results") view=ResultsPage />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
