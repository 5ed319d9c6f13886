use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;

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
    let i18n = use_i18n();
    view! {
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, app.breadcrumb).to_string()>
            <ol>
                <li>
                    <A href="/">{t!(i18n, common.home)}</A>
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
