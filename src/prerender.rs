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
    // The reactive system spawns its tasks on a global executor; the first rendering sets one.
    let _ = any_spawner::Executor::init_custom_executor(GuardedPool::new());
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

/// The renderings' executor: the `futures` thread pool that `init_futures_executor` would set
/// up, with every task guarded. A task that panics — leptos_i18n's context effect has, when it
/// ran after its page was dropped — would otherwise end its worker thread, which the pool never
/// replaces; with every worker gone, `Page::title` (which waits a tick of this executor) and so
/// every server-rendered page would wait forever.
struct GuardedPool(futures::executor::ThreadPool);

impl GuardedPool {
    fn new() -> GuardedPool {
        GuardedPool(futures::executor::ThreadPool::new().expect("a thread pool for the renderings"))
    }
}

thread_local! {
    /// For the rare local task: polled by `poll_local`, as `init_futures_executor` does.
    static LOCAL_POOL: std::cell::RefCell<futures::executor::LocalPool> = std::cell::RefCell::new(futures::executor::LocalPool::new());
}

impl any_spawner::CustomExecutor for GuardedPool {
    fn spawn(&self, task: any_spawner::PinnedFuture<()>) {
        use futures::FutureExt;
        self.0.spawn_ok(async move {
            // The panic has been reported by the hook; the worker lives on.
            let _ = std::panic::AssertUnwindSafe(task).catch_unwind().await;
        });
    }

    fn spawn_local(&self, task: any_spawner::PinnedLocalFuture<()>) {
        use futures::task::LocalSpawnExt;
        LOCAL_POOL.with(|pool| {
            let _ = pool.borrow().spawner().spawn_local(task);
        });
    }

    fn poll_local(&self) {
        LOCAL_POOL.with(|pool| {
            if let Ok(mut pool) = pool.try_borrow_mut() {
                pool.run_until_stalled();
            }
        });
    }
}

/// `text` safe inside an HTML element (the title's text).
pub fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

#[cfg(test)]
mod executor_tests {
    /// More panicking tasks than the pool has threads, then a tick: an unguarded pool would
    /// have no worker left to run it, and the wait would never end.
    #[test]
    fn a_task_that_panics_does_not_stop_the_renderings() {
        let _ = any_spawner::Executor::init_custom_executor(super::GuardedPool::new());
        for _ in 0..4 * std::thread::available_parallelism().map_or(2, |n| n.get()) {
            any_spawner::Executor::spawn(async { panic!("an effect that ran after its page was dropped") });
        }
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            futures::executor::block_on(any_spawner::Executor::tick());
            let _ = tx.send(());
        });
        assert!(rx.recv_timeout(std::time::Duration::from_secs(10)).is_ok(), "the executor still runs tasks");
    }
}
