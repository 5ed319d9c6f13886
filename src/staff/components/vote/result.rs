//! Closing the vote (the voters present, counted in the room) and what it made: per award type
//! the valid and invalid parts and each unit's votes and share, and the receipts handed out.

use leptos::prelude::*;
use thidua_domain::vote::VoteSession;

use super::paper::Names;
use super::session::VoteState;
use super::{short_field, Kind};
use crate::api::ApiError;
use crate::i18n::*;
use crate::staff::api::vote as vote_api;
use crate::staff::components::form::{write, SaveOutcome};
use crate::staff::focus::focus_after_render;
use crate::text::tr;

/// `votes` of `voters` as a share with two decimals, written as the reader's language does
/// (92,86 % in Vietnamese, 92.86% in English).
pub fn share(votes: u32, voters: u32, locale: Locale) -> String {
    thidua_domain::documents::percent_text(votes, voters, locale == Locale::vi)
}

#[component]
pub fn CloseForm(state: VoteState) -> impl IntoView {
    let i18n = use_i18n();
    let voters = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let members = RwSignal::new(String::new());
    let members_error = RwSignal::new(None::<String>);
    let close = write(
        move |(n, m): (u32, Option<u32>)| vote_api::close(state.year, state.bloc, n, m),
        move |s: VoteSession| {
            state.session.set(Some(s));
            focus_after_render("result-title");
        },
    );
    Effect::new(move |_| {
        if let Some(Err(e)) = close.value().get() {
            let text = match &e {
                ApiError::Conflict { code } if code == "clerks_disagree" => t_string!(i18n, vote.err_disagree),
                ApiError::Conflict { code } if code == "not_reconciled" => t_string!(i18n, vote.err_not_reconciled),
                ApiError::Invalid => t_string!(i18n, vote.err_close_invalid),
                ApiError::Network => t_string!(i18n, errors.network),
                _ => t_string!(i18n, awards.err_failed),
            };
            error.set(Some(text.to_string()));
            focus_after_render("close-voters");
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let membership = members.get_untracked();
        let membership = membership.trim();
        let m = if membership.is_empty() { Ok(None) } else { membership.parse::<u32>().map(Some) };
        let Ok(m) = m else {
            members_error.set(Some(t_string!(i18n, field.not_a_number).to_string()));
            focus_after_render("close-membership");
            return;
        };
        members_error.set(None);
        match voters.get_untracked().trim().parse::<u32>() {
            Ok(n) if n > 0 => {
                error.set(None);
                close.dispatch((n, m));
            }
            _ => {
                error.set(Some(t_string!(i18n, field.not_positive).to_string()));
                focus_after_render("close-voters");
            }
        }
    };
    view! {
        <form class="form form--inline" on:submit=submit novalidate data-testid="close-vote">
            {short_field("close-voters", |l| td_string!(l, vote.voters_present), Kind::Count, voters, error)}
            {short_field("close-membership", |l| td_string!(l, awards.membership_label), Kind::Count, members, members_error)}
            <button type="submit" class="button button--primary" data-testid="close-vote-submit"
                disabled=move || close.pending().get()>{tr(|l| td_string!(l, vote.close))}</button>
        </form>
    }
}

/// Takes the open vote back, after a second, explicit confirmation.
#[component]
pub fn CancelVote(state: VoteState) -> impl IntoView {
    let asking = RwSignal::new(false);
    let cancel = write(
        move |()| vote_api::cancel(state.year, state.bloc),
        move |()| {
            state.codes.set(Vec::new());
            state.session.set(None);
        },
    );
    move || {
        if asking.get() {
            view! {
                <div class="notice notice--warn" role="alert">
                    <p>{tr(|l| td_string!(l, vote.cancel_confirm))}</p>
                    <div class="actions">
                        <button type="button" class="button" id="cancel-no" on:click=move |_| {
                            asking.set(false);
                            focus_after_render("cancel-vote");
                        }>{tr(|l| td_string!(l, vote.cancel_no))}</button>
                        <button type="button" class="button button--secondary" data-testid="cancel-yes"
                            disabled=move || cancel.pending().get()
                            on:click=move |_| { cancel.dispatch(()); }>{tr(|l| td_string!(l, vote.cancel_yes))}</button>
                    </div>
                    <SaveOutcome write=cancel quiet=true />
                </div>
            }
            .into_any()
        } else {
            view! {
                <p><button type="button" class="button button--secondary" id="cancel-vote" on:click=move |_| {
                    asking.set(true);
                    focus_after_render("cancel-no");
                }>{tr(|l| td_string!(l, vote.cancel))}</button></p>
            }
            .into_any()
        }
    }
}

/// The count the close made, award type by award type, and the receipts.
#[component]
pub fn VoteResultView(session: VoteSession, names: Names) -> impl IntoView {
    let i18n = use_i18n();
    let Some(result) = session.result else { return ().into_any() };
    let voters = result.voters_present;
    let tables = result
        .count
        .sections
        .iter()
        .map(|s| {
            let rows = s
                .votes
                .iter()
                .map(|v| {
                    let (votes, unit) = (v.votes, names.unit(v.unit_id));
                    view! {
                        <tr>
                            <th scope="row">{unit}</th>
                            <td class="num">{votes}</td>
                            <td class="num">{move || share(votes, voters, i18n.get_locale())}</td>
                        </tr>
                    }
                })
                .collect_view();
            let (valid, invalid, blank) = (s.valid, s.invalid, s.blank);
            view! {
                <div class="table-wrap">
                    <table class="table" data-testid="count-table">
                        <caption>
                            {names.award(s.award_type_id)} " — "
                            {move || t_string!(i18n, vote.valid_invalid, valid, invalid, blank).to_string()}
                        </caption>
                        <thead><tr>
                            <th scope="col">{tr(|l| td_string!(l, vote.unit))}</th>
                            <th scope="col" class="num">{tr(|l| td_string!(l, vote.votes))}</th>
                            <th scope="col" class="num">{tr(|l| td_string!(l, vote.share_present))}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
        })
        .collect_view();
    let receipts = result.receipts.into_iter().map(|r| view! { <li>{r}</li> }).collect_view();
    let (phone, paper) = (result.phone_ballots, result.paper_ballots);
    view! {
        <section aria-labelledby="result-title" data-testid="vote-result">
            <h2 id="result-title" tabindex="-1">{tr(|l| td_string!(l, vote.result_title))}</h2>
            <p class="lead">{move || t_string!(i18n, vote.result_intro, voters, phone, paper).to_string()}</p>
            {tables}
            <h3>{tr(|l| td_string!(l, vote.receipts_title))}</h3>
            <p class="muted">{tr(|l| td_string!(l, vote.receipts_intro))}</p>
            <ul class="receipts" data-testid="receipts">{receipts}</ul>
        </section>
    }
    .into_any()
}
