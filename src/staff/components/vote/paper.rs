//! Counting the paper ballots (kiểm phiếu): a clerk enters each ballot as it is read, ticks
//! per award type or set aside whole with the committee's reason; the entry is saved as it
//! grows, counted as it stands, and compared with the other clerk's, ballot by ballot.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use thidua_domain::award_types::AwardTypeId;
use thidua_domain::ballots::{Ballot, Disagreement};
use thidua_domain::vote::VoteSession;
use thidua_domain::UnitId;

use super::session::VoteState;
use super::tick_box;
use crate::api::ApiError;
use crate::i18n::*;
use crate::staff::api::vote as vote_api;
use crate::staff::components::form::write;
use crate::staff::focus::focus_after_render;
use crate::text::tr;

/// Names of the award types and units on the ballot, from the results.
#[derive(Clone, Default)]
pub struct Names {
    pub awards: Vec<(AwardTypeId, String)>,
    pub units: Vec<(UnitId, String)>,
}

impl Names {
    pub fn award(&self, id: AwardTypeId) -> String {
        self.awards.iter().find(|(a, _)| *a == id).map(|(_, n)| n.clone()).unwrap_or_else(|| id.to_string())
    }

    pub fn unit(&self, id: UnitId) -> String {
        self.units.iter().find(|(u, _)| *u == id).map(|(_, n)| n.clone()).unwrap_or_else(|| id.to_string())
    }
}

