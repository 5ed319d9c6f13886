use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use thidua_domain::model::BlocDetail;

use crate::api;
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::sample_notice::SampleNotice;
use crate::components::status::Loaded;
use crate::format;
use crate::i18n::*;
use crate::pages::not_found::NotFound;
use crate::pages::params::bloc_params;
use crate::preload::load;
use crate::text::tr;

/// A bloc in a year: its members, leader, deputy and pact.
#[component]
pub fn BlocPage() -> impl IntoView {
    let params = bloc_params();
    move || match params.get() {
        None => Either::Left(view! { <NotFound /> }),
        Some((year, bloc)) => {
            let detail = load(move || api::bloc(year, bloc));
            Either::Right(view! { <Loaded resource=detail page=true let:detail><BlocView detail /></Loaded> })
        }
    }
}

#[component]
fn BlocView(detail: BlocDetail) -> impl IntoView {
    let i18n = use_i18n();
    let year = detail.year;
    let results_href = format!("/{year}/blocs/{}/results", detail.id);
    let name = detail.name.clone();
    let leader = detail.leader().map(|u| u.name.clone());
    let deputy = detail.deputy().map(|u| u.name.clone());
    let (leader_id, deputy_id) = (detail.leader_id, detail.deputy_id);
    let members = detail
        .members
        .iter()
        .map(|u| {
            let (is_leader, is_deputy) = (Some(u.id) == leader_id, Some(u.id) == deputy_id);
            let role = move || {
                if is_leader {
                    Some(t_string!(i18n, bloc.leader).to_string())
                } else if is_deputy {
                    Some(t_string!(i18n, bloc.deputy).to_string())
                } else {
                    None
                }
            };
            view! {
                <li data-testid="member">
                    <span class="member__name">{u.name.clone()}</span>
                    {move || role().map(|r| view! { <span class="badge badge--role">{r}</span> })}
                </li>
            }
        })
        .collect_view();
    let no_crumbs: Vec<(String, String)> = Vec::new();
    let not_named = move || t_string!(i18n, bloc.not_named).to_string();
    view! {
        <Title text=name.clone() />
        <div class="page">
            <Breadcrumbs links=no_crumbs current=name.clone() />
            <p class="eyebrow">{t!(i18n, common.year, year)}</p>
            <h1>{name}</h1>
            {detail.sample_data.then(|| view! { <SampleNotice /> })}
            <dl class="roles">
                <div>
                    <dt>{tr(|l| td_string!(l, bloc.leader))}</dt>
                    <dd data-testid="leader">{leader.unwrap_or_else(not_named)}</dd>
                </div>
                <div>
                    <dt>{tr(|l| td_string!(l, bloc.deputy))}</dt>
                    <dd data-testid="deputy">{deputy.unwrap_or_else(not_named)}</dd>
                </div>
            </dl>
            <h2>{tr(|l| td_string!(l, bloc.members))}</h2>
            <ol class="members" data-testid="members">{members}</ol>
            {detail.pact.map(|pact| {
                view! {
                    <section class="pact" aria-labelledby="pact-title">
                        <h2 id="pact-title">{tr(|l| td_string!(l, bloc.pact))}</h2>
                        {pact.signed_on.map(|d| view! {
                            <p>{move || t_string!(i18n, bloc.pact_signed_on, date = format::date(&d, i18n.get_locale())).to_string()}</p>
                        })}
                        <p>{pact.note}</p>
                        {pact.document_url.map(|href| view! {
                            <p><a href=href rel="noopener">{tr(|l| td_string!(l, bloc.pact_document))}</a></p>
                        })}
                    </section>
                }
            })}
            <p><a href=results_href class="button">{tr(|l| td_string!(l, bloc.results_link))}</a></p>
        </div>
    }
}
