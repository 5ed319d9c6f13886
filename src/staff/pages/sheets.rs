use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use thidua_domain::sheet_edit::SheetSummary;

use crate::components::status::Loaded;
use crate::i18n::*;
use crate::staff::api;
use crate::staff::components::status_badge::StatusBadge;
use crate::text::tr;

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
                    let blocs = bloc_years(&sheets);
                    Either::Right(view! {
                        <ul class="sheet-list" data-testid="sheet-list">
                            {sheets.into_iter().map(|s| view! { <SheetItem sheet=s /> }).collect_view()}
                        </ul>
                        <AwardsLinks blocs />
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

/// The bloc-years of the listed sheets, newest first, once each.
fn bloc_years(sheets: &[SheetSummary]) -> Vec<(i32, i64, String)> {
    let mut out: Vec<(i32, i64, String)> = Vec::new();
    for s in sheets {
        if !out.iter().any(|(y, b, _)| *y == s.year && *b == s.bloc_id) {
            out.push((s.year, s.bloc_id, s.bloc_name.clone()));
        }
    }
    out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    out
}

/// For staff (and the bloc leader's officer, who enters the tally): each bloc-year's acclaim
/// vote, proposals, publication and decisions.
#[component]
fn AwardsLinks(blocs: Vec<(i32, i64, String)>) -> impl IntoView {
    let session = crate::staff::session::use_session();
    let staff = move || session.me.with(|me| me.as_ref().is_some_and(|me| me.role.has_award_work()));
    let blocs = StoredValue::new(blocs);
    move || {
        staff().then(|| {
            view! {
                <section aria-labelledby="awards-links-title">
                    <h2 id="awards-links-title">{tr(|l| td_string!(l, awards.title))}</h2>
                    <ul class="link-list" data-testid="awards-links">
                        {blocs
                            .get_value()
                            .into_iter()
                            .map(|(year, bloc, name)| {
                                view! { <li><A href=format!("/awards/{year}/{bloc}")>{format!("{year} · {name}")}</A></li> }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    }
}
