use leptos::prelude::*;
use thidua_domain::criteria::Criterion;
use thidua_domain::ranking::{TieBreak, TieOutcome};
use thidua_domain::results::{BlocResults, RankingRow};
use thidua_domain::Points;

use crate::format;
use crate::i18n::*;
use crate::text::tr;

/// Rendered by the server, for a page that must work before (or without) the app.
const SERVER: bool = cfg!(feature = "ssr");

/// The ranking: rank, unit, total and one column per section. On a narrow screen the table
/// scrolls inside its own box (keyboard-focusable), never the page.
#[component]
pub fn RankingTable(results: BlocResults) -> impl IntoView {
    let i18n = use_i18n();
    let sections = results.sections.clone();
    let section_codes: Vec<String> = sections.iter().map(|s| s.code.clone()).collect();
    let header_cells = sections
        .iter()
        .map(|s| {
            let (title, max) = (s.title.clone(), s.max_points);
            view! {
                <th scope="col" class="num">
                    <abbr title=title>{s.code.clone()}</abbr>
                    <span class="max">
                        {move || t_string!(i18n, results.max, points = format::points(max, i18n.get_locale())).to_string()}
                    </span>
                </th>
            }
        })
        .collect_view();
    // rank, unit, total, sections…, bonus, deductions
    let columns = sections.len() + 5;
    let criteria = StoredValue::new(results.criteria.clone());
    let rows = results
        .ranking
        .iter()
        .map(|row| {
            let open = RwSignal::new(false);
            let detail_id = format!("detail-{}", row.unit.id);
            let detail_row = row.clone();
            let unit_name = row.unit.name.clone();
            let tie = row.tie.map(|t| match t {
                TieOutcome::Shared => TieNote::Shared,
                TieOutcome::DecidedBySection { section_index } => {
                    TieNote::Section(section_codes.get(section_index).cloned().unwrap_or_default())
                }
            });
            let tie_text = move || {
                tie.clone().map(|t| match t {
                    TieNote::Shared => t_string!(i18n, results.tie_shared).to_string(),
                    TieNote::Section(section) => t_string!(i18n, results.tie_section, section).to_string(),
                })
            };
            let (total, bonus, deductions) = (row.total, row.bonus_counted, row.deductions);
            let cells = row
                .sections
                .iter()
                .map(|&p| view! { <td class="num">{move || format::points(p, i18n.get_locale())}</td> })
                .collect_view();
            view! {
                <tr data-testid="ranking-row">
                    <td class="rank">
                        <span class="rank__number">{row.rank}</span>
                    </td>
                    <th scope="row" class="unit">
                        <a href=format!("/units/{}", row.unit.id) class="unit__name">{unit_name}</a>
                        {move || tie_text().map(|t| view! { <span class="rank__tie">{t}</span> })}
                        // A <details> so that it opens without the app too (the server's
                        // page); its sheet is the next row, shown while it is open (CSS).
                        <details class="expand no-print" on:toggle=move |ev| {
                            open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())
                        }>
                            <summary class="link-button" aria-controls=detail_id.clone()>
                                {tr(|l| td_string!(l, results.breakdown))}
                            </summary>
                        </details>
                    </th>
                    <td class="num total">{move || format::points(total, i18n.get_locale())}</td>
                    {cells}
                    <td class="num">{move || format::points(bonus, i18n.get_locale())}</td>
                    <td class="num">{move || format::points(deductions, i18n.get_locale())}</td>
                </tr>
                // The server's page carries every sheet (it opens without the app); the app
                // renders one when it is opened.
                <tr id=detail_id class="detail no-print" hidden=move || !SERVER && !open.get()>
                    <td colspan=columns>
                        {move || (SERVER || open.get()).then(|| view! { <Breakdown row=detail_row.clone() criteria /> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let tie_rule = results.tie_break;
    let (cap, max_total) = (results.bonus_cap, results.max_total);
    view! {
        <div class="table-scroll" role="region" aria-labelledby="ranking-caption" tabindex="0">
            <table class="ranking" data-testid="ranking">
                <caption id="ranking-caption" class="visually-hidden">{tr(|l| td_string!(l, results.ranking_caption))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(|l| td_string!(l, results.rank))}</th>
                        <th scope="col">{tr(|l| td_string!(l, results.unit))}</th>
                        <th scope="col" class="num">{tr(|l| td_string!(l, results.total))}</th>
                        {header_cells}
                        <th scope="col" class="num">{tr(|l| td_string!(l, results.bonus))}</th>
                        <th scope="col" class="num">{tr(|l| td_string!(l, results.deductions))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="formula">
            {move || {
                let locale = i18n.get_locale();
                t_string!(i18n, results.total_formula, cap = format::points(cap, locale), max = format::points(max_total, locale))
                    .to_string()
            }}
        </p>
        <p class="tie-rule" data-testid="tie-rule">
            <strong>{tr(|l| td_string!(l, results.tie_rule))} ": "</strong>
            {move || match tie_rule {
                TieBreak::SharedRank => t_string!(i18n, results.tie_rule_shared).to_string(),
                TieBreak::SectionOrder => t_string!(i18n, results.tie_rule_section).to_string(),
            }}
        </p>
        <h3 class="sections-title">{tr(|l| td_string!(l, results.sections))}</h3>
        <dl class="sections-legend">
            {sections
                .into_iter()
                .map(|s| {
                    let max = s.max_points;
                    view! {
                        <div>
                            <dt>{s.code}</dt>
                            <dd>
                                {s.title} " ("
                                {move || t_string!(i18n, results.max, points = format::points(max, i18n.get_locale())).to_string()}
                                ")"
                            </dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
    }
}

/// One unit's sheet down to every criterion, self-assessed against verified, with its bonus
/// and deduction lines and their reasons.
#[component]
fn Breakdown(row: RankingRow, criteria: StoredValue<Vec<Criterion>>) -> impl IntoView {
    let i18n = use_i18n();
    let show = move |p: Option<Points>| match p {
        Some(p) => format::points(p, i18n.get_locale()),
        None => "—".to_owned(),
    };
    let lines = criteria.with_value(|all| {
        all.iter()
            .map(|c| {
                let score = row.scores.iter().find(|s| s.criterion_id == c.id).cloned();
                let section = c.parent_id.is_none();
                // Only leaves carry scores; a section without items is itself a leaf.
                let parent = all.iter().any(|x| x.parent_id == Some(c.id));
                let (max, code, title) = (c.max_points, c.code.clone(), c.title.clone());
                let (own, verified) = (score.as_ref().and_then(|s| s.self_score), score.and_then(|s| s.verified_score));
                let differs = own != verified;
                view! {
                    <tr class:breakdown__section=section class:breakdown__differs=differs>
                        <th scope="row">{code} " " {title}</th>
                        <td class="num">{move || format::points(max, i18n.get_locale())}</td>
                        <td class="num">{move || if parent { String::new() } else { show(own) }}</td>
                        <td class="num">{move || if parent { String::new() } else { show(verified) }}</td>
                    </tr>
                }
            })
            .collect_view()
    });
    let adjustments = |lines: Vec<thidua_domain::sheet::Adjustment>, sign: &'static str| {
        lines
            .into_iter()
            .map(|a| {
                let points = a.points;
                view! {
                    <li>
                        <span class="adj__points">{sign} {move || format::points(points, i18n.get_locale())}</span>
                        " " {a.reason}
                    </li>
                }
            })
            .collect_view()
    };
    let (bonuses, deductions) = (row.bonuses.clone(), row.deduction_lines.clone());
    let (no_bonus, no_deduction) = (bonuses.is_empty(), deductions.is_empty());
    let self_total = row.self_total;
    view! {
        <div class="breakdown" data-testid="breakdown">
            <table>
                <caption>
                    {move || {
                        t_string!(i18n, results.breakdown_caption, unit = row.unit.name.clone(),
                            total = format::points(self_total, i18n.get_locale()))
                            .to_string()
                    }}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(|l| td_string!(l, results.criterion))}</th>
                        <th scope="col" class="num">{tr(|l| td_string!(l, results.max_col))}</th>
                        <th scope="col" class="num">{tr(|l| td_string!(l, results.self_col))}</th>
                        <th scope="col" class="num">{tr(|l| td_string!(l, results.verified_col))}</th>
                    </tr>
                </thead>
                <tbody>{lines}</tbody>
            </table>
            <h3 class="breakdown__title">{tr(|l| td_string!(l, results.bonus_lines))}</h3>
            {if no_bonus {
                leptos::either::Either::Left(view! { <p class="empty">{tr(|l| td_string!(l, results.none))}</p> })
            } else {
                leptos::either::Either::Right(view! { <ul class="adj">{adjustments(bonuses, "+")}</ul> })
            }}
            <h3 class="breakdown__title">{tr(|l| td_string!(l, results.deduction_lines))}</h3>
            {if no_deduction {
                leptos::either::Either::Left(view! { <p class="empty">{tr(|l| td_string!(l, results.none))}</p> })
            } else {
                leptos::either::Either::Right(view! { <ul class="adj">{adjustments(deductions, "−")}</ul> })
            }}
        </div>
    }
}

#[derive(Clone)]
enum TieNote {
    Shared,
    Section(String),
}
