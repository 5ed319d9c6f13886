use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::*;
use crate::text::tr;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    crate::prerender::set_status(404);
    view! {
        <Title text=move || t_string!(i18n, not_found.title).to_string() />
        <div class="page" data-testid="not-found">
            <h1>{tr(|l| td_string!(l, not_found.title))}</h1>
            <p>{tr(|l| td_string!(l, not_found.body))}</p>
            <p><a href="/" class="button">{tr(|l| td_string!(l, common.home))}</a></p>
        </div>
    }
}
