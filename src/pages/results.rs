use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use thidua_domain::results::{BlocResults, UnrankedRow};
use thidua_domain::revisions::RevisionEntry;

use crate::api::{self, ApiError};
use crate::components::awards::AwardList;
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::ranking_table::RankingTable;
use crate::components::revisions::{RevisionBanner, Withdrawn};
use crate::components::sample_notice::SampleNotice;
use crate::components::status::Loaded;
use crate::components::tally::{state_text, TallyTable};
use crate::i18n::*;
use crate::pages::not_found::NotFound;
use crate::pages::params::bloc_params;
use crate::preload;
use crate::staff;
use crate::text::tr;

/// What the results address shows: the results, or that their publication was withdrawn.
#[derive(Clone)]
enum Shown {
    Results(Box<BlocResults>),
    Withdrawn(Vec<RevisionEntry>),
}

/// A bloc's results for a year (the latest published revision, or `…/revisions/{n}`, one
/// exactly as it was published): ranking and award proposals.
#[component]
pub fn ResultsPage() -> impl IntoView {
    let params = bloc_params();
    let revision = {
        let map = leptos_router::hooks::use_params_map();
        Memo::new(move |_| map.with(|p| p.get("revision").map(|n| n.parse::<u32>().ok())))
    };
    move || match (params.get(), revision.get()) {
        (None, _) | (_, Some(None)) => Either::Left(view! { <NotFound /> }),
        (Some((year, bloc)), number) => {
            let query = move || match number.flatten() {
                Some(n) => api::revision(year, bloc, n),
                None => api::results(year, bloc),
            };
            // A withdrawn publication shows its revisions instead: from the page if it came
            // with both answers, else from the API.
            let carried = preload::take(query().path()).and_then(|results| match results {
                Err(ApiError::NotFound { code }) if code == "withdrawn" => {
                    preload::take(api::revisions(year, bloc).path()).map(|r| r.map(Shown::Withdrawn))
                }
                other => Some(other.map(|r| Shown::Results(Box::new(r)))),
            });
            let shown = preload::load_with(carried, move || async move {
                match query().send().await {
                    Err(ApiError::NotFound { code }) if code == "withdrawn" => {
                        Ok(Shown::Withdrawn(api::revisions(year, bloc).send().await?))
                    }
                    other => other.map(|r| Shown::Results(Box::new(r))),
                }
            });
            Either::Right(view! {
                <Loaded resource=shown page=true let:shown>
                    {match shown {
                        Shown::Results(results) => Either::Left(view! { <ResultsView results=*results /> }),
                        Shown::Withdrawn(entries) => Either::Right(view! { <Withdrawn year bloc entries /> }),
                    }}
                </Loaded>
            })
        }
    }
}

