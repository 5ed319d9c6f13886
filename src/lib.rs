//! The thidua single-page app: the public results of emulation blocs.
//! `App` holds the router; one file per page under `pages/`; all HTTP in `api`.
//!
//! Built twice: without features it is the public app (`dist/`), which phones download to read
//! results; with the `staff` feature it is the same app plus sign-in and the score-sheet forms
//! (`dist/staff/`), so the public never downloads the forms.

pub mod api;
pub mod components;
pub mod config;
pub mod draft;
pub mod focus;
pub mod format;
pub mod input;
pub mod pages;
pub mod prefs;
pub mod session;
pub mod text;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::{Footer, Header};
use crate::i18n::*;
use crate::pages::{BlocPage, HomePage, NotFound, ResultsPage, UnitPage};
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
    #[cfg(feature = "staff")]
    session::provide_session();
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

/// The public pages.
#[cfg(not(feature = "staff"))]
#[component]
fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("/") view=HomePage />
            <Route path=path!("/:year/blocs/:bloc") view=BlocPage />
            <Route path=path!("/:year/blocs/:bloc/results") view=ResultsPage />
            <Route path=path!("/units/:unit") view=UnitPage />
        </Routes>
    }
}

/// The public pages, and the staff's: sign-in and the score sheets. The server sends the
/// staff build for `STAFF_PATHS`; inside it, every page is a client-side navigation.
#[cfg(feature = "staff")]
#[component]
fn AppRoutes() -> impl IntoView {
    use crate::pages::{
        AdminBlocPage, AdminPage, AdminUnitsPage, AdminUsersPage, AwardRulesPage, AwardsPage, SheetPage, SheetsPage,
        SignInPage,
    };
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("/") view=HomePage />
            <Route path=path!("/:year/blocs/:bloc") view=BlocPage />
            <Route path=path!("/:year/blocs/:bloc/results") view=ResultsPage />
            <Route path=path!("/sign-in") view=SignInPage />
            <Route path=path!("/sheets") view=SheetsPage />
            <Route path=path!("/sheets/:id") view=SheetPage />
            <Route path=path!("/units/:unit") view=UnitPage />
            <Route path=path!("/awards/:year") view=AwardRulesPage />
            <Route path=path!("/admin") view=AdminPage />
            <Route path=path!("/admin/users") view=AdminUsersPage />
            <Route path=path!("/admin/units") view=AdminUnitsPage />
            <Route path=path!("/admin/:year/blocs/:bloc") view=AdminBlocPage />
            <Route path=path!("/awards/:year/:bloc") view=AwardsPage />
        </Routes>
    }
}
