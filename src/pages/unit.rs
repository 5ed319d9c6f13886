use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use thidua_domain::history::{HistoryPoint, HistoryStanding, UnitHistory};

use crate::api;
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::status::Loaded;
use crate::components::tally::state_text;
use crate::format;
use crate::i18n::*;
use crate::pages::not_found::NotFound;
use crate::preload::load;
use crate::text::tr;

/// A unit's record across the published years: rank and total per year, as a table and as a
/// chart drawn in SVG.
#[component]
pub fn UnitPage() -> impl IntoView {
    let params = use_params_map();
    let unit = Memo::new(move |_| params.with(|p| p.get("unit")?.parse::<i64>().ok()));
    move || match unit.get() {
        None => Either::Left(view! { <NotFound /> }),
        Some(unit) => {
            let history = load(move || api::unit_history(unit));
            Either::Right(view! { <Loaded resource=history page=true let:history><HistoryView history /></Loaded> })
        }
    }
}

#[component]
fn HistoryView(history: UnitHistory) -> impl IntoView {
    let i18n = use_i18n();
    let name = history.unit.name.clone();
    let points = history.points.clone();
    let rows = points
        .iter()
        .map(|p| {
            let members = p.members;
            let bloc_name = p.bloc_name.clone();
            // A year whose sheet was not verified shows its state, never a total.
            let cells = match p.standing {
                HistoryStanding::Ranked { rank, total } => Either::Left(view! {
                    <td class="num">{move || t_string!(i18n, history.rank_of, rank, members).to_string()}</td>
                    <td class="num">{move || format::points(total, i18n.get_locale())}</td>
                }),
                HistoryStanding::NotVerified { state } => Either::Right(view! {
                    <td colspan="2" data-testid="history-not-verified">
                        {move || {
                            let locale = i18n.get_locale();
                            format!("{}: {}", td_string!(locale, results.not_verified), state_text(state, locale))
                        }}
                    </td>
                }),
            };
            view! {
                <tr data-testid="history-row">
                    <th scope="row">{p.year}</th>
                    <td><a href=format!("/{}/blocs/{}/results", p.year, p.bloc_id)>{bloc_name}</a></td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let empty = points.is_empty();
    let verified: Vec<HistoryPoint> = points.iter().filter(|p| p.total().is_some()).cloned().collect();
    view! {
        <Title text=name.clone() />
        <div class="page">
            <Breadcrumbs links=Vec::new() current=name.clone() />
            <p class="eyebrow">{tr(|l| td_string!(l, history.eyebrow))}</p>
            <h1>{name}</h1>
            {if empty {
                Either::Left(view! { <p class="empty">{tr(|l| td_string!(l, history.empty))}</p> })
            } else {
                Either::Right(view! {
                    {(!verified.is_empty()).then(|| view! { <Chart points=verified.clone() /> })}
                    <div class="table-scroll" role="region" aria-labelledby="history-caption" tabindex="0">
                        <table class="history" data-testid="history">
                            <caption id="history-caption">{tr(|l| td_string!(l, history.caption))}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{tr(|l| td_string!(l, history.year))}</th>
                                    <th scope="col">{tr(|l| td_string!(l, history.bloc))}</th>
                                    <th scope="col" class="num">{tr(|l| td_string!(l, results.rank))}</th>
                                    <th scope="col" class="num">{tr(|l| td_string!(l, results.total))}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                })
            }}
        </div>
    }
}

const W: f64 = 480.0;
const H: f64 = 220.0;
const PAD: f64 = 36.0;

/// Total per year as a line, each point labelled with its rank. The table below carries the
/// same numbers for screen readers, so the drawing is described in one sentence.
#[component]
fn Chart(points: Vec<HistoryPoint>) -> impl IntoView {
    let i18n = use_i18n();
    // Only verified years are drawn: the table says why the others are missing.
    let totals: Vec<f64> = points.iter().map(|p| p.total().unwrap_or_default().to_f64()).collect();
    let lo = totals.iter().cloned().fold(f64::INFINITY, f64::min).floor() - 2.0;
    let hi = totals.iter().cloned().fold(f64::NEG_INFINITY, f64::max).ceil() + 2.0;
    let n = points.len();
    let x = move |i: usize| if n == 1 { W / 2.0 } else { PAD + (W - 2.0 * PAD) * i as f64 / (n - 1) as f64 };
    let y = move |v: f64| H - PAD - (H - 2.0 * PAD) * (v - lo) / (hi - lo);
    let line: String = totals.iter().enumerate().map(|(i, &v)| format!("{:.1},{:.1} ", x(i), y(v))).collect();
    let dots = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (rank, total) = (p.rank().unwrap_or_default(), p.total().unwrap_or_default());
            let (cx, cy) = (x(i), y(total.to_f64()));
            view! {
                <g>
                    <circle cx=cx cy=cy r="5" class="chart__dot" />
                    <text x=cx y=cy - 12.0 text-anchor="middle" class="chart__label">
                        {move || format!("#{rank} · {}", format::points(total, i18n.get_locale()))}
                    </text>
                    <text x=cx y=H - 10.0 text-anchor="middle" class="chart__axis">{p.year}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-testid="history-chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby="chart-title">
                <title id="chart-title">{tr(|l| td_string!(l, history.chart))}</title>
                <line x1=PAD y1=H - PAD x2=W - PAD y2=H - PAD class="chart__baseline" />
                <polyline points=line class="chart__line" />
                {dots}
            </svg>
            <figcaption>{tr(|l| td_string!(l, history.chart))}</figcaption>
        </figure>
    }
}
