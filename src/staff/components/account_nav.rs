//! The staff build's way to the signed-in person's pages, in the header and on the results.

use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use thidua_domain::{BlocId, Year};

use crate::i18n::*;
use crate::staff::api;
use crate::staff::session::use_session;
use crate::text::tr;

/// Signed in: the person's sheets and sign-out. Otherwise a quiet way in for staff.
#[component]
pub fn AccountNav() -> impl IntoView {
    let session = use_session();
    let navigate = leptos_router::hooks::use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Forget the session here even if the server cannot be told now.
            let _ = api::logout().await;
            session.signed_out();
            navigate("/", Default::default());
        });
    };
    move || match session.me.get() {
        Some(me) => Either::Left(view! {
            <nav class="account" aria-label=tr(|l| td_string!(l, auth.account))>
                <A href="/sheets" attr:class="account__link">{tr(|l| td_string!(l, sheets.title))}</A>
                {me.role.administers().then(|| view! {
                    <A href="/admin" attr:class="account__link" attr:data-testid="admin-link">{tr(|l| td_string!(l, admin.title))}</A>
                })}
                <span class="account__name" data-testid="signed-in-as">{me.display_name}</span>
                <button type="button" class="account__link" data-testid="sign-out" on:click=sign_out.clone()>
                    {tr(|l| td_string!(l, auth.sign_out))}
                </button>
            </nav>
        }),
        None => Either::Right(view! {
            <A href="/sign-in" attr:class="account__link">{tr(|l| td_string!(l, auth.sign_in))}</A>
        }),
    }
}

/// Staff open the awards page (tally, publication, decisions) from the results they preview.
pub fn manage_awards_link(year: Year, bloc: BlocId) -> impl IntoView {
    let session = use_session();
    move || {
        let staff = session.me.with(|me| me.as_ref().is_some_and(|me| me.role.administers()));
        staff.then(|| {
            view! {
                <A href=format!("/awards/{year}/{bloc}") attr:class="button">{tr(|l| td_string!(l, awards.manage))}</A>
            }
        })
    }
}
