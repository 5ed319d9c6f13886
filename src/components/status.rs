//! Loading and error states shared by every page, so no page is ever blank: it shows its
//! data, a loading line, or an error in the user's language with a retry.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use thidua_domain::auth::sign_in_target;

use crate::api::{ApiError, ApiResult};
use crate::i18n::*;
use crate::preload::{downcast, Source};
use crate::text::tr;

/// Renders `children` with the data once there is some: at once when the page came with it
/// (`preload`), else after loading.
#[component]
pub fn Loaded<T, V>(
    #[prop(into)] resource: Source<T>,
    /// The whole page depends on this resource: an error then titles the page (h1, <title>).
    #[prop(optional)]
    page: bool,
    children: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    // Only the step from the data to its view depends on `T` and `V`; the loading, the error
    // and the retry are one code for every page (`fetched`), not one copy per data type.
    let children = Arc::new(children);
    match resource {
        Source::Ready(answer) => match answer.get_value() {
            Ok(data) => children(data).into_any(),
            // Came with the page: asking again is loading the page again.
            Err(error) => {
                view! { <ErrorPanel error page on_retry=|| { let _ = window().location().reload(); } /> }.into_any()
            }
        },
        Source::Fetch(resource, _) => {
            let view: ViewFuture = Arc::new(move || {
                let children = children.clone();
                Box::pin(async move { downcast(resource.await).map(|data| children(data).into_any()) })
            });
            fetched(view, page, Callback::new(move |()| resource.refetch()))
        }
        #[cfg(feature = "staff")]
        Source::Resource(resource) => {
            let view: ViewFuture = Arc::new(move || {
                let children = children.clone();
                Box::pin(async move { resource.await.map(|data| children(data).into_any()) })
            });
            fetched(view, page, Callback::new(move |()| resource.refetch()))
        }
        Source::Pending => view! { <Loading /> }.into_any(),
    }
}

/// What `Loaded` shows once fetched: the data's view, or the error that came instead.
type ViewFuture = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = ApiResult<AnyView>> + Send>> + Send + Sync>;

fn fetched(view: ViewFuture, page: bool, retry: Callback<()>) -> AnyView {
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {
                let view = view.clone();
                move || {
                    let view = view.clone();
                    Suspend::new(async move {
                        match view().await {
                            Ok(view) => Either::Left(view),
                            Err(error) => Either::Right(view! { <ErrorPanel error page on_retry=retry /> }),
                        }
                    })
                }
            }
        </Suspense>
    }
    .into_any()
}

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="loading" role="status" data-testid="loading">
            <span class="loading__spinner" aria-hidden="true"></span>
            {tr(|l| td_string!(l, common.loading))}
        </p>
    }
}

#[component]
pub fn ErrorPanel(
    error: ApiError,
    /// One type for every caller (a closure converts), so the panel is compiled once.
    #[prop(into)]
    on_retry: Callback<()>,
    /// Stands for the whole page: its title is the page's h1 and document title.
    #[prop(optional)]
    page: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    // The server's page answers with the status the whole page's error stands for.
    #[cfg(feature = "ssr")]
    if page {
        crate::prerender::set_status(if matches!(error, ApiError::NotFound { .. }) { 404 } else { 503 });
    }
    let retryable = error.is_retryable();
    let signed_out = error == ApiError::Unauthenticated;
    let message = move || match &error {
        ApiError::Network => t_string!(i18n, errors.network).to_string(),
        ApiError::NotFound { code } if code == "not_published" => t_string!(i18n, errors.not_published).to_string(),
        ApiError::NotFound { .. } => t_string!(i18n, errors.not_found).to_string(),
        ApiError::Server { status, .. } => {
            let status = *status;
            t_string!(i18n, errors.server, status).to_string()
        }
        ApiError::Decode => t_string!(i18n, errors.decode).to_string(),
        ApiError::Encode => t_string!(i18n, errors.encode).to_string(),
        ApiError::Unauthenticated => t_string!(i18n, errors.unauthenticated).to_string(),
        ApiError::Forbidden => t_string!(i18n, errors.forbidden).to_string(),
        ApiError::Conflict { .. } | ApiError::Invalid | ApiError::TooManyAttempts => {
            t_string!(i18n, errors.conflict).to_string()
        }
    };

    view! {
        <div class="error-panel" role="alert" data-testid="error-panel">
            {if page {
                Either::Left(view! {
                    <Title text=move || t_string!(i18n, errors.title).to_string() />
                    <h1 class="error-panel__title">{tr(|l| td_string!(l, errors.title))}</h1>
                })
            } else {
                Either::Right(view! { <h2 class="error-panel__title">{tr(|l| td_string!(l, errors.title))}</h2> })
            }}
            <p>{message}</p>
            {if retryable {
                Either::Left(view! {
                    <button type="button" class="button" data-testid="retry" on:click=move |_| on_retry.run(())>
                        {tr(|l| td_string!(l, common.retry))}
                    </button>
                })
            } else if signed_out {
                Either::Right(Either::Left(view! {
                    <a href=sign_in_href() class="button">{tr(|l| td_string!(l, auth.sign_in))}</a>
                }))
            } else {
                Either::Right(Either::Right(view! { <a href="/" class="button">{tr(|l| td_string!(l, common.home))}</a> }))
            }}
        </div>
    }
}

/// The sign-in page, coming back to where the reader is now (the router's location, which
/// the server knows too).
pub fn sign_in_href() -> String {
    let here = leptos_router::hooks::use_location();
    let path = here.pathname.get_untracked() + &here.search.get_untracked();
    format!("/sign-in?next={}", encode_query_value(&path))
}

/// `value` for a URL's query: everything but unreserved characters percent-encoded (as
/// `encodeURIComponent` does, also off the browser).
fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')' => {
                (b as char).to_string()
            }
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// Where to go after signing in: `next` if it resolves to a path of this app, else the sheets.
/// The domain's `sign_in_target` decides on the resolved target; the browser's own reading of
/// that target must then land on this origin and be a target the domain accepts unchanged.
pub fn after_sign_in(next: Option<&str>) -> String {
    next.and_then(sign_in_target)
        .and_then(|target| resolve_here(&target).filter(|seen| sign_in_target(seen).as_ref() == Some(seen)))
        .unwrap_or_else(|| "/sheets".to_owned())
}

/// `path` resolved against this page: its path, query and fragment, if it stays on this origin.
fn resolve_here(path: &str) -> Option<String> {
    let origin = window().location().origin().ok()?;
    let url = web_sys::Url::new_with_base(path, &origin).ok()?;
    (url.origin() == origin).then(|| format!("{}{}{}", url.pathname(), url.search(), url.hash()))
}
