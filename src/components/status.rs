//! Loading and error states shared by every page, so no page is ever blank: it shows its
//! data, a loading line, or an error in the user's language with a retry.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::{ApiError, ApiResult};
use crate::i18n::*;
use crate::text::tr;

/// Renders `children` with the resource's data once it has loaded.
#[component]
pub fn Loaded<T, V>(
    resource: LocalResource<ApiResult<T>>,
    /// The whole page depends on this resource: an error then titles the page (h1, <title>).
    #[prop(optional)]
    page: bool,
    children: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let children = std::sync::Arc::new(children);
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {
                let children = children.clone();
                move || {
                    let children = children.clone();
                    Suspend::new(async move {
                        match resource.await {
                            Ok(data) => Either::Left(children(data)),
                            Err(error) => {
                                Either::Right(view! { <ErrorPanel error page on_retry=move || resource.refetch() /> })
                            }
                        }
                    })
                }
            }
        </Suspense>
    }
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
    on_retry: impl Fn() + Send + Sync + 'static,
    /// Stands for the whole page: its title is the page's h1 and document title.
    #[prop(optional)]
    page: bool,
) -> impl IntoView {
    let i18n = use_i18n();
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
                    <button type="button" class="button" data-testid="retry" on:click=move |_| on_retry()>
                        {tr(|l| td_string!(l, common.retry))}
                    </button>
                })
            } else if signed_out {
                Either::Right(Either::Left(view! {
                    <A href=sign_in_href() attr:class="button">{tr(|l| td_string!(l, auth.sign_in))}</A>
                }))
            } else {
                Either::Right(Either::Right(view! { <A href="/" attr:class="button">{tr(|l| td_string!(l, common.home))}</A> }))
            }}
        </div>
    }
}

/// The sign-in page, coming back to where the reader is now.
pub fn sign_in_href() -> String {
    let here = window().location();
    let path = here.pathname().unwrap_or_default() + &here.search().unwrap_or_default();
    format!("/sign-in?next={}", js_sys::encode_uri_component(&path))
}
