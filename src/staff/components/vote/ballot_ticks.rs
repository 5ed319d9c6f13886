//! A delegate's ballot on the phone: each award type's part as a group of check boxes with its
//! quota, checked by the domain's rule before anything is sent, then a review of the choices
//! before the one cast.

use std::collections::BTreeSet;

use leptos::prelude::*;
use thidua_domain::award_types::AwardTypeId;
use thidua_domain::vote::{check_cast, CardBallot};

use super::tick_box;
use crate::i18n::*;
use crate::text::tr;

pub use super::Ticks;

fn name_of(list: &[thidua_domain::vote::Named], id: i64) -> String {
    list.iter().find(|n| n.id == id).map(|n| n.name.clone()).unwrap_or_else(|| id.to_string())
}

/// The parts of the ballot to tick. `on_review` runs when every part is within its quota.
#[component]
pub fn BallotTicks(card: CardBallot, ticks: Ticks, on_review: impl Fn() + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let sections = card.ballot.sections.clone();
    let over = RwSignal::new(BTreeSet::<AwardTypeId>::new());
    let parts = card
        .ballot
        .sections
        .iter()
        .map(|s| {
            let award = s.award_type_id;
            let quota = s.quota;
            let legend = name_of(&card.awards, award);
            let err_id = format!("part-{award}-error");
            let boxes = s
                .units
                .iter()
                .map(|&unit| {
                    let clear = move || {
                        over.update(|o| {
                            o.remove(&award);
                        })
                    };
                    tick_box("tick", award, unit, name_of(&card.units, unit), ticks, Signal::from(false), clear)
                })
                .collect_view();
            view! {
                <fieldset class="ballot-part" aria-describedby=err_id data-testid="ballot-part">
                    <legend>
                        <span class="ballot-part__award">{legend}</span>
                        <span class="ballot-part__quota">{move || t_string!(i18n, vote.choose_at_most, quota).to_string()}</span>
                    </legend>
                    <ul class="ticks">{boxes}</ul>
                    <p class="field__error" id=err_id.clone() role="alert">
                        {move || over.with(|o| o.contains(&award)).then(|| t_string!(i18n, vote.over_quota, quota).to_string())}
                    </p>
                </fieldset>
            }
        })
        .collect_view();
    let review = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let errors = ticks.with_untracked(|t| check_cast(t, &sections));
        let bad: BTreeSet<AwardTypeId> = errors.keys().filter_map(|k| k.strip_prefix("ticks.")?.parse().ok()).collect();
        let first = bad.iter().next().copied();
        over.set(bad);
        match first {
            Some(award) => {
                let first_box = sections
                    .iter()
                    .find(|s| s.award_type_id == award)
                    .and_then(|s| s.units.first())
                    .map(|u| format!("tick-{award}-{u}"));
                if let Some(id) = first_box {
                    crate::staff::focus::focus(&id);
                }
            }
            None => on_review(),
        }
    };
    view! {
        <form class="ballot" on:submit=review novalidate data-testid="ballot-form">
            {parts}
            <button type="submit" class="button button--primary" data-testid="review-ballot">
                {tr(|l| td_string!(l, vote.review))}
            </button>
        </form>
    }
}

/// The choices as they will be cast, part by part ("none" for an unmarked part).
#[component]
pub fn BallotReview(card: CardBallot, ticks: Ticks) -> impl IntoView {
    let rows = card
        .ballot
        .sections
        .iter()
        .map(|s| {
            let award = s.award_type_id;
            let chosen: Vec<String> = ticks.with_untracked(|t| {
                t.get(&award).map(|u| u.iter().map(|&u| name_of(&card.units, u)).collect()).unwrap_or_default()
            });
            let list = if chosen.is_empty() {
                view! { <li class="muted">{tr(|l| td_string!(l, vote.none_chosen))}</li> }.into_any()
            } else {
                chosen.into_iter().map(|n| view! { <li>{n}</li> }).collect_view().into_any()
            };
            view! {
                <div class="review-part">
                    <h3>{name_of(&card.awards, award)}</h3>
                    <ul>{list}</ul>
                </div>
            }
        })
        .collect_view();
    view! { <div class="ballot-review" data-testid="ballot-review">{rows}</div> }
}
