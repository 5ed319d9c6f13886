//! The staff's side of a bloc's awards (the tally form is `tally_form`): overriding a derived proposal
//! with a written reason, publishing, and recording decisions. Every write answers the fresh
//! results, which replace the page's copy; forms keep what was typed until it is saved.

use leptos::either::Either;
use leptos::prelude::*;
use thidua_domain::award_types::AwardTypeId;
use thidua_domain::decisions::Decision;
use thidua_domain::error::{FieldError, FieldErrors};
use thidua_domain::publication::{check_publication, PublishProblem, PublishRefusal, PublishRequest};
use thidua_domain::results::BlocResults;
use thidua_domain::revisions::{check_change, ResultsChange, RevisionRefusal};
use thidua_domain::tally::{validate_override, AwardPermissions, Override};
use thidua_domain::{BlocId, UnitId, Year};

use crate::api::{self, ApiError, ApiResult};
use crate::components::tally::{state_text, CandidateOutcome};
use crate::i18n::*;
use crate::staff::api::awards as awards_api;
use crate::staff::components::decision_fields::{DecisionFields, DecisionInput};
use crate::staff::components::form::{SaveOutcome, TextField, Write};
use crate::staff::focus::{focus, focus_after_render};
use crate::text::tr;

/// The page's copy of the results and where they belong.
#[derive(Clone, Copy)]
pub struct Awards {
    pub results: RwSignal<BlocResults>,
    pub year: Year,
    pub bloc: BlocId,
    /// What the signed-in person may do here; the server decides again on every write.
    pub can: Memo<AwardPermissions>,
    /// Why published results change: the next revision carries it to the public.
    pub change_reason: RwSignal<String>,
    pub change_reason_errors: RwSignal<Vec<FieldError>>,
}

impl Awards {
    pub fn new(results: BlocResults, year: Year, bloc: BlocId, can: Memo<AwardPermissions>) -> Awards {
        let (change_reason, change_reason_errors) = (RwSignal::new(String::new()), RwSignal::new(Vec::new()));
        Awards { results: RwSignal::new(results), year, bloc, can, change_reason, change_reason_errors }
    }

    /// A write whose answer, the fresh results, replaces the page's copy. While the results
    /// are published, the domain's `check_change` asks for the written reason first (nothing
    /// is sent without one) and the write carries it. On `stale_version` the latest results
    /// are fetched so the next try starts from them.
    pub(crate) fn write<I, Fu>(
        self,
        change: ResultsChange,
        send: impl Fn(I, Option<String>) -> Fu + 'static,
    ) -> Write<I>
    where
        I: Clone + 'static,
        Fu: std::future::Future<Output = ApiResult<BlocResults>> + 'static,
    {
        let send = std::rc::Rc::new(send);
        Action::new_local(move |input: &I| {
            let published = self.results.with_untracked(|r| r.published);
            let typed = self.change_reason.get_untracked();
            let checked = check_change(change, published, Some(&typed));
            let request = checked.clone().ok().map(|reason| send(input.clone(), reason));
            async move {
                let Some(request) = request else {
                    let errors = match checked {
                        Err(RevisionRefusal::Invalid(fields)) => fields.get("reason").cloned().unwrap_or_default(),
                        _ => vec![FieldError::Required],
                    };
                    self.change_reason_errors.set(errors);
                    focus("change-reason");
                    return Err(ApiError::Invalid);
                };
                match request.await {
                    Ok(results) => {
                        if results.published || published {
                            // A revision took this reason; the next change needs its own.
                            self.change_reason.set(String::new());
                        }
                        self.change_reason_errors.set(Vec::new());
                        self.results.set(results);
                        Ok(())
                    }
                    Err(error) => {
                        if matches!(&error, ApiError::Conflict { code } if code == "stale_version") {
                            if let Ok(latest) = api::results(self.year, self.bloc).send().await {
                                self.results.set(latest);
                            }
                        }
                        Err(error)
                    }
                }
            }
        })
    }
}

