use leptos::prelude::*;
use leptos_meta::Title;
use thidua_domain::admin::units::UnitAdmin;

use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::status::Loaded;
use crate::i18n::*;
use crate::staff::api::admin as admin_api;
use crate::staff::components::unit_forms::{EndForm, NameForm};
use crate::text::tr;

/// Staff: the units — a new one, a rename from a year on (earlier years keep the old name),
/// a merge into another unit or a retirement from a year on.
#[component]
pub fn AdminUnitsPage() -> impl IntoView {
    let i18n = use_i18n();
    let units = LocalResource::new(admin_api::units);
    let crumbs = move || vec![(t_string!(i18n, admin.title).to_string(), "/admin".to_owned())];
    view! {
        <Title text=move || t_string!(i18n, admin.units).to_string() />
        <div class="page">
            <Breadcrumbs links=Signal::derive(crumbs) current=Signal::derive(tr(|l| td_string!(l, admin.units))) />
            <h1>{tr(|l| td_string!(l, admin.units))}</h1>
            <Loaded resource=units page=true let:list>
                <UnitsView list on_change=move || units.refetch() />
            </Loaded>
        </div>
    }
}

#[component]
fn UnitsView(list: Vec<UnitAdmin>, on_change: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let all = StoredValue::new(list.clone());
    view! {
        <ul class="user-list" data-testid="unit-list">
            {list.into_iter().map(|u| view! { <UnitItem unit=u all on_change /> }).collect_view()}
        </ul>
        <NameForm unit=None all on_change />
    }
}

#[component]
fn UnitItem(
    unit: UnitAdmin,
    all: StoredValue<Vec<UnitAdmin>>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let history = unit
        .names
        .iter()
        .map(|n| {
            let (year, name) = (n.from_year, n.name.clone());
            view! { <li>{move || t_string!(i18n, admin.name_from, year).to_string()} " " {name}</li> }
        })
        .collect_view();
    let ended = unit.end.map(|e| {
        let into =
            e.merged_into.and_then(|id| all.with_value(|a| a.iter().find(|u| u.id == id).map(|u| u.name.clone())));
        let year = e.from_year;
        move || match into.clone() {
            Some(name) => t_string!(i18n, admin.merged_into, name, year).to_string(),
            None => t_string!(i18n, admin.retired_from, year).to_string(),
        }
    });
    let active = unit.end.is_none();
    view! {
        <li class="user-item" data-testid="unit-item">
            <h2>{unit.name.clone()}</h2>
            <ul class="link-list">{history}</ul>
            {ended.map(|text| view! { <p class="badge badge--muted">{text}</p> })}
            {active.then(|| view! {
                <NameForm unit=Some(unit.id) all on_change />
                <EndForm unit=unit.id all on_change />
            })}
        </li>
    }
}
