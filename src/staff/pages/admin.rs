use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use thidua_domain::admin::blocs::{validate_new_bloc, NewBloc};
use thidua_domain::admin::years::{validate_new_year, NewYear, YearAdmin, YearUpdate};
use thidua_domain::error::{FieldError, FieldErrors};
use thidua_domain::ranking::TieBreak;
use thidua_domain::{BlocId, Year};

use crate::api;
use crate::components::status::Loaded;
use crate::i18n::*;
use crate::staff::api::admin as admin_api;
use crate::staff::components::field_error::FieldMessage;
use crate::staff::components::form::{errors_of, write, SaveOutcome, TextField};
use crate::text::tr;

/// Staff administration: the years (new, copied from an earlier one; open or closed for
/// scoring), each year's blocs, units and accounts.
#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let years = LocalResource::new(admin_api::years);
    view! {
        <Title text=move || t_string!(i18n, admin.title).to_string() />
        <div class="page">
            <h1>{tr(|l| td_string!(l, admin.title))}</h1>
            <ul class="link-list">
                <li><A href="/admin/units">{tr(|l| td_string!(l, admin.units))}</A></li>
                <li><A href="/admin/users">{tr(|l| td_string!(l, admin.users))}</A></li>
                <li><A href="/admin/audit">{tr(|l| td_string!(l, audit.title))}</A></li>
            </ul>
            <Loaded resource=years page=true let:list>
                <YearsView list on_change=move || years.refetch() />
            </Loaded>
        </div>
    }
}

#[component]
fn YearsView(list: Vec<YearAdmin>, on_change: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let existing: Vec<Year> = list.iter().map(|y| y.year).collect();
    let rows = list.into_iter().map(|y| view! { <YearItem year=y on_change /> }).collect_view();
    view! {
        <section aria-labelledby="years-title">
            <h2 id="years-title">{tr(|l| td_string!(l, admin.years))}</h2>
            <ul class="year-list" data-testid="year-list">{rows}</ul>
        </section>
        <NewYearForm existing on_change />
    }
}

#[component]
fn YearItem(year: YearAdmin, on_change: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let y = year.year;
    let open = year.open;
    let blocs = LocalResource::new(move || api::blocs(y).send());
    let toggle_year = write(
        move |()| admin_api::update_year(y, YearUpdate { open: Some(!open), tie_break: None }),
        move |_| on_change(),
    );
    let toggle = move |_| {
        toggle_year.dispatch(());
    };
    view! {
        <li class="year-item" data-testid="year-item">
            <h3>
                {y} " "
                <span class="badge badge--muted">
                    {move || if open { t_string!(i18n, admin.open) } else { t_string!(i18n, admin.closed) }}
                </span>
            </h3>
            <button type="button" class="button button--secondary" on:click=toggle data-testid="toggle-year">
                {move || if open { t_string!(i18n, admin.close_year) } else { t_string!(i18n, admin.open_year) }}
            </button>
            <TieBreakForm year=year.clone() on_change />
            <p><A href=format!("/awards/{y}")>{tr(|l| td_string!(l, rules.title))}</A></p>
            <p><A href=format!("/council/{y}")>{tr(|l| td_string!(l, council.title))}</A></p>
            <Loaded resource=blocs let:list>
                <ul class="link-list">
                    {list
                        .into_iter()
                        .map(|b| view! { <li><A href=format!("/admin/{y}/blocs/{}", b.id)>{b.name}</A></li> })
                        .collect_view()}
                </ul>
            </Loaded>
            <NewBlocForm year=y />
            <SaveOutcome write=toggle_year />
        </li>
    }
}

