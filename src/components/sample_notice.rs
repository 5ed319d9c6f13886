use leptos::prelude::*;

use crate::i18n::*;
use crate::text::tr;

/// Says plainly that what follows is illustrative, so sample scores are never read as a record.
#[component]
pub fn SampleNotice() -> impl IntoView {
    view! {
        <aside class="notice notice--sample" data-testid="sample-notice" aria-labelledby="sample-notice-title">
            <h2 id="sample-notice-title" class="notice__title">{tr(|l| td_string!(l, sample.title))}</h2>
            <p>{tr(|l| td_string!(l, sample.body))}</p>
        </aside>
    }
}