/// Every candidate with what the rules made of it, and a way to decide otherwise in writing.
#[component]
pub fn Candidates(awards: Awards) -> impl IntoView {
    let types = StoredValue::new(awards.results.get_untracked().award_types);
    let candidates = move || awards.results.with(|r| r.candidates.clone());
    let name_of = move |unit: UnitId| {
        awards.results.with_untracked(|r| r.ranking.iter().find(|x| x.unit.id == unit).map(|x| x.unit.name.clone()))
    };
    let award_name = move |award: AwardTypeId| {
        types.with_value(|t| t.iter().find(|x| x.id == award).map(|x| x.name.clone()).unwrap_or_default())
    };
    view! {
        {move || candidates().is_empty().then(|| view! { <p class="empty">{tr(|l| td_string!(l, awards.no_tally))}</p> })}
        <ul class="candidates" data-testid="candidates">
            <For
                each=candidates
                key=|c| (c.unit_id, c.award_type_id, c.proposed, c.override_reason.clone(), c.votes, c.broken.len())
                let:c
            >
                <li class="candidate" data-testid="candidate">
                    <p class="candidate__title">
                        <strong>{name_of(c.unit_id).unwrap_or_default()}</strong>
                        " · " {award_name(c.award_type_id)} " · "
                        {c.votes} " " {tr(|l| td_string!(l, awards.votes_word))}
                    </p>
                    <CandidateOutcome candidate=c.clone() types />
                    {move || awards.can.get().decide.then(|| view! {
                        <OverrideForm awards unit=c.unit_id award=c.award_type_id proposed=c.proposed overridden=c.override_reason.is_some() />
                    })}
                </li>
            </For>
        </ul>
    }
}

/// Propose or not against the rules, with a reason that the public page shows.
#[component]
fn OverrideForm(awards: Awards, unit: UnitId, award: AwardTypeId, proposed: bool, overridden: bool) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let save_override = awards
        .write(ResultsChange::Override, move |o, why| awards_api::save_override(awards.year, awards.bloc, o, why));
    let remove_override = awards.write(ResultsChange::Override, move |(), why| {
        awards_api::remove_override(awards.year, awards.bloc, unit, award, why)
    });
    let id = format!("reason-{unit}-{award}");
    // The reason's own errors, and the domain's refusal of the override itself (not a
    // candidate, a sheet not approved), beside the one field the form has.
    let reason_errors = Signal::derive(move || {
        errors.with(|e| {
            ["reason", "propose", "unit_id"].iter().flat_map(|k| e.get(*k).cloned().unwrap_or_default()).collect()
        })
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let o = Override {
            unit_id: unit,
            award_type_id: award,
            propose: !proposed,
            reason: reason.get_untracked().trim().to_owned(),
        };
        let found = awards.results.with_untracked(|r| {
            let ranked: Vec<UnitId> = r.ranking.iter().map(|x| x.unit.id).collect();
            validate_override(&o, r.tally.as_ref(), &ranked)
        });
        let invalid = !found.is_empty();
        errors.set(found);
        if !invalid {
            save_override.dispatch(o);
        }
    };
    let remove = move |_| {
        remove_override.dispatch(());
    };
    let published = move || awards.results.with(|r| r.published);
    view! {
        <Show when=move || !published()>
            {if overridden {
                Either::Left(view! {
                    <button type="button" class="button button--secondary" on:click=remove>
                        {tr(|l| td_string!(l, awards.remove_override))}
                    </button>
                })
            } else {
                let id = id.clone();
                Either::Right(view! {
                    <details class="override">
                        <summary>
                            {if proposed { tr(|l| td_string!(l, awards.override_drop)) } else { tr(|l| td_string!(l, awards.override_propose)) }}
                        </summary>
                        <form class="form" novalidate on:submit=save>
                            <TextField id=id.clone() label=|l| td_string!(l, awards.override_reason) value=reason errors=reason_errors rows=2 />
                            <button type="submit" class="button button--primary">{tr(|l| td_string!(l, awards.override_save))}</button>
                        </form>
                    </details>
                })
            }}
        </Show>
        <SaveOutcome write=save_override reloaded=true />
        <SaveOutcome write=remove_override reloaded=true />
    }
}

