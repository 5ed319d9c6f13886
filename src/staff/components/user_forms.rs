//! The staff's account forms: one account's name, role, unit, disabled flag and password, and
//! a new account. Checked with the domain's rules before sending; the server checks again.

use leptos::prelude::*;
use thidua_domain::admin::users::{
    validate_new_user, validate_password_reset, validate_user_update, NewUser, PasswordReset, UserAdmin, UserUpdate,
};
use thidua_domain::auth::Role;
use thidua_domain::error::FieldErrors;
use thidua_domain::UnitId;

use crate::i18n::*;
use crate::staff::api::admin as admin_api;
use crate::staff::components::field_error::FieldMessage;
use crate::staff::components::form::{errors_of, write, SaveOutcome, TextField};
use crate::staff::session::use_session;
use crate::text::tr;

fn role_name(role: Role, locale: Locale) -> &'static str {
    match role {
        Role::UnitOfficer => td_string!(locale, admin.role_unit),
        Role::LeaderOfficer => td_string!(locale, admin.role_leader),
        Role::Staff => td_string!(locale, admin.role_staff),
    }
}

/// Role and unit fields shared by both forms.
#[component]
fn Binding(
    prefix: String,
    role: RwSignal<String>,
    unit: RwSignal<String>,
    units: StoredValue<Vec<(UnitId, String)>>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let i18n = use_i18n();
    let unit_errors = errors_of(errors, "unit_id");
    let (role_id, unit_id) = (format!("{prefix}-role"), format!("{prefix}-unit"));
    view! {
        <div class="field">
            <label for=role_id.clone()>{tr(|l| td_string!(l, admin.role))}</label>
            <select id=role_id class="input" prop:value=move || role.get() on:change=move |ev| role.set(event_target_value(&ev))>
                {Role::ALL
                    .into_iter()
                    .map(|r| view! { <option value=r.as_str() selected=move || role.get() == r.as_str()>{move || role_name(r, i18n.get_locale())}</option> })
                    .collect_view()}
            </select>
        </div>
        <div class="field">
            <label for=unit_id.clone()>{tr(|l| td_string!(l, admin.unit))}</label>
            <select
                id=unit_id.clone()
                class="input"
                aria-describedby=format!("{unit_id}-error")
                aria-invalid=move || (!unit_errors.get().is_empty()).to_string()
                prop:value=move || unit.get()
                on:change=move |ev| unit.set(event_target_value(&ev))
            >
                <option value="">{tr(|l| td_string!(l, admin.none))}</option>
                {units
                    .get_value()
                    .into_iter()
                    .map(|(id, name)| view! { <option value=id.to_string() selected=move || unit.get() == id.to_string()>{name}</option> })
                    .collect_view()}
            </select>
            <FieldMessage id=format!("{unit_id}-error") errors=unit_errors />
        </div>
    }
}

