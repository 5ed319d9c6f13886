//! A bloc-year's members (add, remove, order), its leader and deputy (members only), and the
//! emulation pact. Checked with the domain's rules before sending; the server checks again.

use leptos::prelude::*;
use thidua_domain::admin::blocs::Conference;
use thidua_domain::admin::blocs::{
    check_bloc_setup, validate_bloc_setup, BlocSetupInput, BlocSetupView, CurrentSetup, SetupRefusal,
};
use thidua_domain::admin::units::{name_in, UnitAdmin};
use thidua_domain::error::FieldErrors;
use thidua_domain::{BlocId, UnitId, Year};

use crate::i18n::*;
use crate::staff::api::admin as admin_api;
use crate::staff::components::field_error::FieldMessage;
use crate::staff::components::form::{errors_of, write, SaveOutcome, TextField};
use crate::text::tr;

/// `Some(id)` from a `<select>`'s value; "" is none.
fn parse_id(text: &str) -> Option<UnitId> {
    text.parse().ok()
}

#[component]
pub fn BlocSetupForm(
    year: Year,
    bloc: BlocId,
    view: RwSignal<BlocSetupView>,
    /// Every unit, to add members from.
    units: Vec<UnitAdmin>,
) -> impl IntoView {
    let i18n = use_i18n();
    let start = view.get_untracked();
    let name = RwSignal::new(start.name.clone());
    // What the domain refuses as a whole (a published bloc keeps its name, members, leader).
    let refusal = RwSignal::new(None::<SetupRefusal>);
    let members = RwSignal::new(start.members.iter().map(|u| (u.id, u.name.clone())).collect::<Vec<_>>());
    let leader = RwSignal::new(start.leader.map(|l| l.to_string()).unwrap_or_default());
    let deputy = RwSignal::new(start.deputy.map(|l| l.to_string()).unwrap_or_default());
    let signed_on = RwSignal::new(start.pact_signed_on.clone().unwrap_or_default());
    let note = RwSignal::new(start.pact_note.clone());
    let link = RwSignal::new(start.pact_document_url.clone().unwrap_or_default());
    // The year's conference, for its minutes.
    let held_on = RwSignal::new(start.conference.held_on.clone().unwrap_or_default());
    let place = RwSignal::new(start.conference.place.clone());
    let chair = RwSignal::new(start.conference.chair.clone());
    let secretary = RwSignal::new(start.conference.secretary.clone());
    let attendees = RwSignal::new(start.conference.attendees.clone());
    let to_add = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let save_bloc = write(move |input| admin_api::save_bloc(year, bloc, input), move |saved| view.set(saved));
    // Units that take part in this year and are not members yet, with that year's names.
    let units = StoredValue::new(units);
    let candidates = move || {
        let current: Vec<UnitId> = members.with(|m| m.iter().map(|(id, _)| *id).collect());
        units.with_value(|all| {
            all.iter()
                .filter(|u| !current.contains(&u.id))
                .filter(|u| u.end.is_none_or(|e| e.from_year > year))
                .filter_map(|u| Some((u.id, name_in(&u.names, year)?.to_owned())))
                .collect::<Vec<_>>()
        })
    };
    let add = move |_| {
        if let Some(id) = parse_id(&to_add.get_untracked()) {
            if let Some((_, name)) = candidates().into_iter().find(|(u, _)| *u == id) {
                members.update(|m| m.push((id, name)));
            }
            to_add.set(String::new());
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let optional = |s: String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let (published, current) = view.with_untracked(|v| {
            let current = CurrentSetup {
                name: v.name.clone(),
                members: v.members.iter().map(|u| u.id).collect(),
                leader: v.leader,
                published: v.published,
                // The server knows which members have records; it refuses those itself.
                members_with_records: Vec::new(),
            };
            (v.published, current)
        });
        let input = BlocSetupInput {
            // A published bloc's name is not offered for change.
            name: (!published).then(|| name.get_untracked().trim().to_owned()),
            members: members.with_untracked(|m| m.iter().map(|(id, _)| *id).collect()),
            leader: parse_id(&leader.get_untracked()),
            deputy: parse_id(&deputy.get_untracked()),
            pact_signed_on: optional(signed_on.get_untracked()),
            pact_note: note.get_untracked().trim().to_owned(),
            pact_document_url: optional(link.get_untracked()),
            conference: Conference {
                held_on: optional(held_on.get_untracked()),
                place: place.get_untracked().trim().to_owned(),
                chair: chair.get_untracked().trim().to_owned(),
                secretary: secretary.get_untracked().trim().to_owned(),
                attendees: attendees.get_untracked().trim().to_owned(),
            },
            version: view.with_untracked(|v| v.version),
        };
        let known: Vec<UnitId> = units.with_value(|u| u.iter().map(|u| u.id).collect());
        // The year's other blocs' names are checked by the server, which knows them all.
        let found = validate_bloc_setup(&input, &known, &[]);
        let invalid = !found.is_empty();
        errors.set(found);
        let refused = check_bloc_setup(&input, &current).err();
        refusal.set(refused.clone());
        if invalid || refused.is_some() {
            save_bloc.clear();
            return;
        }
        save_bloc.dispatch(input);
    };
    let role_select = move |id: &'static str,
                            label: fn(Locale) -> &'static str,
                            value: RwSignal<String>,
                            key: &'static str| {
        let errs = errors_of(errors, key);
        view! {
            <div class="field">
                <label for=id>{tr(label)}</label>
                <select
                    id=id
                    class="input"
                    aria-describedby=format!("{id}-error")
                    aria-invalid=move || (!errs.get().is_empty()).to_string()
                    prop:value=move || value.get()
                    on:change=move |ev| value.set(event_target_value(&ev))
                >
                    <option value="">{tr(|l| td_string!(l, admin.none))}</option>
                    {move || {
                        members
                            .get()
                            .into_iter()
                            .map(|(id, name)| view! { <option value=id.to_string() selected=move || value.get() == id.to_string()>{name}</option> })
                            .collect_view()
                    }}
                </select>
                <FieldMessage id=format!("{id}-error") errors=errs />
            </div>
        }
    };
    let member_errors = errors_of(errors, "members");
    view! {
        <form class="form bloc-setup" novalidate on:submit=save data-testid="bloc-setup">
            <Show when=move || !view.with(|v| v.published)>
                <TextField id="bloc-name" label=|l| td_string!(l, admin.bloc_name) value=name errors=errors_of(errors, "name") />
            </Show>
            <h2>{tr(|l| td_string!(l, admin.members))}</h2>
            <ol class="member-list" data-testid="member-list">
                {move || {
                    members
                        .get()
                        .into_iter()
                        .map(|(id, name)| {
                            let label = format!("{} {name}", t_string!(i18n, admin.remove));
                            view! {
                                <li>
                                    <span>{name.clone()}</span>
                                    " "
                                    <button
                                        type="button"
                                        class="link-button"
                                        aria-label=label
                                        on:click=move |_| members.update(|m| m.retain(|(u, _)| *u != id))
                                    >
                                        {tr(|l| td_string!(l, admin.remove))}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <FieldMessage id="members-error".into() errors=member_errors />
            <div class="field-row">
                <div class="field">
                    <label for="add-member">{tr(|l| td_string!(l, admin.add_member))}</label>
                    <select id="add-member" class="input" prop:value=move || to_add.get() on:change=move |ev| to_add.set(event_target_value(&ev))>
                        <option value="">{tr(|l| td_string!(l, admin.choose_unit))}</option>
                        {move || candidates().into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                    </select>
                </div>
                <button type="button" class="button button--secondary add-member" on:click=add>{tr(|l| td_string!(l, admin.add))}</button>
            </div>
            {role_select("leader", |l| td_string!(l, admin.leader), leader, "leader")}
            {role_select("deputy", |l| td_string!(l, admin.deputy), deputy, "deputy")}
            <fieldset>
                <legend>{tr(|l| td_string!(l, admin.pact))}</legend>
                <TextField id="pact-date" label=|l| td_string!(l, admin.pact_date) value=signed_on errors=errors_of(errors, "pact_signed_on") kind="date" />
                <TextField id="pact-note" label=|l| td_string!(l, admin.pact_note) value=note errors=errors_of(errors, "pact_note") kind="text" />
                <TextField id="pact-link" label=|l| td_string!(l, admin.pact_link) value=link errors=errors_of(errors, "pact_document_url") kind="url" />
            </fieldset>
            <fieldset data-testid="conference">
                <legend>{tr(|l| td_string!(l, admin.conference))}</legend>
                <TextField id="conference-date" label=|l| td_string!(l, admin.conference_date) value=held_on errors=errors_of(errors, "conference.held_on") kind="date" />
                <TextField id="conference-place" label=|l| td_string!(l, admin.conference_place) value=place errors=errors_of(errors, "conference.place") />
                <TextField id="conference-chair" label=|l| td_string!(l, admin.conference_chair) value=chair errors=errors_of(errors, "conference.chair") />
                <TextField id="conference-secretary" label=|l| td_string!(l, admin.conference_secretary) value=secretary errors=errors_of(errors, "conference.secretary") />
                <TextField id="conference-attendees" label=|l| td_string!(l, admin.conference_attendees) value=attendees errors=errors_of(errors, "conference.attendees") rows=3 />
            </fieldset>
            <p class="form__error" role="alert">
                {move || refusal.get().map(|_| t_string!(i18n, admin.published_setup_fixed))}
            </p>
            <button type="submit" class="button button--primary" data-testid="save-bloc">{tr(|l| td_string!(l, admin.save_bloc))}</button>
            <SaveOutcome write=save_bloc />
        </form>
    }
    .into_any()
}