/// The year's tie-break rule: how every bloc of the year orders units with equal totals.
/// Fixed while a bloc of the year is published (the domain says so; the server refuses too).
#[component]
fn TieBreakForm(year: YearAdmin, on_change: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let y = year.year;
    let changeable = year.tie_break_changeable();
    let rule = RwSignal::new(year.tie_break);
    let save_rule = write(
        move |rule| admin_api::update_year(y, YearUpdate { open: None, tie_break: Some(rule) }),
        move |_| on_change(),
    );
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save_rule.dispatch(rule.get_untracked());
    };
    let id = format!("tie-break-{y}");
    let hint = format!("tie-break-{y}-hint");
    let value = |rule: TieBreak| match rule {
        TieBreak::SharedRank => "shared_rank",
        TieBreak::SectionOrder => "section_order",
    };
    let choose = move |ev: leptos::ev::Event| {
        rule.set(if event_target_value(&ev) == "shared_rank" { TieBreak::SharedRank } else { TieBreak::SectionOrder });
    };
    view! {
        <form class="form form--narrow" novalidate on:submit=save data-testid="tie-break">
            <div class="field">
                <label for=id.clone()>{tr(|l| td_string!(l, admin.tie_break))}</label>
                <select id=id class="input" aria-describedby=hint.clone() disabled=!changeable
                    prop:value=move || value(rule.get()) on:change=choose>
                    <option value="section_order">{tr(|l| td_string!(l, admin.tie_section))}</option>
                    <option value="shared_rank">{tr(|l| td_string!(l, admin.tie_shared))}</option>
                </select>
                <p class="field__hint" id=hint>
                    {move || if !changeable {
                        t_string!(i18n, admin.tie_break_fixed)
                    } else if rule.get() == TieBreak::SharedRank {
                        t_string!(i18n, results.tie_rule_shared)
                    } else {
                        t_string!(i18n, results.tie_rule_section)
                    }}
                </p>
            </div>
            <Show when=move || changeable>
                <button type="submit" class="button button--secondary" data-testid="save-tie-break">
                    {tr(|l| td_string!(l, admin.save_tie_break))}
                </button>
            </Show>
            <SaveOutcome write=save_rule />
        </form>
    }
}

/// A new bloc in a year; its set-up page opens once it exists.
#[component]
fn NewBlocForm(year: Year) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let navigate = leptos_router::hooks::use_navigate();
    let create_bloc = write(
        move |input| admin_api::create_bloc(year, input),
        move |created| navigate(&format!("/admin/{year}/blocs/{}", created.bloc_id), Default::default()),
    );
    let id = format!("new-bloc-{year}");
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = NewBloc { name: name.get_untracked().trim().to_owned() };
        // Other blocs' names are checked by the server, which knows them all.
        let found = validate_new_bloc(&input, &[]);
        let invalid = !found.is_empty();
        errors.set(found);
        if invalid {
            return;
        }
        create_bloc.dispatch(input);
    };
    let name_errors = errors_of(errors, "name");
    view! {
        <details class="override">
            <summary>{tr(|l| td_string!(l, admin.new_bloc))}</summary>
            <form class="form" novalidate on:submit=save>
                <TextField id=id.clone() label=|l| td_string!(l, admin.bloc_name) value=name errors=name_errors />
                <button type="submit" class="button button--secondary">{tr(|l| td_string!(l, admin.create_bloc))}</button>
                <SaveOutcome write=create_bloc />
            </form>
        </details>
    }
}

