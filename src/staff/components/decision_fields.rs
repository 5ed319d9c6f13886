//! The award decision's three fields — number, date, issuer — as the awards page and the
//! Council's list both take them: what is typed, checked by the domain before anything is sent,
//! each field's message beside it.

use leptos::prelude::*;
use thidua_domain::decisions::{validate_decision, Decision};
use thidua_domain::error::FieldErrors;

use crate::i18n::*;
use crate::staff::components::form::{errors_of, TextField};

/// What is typed into a decision's fields, and their errors.
#[derive(Clone, Copy)]
pub struct DecisionInput {
    number: RwSignal<String>,
    date: RwSignal<String>,
    issuer: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
}

impl DecisionInput {
    /// Empty, or what `d` says.
    pub fn new(d: Option<Decision>) -> DecisionInput {
        let d = d.unwrap_or(Decision { number: String::new(), date: String::new(), issuer: String::new() });
        DecisionInput {
            number: RwSignal::new(d.number),
            date: RwSignal::new(d.date),
            issuer: RwSignal::new(d.issuer),
            errors: RwSignal::new(FieldErrors::new()),
        }
    }

    /// The typed decision if the domain accepts it; otherwise `None`, with each field's
    /// message shown beside it.
    pub fn checked(self) -> Option<Decision> {
        let d = Decision {
            number: self.number.get_untracked().trim().to_owned(),
            date: self.date.get_untracked(),
            issuer: self.issuer.get_untracked().trim().to_owned(),
        };
        let found = validate_decision(&d);
        let ok = found.is_empty();
        self.errors.set(found);
        ok.then_some(d)
    }
}

/// The three fields, their ids `{prefix}-number`, `-date`, `-issuer`.
#[component]
pub fn DecisionFields(input: DecisionInput, prefix: String) -> impl IntoView {
    let e = input.errors;
    view! {
        <TextField id=format!("{prefix}-number") label=|l| td_string!(l, awards.decision_number) value=input.number errors=errors_of(e, "number") />
        <TextField id=format!("{prefix}-date") label=|l| td_string!(l, awards.decision_date) value=input.date errors=errors_of(e, "date") kind="date" />
        <TextField id=format!("{prefix}-issuer") label=|l| td_string!(l, awards.decision_issuer) value=input.issuer errors=errors_of(e, "issuer") />
    }
}
