use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::i18n::*;
use crate::staff::components::sign_in_form::SignInForm;
use crate::text::tr;

/// Only paths of this app: `?next=https://elsewhere` must not send people away.
fn safe_next(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//")).unwrap_or_else(|| "/sheets".to_owned())
}

/// Staff and officers sign in here; the public never needs to.
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let on_success = Callback::new(move |_| {
        let next = safe_next(query.with_untracked(|q| q.get("next")));
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

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_inside_the_app() {
        assert_eq!(safe_next(Some("/sheets/3".into())), "/sheets/3");
        assert_eq!(safe_next(Some("//evil.example".into())), "/sheets");
        assert_eq!(safe_next(Some("https://evil.example".into())), "/sheets");
        assert_eq!(safe_next(None), "/sheets");
    }
}