#[component]
fn NewYearForm(existing: Vec<Year>, on_change: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let latest = existing.iter().max().copied();
    let year = RwSignal::new(latest.map(|y| (y + 1).to_string()).unwrap_or_default());
    let copy_from = RwSignal::new(latest.map(|y| y.to_string()).unwrap_or_default());
    let types_from = RwSignal::new(latest.map(|y| y.to_string()).unwrap_or_default());
    // The source year's blocs, each to copy or not (all at first).
    let source = LocalResource::new(move || {
        let from = copy_from.get().parse::<Year>().ok();
        async move {
            match from {
                Some(y) => api::blocs(y).send().await,
                None => Ok(Vec::new()),
            }
        }
    });
    let skipped = RwSignal::new(Vec::<BlocId>::new());
    let errors = RwSignal::new(FieldErrors::new());
    let create_year = write(admin_api::create_year, move |_| on_change());
    let options = existing.clone();
    let types_options = existing.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found = FieldErrors::new();
        let parsed = year.get_untracked().trim().parse::<Year>();
        if parsed.is_err() {
            found.insert("year".into(), vec![FieldError::NotANumber]);
        }
        let from: Option<Year> = copy_from.get_untracked().parse().ok();
        let source_blocs: Vec<BlocId> =
            source.get_untracked().and_then(Result::ok).map(|b| b.iter().map(|b| b.id).collect()).unwrap_or_default();
        let skip = skipped.get_untracked();
        let input = NewYear {
            year: parsed.unwrap_or(0),
            copy_from: from,
            // Only when some are left out: the server copies all otherwise.
            blocs: (from.is_some() && source_blocs.iter().any(|b| skip.contains(b)))
                .then(|| source_blocs.iter().copied().filter(|b| !skip.contains(b)).collect()),
            award_types_from: if from.is_none() { types_from.get_untracked().parse().ok() } else { None },
        };
        if found.is_empty() {
            found = validate_new_year(&input, &existing, &source_blocs);
        }
        let invalid = !found.is_empty();
        errors.set(found);
        if invalid {
            return;
        }
        create_year.dispatch(input);
    };
    let year_errors = errors_of(errors, "year");
    view! {
        <form class="form" novalidate on:submit=save data-testid="new-year">
            <h2>{tr(|l| td_string!(l, admin.new_year))}</h2>
            <div class="field-row">
                <TextField id="new-year" label=|l| td_string!(l, admin.year) value=year errors=year_errors numeric=true />
                <div class="field">
                    <label for="copy-from">{tr(|l| td_string!(l, admin.copy_from))}</label>
                    <select id="copy-from" class="input" prop:value=move || copy_from.get() on:change=move |ev| copy_from.set(event_target_value(&ev))>
                        <option value="">{tr(|l| td_string!(l, admin.empty_year))}</option>
                        {options.into_iter().map(|y| view! { <option value=y.to_string()>{y}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <Show when=move || !copy_from.get().is_empty()>
                <fieldset data-testid="copy-blocs">
                    <legend>{tr(|l| td_string!(l, admin.copy_blocs))}</legend>
                    <Loaded resource=source let:blocs>
                        {blocs
                            .into_iter()
                            .map(|b| {
                                let id = format!("copy-bloc-{}", b.id);
                                let bloc = b.id;
                                view! {
                                    <div class="field--check">
                                        <input type="checkbox" id=id.clone()
                                            prop:checked=move || !skipped.with(|s| s.contains(&bloc))
                                            on:change=move |ev| {
                                                let keep = event_target_checked(&ev);
                                                skipped.update(|s| {
                                                    s.retain(|x| *x != bloc);
                                                    if !keep {
                                                        s.push(bloc);
                                                    }
                                                });
                                            } />
                                        <label for=id>{b.name}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </Loaded>
                    <FieldMessage id="copy-blocs-error".into() errors=errors_of(errors, "blocs") />
                </fieldset>
            </Show>
            <Show when=move || copy_from.get().is_empty()>
                <div class="field">
                    <label for="award-types-from">{tr(|l| td_string!(l, admin.award_types_from))}</label>
                    <select id="award-types-from" class="input" prop:value=move || types_from.get() on:change=move |ev| types_from.set(event_target_value(&ev))>
                        <option value="">{tr(|l| td_string!(l, admin.no_award_types))}</option>
                        {types_options.clone().into_iter().map(|y| view! { <option value=y.to_string()>{y}</option> }).collect_view()}
                    </select>
                </div>
            </Show>
            <button type="submit" class="button button--primary">{tr(|l| td_string!(l, admin.create_year))}</button>
            <SaveOutcome write=create_year />
        </form>
    }
}