#[component]
fn ResultsView(results: BlocResults) -> impl IntoView {
    let i18n = use_i18n();
    let year = results.year;
    let bloc_href = format!("/{year}/blocs/{}", results.bloc_id);
    let bloc_name = results.bloc_name.clone();
    let crumbs = vec![(bloc_name.clone(), bloc_href.clone())];
    let title = {
        let bloc_name = bloc_name.clone();
        move || format!("{} {year} · {bloc_name}", t_string!(i18n, results.title))
    };
    let awards = results.awards.clone();
    let empty = results.ranking.is_empty() && results.unranked.is_empty();
    let unranked = results.unranked.clone();
    let reason = results.publication.as_ref().map(|p| p.reason.clone()).filter(|r| !r.is_empty());
    let (bloc_id, published) = (results.bloc_id, results.published);
    let export = move |ext: &'static str| {
        move || {
            let lang = crate::prefs::locale_tag(i18n.get_locale());
            api::export_url(year, bloc_id, ext, lang)
        }
    };
    let tally_results = results.clone();
    let stamp = results.revision.clone();
    view! {
        <Title text=title />
        <div class="page page--wide">
            <Breadcrumbs links=crumbs current=Signal::derive(tr(|l| td_string!(l, results.title))) />
            <p class="eyebrow">{t!(i18n, common.year, year)}</p>
            <h1>
                {tr(|l| td_string!(l, results.title))}
                <span class="h1-sub">{bloc_name}</span>
            </h1>
            {results.sample_scores.then(|| view! { <SampleNotice /> })}
            {stamp.map(|stamp| view! { <RevisionBanner year bloc=bloc_id stamp /> })}
            {(!published).then(|| view! {
                <p class="notice notice--warn" role="note" data-testid="unpublished">
                    {tr(|l| td_string!(l, awards.preview))}
                </p>
            })}
            {reason.map(|reason| view! {
                <aside class="notice publication-note" aria-labelledby="publication-note-title" data-testid="publication-reason">
                    <h2 id="publication-note-title" class="notice__title">{tr(|l| td_string!(l, results.publication_reason))}</h2>
                    <p>{reason}</p>
                </aside>
            })}
            <div class="toolbar no-print">
                <a class="button button--secondary" href=export("csv") download data-testid="export-csv">
                    {tr(|l| td_string!(l, results.export_csv))}
                </a>
                <a class="button button--secondary" href=export("xlsx") download data-testid="export-xlsx">
                    {tr(|l| td_string!(l, results.export_xlsx))}
                </a>
                <button type="button" class="button button--secondary" on:click=|_| { let _ = window().print(); }>
                    {tr(|l| td_string!(l, results.print))}
                </button>
                {staff::manage_awards_link(year, bloc_id)}
            </div>
            <section aria-labelledby="ranking-title">
                <h2 id="ranking-title">{tr(|l| td_string!(l, results.ranking))}</h2>
                {if empty {
                    Either::Left(view! { <p class="empty">{tr(|l| td_string!(l, results.no_members))}</p> })
                } else {
                    Either::Right(view! { <RankingTable results /> })
                }}
            </section>
            {(!unranked.is_empty()).then(|| view! { <UnrankedList rows=unranked /> })}
            <section aria-labelledby="tally-title" data-testid="tally" class="tally-section">
                <h2 id="tally-title">{tr(|l| td_string!(l, awards.tally_title))}</h2>
                <TallyTable results=tally_results />
            </section>
            <section aria-labelledby="awards-title" data-testid="awards">
                <h2 id="awards-title">{tr(|l| td_string!(l, results.awards))}</h2>
                <p class="lead">{tr(|l| td_string!(l, results.awards_intro))}</p>
                <AwardList groups=awards />
            </section>
            <p class="no-print"><a href=bloc_href>{tr(|l| td_string!(l, results.members_link))}</a></p>
        </div>
    }
}

/// The members whose sheet is not approved: apart from the ranking, their state and how far
/// verification got, and no number standing for a total they do not have.
#[component]
fn UnrankedList(rows: Vec<UnrankedRow>) -> impl IntoView {
    let i18n = use_i18n();
    let items = rows
        .into_iter()
        .map(|row| {
            let (state, verified, count) = (row.state, row.verified, row.criteria_count);
            view! {
                <li data-testid="unranked-row">
                    <a href=format!("/units/{}", row.unit.id) class="unit__name">{row.unit.name.clone()}</a>
                    <span class="badge badge--muted">{tr(|l| td_string!(l, results.not_verified))}</span>
                    <span class="unranked__state">
                        {move || {
                            let locale = i18n.get_locale();
                            format!(
                                "{} · {}",
                                state_text(state, locale),
                                td_string!(locale, results.verified_of, verified = verified, count = count)
                            )
                        }}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="unranked-title" data-testid="unranked" class="unranked">
            <h2 id="unranked-title">{tr(|l| td_string!(l, results.unranked_title))}</h2>
            <p class="lead">{tr(|l| td_string!(l, results.unranked_intro))}</p>
            <ul class="unranked__list">{items}</ul>
        </section>
    }
}
