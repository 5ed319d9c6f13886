//! Staff edit a year's award types and their rules: quota, vote threshold, eligibility,
//! exclusivity, precedence and legal basis. Checked with the domain's own validation before
//! sending; the server checks again.

use leptos::either::Either;
use leptos::prelude::*;
use thidua_domain::award_types::{validate_award_type, AwardType, AwardTypeInput, VoteTieRule};
use thidua_domain::award_types::{Eligibility, ThresholdBase, VoteThreshold};
use thidua_domain::error::{FieldError, FieldErrors};
use thidua_domain::Year;

use crate::components::tally::base_text;
use crate::i18n::*;
use crate::staff::api::awards as awards_api;
use crate::staff::components::form::{errors_of, write, SaveOutcome, TextField};
use crate::staff::input::{decimal_comma, parse_count, parse_score, points_input};
use crate::text::tr;

/// The text fields of one award type's form, as typed.
#[derive(Clone, Copy)]
struct Fields {
    code: RwSignal<String>,
    name: RwSignal<String>,
    precedence: RwSignal<String>,
    quota: RwSignal<String>,
    numerator: RwSignal<String>,
    denominator: RwSignal<String>,
    strict: RwSignal<bool>,
    base: RwSignal<ThresholdBase>,
    exclusive: RwSignal<bool>,
    /// Checked: a tie in votes at the quota goes to the unit ranked higher in the bloc;
    /// unchecked: the conference decides.
    tie_by_rank: RwSignal<bool>,
    max_rank: RwSignal<String>,
    approved: RwSignal<bool>,
    min_total: RwSignal<String>,
    legal_basis: RwSignal<String>,
}

impl Fields {
    fn new(t: Option<&AwardType>, comma: bool) -> Fields {
        let s = |v: String| RwSignal::new(v);
        let rank = t.and_then(|t| {
            t.eligibility.iter().find_map(|e| match e {
                Eligibility::MaxRank { rank } => Some(rank.to_string()),
                _ => None,
            })
        });
        let min = t.and_then(|t| {
            t.eligibility.iter().find_map(|e| match e {
                Eligibility::MinTotal { points } => Some(points_input(*points, comma)),
                _ => None,
            })
        });
        let threshold = t.map(|t| t.threshold).unwrap_or(VoteThreshold::MORE_THAN_HALF);
        Fields {
            code: s(t.map(|t| t.code.clone()).unwrap_or_default()),
            name: s(t.map(|t| t.name.clone()).unwrap_or_default()),
            precedence: s(t.map(|t| t.precedence.to_string()).unwrap_or_default()),
            quota: s(t.map(|t| t.quota_per_bloc.to_string()).unwrap_or_default()),
            numerator: s(threshold.numerator.to_string()),
            denominator: s(threshold.denominator.to_string()),
            strict: RwSignal::new(threshold.strict),
            base: RwSignal::new(threshold.base),
            exclusive: RwSignal::new(t.is_none_or(|t| t.exclusive)),
            tie_by_rank: RwSignal::new(t.is_some_and(|t| t.vote_tie == VoteTieRule::BlocRank)),
            max_rank: s(rank.unwrap_or_default()),
            approved: RwSignal::new(t.is_some_and(|t| t.eligibility.contains(&Eligibility::ApprovedSheet))),
            min_total: s(min.unwrap_or_default()),
            legal_basis: s(t.map(|t| t.legal_basis.clone()).unwrap_or_default()),
        }
    }

