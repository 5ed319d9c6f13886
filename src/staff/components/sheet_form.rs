//! The criteria of a score sheet as a form: sections with live subtotals, one block per
//! criterion with a typed-in score (a decimal keypad on phones), its note and evidence or the
//! verifier's comment, and the bonus and deduction lines. Used for self-assessment and for
//! verification; what is shown beside each input depends on the side.

use leptos::either::Either;
use leptos::prelude::*;
use thidua_domain::criteria::Criterion;
use thidua_domain::error::FieldError;
use thidua_domain::evidence::FileTarget;
use thidua_domain::sheet::{validate_score, SheetTotals};
use thidua_domain::sheet_edit::{adjustment_points_errors, adjustment_reason_errors};
use thidua_domain::Points;

use crate::format;
use crate::i18n::*;
use crate::staff::components::editor::{AdjustmentState, Editor};
use crate::staff::components::evidence::{AttachFiles, FileList};
use crate::staff::components::field_error::FieldMessage;
use crate::staff::draft::Side;
use crate::staff::input::parse_score;
use crate::text::tr;

/// The problems of one typed score against its criterion.
fn score_errors(criterion: &Criterion, text: &str) -> Vec<FieldError> {
    match parse_score(text) {
        Err(e) => vec![e],
        Ok(Some(p)) => validate_score(criterion, p).into_iter().map(FieldError::from).collect(),
        Ok(None) => Vec::new(),
    }
}

#[component]
pub fn SheetForm(editor: Editor, totals: Memo<SheetTotals>) -> impl IntoView {
    let table = editor.table.get_value();
    let sections: Vec<Criterion> = table.sections().cloned().collect();
    view! {
        <div class="sheet-form" data-testid="sheet-form">
            {sections
                .into_iter()
                .enumerate()
                .map(|(i, section)| view! { <Section editor totals section index=i /> })
                .collect_view()}
            <Adjustments editor deductions=false />
            <Adjustments editor deductions=true />
        </div>
    }
}

#[component]
fn Section(editor: Editor, totals: Memo<SheetTotals>, section: Criterion, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let items: Vec<Criterion> = editor.table.with_value(|t| {
        let id = section.id;
        t.leaves().filter(|l| t.section_of(l.id).map(|s| s.id) == Some(id)).cloned().collect()
    });
    let heading_id = format!("section-{}", section.id);
    let max = section.max_points;
    let subtotal = move || {
        let locale = i18n.get_locale();
        let points = totals.with(|t| t.sections.get(index).map(|s| s.points).unwrap_or_default());
        format!("{} / {}", format::points(points, locale), format::points(max, locale))
    };
    let labelled_by = heading_id.clone();
    view! {
        <section class="sheet-section" aria-labelledby=labelled_by>
            <h2 class="sheet-section__title" id=heading_id>
                <span class="sheet-section__code">{section.code.clone()}</span>
                " "
                {section.title.clone()}
            </h2>
            <p class="sheet-section__subtotal" data-testid=format!("subtotal-{}", section.code)>
                {tr(|l| td_string!(l, sheet.subtotal))}
                ": "
                <strong>{subtotal}</strong>
            </p>
            {items.into_iter().map(|c| view! { <CriterionBlock editor criterion=c /> }).collect_view()}
        </section>
    }
}