/// A ballot in one line: "Award: A, B · Award: –", or set aside with its reason.
fn summary(ballot: &Ballot, names: &Names, order: &[AwardTypeId], set_aside: &str) -> String {
    if let Some(reason) = &ballot.set_aside {
        return format!("{set_aside}: {reason}");
    }
    order
        .iter()
        .map(|a| {
            let chosen: Vec<String> =
                ballot.ticks.get(a).map(|u| u.iter().map(|&u| names.unit(u)).collect()).unwrap_or_default();
            let chosen = if chosen.is_empty() { "–".to_owned() } else { chosen.join(", ") };
            format!("{}: {chosen}", names.award(*a))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// One clerk's entry: the ballot being read, and the ballots entered so far.
#[component]
pub fn PaperEntryForm(state: VoteState, names: Names) -> impl IntoView {
    let i18n = use_i18n();
    let clerk = RwSignal::new(1u8);
    let ticks = RwSignal::new(BTreeMap::<AwardTypeId, BTreeSet<UnitId>>::new());
    let set_aside = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let reason_error = RwSignal::new(None::<String>);
    // The ballot being read is cleared only once the server has its entry: a failed save keeps
    // the ticks on the screen to send again.
    let adding = RwSignal::new(false);
    let save = write(
        move |(c, ballots): (u8, Vec<Ballot>)| vote_api::save_paper(state.year, state.bloc, c, ballots),
        move |s: VoteSession| {
            state.session.set(Some(s));
            if adding.get_untracked() {
                adding.set(false);
                ticks.set(BTreeMap::new());
                set_aside.set(false);
                reason.set(String::new());
                let first = state.session.with_untracked(|s| {
                    s.as_ref().and_then(|s| s.sections.iter().find_map(|p| Some((p.award_type_id, *p.units.first()?))))
                });
                if let Some((award, unit)) = first {
                    focus_after_render(format!("paper-{award}-{unit}"));
                }
            }
        },
    );
    let save_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let text = match save.value().get() {
            Some(Err(ApiError::Conflict { code })) if code == "clerk_taken" => {
                Some(t_string!(i18n, vote.err_clerk_taken))
            }
            Some(Err(ApiError::Conflict { code })) if code == "same_clerk" => {
                Some(t_string!(i18n, vote.err_same_clerk))
            }
            Some(Err(ApiError::Network)) => Some(t_string!(i18n, errors.network)),
            Some(Err(_)) => Some(t_string!(i18n, awards.err_failed)),
            _ => None,
        };
        save_error.set(text.map(str::to_owned));
    });
    // Fixed once the vote is open: read once, so a refresh never rebuilds the boxes.
    let sections = move || state.session.with_untracked(|s| s.as_ref().map(|s| s.sections.clone()).unwrap_or_default());
    // A memo: the vote is refreshed every few seconds, and only a change to this clerk's own
    // entry may rebuild its list (and move the keyboard's focus).
    let entered_memo = Memo::new(move |_| {
        state.session.with(|s| {
            s.as_ref()
                .and_then(|s| s.clerks.iter().find(|c| c.clerk == clerk.get()).map(|c| c.ballots.clone()))
                .unwrap_or_default()
        })
    });
    let entered = move || entered_memo.get();
    let send = move |ballots: Vec<Ballot>| save.dispatch((clerk.get_untracked(), ballots));
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let ballot = if set_aside.get_untracked() {
            let why = reason.get_untracked();
            if why.trim().is_empty() {
                reason_error.set(Some(t_string!(i18n, field.required).to_string()));
                focus_after_render("set-aside-reason");
                return;
            }
            Ballot { set_aside: Some(why.trim().to_owned()), ticks: BTreeMap::new() }
        } else {
            Ballot { set_aside: None, ticks: ticks.get_untracked() }
        };
        reason_error.set(None);
        let mut all = entered();
        all.push(ballot);
        adding.set(true);
        send(all);
    };

    let parts = {
        let names = names.clone();
        move || {
            sections()
            .into_iter()
            .map(|s| {
                let award = s.award_type_id;
                let quota = s.quota;
                let names = names.clone();
                let boxes = s
                    .units
                    .iter()
                    .map(|&unit| tick_box("paper", award, unit, names.unit(unit), ticks, set_aside.into(), || {}))
                    .collect_view();
                view! {
                    <fieldset class="ballot-part">
                        <legend>
                            <span class="ballot-part__award">{names.award(award)}</span>
                            <span class="ballot-part__quota">{move || t_string!(i18n, vote.choose_at_most, quota).to_string()}</span>
                        </legend>
                        <ul class="ticks">{boxes}</ul>
                    </fieldset>
                }
            })
            .collect_view()
        }
    };
    let order = move || sections().iter().map(|s| s.award_type_id).collect::<Vec<_>>();
    let list = {
        let names = names.clone();
        move || {
            let names = names.clone();
            let order = order();
            let set_aside_word = t_string!(i18n, vote.set_aside).to_string();
            entered()
                .into_iter()
                .enumerate()
                .map(|(i, b)| {
                    let text = summary(&b, &names, &order, &set_aside_word);
                    let remove = move |_| {
                        let mut all = entered();
                        if i < all.len() {
                            all.remove(i);
                            send(all);
                        }
                    };
                    let n = i + 1;
                    view! {
                        <li data-testid="paper-ballot">
                            <span class="paper-ballot__n">{format!("{n}.")}</span> " " {text} " "
                            <button type="button" class="button button--small" on:click=remove
                                aria-label=move || { t_string!(i18n, vote.remove_ballot, n).to_string() }>
                                {tr(|l| td_string!(l, vote.remove))}
                            </button>
                        </li>
                    }
                })
                .collect_view()
        }
    };
    let running = move || {
        state.session.with(|s| {
            s.as_ref().and_then(|s| {
                s.clerks.iter().find(|c| c.clerk == clerk.get()).map(|c| (c.count.received, c.count.set_aside))
            })
        })
    };
    view! {
        <fieldset class="clerk-choice">
            <legend>{tr(|l| td_string!(l, vote.clerk))}</legend>
            <label><input type="radio" name="clerk" id="clerk-1" prop:checked=move || clerk.get() == 1
                on:change=move |_| clerk.set(1) /> " " {tr(|l| td_string!(l, vote.clerk_1))}</label>
            <label><input type="radio" name="clerk" id="clerk-2" prop:checked=move || clerk.get() == 2
                on:change=move |_| clerk.set(2) /> " " {tr(|l| td_string!(l, vote.clerk_2))}</label>
        </fieldset>
        <form class="form paper-entry" on:submit=add novalidate data-testid="paper-form">
            {parts}
            <div class="field">
                <label class="check">
                    <input type="checkbox" id="set-aside" prop:checked=move || set_aside.get()
                        on:change=move |ev| set_aside.set(event_target_checked(&ev)) />
                    " " {tr(|l| td_string!(l, vote.set_aside_label))}
                </label>
            </div>
            {move || set_aside.get().then(|| view! {
                <div class="field field--wide">
                    <label for="set-aside-reason">{tr(|l| td_string!(l, vote.set_aside_reason))}</label>
                    <input id="set-aside-reason" class="input" aria-describedby="set-aside-reason-error"
                        aria-invalid=move || reason_error.with(Option::is_some).to_string()
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                    <p class="field__error" id="set-aside-reason-error" role="alert">{move || reason_error.get()}</p>
                </div>
            })}
            <button type="submit" class="button button--primary" data-testid="add-ballot"
                disabled=move || save.pending().get()>{tr(|l| td_string!(l, vote.add_ballot))}</button>
            <p class="form__error" role="alert" data-testid="paper-error">{move || save_error.get()}</p>
        </form>
        <p class="muted" role="status" data-testid="clerk-count">
            {move || running().map(|(received, aside)| t_string!(i18n, vote.entered_count, received, aside).to_string())}
        </p>
        <ol class="paper-ballots">{list}</ol>
        <RunningCount state clerk names=names.clone() />
    }
}

