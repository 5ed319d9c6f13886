use leptos::prelude::*;
use thidua_domain::ranking::{TieBreak, TieOutcome};
use thidua_domain::results::BlocResults;

use crate::format;
use crate::i18n::*;
use crate::tr;

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
    let rows = results
        .ranking
        .iter()
        .map(|row| {
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
                        <span class="unit__name">{row.unit.name.clone()}</span>
                        {move || tie_text().map(|t| view! { <span class="rank__tie">{t}</span> })}
                    </th>
                    <td class="num total">{move || format::points(total, i18n.get_locale())}</td>
                    {cells}
                    <td class="num">{move || format::points(bonus, i18n.get_locale())}</td>
                    <td class="num">{move || format::points(deductions, i18n.get_locale())}</td>
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

#[derive(Clone)]
enum TieNote {
    Shared,
    Section(String),
}
