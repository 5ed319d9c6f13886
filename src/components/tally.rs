//! The acclaim vote (suy tôn) and what the award rules made of it: per award type, every unit
//! that received votes, its share, and either "proposed" or each rule it failed with the
//! rule's legal basis. The same table serves the public page and the staff's awards page.

use leptos::either::Either;
use leptos::prelude::*;
use thidua_domain::award_types::AwardType;
use thidua_domain::award_types::{Eligibility, ThresholdBase, VoteThreshold, VoteTieRule};
use thidua_domain::results::{BlocResults, NotVerified};
use thidua_domain::tally::{Broken, Candidate, TallyMethod};

use crate::format;
use crate::i18n::*;
use crate::text::tr;

/// "more than 1/2" / "at least 2/3" of the votes cast.
pub fn threshold_text(t: VoteThreshold, locale: Locale) -> String {
    let share = format!("{}/{}", t.numerator, t.denominator);
    match (t.strict, t.base) {
        (true, ThresholdBase::VotersPresent) => td_string!(locale, awards.more_than, share = share).to_string(),
        (false, ThresholdBase::VotersPresent) => td_string!(locale, awards.at_least, share = share).to_string(),
        (true, ThresholdBase::ValidBallots) => td_string!(locale, awards.more_than_valid, share = share).to_string(),
        (false, ThresholdBase::ValidBallots) => td_string!(locale, awards.at_least_valid, share = share).to_string(),
        (true, ThresholdBase::Membership) => td_string!(locale, awards.more_than_members, share = share).to_string(),
        (false, ThresholdBase::Membership) => td_string!(locale, awards.at_least_members, share = share).to_string(),
    }
}

/// What a threshold's base is, in words.
pub fn base_text(base: ThresholdBase, locale: Locale) -> &'static str {
    match base {
        ThresholdBase::VotersPresent => td_string!(locale, awards.base_voters),
        ThresholdBase::ValidBallots => td_string!(locale, awards.base_valid),
        ThresholdBase::Membership => td_string!(locale, awards.base_members),
    }
}

/// One broken rule in words, in the reader's language.
pub fn broken_text(b: &Broken, types: &[AwardType], locale: Locale) -> String {
    match b {
        Broken::Threshold { votes, voters, threshold } => td_string!(
            locale,
            awards.broken_threshold,
            votes = *votes,
            voters = *voters,
            needed = threshold_text(*threshold, locale)
        )
        .to_string(),
        Broken::Eligibility { condition } => {
            let condition = match condition {
                Eligibility::MaxRank { rank } => td_string!(locale, awards.cond_rank, rank = *rank).to_string(),
                Eligibility::ApprovedSheet => td_string!(locale, awards.cond_approved).to_string(),
                Eligibility::MinTotal { points } => {
                    td_string!(locale, awards.cond_min_total, points = format::points(*points, locale)).to_string()
                }
            };
            td_string!(locale, awards.broken_eligibility, condition = condition).to_string()
        }
        Broken::Precedence { higher } => {
            let name = types.iter().find(|t| t.id == *higher).map(|t| t.name.clone()).unwrap_or_default();
            td_string!(locale, awards.broken_precedence, award = name).to_string()
        }
        Broken::Quota { quota } => td_string!(locale, awards.broken_quota, quota = *quota).to_string(),
        Broken::TieAtQuota { quota } => td_string!(locale, awards.broken_tie, quota = *quota).to_string(),
        Broken::SheetNotApproved => td_string!(locale, awards.broken_not_verified).to_string(),
        Broken::BaseMissing { base } => {
            td_string!(locale, awards.broken_base_missing, base = base_text(*base, locale)).to_string()
        }
    }
}

/// Where an unapproved sheet stands, in words.
pub fn state_text(state: NotVerified, locale: Locale) -> String {
    match state {
        NotVerified::NoSheet => td_string!(locale, results.state_no_sheet),
        NotVerified::Draft => td_string!(locale, results.state_draft),
        NotVerified::Submitted => td_string!(locale, results.state_submitted),
        NotVerified::Returned => td_string!(locale, results.state_returned),
    }
    .to_string()
}

