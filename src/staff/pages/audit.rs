//! Staff: every audited change — sheets, awards and their revisions, administration — newest
//! first, filtered and paged by the server (`GET /api/audit`), values shown as text, and the
//! same list as a CSV.

use leptos::prelude::*;
use leptos_meta::Title;
use thidua_domain::admin::units::UnitAdmin;
use thidua_domain::admin::users::UserAdmin;
use thidua_domain::audit::{AuditPage as Page, AuditRecord, AuditSource};
use thidua_domain::{BlocId, UnitId};

use crate::api::ApiResult;
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::status::Loaded;
use crate::format;
use crate::i18n::*;
use crate::staff::api::admin::{self as admin_api, AuditFilter};
use crate::text::tr;

const PER_PAGE: u32 = 50;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let i18n = use_i18n();
    let people = LocalResource::new(|| async {
        let users = admin_api::users().await?;
        let units = admin_api::units().await?;
        // Every bloc of every year, once, by its latest name (ids stay across years).
        let mut blocs: Vec<(BlocId, String)> = Vec::new();
        for year in admin_api::years().await? {
            for b in crate::api::blocs(year.year).send().await? {
                blocs.retain(|(id, _)| *id != b.id);
                blocs.push((b.id, b.name));
            }
        }
        blocs.sort_by_key(|(id, _)| *id);
        ApiResult::Ok((users, units, blocs))
    });
    let crumbs = move || vec![(t_string!(i18n, admin.title).to_string(), "/admin".to_owned())];
    view! {
        <Title text=move || t_string!(i18n, audit.title).to_string() />
        <div class="page page--wide">
            <Breadcrumbs links=Signal::derive(crumbs) current=Signal::derive(tr(|l| td_string!(l, audit.title))) />
            <h1>{tr(|l| td_string!(l, audit.title))}</h1>
            <p class="lead">{tr(|l| td_string!(l, audit.intro))}</p>
            <Loaded resource=people page=true let:data>
                <AuditView users=data.0 units=data.1 blocs=data.2 />
            </Loaded>
        </div>
    }
}

#[component]
fn AuditView(users: Vec<UserAdmin>, units: Vec<UnitAdmin>, blocs: Vec<(BlocId, String)>) -> impl IntoView {
    let i18n = use_i18n();
    // What the form holds; `filter` is what the list shows (set on submit, and by paging).
    let (source, year, bloc, unit, user, from, to) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let filter = RwSignal::new(AuditFilter { page: 1, per_page: PER_PAGE, ..Default::default() });
    let list = LocalResource::new(move || admin_api::audit(filter.get()));
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|t| !t.is_empty());
        filter.set(AuditFilter {
            source: text(source),
            year: year.get_untracked().trim().parse().ok(),
            bloc_id: bloc.get_untracked().parse().ok(),
            unit_id: unit.get_untracked().parse().ok(),
            user_id: user.get_untracked().parse().ok(),
            from: text(from),
            to: text(to),
            page: 1,
            per_page: PER_PAGE,
        });
    };
    let unit_names = StoredValue::new(units.iter().map(|u| (u.id, u.name.clone())).collect::<Vec<_>>());
    let user_options = users.iter().map(|u| (u.id, u.display_name.clone())).collect::<Vec<_>>();
    let unit_options = unit_names.get_value();
    let select = move |id: &'static str,
                       label: fn(Locale) -> &'static str,
                       value: RwSignal<String>,
                       options: Vec<(String, String)>| {
        view! {
            <div class="field">
                <label for=id>{tr(label)}</label>
                <select id=id class="input" prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                    <option value="">{tr(|l| td_string!(l, audit.any))}</option>
                    {options.into_iter().map(|(v, t)| view! { <option value=v>{t}</option> }).collect_view()}
                </select>
            </div>
        }
    };
    let sources = vec![
        ("sheet".to_owned(), t_string!(i18n, audit.source_sheet).to_string()),
        ("award".to_owned(), t_string!(i18n, audit.source_award).to_string()),
        ("admin".to_owned(), t_string!(i18n, audit.source_admin).to_string()),
    ];
    let date_field = move |id: &'static str, label: fn(Locale) -> &'static str, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{tr(label)}</label>
                <input type="date" id=id class="input" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };
    view! {
        <form class="form audit-filter" novalidate on:submit=apply data-testid="audit-filter">
            <div class="field-row">
                {select("audit-source", |l| td_string!(l, audit.source), source, sources)}
                <div class="field">
                    <label for="audit-year">{tr(|l| td_string!(l, admin.year))}</label>
                    <input type="text" id="audit-year" class="input input--narrow" inputmode="numeric" prop:value=move || year.get()
                        on:input=move |ev| year.set(event_target_value(&ev)) />
                </div>
                {select("audit-bloc", |l| td_string!(l, audit.bloc), bloc, blocs.into_iter().map(|(id, n)| (id.to_string(), n)).collect())}
                {select("audit-unit", |l| td_string!(l, audit.unit), unit, unit_options.into_iter().map(|(id, n)| (id.to_string(), n)).collect())}
                {select("audit-user", |l| td_string!(l, audit.person), user, user_options.into_iter().map(|(id, n)| (id.to_string(), n)).collect())}
                {date_field("audit-from", |l| td_string!(l, audit.from), from)}
                {date_field("audit-to", |l| td_string!(l, audit.to), to)}
            </div>
            <div class="actions">
                <button type="submit" class="button button--primary" data-testid="audit-apply">{tr(|l| td_string!(l, audit.apply))}</button>
                <a class="button button--secondary" href=move || admin_api::audit_csv_url(&filter.get()) download data-testid="audit-csv">
                    {tr(|l| td_string!(l, audit.csv))}
                </a>
            </div>
        </form>
        <Loaded resource=list let:page>
            <AuditTable page filter unit_names />
        </Loaded>
    }
}