/// Publish or unpublish. The server decides: while the results have problems (the domain's
/// `publication_problems`, the same list the server checks), publishing lists them all and
/// needs a written reason, which the public page shows beside the results.
#[component]
pub fn Publication(awards: Awards) -> impl IntoView {
    let i18n = use_i18n();
    let confirming = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let reason_errors = RwSignal::new(Vec::<FieldError>::new());
    let publish_write = Action::new_local(move |request: &PublishRequest| {
        let request = awards_api::publish(awards.year, awards.bloc, request.clone());
        async move {
            let results = request.await?;
            awards.results.set(results);
            Ok(())
        }
    });
    let unpublish_write =
        awards.write(ResultsChange::Withdrawal, move |(), why| awards_api::unpublish(awards.year, awards.bloc, why));
    let published = move || awards.results.with(|r| r.published);
    let problem_lines = move || {
        awards.results.with(|r| r.problems.iter().map(|p| problem_text(p, r, i18n.get_locale())).collect::<Vec<_>>())
    };
    let publish = move |_| {
        let problems = awards.results.with_untracked(|r| r.problems.clone());
        if problems.is_empty() {
            publish_write.dispatch(PublishRequest::default());
        } else {
            confirming.set(true);
            focus_after_render("publish-confirm-title");
        }
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = PublishRequest {
            acknowledge: awards.results.with_untracked(|r| r.problems.clone()),
            reason: reason.get_untracked(),
        };
        // The same check as the server's, before sending.
        match check_publication(&request.acknowledge, &request) {
            Err(PublishRefusal::Invalid(fields)) => {
                reason_errors.set(fields.get("reason").cloned().unwrap_or_default());
                focus_after_render("publish-reason");
            }
            _ => {
                reason_errors.set(Vec::new());
                confirming.set(false);
                publish_write.dispatch(request);
            }
        }
    };
    view! {
        <p data-testid="publication-state">
            {move || if published() { t_string!(i18n, awards.is_published) } else { t_string!(i18n, awards.is_unpublished) }}
        </p>
        {move || {
            if !awards.can.get().decide {
                Either::Left(Either::Left(()))
            } else if confirming.get() {
                let lines = problem_lines();
                Either::Left(Either::Right(view! {
                    <form class="confirm" novalidate on:submit=confirm aria-labelledby="publish-confirm-title" data-testid="publish-confirm">
                        <h3 id="publish-confirm-title" tabindex="-1">{tr(|l| td_string!(l, awards.confirm_title))}</h3>
                        <p>{tr(|l| td_string!(l, awards.confirm_body))}</p>
                        <ul class="confirm__list" data-testid="flagged-list">
                            {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                        </ul>
                        <TextField id="publish-reason" label=|l| td_string!(l, awards.reason_label) value=reason errors=reason_errors rows=3 />
                        <div class="actions">
                            <button type="submit" class="button button--primary" data-testid="confirm-publish">
                                {tr(|l| td_string!(l, awards.publish_anyway))}
                            </button>
                            <button type="button" class="button button--secondary" on:click=move |_| confirming.set(false)>
                                {tr(|l| td_string!(l, sheet.cancel))}
                            </button>
                        </div>
                    </form>
                }))
            } else if published() {
                Either::Right(Either::Left(view! {
                    <button type="button" class="button button--secondary" data-testid="unpublish" on:click=move |_| { unpublish_write.dispatch(()); }>
                        {tr(|l| td_string!(l, awards.unpublish))}
                    </button>
                }))
            } else {
                Either::Right(Either::Right(view! {
                    <button type="button" class="button button--primary" data-testid="publish" on:click=publish>
                        {tr(|l| td_string!(l, awards.publish))}
                    </button>
                }))
            }
        }}
        <SaveOutcome write=publish_write reloaded=true />
        <SaveOutcome write=unpublish_write />
    }
}

/// While the results are published, every change (a decision, the tally, an override, the
/// withdrawal) makes a new public revision: the reason for it is written here first.
#[component]
pub fn ChangeReason(awards: Awards) -> impl IntoView {
    view! {
        <Show when=move || awards.results.with(|r| r.published) && { let can = awards.can.get(); can.decide || can.enter_tally }>
            <div class="notice change-reason" data-testid="change-reason">
                <p>{tr(|l| td_string!(l, awards.change_reason_intro))}</p>
                <TextField id="change-reason" label=|l| td_string!(l, awards.change_reason) value=awards.change_reason
                    errors=awards.change_reason_errors rows=2 />
            </div>
        </Show>
    }
}

/// One decision form per proposed unit: number, date and issuer.
#[component]
pub fn Decisions(awards: Awards) -> impl IntoView {
    let proposed = move || {
        awards.results.with(|r| {
            r.awards
                .iter()
                .flat_map(|g| {
                    g.units.iter().map(move |u| {
                        (u.unit.id, u.unit.name.clone(), g.award_type.id, g.award_type.name.clone(), u.decision.clone())
                    })
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        {move || proposed().is_empty().then(|| view! { <p class="empty">{tr(|l| td_string!(l, results.no_awards))}</p> })}
        <For each=proposed key=|p| (p.0, p.2) let:p>
            <DecisionForm awards unit=p.0 unit_name=p.1 award=p.2 award_name=p.3 decision=p.4 />
        </For>
    }
}

#[component]
fn DecisionForm(
    awards: Awards,
    unit: UnitId,
    unit_name: String,
    award: AwardTypeId,
    award_name: String,
    decision: Option<Decision>,
) -> impl IntoView {
    let input = DecisionInput::new(decision);
    let save_decision = awards.write(ResultsChange::Decision, move |d, why| {
        awards_api::save_decision(awards.year, awards.bloc, unit, award, d, why)
    });
    let prefix = format!("decision-{unit}-{award}");
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(d) = input.checked() {
            save_decision.dispatch(d);
        }
    };
    view! {
        <form class="form decision-form" novalidate on:submit=save data-testid="decision-form">
            <h3>{unit_name} " · " {award_name}</h3>
            <DecisionFields input prefix />
            <button type="submit" class="button button--primary">{tr(|l| td_string!(l, awards.save_decision))}</button>
            <SaveOutcome write=save_decision reloaded=true />
        </form>
    }
}

/// One publication problem in words, in the reader's language.
fn problem_text(p: &PublishProblem, r: &BlocResults, locale: Locale) -> String {
    let unit = |id: UnitId| {
        r.ranking
            .iter()
            .map(|x| &x.unit)
            .chain(r.unranked.iter().map(|x| &x.unit))
            .find(|u| u.id == id)
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let award = |id: AwardTypeId| r.award_types.iter().find(|t| t.id == id).map(|t| t.name.clone()).unwrap_or_default();
    match p {
        PublishProblem::NoTally => td_string!(locale, awards.problem_no_tally).to_string(),
        PublishProblem::SheetNotApproved { unit_id, state } => {
            td_string!(locale, awards.problem_unapproved, unit = unit(*unit_id), state = state_text(*state, locale))
                .to_string()
        }
        PublishProblem::VoteTie { award_type_id, unit_ids } => {
            let units: Vec<String> = unit_ids.iter().map(|u| unit(*u)).collect();
            td_string!(locale, awards.problem_tie, award = award(*award_type_id), units = units.join(", ")).to_string()
        }
        PublishProblem::OverQuota { award_type_id, quota, proposed } => td_string!(
            locale,
            awards.problem_over_quota,
            award = award(*award_type_id),
            proposed = *proposed,
            quota = *quota
        )
        .to_string(),
        PublishProblem::BelowThreshold { award_type_id, unit_id } => {
            td_string!(locale, awards.problem_below_threshold, award = award(*award_type_id), unit = unit(*unit_id))
                .to_string()
        }
        PublishProblem::NotEligible { award_type_id, unit_id } => {
            td_string!(locale, awards.problem_not_eligible, award = award(*award_type_id), unit = unit(*unit_id))
                .to_string()
        }
    }
}
