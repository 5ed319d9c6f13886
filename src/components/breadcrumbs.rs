use leptos::prelude::*;

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
                    <a href="/">{tr(|l| td_string!(l, common.home))}</a>
                </li>
                {move || {
                    links
                        .get()
                        .into_iter()
                        .map(|(label, href)| view! { <li><a href=href>{label}</a></li> })
                        .collect_view()
                }}
                <li aria-current="page">{current}</li>
            </ol>
        </nav>
    }
}
