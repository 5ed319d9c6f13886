//! The vote as staff run it: opening it with its cards, the cards to print (each a QR code
//! and its typed code), the counts while it is open, and voiding a card.

use leptos::prelude::*;
use thidua_domain::vote::{normalize_card_code, IssuedCards, OpenVote, VoteSession, CARDS_MAX};
use thidua_domain::{BlocId, Year};

use super::{short_field, Kind};
use crate::api::ApiError;
use crate::i18n::*;
use crate::staff::api::vote as vote_api;
use crate::staff::components::form::{write, SaveOutcome};
use crate::staff::focus::focus_after_render;
use crate::text::tr;

/// What the vote page holds: the vote once loaded (`None` before it is opened) and the codes
/// of the cards printed last, which the server never shows again.
#[derive(Clone, Copy)]
pub struct VoteState {
    pub year: Year,
    pub bloc: BlocId,
    pub session: RwSignal<Option<VoteSession>>,
    pub codes: RwSignal<Vec<String>>,
}

/// Opens the vote: how many cards to print, and the counting committee as the minutes name it.
#[component]
pub fn OpenForm(state: VoteState) -> impl IntoView {
    let i18n = use_i18n();
    let cards = RwSignal::new(String::new());
    let committee = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let open = write(
        move |o: OpenVote| vote_api::open(state.year, state.bloc, o),
        move |issued: IssuedCards| {
            state.codes.set(issued.codes);
            state.session.set(Some(issued.session));
            focus_after_render("cards-title");
        },
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match cards.get_untracked().trim().parse::<u32>() {
            Ok(n) if n <= CARDS_MAX => {
                error.set(None);
                open.dispatch(OpenVote { cards: n, committee: committee.get_untracked(), rules: None });
            }
            _ => {
                error.set(Some({
                    let max = CARDS_MAX;
                    t_string!(i18n, vote.err_cards, max).to_string()
                }));
                focus_after_render("vote-cards");
            }
        }
    };
    view! {
        <form class="form" on:submit=submit novalidate data-testid="open-vote">
            <p class="lead">{tr(|l| td_string!(l, vote.open_intro))}</p>
            {short_field("vote-cards", |l| td_string!(l, vote.cards_label), Kind::Count, cards, error)}
            <div class="field field--wide">
                <label for="vote-committee">{tr(|l| td_string!(l, vote.committee_label))}</label>
                <textarea id="vote-committee" class="input" rows="3"
                    prop:value=move || committee.get() on:input=move |ev| committee.set(event_target_value(&ev))></textarea>
            </div>
            <button type="submit" class="button button--primary" data-testid="open-vote-submit"
                disabled=move || open.pending().get()>{tr(|l| td_string!(l, vote.open))}</button>
            <SaveOutcome write=open quiet=true />
        </form>
    }
}

/// The cards just printed: one per delegate and some to spare, each with its QR code (the
/// voting page's address with the code after `#`) and the code to type. Shown once.
#[component]
pub fn CardSheet(state: VoteState) -> impl IntoView {
    let origin = window().location().origin().unwrap_or_default();
    move || {
        let codes = state.codes.get();
        (!codes.is_empty()).then(|| {
            let origin = origin.clone();
            let cards = codes
                .into_iter()
                .map(|code| {
                    let link = format!("{origin}/vote#{code}");
                    view! {
                        <li class="voting-card" data-testid="voting-card">
                            <super::qr::QrCode text=link />
                            <p class="voting-card__code">{code}</p>
                            <p class="voting-card__hint">{format!("{origin}/vote")}</p>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section aria-labelledby="cards-title" class="card-sheet">
                    <h2 id="cards-title" tabindex="-1">{tr(|l| td_string!(l, vote.cards_title))}</h2>
                    <p class="lead no-print">{tr(|l| td_string!(l, vote.cards_intro))}</p>
                    <button type="button" class="button no-print" on:click=|_| { let _ = window().print(); }>
                        {tr(|l| td_string!(l, vote.print))}
                    </button>
                    <ul class="voting-cards">{cards}</ul>
                </section>
            }
        })
    }
}

/// The counts while the vote is open (never which card), more cards, and voiding one.
#[component]
pub fn CardCounts(state: VoteState) -> impl IntoView {
    let i18n = use_i18n();
    let counts = move || state.session.with(|s| s.as_ref().map(|s| s.cards)).unwrap_or_default();
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let void = write(
        move |code: String| vote_api::void(state.year, state.bloc, code),
        move |s: VoteSession| {
            state.session.set(Some(s));
            code.set(String::new());
        },
    );
    Effect::new(move |_| {
        if let Some(Err(e)) = void.value().get() {
            let text = match &e {
                ApiError::NotFound { .. } => t_string!(i18n, vote.err_card_unknown),
                ApiError::Conflict { code } if code == "card_not_unused" => t_string!(i18n, vote.err_card_not_unused),
                _ => t_string!(i18n, awards.err_failed),
            };
            error.set(Some(text.to_string()));
        }
    });
    let more = RwSignal::new(String::new());
    let print_more = write(
        move |n: u32| vote_api::more_cards(state.year, state.bloc, n),
        move |issued: IssuedCards| {
            state.codes.set(issued.codes);
            state.session.set(Some(issued.session));
            more.set(String::new());
            focus_after_render("cards-title");
        },
    );
    let more_error = RwSignal::new(None::<String>);
    let submit_void = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match normalize_card_code(&code.get_untracked()) {
            Some(c) => {
                error.set(None);
                void.dispatch(c);
            }
            None => {
                error.set(Some(t_string!(i18n, vote.err_code).to_string()));
                focus_after_render("void-code");
            }
        }
    };
    let submit_more = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match more.get_untracked().trim().parse::<u32>() {
            Ok(n) if (1..=CARDS_MAX).contains(&n) => {
                more_error.set(None);
                print_more.dispatch(n);
            }
            _ => {
                more_error.set(Some({
                    let max = CARDS_MAX;
                    t_string!(i18n, vote.err_cards, max).to_string()
                }));
                focus_after_render("more-cards");
            }
        }
    };
    view! {
        <dl class="counts" data-testid="card-counts">
            <div><dt>{tr(|l| td_string!(l, vote.issued))}</dt><dd data-testid="cards-issued">{move || counts().issued}</dd></div>
            <div><dt>{tr(|l| td_string!(l, vote.cast_count))}</dt><dd data-testid="cards-cast">{move || counts().cast}</dd></div>
            <div><dt>{tr(|l| td_string!(l, vote.voided))}</dt><dd>{move || counts().voided}</dd></div>
        </dl>
        <form class="form form--inline" on:submit=submit_void novalidate>
            {short_field("void-code", |l| td_string!(l, vote.void_label), Kind::Code, code, error)}
            <button type="submit" class="button" disabled=move || void.pending().get()>{tr(|l| td_string!(l, vote.void))}</button>
        </form>
        <form class="form form--inline" on:submit=submit_more novalidate>
            {short_field("more-cards", |l| td_string!(l, vote.more_cards_label), Kind::Count, more, more_error)}
            <button type="submit" class="button" disabled=move || print_more.pending().get()>{tr(|l| td_string!(l, vote.print_more))}</button>
        </form>
    }
}
