//! `/awards/:year/:bloc/vote`: the conference's vote as staff and the counting committee run
//! it (open with cards, count the paper ballots with two clerks, close into the tally), and
//! `/awards/:year/:bloc/ballot`: the ballot to print.

use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::components::A;
use thidua_domain::results::BlocResults;
use thidua_domain::vote::{PrintedBallot, VoteState as Phase};

use crate::api::{self, ApiError};
use crate::components::status::Loaded;
use crate::i18n::*;
use crate::pages::not_found::NotFound;
use crate::pages::params::bloc_params;
use crate::staff::api::vote as vote_api;
use crate::staff::components::vote::paper::{Disagreements, Names, PaperEntryForm};
use crate::staff::components::vote::result::{CancelVote, CloseForm, VoteResultView};
use crate::staff::components::vote::session::{CardCounts, CardSheet, OpenForm, VoteState};
use crate::text::tr;

pub(super) fn names(results: &BlocResults) -> Names {
    Names {
        awards: results.award_types.iter().map(|t| (t.id, t.name.clone())).collect(),
        units: results
            .ranking
            .iter()
            .map(|r| &r.unit)
            .chain(results.unranked.iter().map(|r| &r.unit))
            .map(|u| (u.id, u.name.clone()))
            .collect(),
    }
}

#[component]
pub fn VotePage() -> impl IntoView {
    let params = bloc_params();
    move || match params.get() {
        None => Either::Left(view! { <NotFound /> }),
        Some((year, bloc)) => {
            let results = LocalResource::new(move || api::results(year, bloc).send());
            Either::Right(view! { <Loaded resource=results page=true let:results><VoteView results /></Loaded> })
        }
    }
}

#[component]
fn VoteView(results: BlocResults) -> impl IntoView {
    let i18n = use_i18n();
    let (year, bloc) = (results.year, results.bloc_id);
    let state = VoteState { year, bloc, session: RwSignal::new(None), codes: RwSignal::new(Vec::new()) };
    let loaded = RwSignal::new(false);
    let failed = RwSignal::new(None::<ApiError>);
    spawn_local(async move {
        match vote_api::session(year, bloc).await {
            Ok(s) => state.session.set(Some(s)),
            Err(ApiError::NotFound { .. }) => {}
            Err(e) => failed.set(Some(e)),
        }
        loaded.set(true);
    });
    // While the vote is open the page asks again every few seconds: the phones' count and the
    // other clerk's entry move without this person doing anything. Only a change is applied.
    let poll = set_interval_with_handle(
        move || {
            if state.session.with_untracked(|s| s.as_ref().map(|s| s.state)) != Some(Phase::Open) {
                return;
            }
            spawn_local(async move {
                if let Ok(fresh) = vote_api::session(year, bloc).await {
                    if state.session.with_untracked(|s| s.as_ref() != Some(&fresh)) {
                        state.session.set(Some(fresh));
                    }
                }
            });
        },
        std::time::Duration::from_secs(5),
    );
    if let Ok(handle) = poll {
        on_cleanup(move || handle.clear());
    }
    // Only a change of phase rebuilds the page; the parts read the vote themselves.
    let phase = Memo::new(move |_| state.session.with(|s| s.as_ref().map(|s| s.state)));
    let names = names(&results);
    let bloc_name = results.bloc_name.clone();
    let body = move || {
        if !loaded.get() {
            return view! { <p class="muted" role="status">{tr(|l| td_string!(l, vote.loading))}</p> }.into_any();
        }
        if failed.with(Option::is_some) {
            return view! { <p class="form__error" role="alert">{tr(|l| td_string!(l, vote.err_load))}</p> }.into_any();
        }
        let names = names.clone();
        match phase.get() {
            None => view! {
                <section aria-labelledby="open-title">
                    <h2 id="open-title">{tr(|l| td_string!(l, vote.open_title))}</h2>
                    <OpenForm state />
                </section>
            }
            .into_any(),
            Some(Phase::Open) => view! {
                <CardSheet state />
                <section aria-labelledby="cards-count-title" class="no-print">
                    <h2 id="cards-count-title">{tr(|l| td_string!(l, vote.phones_title))}</h2>
                    <CardCounts state />
                </section>
                <section aria-labelledby="paper-title" class="no-print">
                    <h2 id="paper-title">{tr(|l| td_string!(l, vote.paper_title))}</h2>
                    <p class="lead">{tr(|l| td_string!(l, vote.paper_intro))}</p>
                    <PaperEntryForm state names />
                    <Disagreements state />
                </section>
                <section aria-labelledby="close-title" class="no-print">
                    <h2 id="close-title">{tr(|l| td_string!(l, vote.close_title))}</h2>
                    <p class="lead">{tr(|l| td_string!(l, vote.close_intro))}</p>
                    <CloseForm state />
                    <CancelVote state />
                </section>
            }
            .into_any(),
            Some(Phase::Closed) => {
                let session = state.session.get_untracked();
                view! {
                    {session.map(|session| view! { <VoteResultView session names /> })}
                    <p>
                        <A href=format!("/awards/{year}/{bloc}/vote/minutes")>{tr(|l| td_string!(l, vote.minutes))}</A>
                        " · "
                        <A href=format!("/awards/{year}/{bloc}")>{tr(|l| td_string!(l, vote.see_proposals))}</A>
                    </p>
                }
                .into_any()
            }
        }
    };
    view! {
        <Title text=move || format!("{} {year}", t_string!(i18n, vote.title)) />
        <div class="page page--wide vote-admin">
            <p class="eyebrow no-print">{t!(i18n, common.year, year)}</p>
            <h1 class="no-print">{tr(|l| td_string!(l, vote.title))} <span class="h1-sub">{bloc_name}</span></h1>
            <p class="no-print">
                <A href=format!("/awards/{year}/{bloc}/ballot")>{tr(|l| td_string!(l, vote.print_ballot))}</A>
                " · "
                <A href=format!("/awards/{year}/{bloc}")>{tr(|l| td_string!(l, awards.title))}</A>
            </p>
            {body}
        </div>
    }
}

