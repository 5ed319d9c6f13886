use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use thidua_domain::award_types::AwardType;
use thidua_domain::Year;

use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::status::Loaded;
use crate::i18n::*;
use crate::pages::not_found::NotFound;
use crate::staff::api::awards as awards_api;
use crate::staff::components::award_rules_form::AwardTypeForm;
use crate::text::tr;

/// Staff: the award types of a year and their rules, one form each, and a form for a new one.
#[component]
pub fn AwardRulesPage() -> impl IntoView {
    let params = use_params_map();
    let year = Memo::new(move |_| params.with(|p| p.get("year")?.parse::<Year>().ok()));
    move || match year.get() {
        None => Either::Left(view! { <NotFound /> }),
        Some(year) => {
            let types = LocalResource::new(move || awards_api::award_types(year));
            Either::Right(view! { <Loaded resource=types page=true let:types><RulesView year types /></Loaded> })
        }
    }
}

#[component]
fn RulesView(year: Year, types: Vec<AwardType>) -> impl IntoView {
    let i18n = use_i18n();
    let initial = types.len();
    let forms = types.clone();
    let types = RwSignal::new(types);
    // Changes only when a type is added: saving an existing one must not clear the new form.
    let count = Memo::new(move |_| types.with(Vec::len));
    let added = move || {
        let n = count.get();
        types
            .with_untracked(|all| all[initial.min(n)..n].to_vec())
            .into_iter()
            .map(|t| view! { <AwardTypeForm year existing=Some(t) types /> })
            .collect_view()
    };
    let new_form = move || {
        count.track();
        view! { <AwardTypeForm year existing=None types /> }
    };
    view! {
        <Title text=move || format!("{} {year}", t_string!(i18n, rules.title)) />
        <div class="page">
            <Breadcrumbs links=Vec::new() current=Signal::derive(tr(|l| td_string!(l, rules.title))) />
            <p class="eyebrow">{t!(i18n, common.year, year)}</p>
            <h1>{tr(|l| td_string!(l, rules.title))}</h1>
            <p class="lead">{tr(|l| td_string!(l, rules.intro))}</p>
            {forms.into_iter().map(|t| view! { <AwardTypeForm year existing=Some(t) types /> }).collect_view()}
            {added}
            {new_form}
        </div>
    }
}