    /// The input, or every field that does not parse.
    fn read(&self, others: &[AwardType]) -> Result<AwardTypeInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut whole = |key: &str, text: String, required: bool| -> Option<u32> {
            match parse_count(&text) {
                Ok(None) if required => {
                    errors.insert(key.into(), vec![FieldError::Required]);
                    None
                }
                Ok(n) => n,
                Err(e) => {
                    errors.insert(key.into(), vec![e]);
                    None
                }
            }
        };
        let precedence = whole("precedence", self.precedence.get_untracked(), true);
        let quota = whole("quota_per_bloc", self.quota.get_untracked(), true);
        let numerator = whole("threshold.numerator", self.numerator.get_untracked(), true);
        let denominator = whole("threshold.denominator", self.denominator.get_untracked(), true);
        let rank = whole("max_rank", self.max_rank.get_untracked(), false);
        let min_total = match parse_score(&self.min_total.get_untracked()) {
            Ok(p) => p,
            Err(e) => {
                errors.insert("min_total".into(), vec![e]);
                None
            }
        };
        // The eligibility list in a fixed order, so its errors map back to the fields.
        let mut eligibility = Vec::new();
        let mut keys = Vec::new();
        if let Some(rank) = rank {
            eligibility.push(Eligibility::MaxRank { rank });
            keys.push("max_rank");
        }
        if self.approved.get_untracked() {
            eligibility.push(Eligibility::ApprovedSheet);
            keys.push("approved");
        }
        if let Some(points) = min_total {
            eligibility.push(Eligibility::MinTotal { points });
            keys.push("min_total");
        }
        let input = AwardTypeInput {
            code: self.code.get_untracked().trim().to_owned(),
            name: self.name.get_untracked().trim().to_owned(),
            precedence: precedence.unwrap_or(1),
            quota_per_bloc: quota.unwrap_or(1),
            threshold: VoteThreshold {
                numerator: numerator.unwrap_or(1),
                denominator: denominator.unwrap_or(2),
                strict: self.strict.get_untracked(),
                base: self.base.get_untracked(),
            },
            eligibility,
            exclusive: self.exclusive.get_untracked(),
            vote_tie: if self.tie_by_rank.get_untracked() {
                VoteTieRule::BlocRank
            } else {
                VoteTieRule::ConferenceDecides
            },
            legal_basis: self.legal_basis.get_untracked().trim().to_owned(),
        };
        for (path, errs) in validate_award_type(&input, others) {
            let key = match path.strip_prefix("eligibility.").and_then(|i| i.parse::<usize>().ok()) {
                Some(i) => keys[i].to_owned(),
                None => path,
            };
            errors.entry(key).or_insert(errs);
        }
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

/// One award type's form; `existing` is `None` for a new one.
#[component]
pub fn AwardTypeForm(
    year: Year,
    existing: Option<AwardType>,
    /// The year's award types as last loaded: names and codes must differ from the others'.
    types: RwSignal<Vec<AwardType>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let comma = decimal_comma();
    let fields = Fields::new(existing.as_ref(), comma);
    let base = fields.base;
    let id = existing.as_ref().map(|t| t.id);
    let prefix = match id {
        Some(id) => format!("award-{id}"),
        None => "award-new".to_owned(),
    };
    let errors = RwSignal::new(FieldErrors::new());
    let save_type = write(
        move |input| async move {
            match id {
                Some(id) => awards_api::update_award_type(year, id, input).await,
                None => awards_api::create_award_type(year, input).await,
            }
        },
        move |saved: AwardType| {
            types.update(|all| match all.iter_mut().find(|t| t.id == saved.id) {
                Some(t) => *t = saved,
                None => all.push(saved),
            })
        },
    );
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let others: Vec<AwardType> = types.with_untracked(|t| t.iter().filter(|t| Some(t.id) != id).cloned().collect());
        match fields.read(&others) {
            Err(found) => {
                errors.set(found);
                save_type.clear();
            }
            Ok(input) => {
                errors.set(FieldErrors::new());
                save_type.dispatch(input);
            }
        }
    };
    let prefix = StoredValue::new(prefix);
    let text = move |key: &'static str, label: fn(Locale) -> &'static str, value: RwSignal<String>, numeric: bool| {
        let id = format!("{}-{key}", prefix.get_value());
        view! { <TextField id label value errors=errors_of(errors, key) numeric /> }
    };
    let check = move |key: &'static str, label: fn(Locale) -> &'static str, value: RwSignal<bool>| {
        let id = format!("{}-{key}", prefix.get_value());
        view! {
            <div class="field field--check">
                <input
                    type="checkbox"
                    id=id.clone()
                    prop:checked=move || value.get()
                    on:change=move |ev| value.set(event_target_checked(&ev))
                />
                <label for=id>{tr(label)}</label>
            </div>
        }
    };
    let basis_id = format!("{}-legal_basis", prefix.get_value());
    let basis_errors = errors_of(errors, "legal_basis");
    let title = existing.as_ref().map(|t| t.name.clone());
    view! {
        <form class="form award-type-form" novalidate on:submit=save data-testid="award-type-form">
            <h2>
                {match title {
                    Some(name) => Either::Left(name),
                    None => Either::Right(tr(|l| td_string!(l, rules.new_type))),
                }}
            </h2>
            {id.is_none().then(|| text("code", |l| td_string!(l, rules.code), fields.code, false))}
            {text("name", |l| td_string!(l, rules.name), fields.name, false)}
            <div class="field-row">
                {text("precedence", |l| td_string!(l, rules.precedence), fields.precedence, true)}
                {text("quota_per_bloc", |l| td_string!(l, rules.quota), fields.quota, true)}
            </div>
            <fieldset>
                <legend>{tr(|l| td_string!(l, rules.threshold))}</legend>
                <div class="field-row">
                    {text("threshold.numerator", |l| td_string!(l, rules.numerator), fields.numerator, true)}
                    {text("threshold.denominator", |l| td_string!(l, rules.denominator), fields.denominator, true)}
                </div>
                {check("strict", |l| td_string!(l, rules.strict), fields.strict)}
                {
                    let id = format!("{}-base", prefix.get_value());
                    let options = ThresholdBase::ALL
                        .into_iter()
                        .map(|b| view! {
                            <option value=b.as_str() selected=move || base.get() == b>
                                {move || base_text(b, i18n.get_locale())}
                            </option>
                        })
                        .collect_view();
                    view! {
                        <div class="field">
                            <label for=id.clone()>{tr(|l| td_string!(l, rules.base))}</label>
                            <select id=id class="input" on:change=move |ev| {
                                if let Some(b) = ThresholdBase::parse(&event_target_value(&ev)) {
                                    base.set(b);
                                }
                            }>{options}</select>
                        </div>
                    }
                }
            </fieldset>
            <fieldset>
                <legend>{tr(|l| td_string!(l, rules.eligibility))}</legend>
                {text("max_rank", |l| td_string!(l, rules.max_rank), fields.max_rank, true)}
                {check("approved", |l| td_string!(l, rules.approved), fields.approved)}
                {text("min_total", |l| td_string!(l, rules.min_total), fields.min_total, true)}
            </fieldset>
            {check("exclusive", |l| td_string!(l, rules.exclusive), fields.exclusive)}
            {check("tie_by_rank", |l| td_string!(l, rules.tie_by_rank), fields.tie_by_rank)}
            <TextField id=basis_id label=|l| td_string!(l, rules.legal_basis) value=fields.legal_basis errors=basis_errors rows=3 />
            <button type="submit" class="button button--primary">{tr(|l| td_string!(l, rules.save))}</button>
            <SaveOutcome write=save_type />
        </form>
    }
}