#[component]
fn CriterionBlock(editor: Editor, criterion: Criterion) -> impl IntoView {
    let i18n = use_i18n();
    let Some(row) = editor.row(criterion.id) else { return Either::Left(()) };
    let id = criterion.id;
    let (score_id, hint_id, err_id) = (format!("score-{id}"), format!("hint-{id}"), format!("score-{id}-error"));
    let (text_id, links_id, title_id) = (format!("text-{id}"), format!("links-{id}"), format!("title-{id}"));
    let crit = criterion.clone();
    let errors = Signal::derive(move || row.score.with(|s| score_errors(&crit, s)));
    let unscored = move || row.score.with(|s| s.trim().is_empty());
    let readonly = move || !editor.editable();
    let max = criterion.max_points;
    let step = criterion.step;
    let hint = move || {
        let locale = i18n.get_locale();
        let (max, step) = (format::points(max, locale), format::points(step, locale));
        t_string!(i18n, sheet.max_step, max, step).to_string()
    };
    let self_part = editor.view.with_untracked(|v| v.sheet.scores.iter().find(|s| s.criterion_id == id).cloned());
    let verification = editor.side == Side::Verification;
    let self_score = self_part.as_ref().and_then(|s| s.self_score);
    let self_part_links = self_part.as_ref().map(|s| s.evidence.len()).unwrap_or(0);
    // The verifier sees at a glance where their score differs from the unit's own.
    let difference = move || {
        if !verification {
            return None;
        }
        let verified = row.score.with(|s| parse_score(s).ok().flatten())?;
        let diff = verified - self_score.unwrap_or(Points::ZERO);
        (diff != Points::ZERO).then(|| {
            let sign = if diff.is_negative() { "−" } else { "+" };
            let diff = format!("{sign}{}", format::points(diff.max(-diff), i18n.get_locale()));
            t_string!(i18n, sheet.difference, diff).to_string()
        })
    };
    let score_label = move || match editor.side {
        Side::SelfAssessment => t_string!(i18n, sheet.score_self).to_string(),
        Side::Verification => t_string!(i18n, sheet.score_verified).to_string(),
    };
    let text_label = move || match editor.side {
        Side::SelfAssessment => t_string!(i18n, sheet.note).to_string(),
        Side::Verification => t_string!(i18n, sheet.comment).to_string(),
    };
    let score_label_id = format!("score-label-{id}");
    let target = FileTarget::Criterion { criterion_id: id };
    let unit_side = verification.then(|| match self_part {
        Some(s) => Either::Left(view! { <UnitSide score=s.self_score note=s.note evidence=s.evidence target /> }),
        None => Either::Right(view! {
            <p class="crit__self">{tr(|l| td_string!(l, sheet.self_not_scored))}</p>
            <FileList target />
        }),
    });
    Either::Right(view! {
        <div
            class="crit"
            class:crit--unscored=unscored
            class:crit--differs=move || difference().is_some()
            data-testid=format!("crit-{}", criterion.code)
        >
            <p class="crit__title" id=title_id.clone()>
                <span class="crit__code">{criterion.code.clone()}</span>
                " "
                {criterion.title.clone()}
            </p>
            {unit_side}
            <div class="crit__score">
                <label for=score_id.clone() id=score_label_id.clone()>{score_label}</label>
                <input
                    id=score_id
                    class="score-input"
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    placeholder=tr(|l| td_string!(l, sheet.not_scored))
                    aria-labelledby=format!("{title_id} {score_label_id}")
                    aria-describedby=format!("{hint_id} {err_id}")
                    aria-invalid=move || (!errors.with(Vec::is_empty)).to_string()
                    readonly=readonly
                    prop:value=move || row.score.get()
                    on:input=editor.on_input(row.score)
                />
                <span class="crit__hint" id=hint_id>{hint}</span>
                <span class="crit__diff" aria-live="polite">{difference}</span>
            </div>
            <FieldMessage id=err_id errors />
            <details class="crit__more" open=row.text.with_untracked(|t| !t.is_empty())>
                <summary>{text_label}</summary>
                <label for=text_id.clone() class="visually-hidden">{text_label}</label>
                <textarea
                    id=text_id
                    rows="2"
                    readonly=readonly
                    prop:value=move || row.text.get()
                    on:input=editor.on_input(row.text)
                ></textarea>
                {(!verification)
                    .then(|| {
                        view! {
                            <label for=links_id.clone()>{tr(|l| td_string!(l, sheet.evidence))}</label>
                            <textarea
                                id=links_id.clone()
                                rows="2"
                                inputmode="url"
                                readonly=readonly
                                prop:value=move || row.evidence.get()
                                on:input=editor.on_input(row.evidence)
                            ></textarea>
                        }
                    })}
            </details>
            {(!verification).then(|| view! {
                <FileList target links=self_part_links />
                <AttachFiles target id=format!("ev-{id}") />
            })}
        </div>
    })
}

