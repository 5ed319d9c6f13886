//! One proposal on the Council's list: the unit, its bloc, rank, total and votes; the Council's
//! outcome (approved, or not with the reason, which the domain requires); and once approved,
//! the decision made from it in one step. What is typed stays until it is saved.

use leptos::prelude::*;
use thidua_domain::council::{validate_outcome, CouncilProposal, Outcome, OutcomeInput};
use thidua_domain::decisions::Decision;
use thidua_domain::documents::percent_text;
use thidua_domain::error::FieldErrors;

use super::Council;
use crate::format;
use crate::i18n::*;
use crate::staff::api::council::{self as council_api, ProposalKey};
use crate::staff::components::decision_fields::{DecisionFields, DecisionInput};
use crate::staff::components::form::{errors_of, write, SaveOutcome, TextField};
use crate::staff::focus::focus_after_render;
use crate::text::tr;

#[component]
pub fn ProposalCard(council: Council, key: ProposalKey) -> impl IntoView {
    let i18n = use_i18n();
    let proposal = Memo::new(move |_| {
        council.list.with(|l| {
            l.groups
                .iter()
                .filter(|g| g.award_type.id == key.award)
                .flat_map(|g| &g.proposals)
                .find(|p| p.bloc_id == key.bloc && p.unit.id == key.unit)
                .cloned()
        })
    });
    let prefix = format!("council-{}-{}-{}", key.bloc, key.unit, key.award);
    let (title_id, labelled_by) = (format!("{prefix}-title"), format!("{prefix}-title"));
    let facts = move || proposal.get().map(|p| facts(&p, i18n.get_locale()));
    let decided = Memo::new(move |_| proposal.with(|p| p.as_ref().is_some_and(|p| p.decision.is_some())));
    let approved = Memo::new(move |_| {
        proposal.with(|p| p.as_ref().and_then(|p| p.outcome.as_ref()).map(|o| o.outcome) == Some(Outcome::Approved))
    });
    // Its own memo: an edited note on the approval must not rebuild the decision form and lose
    // what is typed there.
    let decision_form = Memo::new(move |_| approved.get() && !decided.get());
    let decided_id = format!("{prefix}-decided");
    view! {
        <li class="council-proposal" aria-labelledby=labelled_by data-testid="council-proposal">
            <h3 id=title_id>{move || proposal.with(|p| p.as_ref().map(|p| p.unit.name.clone()))}</h3>
            <p class="council-proposal__facts">{facts}</p>
            {move || proposal.with(|p| p.as_ref().and_then(|p| p.override_reason.clone())).map(|r| view! {
                <p class="override-reason"><strong>{tr(|l| td_string!(l, awards.override_by_staff))}</strong> " " {r}</p>
            })}
            {move || proposal.with(|p| p.as_ref().and_then(|p| p.decision.clone())).map(|d| view! {
                <p class="decision" data-testid="council-decision" id=decided_id.clone() tabindex="-1">
                    <span class="badge badge--awarded">{tr(|l| td_string!(l, results.awarded))}</span> " "
                    {move || t_string!(i18n, council.decision_text, number = d.number.clone(),
                        date = format::date(&d.date, i18n.get_locale()), issuer = d.issuer.clone()).to_string()}
                </p>
            })}
            <OutcomeForm council key prefix=prefix.clone() proposal decided=decided.into() approved=approved.into() />
            {move || decision_form.get().then(|| view! { <DecisionForm council key prefix=prefix.clone() /> })}
        </li>
    }
}

/// "Khối …: hạng 1, 97,5 điểm, 13/14 phiếu (92,86 %)".
fn facts(p: &CouncilProposal, locale: Locale) -> String {
    let vi = locale == Locale::vi;
    let votes = match p.base {
        Some(base) => {
            td_string!(locale, council.votes_of, votes = p.votes, base = base, share = percent_text(p.votes, base, vi))
                .to_string()
        }
        None => td_string!(locale, council.votes, votes = p.votes).to_string(),
    };
    let mut parts = vec![p.bloc_name.clone()];
    if let Some(rank) = p.rank {
        parts.push(td_string!(locale, council.rank, rank = rank).to_string());
    }
    if let Some(total) = p.total {
        parts.push(td_string!(locale, council.total, total = format::points(total, locale)).to_string());
    }
    parts.push(votes);
    parts.join(" · ")
}

