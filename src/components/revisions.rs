//! Which published revision of a bloc's results the reader sees: its number, date and
//! reason; what changed since the one before; every earlier revision as a link; and, for an
//! old one, the revision that replaced it. A withdrawn publication says so, with its reason.

use leptos::prelude::*;
use leptos_meta::Title;
use thidua_domain::revisions::{RevisionEntry, RevisionKind, RevisionStamp, UnitDiff};
use thidua_domain::{BlocId, Points, Year};

use crate::api;
use crate::format;
use crate::i18n::*;
use crate::preload::load;
use crate::text::tr;

pub fn revision_href(year: Year, bloc: BlocId, number: u32) -> String {
    format!("/{year}/blocs/{bloc}/results/revisions/{number}")
}

fn kind_text(kind: RevisionKind, locale: Locale) -> &'static str {
    match kind {
        RevisionKind::Published => td_string!(locale, revisions.kind_published),
        RevisionKind::Revised => td_string!(locale, revisions.kind_revised),
        RevisionKind::Withdrawn => td_string!(locale, revisions.kind_withdrawn),
    }
}

/// The revision shown, above the results.
#[component]
pub fn RevisionBanner(year: Year, bloc: BlocId, stamp: RevisionStamp) -> impl IntoView {
    let i18n = use_i18n();
    let list = load(move || api::revisions(year, bloc));
    let number = stamp.number;
    let at = stamp.at.clone();
    let kind = stamp.kind;
    let reason = stamp.reason.clone();
    let heading = move || {
        let locale = i18n.get_locale();
        // The day it took effect; the list gives the time too.
        let date = format::date(at.get(..10).unwrap_or(&at), locale);
        td_string!(locale, revisions.heading, n = number, kind = kind_text(kind, locale), date = date).to_string()
    };
    let later = move || {
        let entries = list.get().and_then(Result::ok).unwrap_or_default();
        entries.iter().map(|e| e.number).max().filter(|latest| *latest > number)
    };
    view! {
        <aside class="notice revision-note" aria-labelledby="revision-title" data-testid="revision">
            <h2 id="revision-title" class="notice__title">{heading}</h2>
            {(number > 1 && !reason.is_empty()).then(|| view! {
                <p data-testid="revision-reason"><strong>{tr(|l| td_string!(l, revisions.reason))}</strong>" "{reason.clone()}</p>
            })}
            {(number > 1 && kind == RevisionKind::Revised).then(|| view! { <WhatChanged year bloc number /> })}
            {move || later().map(|latest| view! {
                <p class="notice--warn" data-testid="superseded">
                    {move || t_string!(i18n, revisions.superseded, m = latest).to_string()}" "
                    <a href=format!("/{year}/blocs/{bloc}/results")>{tr(|l| td_string!(l, revisions.see_current))}</a>
                </p>
            })}
            {move || {
                let entries = list.get().and_then(Result::ok).unwrap_or_default();
                (entries.len() > 1).then(|| view! { <RevisionList year bloc entries current=number /> })
            }}
        </aside>
    }
}

/// Every revision, newest first, each a link but the one shown.
#[component]
pub fn RevisionList(year: Year, bloc: BlocId, entries: Vec<RevisionEntry>, current: u32) -> impl IntoView {
    let i18n = use_i18n();
    let items = entries
        .into_iter()
        .map(|e| {
            let (number, kind) = (e.number, e.kind);
            let at = e.at.clone();
            let label = move || {
                let locale = i18n.get_locale();
                td_string!(
                    locale,
                    revisions.item,
                    n = number,
                    kind = kind_text(kind, locale),
                    date = format::date_time(&at, locale)
                )
                .to_string()
            };
            // The server words the summary in Vietnamese; in English the reason says why.
            let (summary, reason) = (e.summary.clone(), e.reason.clone());
            let what = move || {
                let summary = (i18n.get_locale() == Locale::vi).then(|| summary.clone());
                [summary, Some(reason.clone())]
                    .into_iter()
                    .flatten()
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(" — ")
            };
            let link = if number == current || kind == RevisionKind::Withdrawn {
                view! { <span aria-current=(number == current).then_some("page")>{label}</span> }.into_any()
            } else {
                view! { <a href=revision_href(year, bloc, number)>{label}</a> }.into_any()
            };
            view! { <li data-testid="revision-item">{link}<span class="revision-list__what">{what}</span></li> }
        })
        .collect_view();
    view! {
        <details class="revision-list no-print">
            <summary>{tr(|l| td_string!(l, revisions.all))}</summary>
            <ol reversed>{items}</ol>
        </details>
    }
}