#[component]
pub fn BallotPrintPage() -> impl IntoView {
    let params = bloc_params();
    move || match params.get() {
        None => Either::Left(view! { <NotFound /> }),
        Some((year, bloc)) => {
            let data = LocalResource::new(move || async move {
                let ballot = vote_api::ballot(year, bloc).await?;
                let results = api::results(year, bloc).send().await?;
                Ok::<_, ApiError>((ballot, names(&results)))
            });
            Either::Right(view! {
                <Loaded resource=data page=true let:data><PrintedBallotView ballot=data.0 names=data.1 /></Loaded>
            })
        }
    }
}

/// The ballot as printed: in Vietnamese whatever the screen's language, since the paper is
/// the conference's.
#[component]
fn PrintedBallotView(ballot: PrintedBallot, names: Names) -> impl IntoView {
    let parts = ballot
        .sections
        .iter()
        .map(|s| {
            let rows = s
                .units
                .iter()
                .enumerate()
                .map(|(i, &u)| {
                    view! {
                        <tr><td class="num">{i + 1}</td><td>{names.unit(u)}</td><td class="ballot-box" aria-label="Ô đánh dấu"></td></tr>
                    }
                })
                .collect_view();
            view! {
                <section class="printed-part">
                    <h2>{names.award(s.award_type_id)}</h2>
                    <p>{format!("(Chọn không quá {} đơn vị)", s.quota)}</p>
                    <table class="table printed-table">
                        <thead><tr><th scope="col">"STT"</th><th scope="col">"Đơn vị"</th><th scope="col">"Đồng ý"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </section>
            }
        })
        .collect_view();
    view! {
        <Title text=format!("Phiếu suy tôn {}", ballot.year) />
        <div class="page printed-ballot" lang="vi" data-testid="printed-ballot">
            <button type="button" class="button no-print" on:click=|_| { let _ = window().print(); }>
                {tr(|l| td_string!(l, vote.print))}
            </button>
            <h1>"PHIẾU SUY TÔN"</h1>
            <p class="printed-ballot__sub">{format!("{} — năm {}", ballot.bloc_name, ballot.year)}</p>
            <p class="printed-ballot__note">"Đánh dấu (✓) vào ô của đơn vị được chọn; để trống phần không chọn."</p>
            {parts}
            <p class="printed-ballot__label">{format!("Mẫu phiếu: {}", ballot.label)}</p>
        </div>
    }
}
