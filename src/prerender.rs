//! The server's rendering of the public pages, with the app's own components (the `ssr`
//! feature; `crates/server` calls it): the page's HTML, its `<title>`, and which API answers
//! it still needs. The server fetches those from its own API and renders again, until the
//! page needs nothing more; it then sends the HTML with the answers inside
//! (`preload::SCRIPT_ID`), from which the app in the browser renders the same page at once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;
use leptos_meta::{ServerMetaContext, ServerMetaContextOutput};
use leptos_router::location::RequestUrl;

use crate::i18n::Locale;
use crate::preload::{Answer, Preload};
use crate::{App, ServerLocale};

/// The HTTP status the page stands for: 200, or 404 when it says "not found", or 503 when
/// its data could not be had.
#[derive(Clone, Default)]
struct Status(Arc<AtomicU16>);

/// Called by what the page shows: the page is not found, or is an error.
pub fn set_status(code: u16) {
    if let Some(status) = use_context::<Status>() {
        status.0.store(code, Ordering::Relaxed);
    }
}

/// One rendering of a page.
pub struct Page {
    /// The app's markup (the skip link, header, main and footer).
    pub html: String,
    /// GETs the page asked for that were not among the answers given.
    pub missing: Vec<String>,
    status: u16,
    meta: ServerMetaContextOutput,
    /// Kept until the title is read: its text follows the page's signals.
    owner: Owner,
}

impl Page {
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `<title>` element the page set (its text already escaped).
    pub async fn title(self) -> String {
        // leptos_meta waits a tick of the async executor (`render` set it) before it reads the title.
        let head = futures_once("<head></head>".to_owned());
        let mut stream = std::pin::pin!(self.meta.inject_meta_context(head).await);
        let chunk = futures::StreamExt::next(&mut stream).await.unwrap_or_default();
        drop(self.owner);
        chunk.trim_start_matches("<head>").trim_end_matches("</head>").to_owned()
    }
}

fn futures_once(chunk: String) -> impl futures::Stream<Item = String> + Send + Unpin {
    futures::stream::iter([chunk])
}

/// Renders the page at `url` (path and query) in `locale` from `answers` (by API path).
pub fn render(url: &str, locale: Locale, answers: HashMap<String, Answer>) -> Page {
    // The reactive system spawns its tasks on a global executor; the first rendering sets one
    // (a thread pool of the `futures` crate: nothing the page shows waits on it).
    let _ = any_spawner::Executor::init_futures_executor();
    let owner = Owner::new();
    let page = owner.with(|| {
        provide_context(RequestUrl::new(url));
        let (meta, output) = ServerMetaContext::new();
        provide_context(meta);
        let preload = Preload::new(answers);
        provide_context(preload.clone());
        provide_context(ServerLocale(locale));
        let status = Status(Arc::new(AtomicU16::new(200)));
        provide_context(status.clone());
        let html = view! { <App /> }.to_html();
        let status = status.0.load(Ordering::Relaxed);
        (html, preload.missing(), status, output)
    });
    let (html, missing, status, meta) = page;
    Page { html, missing, status, meta, owner }
}

/// `text` safe inside an HTML element (the title's text).
pub fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}
