use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::components::status::after_sign_in;
use crate::i18n::*;
use crate::staff::components::sign_in_form::SignInForm;
use crate::text::tr;

/// Staff and officers sign in here; the public never needs to.
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let on_success = Callback::new(move |_| {
        // Never another site: `?next=/%5Cevil.example/` and the like stay here.
        let next = query.with_untracked(|q| after_sign_in(q.get("next").as_deref()));
        navigate(&next, NavigateOptions { replace: true, ..Default::default() });
    });
    view! {
        <Title text=move || t_string!(i18n, auth.title).to_string() />
        <div class="page page--narrow">
            <h1>{tr(|l| td_string!(l, auth.title))}</h1>
            <p class="lead">{tr(|l| td_string!(l, auth.intro))}</p>
            <SignInForm on_success />
        </div>
    }
}
