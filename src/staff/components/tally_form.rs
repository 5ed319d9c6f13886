//! The acclaim vote typed in from a counting record (or completed after a count in the
//! product): the voters present and every member's votes per award type, and what the
//! thresholds count on where it is not the voters present: the valid ballots per award type,
//! the body's total membership and the absent members' written opinions.

use leptos::prelude::*;
use thidua_domain::award_types::{AwardTypeId, ThresholdBase};
use thidua_domain::error::{FieldError, FieldErrors};
use thidua_domain::revisions::ResultsChange;
use thidua_domain::tally::{validate_tally, Tally, TallyEntry, TallyUpdate};
use thidua_domain::thresholds::ValidBallots;
use thidua_domain::UnitId;

use crate::i18n::*;
use crate::staff::api::awards as awards_api;
use crate::staff::components::award_admin::Awards;
use crate::staff::components::field_error::FieldMessage;
use crate::staff::components::form::{errors_of, SaveOutcome};
use crate::staff::focus::focus;
use crate::staff::input::parse_count;
use crate::text::tr;

type Cells = StoredValue<Vec<(UnitId, AwardTypeId, RwSignal<String>)>>;

/// One grid's cells (a unit × an award type), filled from `entries`.
fn cells(units: &[(UnitId, String)], types: &[(AwardTypeId, String)], entries: &[TallyEntry]) -> Cells {
    let of = |u, a| entries.iter().find(|e| e.unit_id == u && e.award_type_id == a).map(|e| e.votes.to_string());
    StoredValue::new(
        units
            .iter()
            .flat_map(|(u, _)| types.iter().map(move |(a, _)| (*u, *a)))
            .map(|(u, a)| (u, a, RwSignal::new(of(u, a).unwrap_or_default())))
            .collect(),
    )
}

/// The grid's entries (empty cells left out) with each one's input id, or the cells' errors.
fn read(cells: Cells, prefix: &str, found: &mut FieldErrors) -> (Vec<TallyEntry>, Vec<String>) {
    let (mut entries, mut keys) = (Vec::new(), Vec::new());
    cells.with_value(|cells| {
        for (u, a, text) in cells {
            match parse_count(&text.get_untracked()) {
                Ok(Some(votes)) => {
                    entries.push(TallyEntry { unit_id: *u, award_type_id: *a, votes });
                    keys.push(format!("{prefix}-{u}-{a}"));
                }
                Ok(None) => {}
                Err(e) => {
                    found.insert(format!("{prefix}-{u}-{a}"), vec![e]);
                }
            }
        }
    });
    (entries, keys)
}

/// A count field of the form, with its message below.
fn count_field(
    id: String,
    label: impl Fn() -> String + Send + Sync + 'static,
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let errs = errors_of(errors, id.clone());
    let err_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input type="text" inputmode="numeric" class="input input--count" id=id aria-describedby=err_id.clone()
                aria-invalid=move || (!errs.get().is_empty()).to_string()
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            <FieldMessage id=err_id errors=errs />
        </div>
    }
}

