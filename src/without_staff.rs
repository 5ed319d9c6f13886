//! The public build's stand-in for the staff wing (`staff/` in the staff build): the same
//! names, with no routes, nothing to provide, and a plain way in for staff.

use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use thidua_domain::{BlocId, Year};

use crate::i18n::*;
use crate::text::tr;

/// No session: public readers never ask the server who they are.
pub fn provide() {}

/// No staff pages.
#[component(transparent)]
pub fn StaffRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    ().into_any_nested_route()
}

/// A quiet way in for staff. `rel="external"` makes it a page load, which brings the staff
/// build (the public one does not carry the forms).
#[component]
pub fn AccountNav() -> impl IntoView {
    view! {
        <a href="/sign-in" rel="external" class="account__link">
            {tr(|l| td_string!(l, auth.sign_in))}
        </a>
    }
}

/// No link to the awards page on the results.
pub fn manage_awards_link(_: Year, _: BlocId) {}
