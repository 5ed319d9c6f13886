use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use thidua_domain::admin::blocs::BlocSetupView;
use thidua_domain::admin::units::UnitAdmin;

use crate::api::ApiResult;
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::status::Loaded;
use crate::i18n::*;
use crate::pages::not_found::NotFound;
use crate::pages::params::bloc_params;
use crate::staff::api::admin as admin_api;
use crate::staff::components::bloc_setup_form::BlocSetupForm;
use crate::staff::components::criteria_editor::CriteriaEditor;

/// Staff: one bloc in one year — members, leader, deputy, pact, and the criteria.
#[component]
pub fn AdminBlocPage() -> impl IntoView {
    let params = bloc_params();
    move || match params.get() {
        None => Either::Left(view! { <NotFound /> }),
        Some((year, bloc)) => {
            let data = LocalResource::new(move || async move {
                let setup = admin_api::bloc(year, bloc).await?;
                let units = admin_api::units().await?;
                ApiResult::Ok((setup, units))
            });
            Either::Right(view! { <Loaded resource=data page=true let:data><SetupView data /></Loaded> })
        }
    }
}

#[component]
fn SetupView(data: (BlocSetupView, Vec<UnitAdmin>)) -> impl IntoView {
    let i18n = use_i18n();
    let (setup, units) = data;
    let (year, bloc) = (setup.year, setup.bloc_id);
    let name = setup.name.clone();
    let view = RwSignal::new(setup);
    let crumbs = Signal::derive(move || vec![(t_string!(i18n, admin.title).to_string(), "/admin".to_owned())]);
    view! {
        <Title text=format!("{name} {year}") />
        <div class="page page--wide">
            <Breadcrumbs links=crumbs current=name.clone() />
            <p class="eyebrow">{t!(i18n, common.year, year)}</p>
            <h1>{name}</h1>
            <BlocSetupForm year bloc view units />
            <CriteriaEditor year bloc view />
        </div>
    }
}
