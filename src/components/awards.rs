use leptos::either::Either;
use leptos::prelude::*;
use thidua_domain::results::AwardGroup;

use crate::format;
use crate::i18n::*;
use crate::text::tr;

/// Proposals grouped by award type, highest award first. "Proposed" and "awarded by
/// decision" look and read differently: they are different facts.
#[component]
pub fn AwardList(groups: Vec<AwardGroup>) -> impl IntoView {
    let i18n = use_i18n();
    if groups.is_empty() {
        return Either::Left(view! { <p class="empty">{tr(|l| td_string!(l, results.no_awards))}</p> });
    }
    let groups = groups
        .into_iter()
        .map(|group| {
            let quota = group.award_type.quota_per_bloc;
            let basis = group.award_type.legal_basis.clone();
            let units = group
                .units
                .into_iter()
                .map(|proposed| {
                    let status = match proposed.decision {
                        None => Either::Left(view! {
                            <span class="badge badge--proposed">{tr(|l| td_string!(l, results.proposed))}</span>
                        }),
                        Some(d) => Either::Right(view! {
                            <span class="badge badge--awarded">{tr(|l| td_string!(l, results.awarded))}</span>
                            <span class="decision">
                                {move || {
                                    t_string!(
                                        i18n,
                                        results.decision,
                                        number = d.number.clone(),
                                        date = format::date(&d.date, i18n.get_locale()),
                                        issuer = d.issuer.clone()
                                    )
                                    .to_string()
                                }}
                            </span>
                        }),
                    };
                    let reason = proposed.override_reason.clone();
                    view! {
                        <li class="award-unit" data-testid="award-unit">
                            <span class="award-unit__name">{proposed.unit.name}</span>
                            {status}
                            {reason.map(|reason| view! {
                                <span class="override-reason">
                                    <strong>{tr(|l| td_string!(l, awards.override_by_staff))}</strong> " " {reason}
                                </span>
                            })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="award-group" data-testid="award-group">
                    <h3>{group.award_type.name}</h3>
                    <p class="award-group__meta">{move || t_string!(i18n, results.quota, count = quota).to_string()}</p>
                    <ul>{units}</ul>
                    {(!basis.is_empty()).then(|| {
                        let basis = basis.clone();
                        view! {
                            <p class="award-group__basis">
                                {move || t_string!(i18n, results.legal_basis, text = basis.clone()).to_string()}
                            </p>
                        }
                    })}
                </section>
            }
        })
        .collect_view();
    Either::Right(groups)
}
