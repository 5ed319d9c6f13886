//! The conference's vote: the delegate's ballot, staff's session, the clerks' paper entries,
//! and the result; and the two controls they share.

pub mod ballot_ticks;
pub mod paper;
pub mod qr;
pub mod result;
pub mod session;

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use thidua_domain::award_types::AwardTypeId;
use thidua_domain::UnitId;

use crate::i18n::Locale;
use crate::text::tr;

/// What a short field holds: a count (the phone's number pad) or a card code.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Count,
    Code,
}

/// A labelled one-line field with its message below (`{id}-error`), for the vote's forms
/// whose checks give one message per field.
pub fn short_field(
    id: &'static str,
    label: fn(Locale) -> &'static str,
    kind: Kind,
    value: RwSignal<String>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let err_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{tr(label)}</label>
            <input id=id
                class=if kind == Kind::Code { "input input--code" } else { "input input--count" }
                inputmode=if kind == Kind::Count { "numeric" } else { "text" }
                autocomplete="off"
                autocapitalize=(kind == Kind::Code).then_some("characters")
                spellcheck=(kind == Kind::Code).then_some("false")
                aria-describedby=err_id.clone()
                aria-invalid=move || error.with(Option::is_some).to_string()
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            <p class="field__error" id=err_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// The ticks of a ballot being filled in, per award type.
pub type Ticks = RwSignal<BTreeMap<AwardTypeId, BTreeSet<UnitId>>>;

/// One unit's box in an award type's part (`{prefix}-{award}-{unit}`), a whole row high.
pub fn tick_box(
    prefix: &'static str,
    award: AwardTypeId,
    unit: UnitId,
    name: String,
    ticks: Ticks,
    disabled: Signal<bool>,
    on_change: impl Fn() + 'static,
) -> impl IntoView {
    let id = format!("{prefix}-{award}-{unit}");
    let checked = move || ticks.with(|t| t.get(&award).is_some_and(|u| u.contains(&unit)));
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        ticks.update(|t| {
            let set = t.entry(award).or_default();
            if on {
                set.insert(unit);
            } else {
                set.remove(&unit);
            }
            if set.is_empty() {
                t.remove(&award);
            }
        });
        on_change();
    };
    view! {
        <li class="tick">
            <input type="checkbox" id=id.clone() prop:checked=checked on:change=toggle disabled=move || disabled.get() />
            <label for=id>{name}</label>
        </li>
    }
}