/// What the unit entered, beside the verifier's input.
#[component]
fn UnitSide(score: Option<Points>, note: String, evidence: Vec<String>, target: FileTarget) -> impl IntoView {
    let links = evidence.len();
    let i18n = use_i18n();
    let score = move || match score {
        Some(p) => format::points(p, i18n.get_locale()),
        None => t_string!(i18n, sheet.not_scored).to_string(),
    };
    view! {
        <div class="crit__self">
            <p>
                {tr(|l| td_string!(l, sheet.score_self))}
                ": "
                <strong data-testid="self-score">{score}</strong>
            </p>
            {(!note.is_empty()).then(|| view! { <p class="crit__note">{note}</p> })}
            {(!evidence.is_empty())
                .then(|| {
                    view! {
                        <ul class="crit__links">
                            {evidence
                                .into_iter()
                                .map(|l| {
                                    let href = l.clone();
                                    view! {
                                        <li>
                                            <a href=href rel="noopener noreferrer" target="_blank">
                                                {l}
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            <FileList target links />
        </div>
    }
}

/// Bonus or deduction lines: reason and points, added and removed with buttons.
#[component]
fn Adjustments(editor: Editor, deductions: bool) -> impl IntoView {
    let i18n = use_i18n();
    let list = if deductions { editor.deductions } else { editor.bonuses };
    let kind = if deductions { "deductions" } else { "bonuses" };
    let cap = editor.table.with_value(|t| t.bonus_cap);
    let heading = move || {
        if deductions {
            t_string!(i18n, sheet.deductions).to_string()
        } else {
            let cap = format::points(cap, i18n.get_locale());
            t_string!(i18n, sheet.bonuses, cap).to_string()
        }
    };
    let heading_id = format!("{kind}-title");
    let labelled_by = heading_id.clone();
    if editor.side == Side::Verification {
        // The verifier reads the unit's lines; the lines themselves are the unit's to change.
        let lines =
            editor
                .view
                .with_untracked(|v| if deductions { v.sheet.deductions.clone() } else { v.sheet.bonuses.clone() });
        return Either::Left(view! {
            <section class="sheet-section" aria-labelledby=labelled_by>
                <h2 class="sheet-section__title" id=heading_id>{heading}</h2>
                {if lines.is_empty() {
                    Either::Left(view! { <p class="empty">{tr(|l| td_string!(l, sheet.no_lines))}</p> })
                } else {
                    Either::Right(view! {
                        <ul class="adjustments">
                            {lines
                                .into_iter()
                                .enumerate()
                                .map(|(i, a)| {
                                    let points = move || format::points(a.points, i18n.get_locale());
                                    let index = i as u32;
                                    let target = if deductions {
                                        FileTarget::Deduction { index }
                                    } else {
                                        FileTarget::Bonus { index }
                                    };
                                    view! {
                                        <li>
                                            {a.reason}": "<strong>{points}</strong>
                                            <FileList target />
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    })
                }}
            </section>
        });
    }
    let add_label = move || {
        if deductions {
            t_string!(i18n, sheet.add_deduction).to_string()
        } else {
            t_string!(i18n, sheet.add_bonus).to_string()
        }
    };
    Either::Right(view! {
        <section class="sheet-section" aria-labelledby=labelled_by>
            <h2 class="sheet-section__title" id=heading_id>{heading}</h2>
            <ul class="adjustments" data-testid=kind>
                <For each=move || list.get().into_iter().enumerate() key=|(_, a)| a.key let:item>
                    <AdjustmentLine editor line=item.1 kind deductions list />
                </For>
            </ul>
            <button
                type="button"
                class="button button--secondary"
                disabled=move || !editor.editable()
                on:click=move |_| editor.add_line(deductions)
                data-testid=format!("add-{kind}")
            >
                {add_label}
            </button>
        </section>
    })
}

#[component]
fn AdjustmentLine(
    editor: Editor,
    line: AdjustmentState,
    kind: &'static str,
    deductions: bool,
    list: RwSignal<Vec<AdjustmentState>>,
) -> impl IntoView {
    let key = line.key;
    // The line's place among its kind as the server has it: what its files are attached to.
    // While the lines differ from the saved ones, that place is not known: files wait.
    let saved_index = Memo::new(move |_| {
        let at = list.with(|l| l.iter().position(|a| a.key == key))?;
        let saved = editor.view.with(|v| {
            let saved = if deductions { &v.sheet.deductions } else { &v.sheet.bonuses };
            list.with(|l| {
                l.len() == saved.len()
                    && l.iter().zip(saved).all(|(a, s)| {
                        a.reason.with(|r| r.trim() == s.reason)
                            && a.points.with(|p| parse_score(p).ok().flatten() == Some(s.points))
                    })
            })
        });
        saved.then_some(at as u32)
    });
    let files = move || match saved_index.get() {
        Some(index) => {
            let target = if deductions { FileTarget::Deduction { index } } else { FileTarget::Bonus { index } };
            Either::Left(view! {
                <FileList target />
                <AttachFiles target id=format!("ev-{kind}-{key}") />
            })
        }
        None => Either::Right(
            editor
                .editable()
                .then(|| view! { <p class="attach__hint">{tr(|l| td_string!(l, evidence.line_unsaved))}</p> }),
        ),
    };
    // The domain's rules for a line, as the server applies them.
    let reason_errors = Signal::derive(move || line.reason.with(|r| adjustment_reason_errors(r)));
    let points_errors = Signal::derive(move || {
        line.points.with(|p| match parse_score(p) {
            Ok(None) => vec![FieldError::Required],
            Ok(Some(p)) => editor.table.with_value(|t| adjustment_points_errors(t, p)),
            Err(e) => vec![e],
        })
    });
    let readonly = move || !editor.editable();
    // The reason and the points: a label, the input and its message; points get the keypad.
    let field = move |name: &'static str, label: fn(Locale) -> &'static str, value: RwSignal<String>, errors| {
        let points = name == "points";
        let id = format!("{kind}-{key}-{name}");
        let err_id = format!("{id}-error");
        view! {
            <div class="field" class:field--points=points>
                <label for=id.clone()>{tr(label)}</label>
                <input
                    id=id
                    class:score-input=points
                    type="text"
                    inputmode=if points { "decimal" } else { "text" }
                    autocomplete="off"
                    readonly=readonly
                    aria-describedby=err_id.clone()
                    prop:value=move || value.get()
                    on:input=editor.on_input(value)
                />
                <FieldMessage id=err_id errors />
            </div>
        }
    };
    view! {
        <li class="adjustment">
            {field("reason", |l| td_string!(l, sheet.reason), line.reason, reason_errors)}
            {field("points", |l| td_string!(l, sheet.points), line.points, points_errors)}
            <button
                type="button"
                class="button button--quiet"
                disabled=move || !editor.editable()
                on:click=move |_| editor.remove_line(deductions, key)
            >
                {tr(|l| td_string!(l, sheet.remove_line))}
            </button>
            <div class="adjustment__files">{files}</div>
        </li>
    }
}
