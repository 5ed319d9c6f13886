use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use thidua_domain::auth::Principal;
use thidua_domain::results::BlocResults;
use thidua_domain::tally::award_permissions;

use crate::api;
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::status::Loaded;
use crate::i18n::*;
use crate::pages::not_found::NotFound;
use crate::pages::params::bloc_params;
use crate::staff::components::award_admin::{Awards, Candidates, ChangeReason, Decisions, Publication};
use crate::staff::components::documents::BlocDocuments;
use crate::staff::components::tally_form::TallyForm;
use crate::text::tr;

/// Staff: a bloc's acclaim vote, the proposals the rules derive from it, publication and
/// the award decisions.
#[component]
pub fn AwardsPage() -> impl IntoView {
    let params = bloc_params();
    move || match params.get() {
        None => Either::Left(view! { <NotFound /> }),
        Some((year, bloc)) => {
            let results = LocalResource::new(move || api::results(year, bloc).send());
            Either::Right(view! { <Loaded resource=results page=true let:results><AwardsView results /></Loaded> })
        }
    }
}

#[component]
fn AwardsView(results: BlocResults) -> impl IntoView {
    let i18n = use_i18n();
    let (year, bloc) = (results.year, results.bloc_id);
    let results_href = format!("/{year}/blocs/{bloc}/results");
    // The labels follow the language switch.
    let crumbs = {
        let (bloc_name, results_href) = (results.bloc_name.clone(), results_href.clone());
        Signal::derive(move || {
            vec![
                (bloc_name.clone(), format!("/{year}/blocs/{bloc}")),
                (t_string!(i18n, results.title).to_string(), results_href.clone()),
            ]
        })
    };
    let bloc_name = results.bloc_name.clone();
    let session = crate::staff::session::use_session();
    let leader = results.leader_unit_id;
    // Reactive: after a reload the session is still being asked for when the results arrive.
    let can = Memo::new(move |_| {
        session.me.with(|me| {
            let who = me.as_ref().map(|me| Principal { user_id: me.user_id, role: me.role, unit_id: me.unit_id });
            award_permissions(who.as_ref(), leader)
        })
    });
    let awards = Awards::new(results, year, bloc, can);
    view! {
        <Title text=move || format!("{} {year}", t_string!(i18n, awards.title)) />
        <div class="page page--wide awards-page">
            <Breadcrumbs links=crumbs current=Signal::derive(tr(|l| td_string!(l, awards.title))) />
            <p class="eyebrow">{t!(i18n, common.year, year)}</p>
            <h1>{tr(|l| td_string!(l, awards.title))} <span class="h1-sub">{bloc_name}</span></h1>
            <section aria-labelledby="publication-title">
                <h2 id="publication-title">{tr(|l| td_string!(l, awards.publication))}</h2>
                <Publication awards />
                <ChangeReason awards />
                <p><A href=results_href>{tr(|l| td_string!(l, awards.see_results))}</A></p>
                {move || {
                    can.get().decide.then(|| view! {
                        <p><A href=format!("/awards/{year}")>{tr(|l| td_string!(l, rules.title))}</A></p>
                        <p><A href=format!("/council/{year}")>{tr(|l| td_string!(l, council.title))}</A></p>
                    })
                }}
                // The documents from these results (staff and the leader's officer).
                {move || can.get().preview.then(|| view! { <BlocDocuments year bloc /> })}
                // Every member's evidence in one ZIP (staff; the server refuses anyone else).
                {move || {
                    can.get().decide.then(|| {
                        let lang = match i18n.get_locale() {
                            Locale::vi => "vi",
                            Locale::en => "en",
                        };
                        let href = crate::api::url(&format!("/api/years/{year}/blocs/{bloc}/dossiers.zip?lang={lang}"));
                        view! { <p><a href=href download data-testid="bloc-dossiers">{tr(|l| td_string!(l, evidence.dossiers))}</a></p> }
                    })
                }}
            </section>
            <section aria-labelledby="tally-form-title">
                <h2 id="tally-form-title">{tr(|l| td_string!(l, awards.tally_title))}</h2>
                <p class="lead">{tr(|l| td_string!(l, awards.tally_intro))}</p>
                <p><A href=format!("/awards/{year}/{bloc}/vote")>{tr(|l| td_string!(l, vote.run_vote))}</A></p>
                <TallyForm awards />
            </section>
            <section aria-labelledby="candidates-title">
                <h2 id="candidates-title">{tr(|l| td_string!(l, awards.candidates))}</h2>
                <Candidates awards />
            </section>
            {move || {
                can.get().decide.then(|| view! {
                    <section aria-labelledby="decisions-title">
                        <h2 id="decisions-title">{tr(|l| td_string!(l, awards.decisions))}</h2>
                        <Decisions awards />
                    </section>
                })
            }}
        </div>
    }
}