#[component]
fn AuditTable(
    page: Page,
    filter: RwSignal<AuditFilter>,
    unit_names: StoredValue<Vec<(UnitId, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (number, total, per_page) = (page.page, page.total, page.per_page.max(1));
    let pages = total.div_ceil(u64::from(per_page)).max(1) as u32;
    let go = move |to: u32| filter.update(|f| f.page = to);
    let rows = page.entries.into_iter().map(|e| view! { <AuditRow entry=e unit_names /> }).collect_view();
    view! {
        <p data-testid="audit-count">{move || t_string!(i18n, audit.count, total = total, page = number, pages = pages).to_string()}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="audit-caption">
            <table class="audit-table" data-testid="audit-table">
                <caption id="audit-caption">{tr(|l| td_string!(l, audit.caption))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(|l| td_string!(l, audit.when))}</th>
                        <th scope="col">{tr(|l| td_string!(l, audit.person))}</th>
                        <th scope="col">{tr(|l| td_string!(l, audit.what))}</th>
                        <th scope="col">{tr(|l| td_string!(l, audit.change))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <nav class="pager" aria-label=move || t_string!(i18n, audit.pages).to_string()>
            <button type="button" class="button button--secondary" disabled={number <= 1} on:click=move |_| go(number - 1)>
                {tr(|l| td_string!(l, audit.newer))}
            </button>
            <button type="button" class="button button--secondary" disabled={number >= pages} on:click=move |_| go(number + 1)>
                {tr(|l| td_string!(l, audit.older))}
            </button>
        </nav>
    }
}

#[component]
fn AuditRow(entry: AuditRecord, unit_names: StoredValue<Vec<(UnitId, String)>>) -> impl IntoView {
    let i18n = use_i18n();
    let at = entry.at.clone();
    let source = entry.source;
    let unit = entry
        .unit_id
        .and_then(|id| unit_names.with_value(|u| u.iter().find(|(x, _)| *x == id).map(|(_, n)| n.clone())));
    let place = [entry.year.map(|y| y.to_string()), unit].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    let field = entry.field.clone().unwrap_or_default();
    let old = entry.old.as_ref().map(readable);
    let new = entry.new.as_ref().map(readable).unwrap_or_default();
    view! {
        <tr data-testid="audit-row">
            <td>{move || format::date_time(&at, i18n.get_locale())}</td>
            <td>{entry.user.clone()}</td>
            <td>
                <span class="badge badge--muted">{move || source_text(source, i18n.get_locale())}</span>" "
                <code>{entry.action.clone()}</code>
                <span class="audit__place">{place}</span>
                {(!field.is_empty()).then(|| view! { <span class="audit__field">{field.clone()}</span> })}
            </td>
            <td class="audit__change">
                {old.map(|o| view! { <span class="audit__old">{o}</span>" → " })}
                <span class="audit__new">{new}</span>
            </td>
        </tr>
    }
}

fn source_text(source: AuditSource, locale: Locale) -> &'static str {
    match source {
        AuditSource::Sheet => td_string!(locale, audit.source_sheet),
        AuditSource::Award => td_string!(locale, audit.source_award),
        AuditSource::Admin => td_string!(locale, audit.source_admin),
    }
}

/// A stored value as a person reads it: text as itself, numbers as numbers, an object as
/// `key: value` pairs, a list comma-separated; nothing shown as JSON syntax.
fn readable(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "—".to_owned(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items.iter().map(readable).collect::<Vec<_>>().join(", "),
        Value::Object(map) => map.iter().map(|(k, v)| format!("{k}: {}", readable(v))).collect::<Vec<_>>().join("; "),
    }
}
