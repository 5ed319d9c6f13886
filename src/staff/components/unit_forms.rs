//! The staff's unit forms: a new unit or a new name from a year on, and a merge into
//! another unit or a retirement from a year on. Checked with the domain's rules before
//! sending; the server checks again.

use leptos::prelude::*;
use thidua_domain::admin::units::{validate_unit_end, validate_unit_name, NewUnit, UnitAdmin, UnitEnd};
use thidua_domain::error::FieldErrors;
use thidua_domain::{UnitId, Year};

use crate::i18n::*;
use crate::staff::api::admin as admin_api;
use crate::staff::components::field_error::FieldMessage;
use crate::staff::components::form::{errors_of, write, SaveOutcome, TextField};
use crate::text::tr;

/// The current year, as the default "from" year of a change.
fn this_year() -> Year {
    js_sys::Date::new_0().get_full_year() as Year
}

/// A new unit (`unit` is `None`) or a new name for one, from a year on.
#[component]
pub fn NameForm(
    unit: Option<UnitId>,
    all: StoredValue<Vec<UnitAdmin>>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let from = RwSignal::new(this_year().to_string());
    let errors = RwSignal::new(FieldErrors::new());
    let save_name = write(
        move |input| async move {
            match unit {
                Some(id) => admin_api::rename_unit(id, input).await,
                None => admin_api::create_unit(input).await,
            }
        },
        move |_| on_change(),
    );
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
        save_name.dispatch(input);
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
            <SaveOutcome write=save_name />
        </form>
    }
}

/// Merge into another unit, or retire, from a year on.
#[component]
pub fn EndForm(
    unit: UnitId,
    all: StoredValue<Vec<UnitAdmin>>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let into = RwSignal::new(String::new());
    let from = RwSignal::new(this_year().to_string());
    let errors = RwSignal::new(FieldErrors::new());
    let save_end = write(move |end| admin_api::end_unit(unit, end), move |_| on_change());
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
        save_end.dispatch(end);
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
                <SaveOutcome write=save_end />
            </form>
        </details>
    }
}
