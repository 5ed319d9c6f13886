//! The Council's list (staff): the blocs and whether their proposals are before the Council,
//! every proposal by award type with the Council's outcome and the decision that follows
//! (`proposal.rs`), and outcomes a later revision left behind. Every write answers the whole
//! list, which replaces the page's copy.

mod proposal;

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use thidua_domain::council::{CouncilGroup, CouncilList, Outcome, StaleOutcome, StaleReason};
use thidua_domain::Year;

use crate::i18n::*;
use crate::staff::api::council::{self as council_api, ProposalKey};
use crate::staff::components::form::{write, SaveOutcome};
use crate::text::tr;
use proposal::ProposalCard;

/// The page's copy of the list.
#[derive(Clone, Copy)]
pub struct Council {
    pub list: RwSignal<CouncilList>,
    pub year: Year,
}

#[component]
pub fn CouncilView(list: CouncilList) -> impl IntoView {
    let year = list.year;
    let council = Council { list: RwSignal::new(list), year };
    let groups = move || council.list.with(|l| l.groups.clone());
    let stale = move || council.list.with(|l| l.stale.clone());
    view! {
        <section aria-labelledby="council-blocs-title">
            <h2 id="council-blocs-title">{tr(|l| td_string!(l, council.blocs))}</h2>
            <ul class="link-list council-blocs" data-testid="council-blocs">
                {move || council.list.with(|l| l.blocs.clone()).into_iter().map(|b| {
                    let href = format!("/awards/{year}/{}", b.bloc_id);
                    let status = match b.revision {
                        Some(n) => Either::Left(view! { <span>{move || t_string!(use_i18n(), council.published, n = n).to_string()}</span> }),
                        None => Either::Right(view! { <span class="badge badge--muted">{tr(|l| td_string!(l, council.not_published))}</span> }),
                    };
                    view! { <li><A href=href>{b.bloc_name}</A> " — " {status}</li> }
                }).collect_view()}
            </ul>
        </section>
        {move || groups().is_empty().then(|| view! { <p class="empty">{tr(|l| td_string!(l, council.none))}</p> })}
        <For each=groups key=|g| g.award_type.id let:group>
            <Group council group />
        </For>
        {move || {
            let stale = stale();
            (!stale.is_empty()).then(|| view! {
                <section class="notice notice--warn" aria-labelledby="council-stale-title" data-testid="council-stale">
                    <h2 id="council-stale-title">{tr(|l| td_string!(l, council.stale_title))}</h2>
                    <p>{tr(|l| td_string!(l, council.stale_intro))}</p>
                    <ul>{stale.into_iter().map(|s| view! { <Stale council s /> }).collect_view()}</ul>
                </section>
            })
        }}
    }
}

/// One award type: how far the Council got, and a card per proposal.
#[component]
fn Group(council: Council, group: CouncilGroup) -> impl IntoView {
    let i18n = use_i18n();
    let id = group.award_type.id;
    let (title_id, labelled_by) = (format!("council-group-{id}"), format!("council-group-{id}"));
    // The counts follow the writes: read them from the page's copy.
    let counts = move || {
        council
            .list
            .with(|l| l.groups.iter().find(|g| g.award_type.id == id).map(CouncilGroup::counts).unwrap_or_default())
    };
    let year = council.year;
    let keys = move || {
        council.list.with(|l| {
            l.groups
                .iter()
                .filter(|g| g.award_type.id == id)
                .flat_map(|g| &g.proposals)
                .map(|p| ProposalKey { year, bloc: p.bloc_id, unit: p.unit.id, award: id })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="council-group" aria-labelledby=labelled_by data-testid="council-group">
            <h2 id=title_id>{group.award_type.name.clone()}</h2>
            <p class="council-group__counts">
                {move || {
                    let c = counts();
                    t_string!(i18n, council.counts, approved = c.approved, not_approved = c.not_approved, pending = c.pending).to_string()
                }}
            </p>
            <ul class="council-proposals">
                <For each=keys key=|k| (k.bloc, k.unit) let:key>
                    <ProposalCard council key />
                </For>
            </ul>
        </section>
    }
}

/// An outcome left behind by a later revision: what it was, and a way to remove it.
#[component]
fn Stale(council: Council, s: StaleOutcome) -> impl IntoView {
    let key = ProposalKey { year: council.year, bloc: s.bloc_id, unit: s.unit_id, award: s.award_type_id };
    let remove = write(move |()| council_api::remove_outcome(key), move |list| council.list.set(list));
    let (outcome, why) = (s.outcome.outcome, s.why);
    view! {
        <li>
            {format!("{} ({}), {}: ", s.unit_name, s.bloc_name, s.award_name)}
            {move || match outcome {
                Outcome::Approved => tr(|l| td_string!(l, council.approved))(),
                Outcome::NotApproved => tr(|l| td_string!(l, council.not_approved))(),
            }}
            " ("
            {move || match why {
                StaleReason::NoLongerProposed => tr(|l| td_string!(l, council.stale_no_longer))(),
                StaleReason::FactsChanged => tr(|l| td_string!(l, council.stale_facts_changed))(),
                StaleReason::NotPublished => tr(|l| td_string!(l, council.stale_unpublished))(),
            }}
            ") "
            <button type="button" class="button button--quiet" on:click=move |_| { remove.dispatch(()); }>
                {tr(|l| td_string!(l, council.remove))}
            </button>
            <SaveOutcome write=remove quiet=true />
        </li>
    }
}
