use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use thidua_domain::council::CouncilList;
use thidua_domain::Year;

use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::status::Loaded;
use crate::i18n::*;
use crate::pages::not_found::NotFound;
use crate::staff::api::council as council_api;
use crate::staff::components::council::CouncilView;
use crate::staff::components::documents::CouncilDocuments;
use crate::text::tr;

/// Staff: the provincial Council's list for a year — every bloc's published proposals by award
/// type, the Council's outcome per proposal, the decisions that follow, the list as documents.
#[component]
pub fn CouncilPage() -> impl IntoView {
    let params = use_params_map();
    let year = Memo::new(move |_| params.with(|p| p.get("year")?.parse::<Year>().ok()));
    move || match year.get() {
        None => Either::Left(view! { <NotFound /> }),
        Some(year) => {
            let list = LocalResource::new(move || council_api::list(year));
            Either::Right(view! { <Loaded resource=list page=true let:list><Page list /></Loaded> })
        }
    }
}

#[component]
fn Page(list: CouncilList) -> impl IntoView {
    let i18n = use_i18n();
    let year = list.year;
    view! {
        <Title text=move || format!("{} {year}", t_string!(i18n, council.title)) />
        <div class="page page--wide council-page">
            <Breadcrumbs links=Vec::new() current=Signal::derive(tr(|l| td_string!(l, council.title))) />
            <p class="eyebrow">{t!(i18n, common.year, year)}</p>
            <h1>{tr(|l| td_string!(l, council.title))}</h1>
            <p class="lead">{tr(|l| td_string!(l, council.intro))}</p>
            <CouncilDocuments year />
            <CouncilView list />
        </div>
    }
}
