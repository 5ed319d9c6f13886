//! `/vote`: a delegate votes on their own phone with the card they drew at the door. No
//! sign-in, no cookie, nothing kept on the device: the code (typed, or in the QR code's link
//! after `#`, which never reaches the server's logs) opens the ballot, the delegate ticks,
//! reviews, casts once and gets a receipt to find in the list read out at the close.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use thidua_domain::vote::{normalize_card_code, CardBallot, Cast, Receipt, VoteState};

use crate::api::ApiError;
use crate::i18n::*;
use crate::staff::api::vote as vote_api;
use crate::staff::components::form::write;
use crate::staff::components::vote::ballot_ticks::{BallotReview, BallotTicks, Ticks};
use crate::staff::components::vote::{short_field, Kind};
use crate::staff::focus::focus_after_render;
use crate::text::tr;

#[derive(Clone)]
enum Step {
    Code,
    Ballot(CardBallot),
    Review(CardBallot),
    Done(Receipt),
    Closed,
}

/// The code in the page's address after `#`, as the QR code carries it.
/// Read once, then taken out of the address bar and the history, so the phone keeps no trace
/// of the card.
fn code_in_address() -> String {
    let hash = window().location().hash().unwrap_or_default();
    if !hash.is_empty() {
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/vote"));
        }
    }
    hash.trim_start_matches('#').to_owned()
}

fn card_error(i18n: leptos_i18n::I18nContext<Locale>, e: &ApiError) -> String {
    match e {
        ApiError::NotFound { .. } => t_string!(i18n, vote.err_card_unknown).to_string(),
        ApiError::Conflict { code } if code == "card_voided" => t_string!(i18n, vote.err_card_voided).to_string(),
        ApiError::Conflict { code } if code == "vote_closed" => t_string!(i18n, vote.closed_note).to_string(),
        ApiError::Invalid => t_string!(i18n, vote.err_code).to_string(),
        ApiError::Network => t_string!(i18n, errors.network).to_string(),
        _ => t_string!(i18n, awards.err_failed).to_string(),
    }
}

#[component]
pub fn DelegatePage() -> impl IntoView {
    let i18n = use_i18n();
    let step = RwSignal::new(Step::Code);
    let code = RwSignal::new(code_in_address());
    let code_error = RwSignal::new(None::<String>);
    let ticks: Ticks = RwSignal::new(BTreeMap::new());
    let cast_error = RwSignal::new(None::<String>);

    let open = write(vote_api::card, move |card: CardBallot| {
        let next = match (&card.receipt, card.state) {
            (Some(receipt), _) => Step::Done(Receipt { receipt: receipt.clone(), stored: false }),
            (None, VoteState::Closed) => Step::Closed,
            (None, VoteState::Open) => Step::Ballot(card),
        };
        step.set(next);
        focus_after_render("vote-step");
    });
    Effect::new(move |_| {
        if let Some(Err(e)) = open.value().get() {
            code_error.set(Some(card_error(i18n, &e)));
            focus_after_render("card-code");
        }
    });
    let send = write(vote_api::cast, move |receipt: Receipt| {
        step.set(Step::Done(receipt));
        focus_after_render("vote-step");
    });
    Effect::new(move |_| {
        if let Some(Err(e)) = send.value().get() {
            cast_error.set(Some(card_error(i18n, &e)));
        }
    });

    let submit_code = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match normalize_card_code(&code.get_untracked()) {
            Some(normal) => {
                code_error.set(None);
                open.dispatch(normal);
            }
            None => {
                code_error.set(Some(t_string!(i18n, vote.err_code).to_string()));
                focus_after_render("card-code");
            }
        }
    };
    let cast_now = move |_| {
        cast_error.set(None);
        send.dispatch(Cast { code: code.get_untracked(), ticks: ticks.get_untracked() });
    };

    let body = move || match step.get() {
        Step::Code => view! {
            <form class="form card-code" on:submit=submit_code novalidate data-testid="card-form">
                <p class="lead">{tr(|l| td_string!(l, vote.card_intro))}</p>
                {short_field("card-code", |l| td_string!(l, vote.card_code), Kind::Code, code, code_error)}
                <button type="submit" class="button button--primary" disabled=move || open.pending().get()>
                    {tr(|l| td_string!(l, vote.open_ballot))}
                </button>
            </form>
        }
        .into_any(),
        Step::Ballot(card) => {
            let to_review = card.clone();
            view! {
                <p class="eyebrow">{format!("{} · {}", card.ballot.bloc_name, card.ballot.year)}</p>
                <BallotTicks card ticks on_review=move || {
                    step.set(Step::Review(to_review.clone()));
                    focus_after_render("vote-step");
                } />
            }
            .into_any()
        }
        Step::Review(card) => {
            let back = card.clone();
            view! {
                <p class="lead">{tr(|l| td_string!(l, vote.review_intro))}</p>
                <BallotReview card ticks />
                <p class="form__error" role="alert">{move || cast_error.get()}</p>
                <div class="actions">
                    <button type="button" class="button" on:click=move |_| {
                        step.set(Step::Ballot(back.clone()));
                        focus_after_render("vote-step");
                    }>{tr(|l| td_string!(l, vote.change))}</button>
                    <button type="button" class="button button--primary" data-testid="cast"
                        disabled=move || send.pending().get() on:click=cast_now>
                        {tr(|l| td_string!(l, vote.cast))}
                    </button>
                </div>
            }
            .into_any()
        }
        Step::Done(receipt) => {
            let note = if receipt.stored {
                tr(|l| td_string!(l, vote.cast_done))
            } else {
                tr(|l| td_string!(l, vote.already_cast))
            };
            view! {
                <div class="receipt" role="status" data-testid="receipt">
                    <p>{note}</p>
                    <p class="receipt__label">{tr(|l| td_string!(l, vote.receipt))}</p>
                    <p class="receipt__code" data-testid="receipt-code">{receipt.receipt}</p>
                    <p class="muted">{tr(|l| td_string!(l, vote.receipt_note))}</p>
                </div>
            }
            .into_any()
        }
        Step::Closed => {
            view! { <p class="lead" role="status">{tr(|l| td_string!(l, vote.closed_note))}</p> }.into_any()
        }
    };

    view! {
        <Title text=move || t_string!(i18n, vote.delegate_title).to_string() />
        <div class="page vote-page">
            <h1 id="vote-step" tabindex="-1">{tr(|l| td_string!(l, vote.delegate_title))}</h1>
            {body}
        </div>
    }
}
