use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;
use crate::text::tr;

/// A trail of links; the last crumb is the current page and is not a link.
#[component]
pub fn Breadcrumbs(
    /// (label, href) pairs leading to the current page.
    #[prop(into)]
    links: Signal<Vec<(String, String)>>,
    /// The current page's label.
    #[prop(into)]
    current: Signal<String>,
) -> impl IntoView {
    view! {
        <nav class="breadcrumbs" aria-label=tr(|l| td_string!(l, app.breadcrumb))>
            <ol>
                <li>
                    <A href="/">{tr(|l| td_string!(l, common.home))}</A>
                </li>
                {move || {
                    links
                        .get()
                        .into_iter()
                        .map(|(label, href)| view! { <li><A href=href>{label}</A></li> })
                        .collect_view()
                }}
                <li aria-current="page">{current}</li>
            </ol>
        </nav>
    }
}
