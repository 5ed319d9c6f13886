use leptos::prelude::*;

use crate::i18n::*;

/// Says plainly that what follows is illustrative, so sample scores are never read as a record.
#[component]
pub fn SampleNotice() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <aside class="notice notice--sample" data-testid="sample-notice" aria-labelledby="sample-notice-title">
            <h2 id="sample-notice-title" class="notice__title">{t!(i18n, sample.title)}</h2>
            <p>{t!(i18n, sample.body)}</p>
        </aside>
    }
}
