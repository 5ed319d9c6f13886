use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use thidua_domain::admin::units::{validate_unit_end, validate_unit_name, NewUnit, UnitAdmin, UnitEnd};
use thidua_domain::error::FieldErrors;
use thidua_domain::{UnitId, Year};

use crate::api::{admin as admin_api, ApiError};
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::field_error::FieldMessage;
use crate::components::form::{errors_of, SaveOutcome, TextField};
use crate::components::status::Loaded;
use crate::i18n::*;
use crate::tr;

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

/// The current year, as the default "from" year of a change.
fn this_year() -> Year {
    js_sys::Date::new_0().get_full_year() as Year
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

/// A new unit (`unit` is `None`) or a new name for one, from a year on.
#[component]
fn NameForm(
    unit: Option<UnitId>,
    all: StoredValue<Vec<UnitAdmin>>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let from = RwSignal::new(this_year().to_string());
    let errors = RwSignal::new(FieldErrors::new());
    let outcome = RwSignal::new(None::<Result<(), ApiError>>);
    let prefix = unit.map_or("new-unit".to_owned(), |id| format!("unit-{id}"));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = NewUnit {
            name: name.get_untracked().trim().to_owned(),
            from_year: from.get_untracked().trim().parse().unwrap_or(0),
        };
        let others: Vec<String> =
            all.with_value(|a| a.iter().filter(|u| Some(u.id) != unit).map(|u| u.name.clone()).collect());
        let found = validate_unit_name(&input, &others);
        let invalid = !found.is_empty();
        errors.set(found);
        if invalid {
            return;
        }
        spawn_local(async move {
            let result = match unit {
                Some(id) => admin_api::rename_unit(id, input).await.map(|_| ()),
                None => admin_api::create_unit(input).await.map(|_| ()),
            };
            match result {
                Ok(()) => on_change(),
                Err(e) => outcome.set(Some(Err(e))),
            }
        });
    };
    let (name_id, from_id) = (format!("{prefix}-name"), format!("{prefix}-from"));
    let (name_errors, from_errors) = (errors_of(errors, "name"), errors_of(errors, "from_year"));
    let name_label: fn(Locale) -> &'static str =
        if unit.is_some() { |l| td_string!(l, admin.new_name) } else { |l| td_string!(l, admin.unit_name) };
    let heading = unit.is_none().then(|| view! { <h2>{tr(|l| td_string!(l, admin.new_unit))}</h2> });
    view! {
        <form class="form" novalidate on:submit=save data-testid=if unit.is_some() { "rename-unit" } else { "new-unit" }>
            {heading}
            <div class="field-row">
                <TextField id=name_id label=name_label value=name errors=name_errors />
                <TextField id=from_id label=|l| td_string!(l, admin.from_year) value=from errors=from_errors numeric=true />
            </div>
            <button type="submit" class="button button--secondary">
                {if unit.is_some() { tr(|l| td_string!(l, admin.rename)) } else { tr(|l| td_string!(l, admin.create_unit)) }}
            </button>
            <SaveOutcome outcome />
        </form>
    }
}

/// Merge into another unit, or retire, from a year on.
#[component]
fn EndForm(
    unit: UnitId,
    all: StoredValue<Vec<UnitAdmin>>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let into = RwSignal::new(String::new());
    let from = RwSignal::new(this_year().to_string());
    let errors = RwSignal::new(FieldErrors::new());
    let outcome = RwSignal::new(None::<Result<(), ApiError>>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let end = UnitEnd {
            unit_id: unit,
            from_year: from.get_untracked().trim().parse().unwrap_or(0),
            merged_into: into.get_untracked().parse().ok(),
        };
        let (ids, ends): (Vec<UnitId>, Vec<UnitEnd>) =
            all.with_value(|a| (a.iter().map(|u| u.id).collect(), a.iter().filter_map(|u| u.end).collect()));
        let found = validate_unit_end(&end, &ids, &ends);
        let invalid = !found.is_empty();
        errors.set(found);
        if invalid {
            return;
        }
        spawn_local(async move {
            match admin_api::end_unit(unit, end).await {
                Ok(_) => on_change(),
                Err(e) => outcome.set(Some(Err(e))),
            }
        });
    };
    let (into_id, from_id) = (format!("end-{unit}-into"), format!("end-{unit}-from"));
    let (into_errors, from_errors) = (errors_of(errors, "merged_into"), errors_of(errors, "from_year"));
    let others = all.with_value(|a| {
        a.iter().filter(|u| u.id != unit && u.end.is_none()).map(|u| (u.id, u.name.clone())).collect::<Vec<_>>()
    });
    view! {
        <details class="override">
            <summary>{tr(|l| td_string!(l, admin.end_unit))}</summary>
            <form class="form" novalidate on:submit=save>
                <div class="field">
                    <label for=into_id.clone()>{tr(|l| td_string!(l, admin.merge_into))}</label>
                    <select
                        id=into_id.clone()
                        class="input"
                        aria-describedby=format!("{into_id}-error")
                        prop:value=move || into.get()
                        on:change=move |ev| into.set(event_target_value(&ev))
                    >
                        <option value="">{tr(|l| td_string!(l, admin.retire))}</option>
                        {others.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                    </select>
                    <FieldMessage id=format!("{into_id}-error") errors=into_errors />
                </div>
                <TextField id=from_id label=|l| td_string!(l, admin.from_year) value=from errors=from_errors numeric=true />
                <button type="submit" class="button button--secondary">{tr(|l| td_string!(l, admin.save_end))}</button>
                <SaveOutcome outcome />
            </form>
        </details>
    }
}
