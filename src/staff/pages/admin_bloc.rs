use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use thidua_domain::admin::blocs::BlocSetupView;
use thidua_domain::admin::units::UnitAdmin;
use thidua_domain::{BlocId, Year};

use crate::api::ApiResult;
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::status::Loaded;
use crate::i18n::*;
use crate::pages::not_found::NotFound;
use crate::pages::params::bloc_params;
use crate::staff::api::admin as admin_api;
use crate::staff::components::bloc_setup_form::BlocSetupForm;
use crate::staff::components::criteria_editor::CriteriaEditor;
use crate::staff::components::form::{write, SaveOutcome};
use crate::text::tr;

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
            <Show when=move || view.with(BlocSetupView::removable)>
                <RemoveBloc year bloc />
            </Show>
        </div>
    }
}

/// Takes a bloc set up by mistake out of the year, after a second click; offered only while
/// nothing is published or recorded for it (the domain's rule; the server checks again).
#[component]
fn RemoveBloc(year: Year, bloc: BlocId) -> impl IntoView {
    let navigate = leptos_router::hooks::use_navigate();
    let remove = write(move |()| admin_api::delete_bloc(year, bloc), move |()| navigate("/admin", Default::default()));
    view! {
        <section class="danger-zone" aria-labelledby="remove-bloc-title">
            <h2 id="remove-bloc-title">{tr(|l| td_string!(l, admin.remove_bloc))}</h2>
            <details class="override">
                <summary data-testid="remove-bloc">{tr(|l| td_string!(l, admin.remove_bloc))}</summary>
                <p>{tr(|l| td_string!(l, admin.remove_bloc_note))}</p>
                <button type="button" class="button button--primary" data-testid="confirm-remove-bloc"
                    on:click=move |_| { remove.dispatch(()); }>
                    {tr(|l| td_string!(l, admin.remove_bloc_confirm))}
                </button>
                <SaveOutcome write=remove />
            </details>
        </section>
    }
}