/// The unit × award type grid of `cells`.
fn grid(
    cells: Cells,
    units: &[(UnitId, String)],
    types: &[(AwardTypeId, String)],
    prefix: &'static str,
    caption: impl Fn() -> &'static str + Send + Sync + 'static,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let head = types.iter().map(|(_, name)| view! { <th scope="col" class="num">{name.clone()}</th> }).collect_view();
    let rows = units
        .iter()
        .map(|(u, name)| {
            let u = *u;
            let inputs = types
                .iter()
                .map(|(a, award)| {
                    let a = *a;
                    let id = format!("{prefix}-{u}-{a}");
                    let err_id = format!("{id}-error");
                    let text = cells
                        .with_value(|c| c.iter().find(|(x, y, _)| *x == u && *y == a).map(|(_, _, t)| *t))
                        .expect("the cells are every member times every award type");
                    let errs = errors_of(errors, id.clone());
                    view! {
                        <td class="num">
                            <input type="text" inputmode="numeric" class="input input--count" id=id
                                aria-label=format!("{name} · {award}") aria-describedby=err_id.clone()
                                aria-invalid=move || (!errs.get().is_empty()).to_string()
                                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) />
                            <FieldMessage id=err_id errors=errs />
                        </td>
                    }
                })
                .collect_view();
            view! { <tr><th scope="row">{name.clone()}</th>{inputs}</tr> }
        })
        .collect_view();
    let caption_id = format!("{prefix}-caption");
    view! {
        <div class="table-scroll" role="region" aria-labelledby=caption_id.clone() tabindex="0">
            <table class="tally-grid">
                <caption id=caption_id.clone()>{caption}</caption>
                <thead><tr><th scope="col">{tr(|l| td_string!(l, results.unit))}</th>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Voters present and the votes of every member for every award type, as on the ballots;
/// where an award type's threshold counts on another base, what that base needs.
#[component]
pub fn TallyForm(awards: Awards) -> impl IntoView {
    let i18n = use_i18n();
    let start = awards.results.get_untracked();
    let tally = start.tally.clone().unwrap_or_default();
    let text = |n: Option<u32>| RwSignal::new(n.map(|n| n.to_string()).unwrap_or_default());
    let voters = text(start.tally.as_ref().map(|t| t.voters_present));
    let membership = text(tally.membership);
    // Every member takes votes, ranked or not (a unit without an approved sheet can be voted
    // for; the rules then say why it is not proposed).
    let units: Vec<(UnitId, String)> = start
        .ranking
        .iter()
        .map(|r| &r.unit)
        .chain(start.unranked.iter().map(|r| &r.unit))
        .map(|u| (u.id, u.name.clone()))
        .collect();
    let types: Vec<(AwardTypeId, String)> = start.award_types.iter().map(|t| (t.id, t.name.clone())).collect();
    let on = |base| start.award_types.iter().any(|t| t.threshold.base == base);
    let (on_valid, on_members) = (on(ThresholdBase::ValidBallots), on(ThresholdBase::Membership));
    let votes = cells(&units, &types, &tally.votes);
    let written = cells(&units, &types, &tally.written);
    let valid: Vec<(AwardTypeId, String, RwSignal<String>)> = start
        .award_types
        .iter()
        .map(|t| {
            let v = tally.valid.iter().find(|v| v.award_type_id == t.id).map(|v| v.valid);
            (t.id, t.name.clone(), text(v))
        })
        .collect();
    let valid = StoredValue::new(valid);
    let errors = RwSignal::new(FieldErrors::new());
    let save_tally = awards
        .write(ResultsChange::Tally, move |update, why| awards_api::save_tally(awards.year, awards.bloc, update, why));

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found = FieldErrors::new();
        let mut count = |key: &str, value: &str, required: bool| match parse_count(value) {
            Ok(Some(n)) => Some(n),
            Ok(None) => {
                if required {
                    found.insert(key.into(), vec![FieldError::Required]);
                }
                None
            }
            Err(e) => {
                found.insert(key.into(), vec![e]);
                None
            }
        };
        let voters_present = count("voters", &voters.get_untracked(), true).unwrap_or(0);
        let membership_n = count("membership", &membership.get_untracked(), false);
        let mut valid_entries = Vec::new();
        let mut valid_keys = Vec::new();
        valid.with_value(|v| {
            for (a, _, text) in v {
                let key = format!("valid-{a}");
                if let Some(n) = count(&key, &text.get_untracked(), false) {
                    valid_entries.push(ValidBallots { award_type_id: *a, valid: n });
                    valid_keys.push(key);
                }
            }
        });
        let (entries, keys) = read(votes, "votes", &mut found);
        let (written_entries, written_keys) = read(written, "written", &mut found);
        let tally = Tally {
            voters_present,
            votes: entries,
            membership: membership_n,
            valid: valid_entries,
            written: written_entries,
        };
        if found.is_empty() {
            let (members, award_ids) = awards.results.with_untracked(|r| {
                (
                    r.ranking.iter().map(|r| r.unit.id).chain(r.unranked.iter().map(|r| r.unit.id)).collect::<Vec<_>>(),
                    r.award_types.iter().map(|t| t.id).collect::<Vec<_>>(),
                )
            });
            for (path, errs) in validate_tally(&tally, &members, &award_ids) {
                // `tally.votes.{i}.votes` → that cell; `tally.written.{i}…`, `tally.valid.{i}…`
                // → theirs; `tally.membership` and `tally.voters_present` → those fields.
                let mut parts = path.split('.').skip(1);
                let (list, index) = (parts.next(), parts.next().and_then(|i| i.parse::<usize>().ok()));
                let key = match (list, index) {
                    (Some("votes"), Some(i)) => keys[i].clone(),
                    (Some("written"), Some(i)) => written_keys[i].clone(),
                    (Some("valid"), Some(i)) => valid_keys[i].clone(),
                    (Some("membership"), _) => "membership".into(),
                    _ => "voters".into(),
                };
                found.entry(key).or_default().extend(errs);
            }
        }
        let first = found.keys().next().cloned();
        errors.set(found);
        if let Some(first) = first {
            focus(&first);
            return;
        }
        let version = awards.results.with_untracked(|r| r.version);
        save_tally.dispatch(TallyUpdate { tally, version });
    };

    let bases = (on_valid || on_members).then(|| {
        let valid_fields = on_valid.then(|| {
            valid
                .get_value()
                .into_iter()
                .map(|(a, name, value)| {
                    let label = move || t_string!(i18n, awards.valid_label, award = name.clone()).to_string();
                    count_field(format!("valid-{a}"), label, value, errors)
                })
                .collect_view()
        });
        let members_fields = on_members.then(|| {
            let label = move || t_string!(i18n, awards.membership_label).to_string();
            view! {
                {count_field("membership".into(), label, membership, errors)}
                {grid(written, &units, &types, "written", tr(|l| td_string!(l, awards.written_caption)), errors)}
            }
        });
        view! {
            <fieldset class="tally-bases">
                <legend>{tr(|l| td_string!(l, awards.bases_title))}</legend>
                {valid_fields}
                {members_fields}
            </fieldset>
        }
    });
    let voters_label = move || t_string!(i18n, awards.voters_label).to_string();
    view! {
        <form class="form tally-form" novalidate on:submit=save data-testid="tally-form">
            {count_field("voters".into(), voters_label, voters, errors)}
            {grid(votes, &units, &types, "votes", tr(|l| td_string!(l, awards.grid_caption)), errors)}
            {bases}
            <button type="submit" class="button button--primary" data-testid="save-tally">
                {tr(|l| td_string!(l, awards.save_tally))}
            </button>
            <SaveOutcome write=save_tally reloaded=true />
        </form>
    }
}
