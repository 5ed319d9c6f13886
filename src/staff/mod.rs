//! The staff wing, only in the staff build (`--features staff`, served as `dist/staff/`):
//! sign-in, the score sheets, a bloc's awards and the administration, with their API calls
//! and what they keep on the device. The public build has `without_staff.rs` in its place,
//! with the same four names below.

pub mod api;
pub mod components;
pub mod draft;
pub mod focus;
pub mod input;
pub mod pages;
pub mod session;

use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::path;

pub use components::account_nav::{manage_awards_link, AccountNav};
use pages::{
    AdminBlocPage, AdminPage, AdminUnitsPage, AdminUsersPage, AuditLogPage, AwardRulesPage, AwardsPage,
    BallotPrintPage, CouncilPage, DelegatePage, SheetPage, SheetsPage, SignInPage, VoteMinutesPage, VotePage,
};

/// The session, shared by every page; asked for only when this device has signed in before.
pub fn provide() {
    session::provide_session();
}

/// The staff's pages, inside the app's one `<Routes>`.
#[component(transparent)]
pub fn StaffRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/sign-in") view=SignInPage />
        <Route path=path!("/sheets") view=SheetsPage />
        <Route path=path!("/sheets/:id") view=SheetPage />
        <Route path=path!("/awards/:year") view=AwardRulesPage />
        <Route path=path!("/awards/:year/:bloc") view=AwardsPage />
        <Route path=path!("/awards/:year/:bloc/vote") view=VotePage />
        <Route path=path!("/awards/:year/:bloc/vote/minutes") view=VoteMinutesPage />
        <Route path=path!("/awards/:year/:bloc/ballot") view=BallotPrintPage />
        <Route path=path!("/vote") view=DelegatePage />
        <Route path=path!("/council/:year") view=CouncilPage />
        <Route path=path!("/admin") view=AdminPage />
        <Route path=path!("/admin/users") view=AdminUsersPage />
        <Route path=path!("/admin/units") view=AdminUnitsPage />
        <Route path=path!("/admin/audit") view=AuditLogPage />
        <Route path=path!("/admin/:year/blocs/:bloc") view=AdminBlocPage />
    }
    .into_inner()
    .into_any_nested_route()
}
