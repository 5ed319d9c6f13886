use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use thidua_domain::sheet_edit::SheetSummary;

use crate::api;
use crate::components::save_status::StatusBadge;
use crate::components::status::Loaded;
use crate::i18n::*;
use crate::tr;

/// The sheets the signed-in person may open: their unit's, and for a bloc leader or staff
/// the ones they verify.
#[component]
pub fn SheetsPage() -> impl IntoView {
    let i18n = use_i18n();
    let sheets = LocalResource::new(api::sheets);
    view! {
        <Title text=move || t_string!(i18n, sheets.title).to_string() />
        <div class="page">
            <h1>{tr(|l| td_string!(l, sheets.title))}</h1>
            <Loaded resource=sheets page=true let:sheets>
                {if sheets.is_empty() {
                    Either::Left(view! { <p class="empty">{tr(|l| td_string!(l, sheets.empty))}</p> })
                } else {
                    Either::Right(view! {
                        <ul class="sheet-list" data-testid="sheet-list">
                            {sheets.into_iter().map(|s| view! { <SheetItem sheet=s /> }).collect_view()}
                        </ul>
                    })
                }}
            </Loaded>
        </div>
    }
}

#[component]
fn SheetItem(sheet: SheetSummary) -> impl IntoView {
    let i18n = use_i18n();
    let (scored, count, year) = (sheet.scored, sheet.criteria_count, sheet.year);
    view! {
        <li class="sheet-list__item">
            <A href=format!("/sheets/{}", sheet.id)>
                <span class="sheet-list__unit">{sheet.unit.name.clone()}</span>
            </A>
            <span class="sheet-list__meta">
                {t!(i18n, common.year, year)}
                " · "
                {sheet.bloc_name.clone()}
                " · "
                {t!(i18n, sheet.progress, scored, count)}
            </span>
            <StatusBadge state=sheet.state />
        </li>
    }
}
