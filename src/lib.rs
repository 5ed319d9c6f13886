//! The thidua single-page app: the public results of emulation blocs.
//! `App` holds the router; one file per page under `pages/`; all HTTP in `api`.
//!
//! Built twice. Without features it is the public app (`dist/`), which phones download to
//! read results. With the `staff` feature it is the same app plus the staff wing, `staff/`:
//! sign-in, the score sheets, awards and administration (`dist/staff/`), so the public never
//! downloads the forms. The two builds differ only in which `staff` module they have: the
//! wing, or `without_staff.rs`, its stand-in with the same names and nothing behind them.

// The server's rendering (ssr) nests the views' async types deeper than the default allows.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod config;
pub mod format;
pub mod pages;
pub mod prefs;
pub mod preload;
#[cfg(feature = "ssr")]
pub mod prerender;
#[cfg(feature = "staff")]
pub mod staff;
#[cfg(not(feature = "staff"))]
#[path = "without_staff.rs"]
pub mod staff;
pub mod text;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::path;

use crate::components::layout::{Footer, Header};
use crate::i18n::*;
use crate::pages::{BlocPage, HomePage, NotFound, ResultsPage, UnitPage};
use crate::staff::StaffRoutes;
use crate::text::tr;

/// The language the server renders a page in (the browser finds its own: `prefs`).
#[derive(Clone, Copy)]
pub struct ServerLocale(pub i18n::Locale);

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The reader's language (`?lang=`, else the cookie), else Vietnamese. The top-level
    // provider would follow the browser's language instead; a provider with an initial
    // locale is the library's way to start from our own choice.
    let initial = use_context::<ServerLocale>().map(|l| l.0).or_else(prefs::stored_locale).unwrap_or(Locale::vi);
    // The server provides the answers it rendered with; in the browser they came in the page.
    if use_context::<preload::Preload>().is_none() {
        provide_context(preload::from_page());
    }
    // The language is ours to choose (above), never the browser's Accept-Language.
    let no_header = leptos_i18n::context::UseLocalesOptions::default().ssr_lang_header_getter(|| None);
    view! {
        <I18nSubContextProvider initial_locale=Signal::stored(initial) ssr_lang_header_getter=no_header>
            <Shell />
        </I18nSubContextProvider>
    }
}

/// Starts the app in the browser: it renders into the page, and the server's rendering of
/// the same page (`#ssr`, when the server sent one) goes in the same task, so the reader
/// never sees both, nor neither. A breakdown the reader opened before stays open.
pub fn start() {
    leptos::mount::mount_to_body(App);
    let Some(server) = document().get_element_by_id("ssr") else { return };
    let opened = |root: &web_sys::Element| -> Vec<bool> {
        let Ok(list) = root.query_selector_all("details") else { return Vec::new() };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
            .map(|e| e.has_attribute("open"))
            .collect()
    };
    let before = opened(&server);
    server.remove();
    if before.iter().any(|open| *open) {
        if let Some(body) = document().body() {
            if let Ok(list) = body.query_selector_all("details") {
                if list.length() as usize == before.len() {
                    for (i, open) in before.iter().enumerate() {
                        let element = list
                            .item(i as u32)
                            .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok());
                        if let (true, Some(element)) = (*open, element) {
                            let _ = element.set_attribute("open", "");
                        }
                    }
                }
            }
        }
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
            let title = if page.is_empty() { name } else { format!("{page} · {name}") };
            // The server writes it into the page's <title> as it is.
            #[cfg(feature = "ssr")]
            let title = prerender::escape(&title);
            title
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
    // No route is nested, so the flat matcher does: 9 KB (brotli) less than `Routes`.
    view! {
        <FlatRoutes fallback=NotFound>
            <Route path=path!("/") view=HomePage />
            <Route path=path!("/:year/blocs/:bloc") view=BlocPage />
            <Route path=path!("/:year/blocs/:bloc/results") view=ResultsPage />
            <Route path=path!("/:year/blocs/:bloc/results/revisions/:revision") view=ResultsPage />
            <Route path=path!("/units/:unit") view=UnitPage />
            <StaffRoutes />
        </FlatRoutes>
    }
}