/// The Council's outcome: two choices and the reason; removable while no decision stands.
#[component]
fn OutcomeForm(
    council: Council,
    key: ProposalKey,
    prefix: String,
    proposal: Memo<Option<CouncilProposal>>,
    decided: Signal<bool>,
    approved: Signal<bool>,
) -> impl IntoView {
    // A decision stands on the approval: it cannot change until the decision goes. A decision
    // made on the awards page with no outcome recorded takes an approval here.
    let locked = Signal::derive(move || decided.get() && approved.get());
    let recorded = proposal.get_untracked().and_then(|p| p.outcome);
    let choice = RwSignal::new(recorded.as_ref().map(|o| o.outcome));
    let reason = RwSignal::new(recorded.and_then(|o| o.reason).unwrap_or_default());
    let errors = RwSignal::new(FieldErrors::new());
    let saved = move |list| council.list.set(list);
    let save_outcome = write(move |input: OutcomeInput| council_api::save_outcome(key, input), saved);
    let first_choice = format!("{prefix}-outcome-approved");
    let remove = write(
        move |()| council_api::remove_outcome(key),
        move |list| {
            choice.set(None);
            reason.set(String::new());
            council.list.set(list);
            // The button pressed goes with the outcome: the focus goes back to the choices.
            focus_after_render(first_choice.clone());
        },
    );
    let choice_id = format!("{prefix}-outcome");
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(outcome) = choice.get_untracked() else {
            errors.set(FieldErrors::from([("outcome".to_owned(), vec![thidua_domain::error::FieldError::Required])]));
            return;
        };
        let text = reason.get_untracked().trim().to_owned();
        let input = OutcomeInput { outcome, reason: (!text.is_empty()).then_some(text) };
        let found = validate_outcome(&input);
        let ok = found.is_empty();
        errors.set(found);
        if ok {
            save_outcome.dispatch(input);
        }
    };
    let radio = move |value: Outcome, label: fn(Locale) -> &'static str, suffix: &str| {
        let (id, for_id) = (format!("{choice_id}-{suffix}"), format!("{choice_id}-{suffix}"));
        view! {
            <label class="check" for=for_id>
                <input type="radio" id=id name=choice_id.clone() prop:checked=move || choice.get() == Some(value)
                    on:change=move |_| choice.set(Some(value)) disabled=move || locked.get() />
                " " {tr(label)}
            </label>
        }
    };
    let outcome_errors = errors_of(errors, "outcome");
    let has_outcome = move || proposal.with(|p| p.as_ref().is_some_and(|p| p.outcome.is_some()));
    view! {
        <form class="form council-outcome" novalidate on:submit=save data-testid="council-outcome">
            <fieldset aria-describedby=format!("{prefix}-outcome-error")>
                <legend>{tr(|l| td_string!(l, council.outcome))}</legend>
                {radio(Outcome::Approved, |l| td_string!(l, council.approved), "approved")}
                {radio(Outcome::NotApproved, |l| td_string!(l, council.not_approved), "not-approved")}
                <crate::staff::components::field_error::FieldMessage id=format!("{prefix}-outcome-error") errors=outcome_errors />
            </fieldset>
            <TextField id=format!("{prefix}-reason") label=|l| td_string!(l, council.reason) value=reason
                errors=errors_of(errors, "reason") rows=2 />
            <div class="actions">
                <button type="submit" class="button button--primary" disabled=move || locked.get()>
                    {tr(|l| td_string!(l, council.save_outcome))}
                </button>
                {move || (has_outcome() && !locked.get()).then(|| view! {
                    <button type="button" class="button button--quiet" data-testid="council-remove"
                        on:click=move |_| { remove.dispatch(()); }>
                        {tr(|l| td_string!(l, council.remove))}
                    </button>
                })}
            </div>
            {move || locked.get().then(|| view! { <p class="field__hint">{tr(|l| td_string!(l, council.decided_hint))}</p> })}
            {move || (decided.get() && !approved.get()).then(|| view! { <p class="field__hint">{tr(|l| td_string!(l, council.decided_without_outcome))}</p> })}
            <SaveOutcome write=save_outcome />
            <SaveOutcome write=remove quiet=true />
        </form>
    }
}

/// The decision made from an approved proposal, in one step: the bloc's results are revised
/// with a reason the domain words.
#[component]
fn DecisionForm(council: Council, key: ProposalKey, prefix: String) -> impl IntoView {
    let input = DecisionInput::new(None);
    let decided_id = format!("{prefix}-decided");
    let decide = write(
        move |d: Decision| council_api::decide(key, d),
        move |list| {
            council.list.set(list);
            // This form goes with the decision made: the focus goes to the line that says so.
            focus_after_render(decided_id.clone());
        },
    );
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(d) = input.checked() {
            decide.dispatch(d);
        }
    };
    let prefix = format!("{prefix}-decision");
    view! {
        <form class="form decision-form" novalidate on:submit=save data-testid="council-decision-form">
            <p class="field__hint">{tr(|l| td_string!(l, council.decision_intro))}</p>
            <DecisionFields input prefix />
            <button type="submit" class="button button--primary">{tr(|l| td_string!(l, council.decide))}</button>
            <SaveOutcome write=decide />
        </form>
    }
}