/// The outcome of one candidate: proposed, or the rules it failed; and the written reason if
/// staff decided against the rules.
#[component]
pub fn CandidateOutcome(candidate: Candidate, types: StoredValue<Vec<AwardType>>) -> impl IntoView {
    let i18n = use_i18n();
    let broken = candidate.broken.clone();
    let reason = candidate.override_reason.clone();
    view! {
        <div class="outcome" data-testid="outcome">
            {if candidate.proposed {
                Either::Left(view! { <span class="badge badge--proposed">{tr(|l| td_string!(l, results.proposed))}</span> })
            } else {
                Either::Right(view! { <span class="badge badge--muted">{tr(|l| td_string!(l, awards.not_proposed))}</span> })
            }}
            <ul class="broken">
                {broken
                    .into_iter()
                    .map(|b| {
                        let basis = b.legal_basis.clone();
                        let code = rule_code(&b.broken);
                        view! {
                            <li data-testid="broken-rule" data-rule=code>
                                {move || types.with_value(|t| broken_text(&b.broken, t, i18n.get_locale()))}
                                {(!basis.is_empty()).then(|| view! { <span class="broken__basis">" (" {basis} ")"</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {reason.map(|reason| view! {
                <p class="override-reason" data-testid="override-reason">
                    <strong>{tr(|l| td_string!(l, awards.override_by_staff))}</strong> " " {reason}
                </p>
            })}
        </div>
    }
}

fn rule_code(b: &Broken) -> &'static str {
    match b {
        Broken::Threshold { .. } => "threshold",
        Broken::Eligibility { .. } => "eligibility",
        Broken::Precedence { .. } => "precedence",
        Broken::Quota { .. } => "quota",
        Broken::TieAtQuota { .. } => "tie_at_quota",
        Broken::SheetNotApproved => "sheet_not_approved",
        Broken::BaseMissing { .. } => "base_missing",
    }
}

/// The tally section of the results page.
#[component]
pub fn TallyTable(results: BlocResults) -> impl IntoView {
    let i18n = use_i18n();
    let Some(tally) = results.tally.clone() else {
        return Either::Left(view! { <p class="empty">{tr(|l| td_string!(l, awards.no_tally))}</p> });
    };
    let voters = tally.voters_present;
    let types = StoredValue::new(results.award_types.clone());
    let unit_name = |id| {
        let ranked = results.ranking.iter().map(|r| &r.unit);
        ranked
            .chain(results.unranked.iter().map(|r| &r.unit))
            .find(|u| u.id == id)
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let groups = results
        .award_types
        .iter()
        .filter(|t| results.candidates.iter().any(|c| c.award_type_id == t.id))
        .map(|t| {
            let threshold = t.threshold;
            let rows = results
                .candidates
                .iter()
                .filter(|c| c.award_type_id == t.id)
                .map(|c| {
                    let votes = c.votes;
                    view! {
                        <tr data-testid="tally-row">
                            <th scope="row">{unit_name(c.unit_id)}</th>
                            <td class="num">{votes} "/" {voters}</td>
                            <td><CandidateOutcome candidate=c.clone() types /></td>
                        </tr>
                    }
                })
                .collect_view();
            let quota = t.quota_per_bloc;
            // A tie in votes at the quota: flagged, every unit named, with the award type's
            // rule (and its legal basis) next to the result.
            let ties = results
                .vote_ties
                .iter()
                .filter(|v| v.award_type_id == t.id)
                .map(|v| {
                    let units: Vec<String> = v.unit_ids.iter().map(|&u| unit_name(u)).collect();
                    let (votes, places, rule, settled) = (v.votes, v.places, v.rule, v.settled);
                    let basis = v.legal_basis.clone();
                    let award = t.name.clone();
                    view! {
                        <p class="notice notice--warn vote-tie" role="note" data-testid="vote-tie">
                            {move || {
                                let locale = i18n.get_locale();
                                let how = match rule {
                                    VoteTieRule::BlocRank => td_string!(locale, results.tie_by_rank),
                                    VoteTieRule::ConferenceDecides => td_string!(locale, results.tie_conference),
                                };
                                let open = if settled { "" } else { td_string!(locale, results.tie_open) };
                                format!(
                                    "{} {how} {open}",
                                    td_string!(
                                        locale,
                                        results.vote_tie,
                                        votes = votes,
                                        places = places,
                                        award = award.clone(),
                                        units = units.join(", ")
                                    )
                                )
                            }}
                            {(!basis.is_empty()).then(|| view! { <span class="broken__basis">" (" {basis.clone()} ")"</span> })}
                        </p>
                    }
                })
                .collect_view();
            view! {
                <section class="tally-group" data-testid="tally-group">
                    <h3>{t.name.clone()}</h3>
                    {ties}
                    <p class="award-group__meta">
                        {move || {
                            let locale = i18n.get_locale();
                            format!(
                                "{} · {}",
                                td_string!(locale, results.quota, count = quota),
                                td_string!(locale, awards.needs, needed = threshold_text(threshold, locale))
                            )
                        }}
                    </p>
                    <div class="table-scroll">
                        <table class="tally">
                            <thead>
                                <tr>
                                    <th scope="col">{tr(|l| td_string!(l, results.unit))}</th>
                                    <th scope="col" class="num">{tr(|l| td_string!(l, awards.votes))}</th>
                                    <th scope="col">{tr(|l| td_string!(l, awards.outcome))}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                </section>
            }
        })
        .collect_view();
    // How the tally was made: the public can tell a count made ballot by ballot in the product
    // from figures typed in from a count made elsewhere.
    let counted = results.tally_method == Some(TallyMethod::Counted);
    let (counted_text, entered_text) =
        (tr(|l| td_string!(l, awards.tally_counted)), tr(|l| td_string!(l, awards.tally_entered)));
    Either::Right(view! {
        <p data-testid="voters-present">{move || t_string!(i18n, awards.voters_present, count = voters).to_string()}</p>
        <p class="muted" data-testid="tally-method">
            {move || if counted { counted_text() } else { entered_text() }}
        </p>
        {groups}
    })
}