/// One account as staff edit it: name, role, unit, disabled, and a new password.
#[component]
pub fn UserItem(user: UserAdmin, units: StoredValue<Vec<(UnitId, String)>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = user.id;
    let display = RwSignal::new(user.display_name.clone());
    let role = RwSignal::new(user.role.as_str().to_owned());
    let unit = RwSignal::new(user.unit_id.map(|u| u.to_string()).unwrap_or_default());
    let disabled = RwSignal::new(user.disabled);
    let version = RwSignal::new(user.version);
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let save_user = write(move |input| admin_api::update_user(id, input), move |saved| version.set(saved.version));
    let reset_password =
        write(move |input| admin_api::reset_password(id, input), move |()| password.set(String::new()));
    let prefix = format!("user-{id}");
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = UserUpdate {
            display_name: display.get_untracked().trim().to_owned(),
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::UnitOfficer),
            unit_id: unit.get_untracked().parse().ok(),
            disabled: disabled.get_untracked(),
            version: version.get_untracked(),
        };
        let units_ids: Vec<UnitId> = units.with_value(|u| u.iter().map(|(id, _)| *id).collect());
        let oneself = session.me.with_untracked(|me| me.as_ref().is_some_and(|me| me.user_id == id));
        let found = validate_user_update(&input, &units_ids, oneself);
        let invalid = !found.is_empty();
        errors.set(found);
        if invalid {
            return;
        }
        reset_password.clear();
        save_user.dispatch(input);
    };
    let reset = move |_| {
        let input = PasswordReset { password: password.get_untracked() };
        let found = validate_password_reset(&input);
        let invalid = !found.is_empty();
        errors.set(found);
        if invalid {
            return;
        }
        save_user.clear();
        reset_password.dispatch(input);
    };
    let name_errors = errors_of(errors, "display_name");
    let password_errors = errors_of(errors, "password");
    view! {
        <li class="user-item" data-testid="user-item">
            <form class="form" novalidate on:submit=save>
                <h2>{user.username.clone()}</h2>
                <TextField id=format!("{prefix}-name") label=|l| td_string!(l, admin.display_name) value=display errors=name_errors />
                <Binding prefix=prefix.clone() role unit units errors />
                <div class="field field--check">
                    <input
                        type="checkbox"
                        id=format!("{prefix}-disabled")
                        prop:checked=move || disabled.get()
                        on:change=move |ev| disabled.set(event_target_checked(&ev))
                    />
                    <label for=format!("{prefix}-disabled")>{tr(|l| td_string!(l, admin.disabled))}</label>
                </div>
                <button type="submit" class="button button--primary">{tr(|l| td_string!(l, admin.save_user))}</button>
                <TextField
                    id=format!("{prefix}-password")
                    label=|l| td_string!(l, admin.new_password)
                    value=password
                    errors=password_errors
                    kind="password"
                />
                <button type="button" class="button button--secondary" on:click=reset>
                    {tr(|l| td_string!(l, admin.reset_password))}
                </button>
                <SaveOutcome write=save_user />
                <SaveOutcome write=reset_password />
                <p class="sr-status">{move || if disabled.get() { t_string!(i18n, admin.is_disabled).to_string() } else { String::new() }}</p>
            </form>
        </li>
    }
}

#[component]
pub fn NewUserForm(
    taken: Vec<String>,
    units: StoredValue<Vec<(UnitId, String)>>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let display = RwSignal::new(String::new());
    let role = RwSignal::new(Role::UnitOfficer.as_str().to_owned());
    let unit = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let create_user = write(admin_api::create_user, move |_| on_change());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = NewUser {
            username: username.get_untracked().trim().to_owned(),
            display_name: display.get_untracked().trim().to_owned(),
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::UnitOfficer),
            unit_id: unit.get_untracked().parse().ok(),
            password: password.get_untracked(),
        };
        let units_ids: Vec<UnitId> = units.with_value(|u| u.iter().map(|(id, _)| *id).collect());
        let found = validate_new_user(&input, &taken, &units_ids);
        let invalid = !found.is_empty();
        errors.set(found);
        if invalid {
            return;
        }
        create_user.dispatch(input);
    };
    view! {
        <form class="form new-user" novalidate on:submit=save data-testid="new-user">
            <h2>{tr(|l| td_string!(l, admin.new_user))}</h2>
            <TextField id="new-username" label=|l| td_string!(l, admin.username) value=username errors=errors_of(errors, "username") kind="text" />
            <TextField id="new-display" label=|l| td_string!(l, admin.display_name) value=display errors=errors_of(errors, "display_name") kind="text" />
            <Binding prefix="new".into() role unit units errors />
            <TextField id="new-password" label=|l| td_string!(l, admin.password) value=password errors=errors_of(errors, "password") kind="password" />
            <button type="submit" class="button button--primary">{tr(|l| td_string!(l, admin.create_user))}</button>
            <SaveOutcome write=create_user />
        </form>
    }
}
