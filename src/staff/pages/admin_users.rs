use leptos::prelude::*;
use leptos_meta::Title;
use thidua_domain::admin::units::UnitAdmin;
use thidua_domain::admin::users::UserAdmin;

use crate::api::ApiResult;
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::status::Loaded;
use crate::i18n::*;
use crate::staff::api::admin as admin_api;
use crate::staff::components::user_forms::{NewUserForm, UserItem};
use crate::text::tr;

/// Staff: the accounts — create one, bind it to a unit and a role, disable it, set a new
/// password.
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let resource = LocalResource::new(|| async {
        let users = admin_api::users().await?;
        let units = admin_api::units().await?;
        ApiResult::Ok((users, units))
    });
    let crumbs = move || vec![(t_string!(i18n, admin.title).to_string(), "/admin".to_owned())];
    view! {
        <Title text=move || t_string!(i18n, admin.users).to_string() />
        <div class="page">
            <Breadcrumbs links=Signal::derive(crumbs) current=Signal::derive(tr(|l| td_string!(l, admin.users))) />
            <h1>{tr(|l| td_string!(l, admin.users))}</h1>
            <Loaded resource page=true let:data>
                <UsersView data on_change=move || resource.refetch() />
            </Loaded>
        </div>
    }
}

#[component]
fn UsersView(
    data: (Vec<UserAdmin>, Vec<UnitAdmin>),
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (users, units) = data;
    let units =
        StoredValue::new(units.into_iter().filter(|u| u.end.is_none()).map(|u| (u.id, u.name)).collect::<Vec<_>>());
    let taken: Vec<String> = users.iter().map(|u| u.username.clone()).collect();
    view! {
        <ul class="user-list" data-testid="user-list">
            {users.into_iter().map(|u| view! { <UserItem user=u units /> }).collect_view()}
        </ul>
        <NewUserForm taken units on_change />
    }
}