/// The publication was taken back: said so, with its reason, and the earlier revisions.
#[component]
pub fn Withdrawn(year: Year, bloc: BlocId, entries: Vec<RevisionEntry>) -> impl IntoView {
    let reason =
        entries.iter().find(|e| e.kind == RevisionKind::Withdrawn).map(|e| e.reason.clone()).unwrap_or_default();
    let current = entries.first().map(|e| e.number).unwrap_or_default();
    let i18n = use_i18n();
    view! {
        <Title text=move || format!("{} · {year}", t_string!(i18n, revisions.withdrawn_title)) />
        <div class="page" data-testid="withdrawn">
            <h1>{tr(|l| td_string!(l, revisions.withdrawn_title))}</h1>
            <p class="notice notice--warn"><strong>{tr(|l| td_string!(l, revisions.reason))}</strong>" "{reason}</p>
            <RevisionList year bloc entries current />
        </div>
    }
}

/// What changed from the revision before, unit by unit, in the reader's language.
#[component]
fn WhatChanged(year: Year, bloc: BlocId, number: u32) -> impl IntoView {
    let i18n = use_i18n();
    let diff = load(move || api::revision_diff(year, bloc, number - 1, number));
    move || {
        let units = diff.get().and_then(Result::ok).map(|d| d.units).unwrap_or_default();
        (!units.is_empty()).then(|| {
            let items = units
                .into_iter()
                .map(|u| {
                    let line = move || unit_change(&u, i18n.get_locale());
                    view! { <li>{line}</li> }
                })
                .collect_view();
            view! {
                <div data-testid="what-changed">
                    <strong>{tr(|l| td_string!(l, revisions.what_changed))}</strong>
                    <ul class="revision-changes">{items}</ul>
                </div>
            }
        })
    }
}

/// One unit's change as a sentence: rank, total, proposals, decisions.
fn unit_change(u: &UnitDiff, locale: Locale) -> String {
    let none = || td_string!(locale, revisions.none).to_owned();
    let mut parts = Vec::new();
    if let Some(r) = &u.rank {
        let show = |r: Option<u32>| r.map(|r| r.to_string()).unwrap_or_else(none);
        parts.push(
            td_string!(locale, revisions.rank_change, before = show(r.before), after = show(r.after)).to_string(),
        );
    }
    if let Some(t) = &u.total {
        let show = |p: Option<Points>| p.map(|p| format::points(p, locale)).unwrap_or_else(none);
        parts.push(
            td_string!(locale, revisions.total_change, before = show(t.before), after = show(t.after)).to_string(),
        );
    }
    for p in &u.proposals {
        let text = if p.after {
            td_string!(locale, revisions.now_proposed, award = p.award_name.clone())
        } else {
            td_string!(locale, revisions.no_longer_proposed, award = p.award_name.clone())
        };
        parts.push(text.to_string());
    }
    for d in &u.decisions {
        let text = match &d.after {
            Some(after) => td_string!(
                locale,
                revisions.decision_entered,
                award = d.award_name.clone(),
                number = after.number.clone()
            ),
            None => td_string!(locale, revisions.decision_removed, award = d.award_name.clone()),
        };
        parts.push(text.to_string());
    }
    format!("{}: {}", u.unit.name, parts.join("; "))
}