/// The selected clerk's count as it grows: per award type the valid and invalid parts and
/// each unit's votes so far.
#[component]
fn RunningCount(state: VoteState, clerk: RwSignal<u8>, names: Names) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let count = state.session.with(|s| {
            s.as_ref().and_then(|s| s.clerks.iter().find(|c| c.clerk == clerk.get()).map(|c| c.count.clone()))
        })?;
        let parts = count
            .sections
            .iter()
            .map(|s| {
                let (valid, invalid, blank) = (s.valid, s.invalid, s.blank);
                let votes = s
                    .votes
                    .iter()
                    .filter(|v| v.votes > 0)
                    .map(|v| format!("{} {}", names.unit(v.unit_id), v.votes))
                    .collect::<Vec<_>>()
                    .join(" · ");
                view! {
                    <li>
                        <strong>{names.award(s.award_type_id)}</strong> ": "
                        {move || t_string!(i18n, vote.valid_invalid, valid, invalid, blank).to_string()}
                        {(!votes.is_empty()).then(|| view! { <br /><span class="muted">{votes.clone()}</span> })}
                    </li>
                }
            })
            .collect_view();
        Some(view! { <ul class="running-count" data-testid="running-count">{parts}</ul> })
    }
}

/// Where the two clerks' entries differ: the count waits until there is nothing here.
#[component]
pub fn Disagreements(state: VoteState) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let list = state.session.with(|s| s.as_ref().map(|s| s.disagreements.clone()).unwrap_or_default());
        if list.is_empty() {
            return view! { <p class="form__ok" data-testid="clerks-agree">{tr(|l| td_string!(l, vote.clerks_agree))}</p> }
                .into_any();
        }
        let items = list
            .into_iter()
            .map(|d| {
                let text = match d {
                    Disagreement::Ballot { index } => {
                        let n = index + 1;
                        t_string!(i18n, vote.differs_at, n).to_string()
                    }
                    Disagreement::Length { first, second } => {
                        t_string!(i18n, vote.differs_length, first, second).to_string()
                    }
                };
                view! { <li>{text}</li> }
            })
            .collect_view();
        view! {
            <div class="notice notice--warn" role="status" data-testid="disagreements">
                <p>{tr(|l| td_string!(l, vote.clerks_differ))}</p>
                <ul>{items}</ul>
            </div>
        }
        .into_any()
    }
}
