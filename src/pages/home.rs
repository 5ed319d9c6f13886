use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use thidua_domain::model::BlocSummary;
use thidua_domain::Year;

use crate::api;
use crate::components::status::Loaded;
use crate::i18n::*;
use crate::preload::load;
use crate::text::tr;

/// The years, newest first, each with its blocs.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let years = load(api::years);
    view! {
        <Title text=move || t_string!(i18n, home.title).to_string() />
        <div class="page">
            <h1>{tr(|l| td_string!(l, home.title))}</h1>
            <p class="lead">{tr(|l| td_string!(l, home.intro))}</p>
            <Loaded resource=years let:years>
                {if years.is_empty() {
                    Either::Left(view! { <p class="empty">{tr(|l| td_string!(l, home.no_years))}</p> })
                } else {
                    Either::Right(
                        years
                            .into_iter()
                            .map(|y| view! { <YearBlocs year=y.year /> })
                            .collect_view(),
                    )
                }}
            </Loaded>
        </div>
    }
}

#[component]
fn YearBlocs(year: Year) -> impl IntoView {
    let i18n = use_i18n();
    let blocs = load(move || api::blocs(year));
    let heading_id = format!("year-{year}");
    let labelled_by = heading_id.clone();
    view! {
        <section class="year" aria-labelledby=labelled_by data-testid="year">
            <h2 id=heading_id>{t!(i18n, common.year, year)}</h2>
            <Loaded resource=blocs let:blocs>
                {if blocs.is_empty() {
                    Either::Left(view! { <p class="empty">{tr(|l| td_string!(l, home.no_blocs))}</p> })
                } else {
                    Either::Right(view! {
                        <ul class="bloc-list">
                            {blocs.into_iter().map(|b| view! { <BlocCard year bloc=b /> }).collect_view()}
                        </ul>
                    })
                }}
            </Loaded>
        </section>
    }
}

#[component]
fn BlocCard(year: Year, bloc: BlocSummary) -> impl IntoView {
    let i18n = use_i18n();
    let members_href = format!("/{year}/blocs/{}", bloc.id);
    let results_href = format!("{members_href}/results");
    let count = bloc.member_count;
    let leader = bloc.leader.map(|l| l.name);
    view! {
        <li class="bloc-card" data-testid="bloc-card">
            <h3 class="bloc-card__name">
                <a href=members_href.clone()>{bloc.name}</a>
            </h3>
            <p class="bloc-card__meta">
                {t!(i18n, home.member_count, count)}
                {leader.map(|name| view! { <br /> {t!(i18n, home.leader, name = move || name.clone())} })}
            </p>
            <p class="bloc-card__links">
                <a href=members_href class="button button--secondary">{tr(|l| td_string!(l, home.members_link))}</a>
                <a href=results_href class="button">{tr(|l| td_string!(l, home.results_link))}</a>
            </p>
        </li>
    }
}
