//! The thidua single-page app: the public results of emulation blocs.
//! `App` holds the router; one file per page under `pages/`; all HTTP in `api`.
//!
//! Built twice. Without features it is the public app (`dist/`), which phones download to
//! read results. With the `staff` feature it is the same app plus the staff wing, `staff/`:
//! sign-in, the score sheets, awards and administration (`dist/staff/`), so the public never
//! downloads the forms. The two builds differ only in which `staff` module they have: the
//! wing, or `without_staff.rs`, its stand-in with the same names and nothing behind them.

pub mod api;
pub mod components;
pub mod config;
pub mod format;
pub mod pages;
pub mod prefs;
#[cfg(feature = "staff")]
pub mod staff;
#[cfg(not(feature = "staff"))]
#[path = "without_staff.rs"]
pub mod staff;
pub mod text;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::{Footer, Header};
use crate::i18n::*;
use crate::pages::{BlocPage, HomePage, NotFound, ResultsPage, UnitPage};
use crate::staff::StaffRoutes;
use crate::text::tr;

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
    staff::provide();
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
            <a class="skip-link" href="#main">{tr(|l| td_string!(l, app.skip_to_content))}</a>
            <Header />
            <main id="main" tabindex="-1">
                <AppRoutes />
            </main>
            <Footer />
        </Router>
    }
}

/// The public pages, then the staff's (none in the public build). The server sends the staff
/// build for `STAFF_PATHS`; inside it, every page is a client-side navigation.
#[component]
fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("/") view=HomePage />
            <Route path=path!("/:year/blocs/:bloc") view=BlocPage />
            <Route path=path!("/:year/blocs/:bloc/results") view=ResultsPage />
            <Route path=path!("/:year/blocs/:bloc/results/revisions/:revision") view=ResultsPage />
            <Route path=path!("/units/:unit") view=UnitPage />
            <StaffRoutes />
        </Routes>
    }
}
