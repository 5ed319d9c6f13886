//! Moving a sheet on: submit (after a confirmation that lists what is still empty), return
//! with a comment, approve. Each first waits for the input to be saved.

use leptos::either::Either;
use leptos::prelude::*;
use thidua_domain::error::FieldError;
use thidua_domain::sheet_edit::{unscored, validate_transition, TransitionInput};
use thidua_domain::workflow::SheetAction;

use crate::api::ApiError;
use crate::i18n::*;
use crate::staff::api::{self, Transition};
use crate::staff::components::editor::{Editor, SaveStatus};
use crate::staff::components::form::TextField;
use crate::staff::components::labels::field_label;
use crate::staff::draft::Side;
use crate::staff::focus::focus_after_render;
use crate::staff::input::{decimal_comma, points_input};
use crate::text::tr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    NotSaved,
    Failed,
}

/// A state change as a Leptos action (`pending()` while on its way): the server's sheet
/// replaces the form's, or the outcome says why not.
type Move = Action<(Transition, String), ()>;

fn transition_action(editor: Editor, outcome: RwSignal<Option<Outcome>>) -> Move {
    Action::new_local(move |(which, comment): &(Transition, String)| {
        let (id, base_version) = editor.view.with_untracked(|v| (v.id, v.version));
        let request = api::transition(id, *which, TransitionInput { base_version, comment: comment.clone() });
        async move {
            match request.await {
                Ok(view) => {
                    outcome.set(None);
                    editor.replace_view(view);
                }
                Err(ApiError::Unauthenticated) => editor.status.set(SaveStatus::SignedOut),
                Err(_) => outcome.set(Some(Outcome::Failed)),
            }
        }
    })
}

/// Sends the state change once what is on screen is saved; until then, says to wait.
fn run(editor: Editor, action: Move, which: Transition, comment: String, outcome: RwSignal<Option<Outcome>>) {
    if editor.status.get_untracked() != SaveStatus::Saved {
        outcome.set(Some(Outcome::NotSaved));
        editor.save_now();
        return;
    }
    action.dispatch((which, comment));
}

#[component]
fn OutcomeMessage(outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        outcome.get().map(|o| {
            let text = match o {
                Outcome::NotSaved => t_string!(i18n, sheet.wait_for_save).to_string(),
                Outcome::Failed => t_string!(i18n, sheet.action_failed).to_string(),
            };
            view! { <p class="form__error" role="alert">{text}</p> }
        })
    }
}

/// The unit's submit button and its confirmation.
#[component]
pub fn SubmitSheet(editor: Editor) -> impl IntoView {
    let i18n = use_i18n();
    let confirming = RwSignal::new(false);
    let outcome = RwSignal::new(None);
    let action = transition_action(editor, outcome);
    let busy = action.pending();
    // Memos: a save that changes the sheet must not rebuild the buttons (or the open
    // confirmation) unless what may be done changed.
    let can = Memo::new(move |_| editor.view.with(|v| v.permissions.submit));
    let empty = move || {
        let sheet = editor.view.with_untracked(|v| v.sheet.clone());
        let ids = editor.table.with_value(|t| unscored(t, &sheet, |s| s.self_score));
        ids.into_iter()
            .filter_map(|id| editor.table.with_value(|t| t.get(id).map(|c| format!("{} {}", c.code, c.title))))
            .collect::<Vec<_>>()
    };
    let confirm = move || {
        let list = empty();
        let count = list.len();
        view! {
            <div class="confirm" role="group" aria-labelledby="submit-confirm-title" data-testid="submit-confirm">
                <h3 id="submit-confirm-title" tabindex="-1">{tr(|l| td_string!(l, sheet.submit_confirm_title))}</h3>
                {if list.is_empty() {
                    Either::Left(view! { <p>{tr(|l| td_string!(l, sheet.submit_all_scored))}</p> })
                } else {
                    Either::Right(view! {
                        <p>{t!(i18n, sheet.submit_unscored, count)}</p>
                        <ul class="confirm__list" data-testid="unscored-list">
                            {list.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                        </ul>
                    })
                }}
                <div class="actions">
                    <button
                        type="button"
                        class="button button--primary"
                        data-testid="confirm-submit"
                        disabled=move || busy.get()
                        on:click=move |_| run(editor, action, Transition::Submit, String::new(), outcome)
                    >
                        {tr(|l| td_string!(l, sheet.submit))}
                    </button>
                    <button
                        type="button"
                        class="button button--secondary"
                        on:click=move |_| {
                            confirming.set(false);
                            focus_after_render("submit-sheet");
                        }
                    >
                        {tr(|l| td_string!(l, sheet.cancel))}
                    </button>
                </div>
            </div>
        }
    };
    move || {
        can.get().then(|| {
            view! {
                <section class="sheet-actions" aria-label=tr(|l| td_string!(l, sheet.actions))>
                    {move || {
                        if confirming.get() {
                            Either::Left(confirm())
                        } else {
                            Either::Right(view! {
                                <button
                                    type="button"
                                    class="button button--primary"
                                    id="submit-sheet"
                                    data-testid="submit"
                                    on:click=move |_| {
                                        if editor.status.get_untracked() != SaveStatus::Saved {
                                            editor.save_now();
                                        }
                                        confirming.set(true);
                                        focus_after_render("submit-confirm-title");
                                    }
                                >
                                    {tr(|l| td_string!(l, sheet.submit))}
                                </button>
                            })
                        }
                    }}
                    <OutcomeMessage outcome />
                </section>
            }
        })
    }
}

/// The verifier's return (with a comment) and approve.
#[component]
pub fn ReviewSheet(editor: Editor) -> impl IntoView {
    let i18n = use_i18n();
    let comment = RwSignal::new(String::new());
    let comment_errors = RwSignal::new(Vec::<FieldError>::new());
    // After a first try to approve, the criteria still without a verified score on the
    // server; the list shrinks as the verifier's input is saved.
    let tried_approve = RwSignal::new(false);
    let missing = move || {
        if !tried_approve.get() {
            return Vec::new();
        }
        let sheet = editor.view.with(|v| v.sheet.clone());
        let ids = editor.table.with_value(|t| unscored(t, &sheet, |s| s.verified_score));
        let label = |id| editor.table.with_value(|t| field_label(t, &format!("scores.{id}.verified_score"), i18n));
        ids.into_iter().map(label).collect::<Vec<_>>()
    };
    let outcome = RwSignal::new(None);
    let action = transition_action(editor, outcome);
    let busy = action.pending();
    let can = Memo::new(move |_| editor.view.with(|v| v.permissions.approve || v.permissions.return_sheet));
    // The domain's own rule for each step (a return needs a comment; approval a verified
    // score on every criterion), so the page refuses exactly what the server would.
    let problems = move |step: SheetAction, comment: &str| {
        let sheet = editor.view.with_untracked(|v| v.sheet.clone());
        let input = TransitionInput { base_version: 0, comment: comment.to_owned() };
        editor.table.with_value(|t| validate_transition(t, &sheet, step, &input))
    };
    let send_back = move |_| {
        let text = comment.get_untracked().trim().to_owned();
        let found = problems(SheetAction::Return, &text);
        comment_errors.set(found.get("comment").cloned().unwrap_or_default());
        if found.is_empty() {
            run(editor, action, Transition::Return, text, outcome);
        }
    };
    let approve = move |_| {
        tried_approve.set(true);
        if problems(SheetAction::Approve, "").is_empty() {
            run(editor, action, Transition::Approve, String::new(), outcome);
        }
    };
    let copy_self = move |_| {
        let sheet = editor.view.with_untracked(|v| v.sheet.clone());
        let comma = decimal_comma();
        let mut copied = false;
        editor.rows.with_value(|rows| {
            for (id, row) in rows {
                let own = sheet.scores.iter().find(|s| s.criterion_id == *id).and_then(|s| s.self_score);
                if let (Some(p), true) = (own, row.score.with_untracked(|s| s.trim().is_empty())) {
                    row.score.set(points_input(p, comma));
                    copied = true;
                }
            }
        });
        if copied {
            editor.changed();
        }
    };
    move || {
        (can.get() && editor.side == Side::Verification).then(|| {
            view! {
                <section class="sheet-actions" aria-label=tr(|l| td_string!(l, sheet.actions))>
                    <button type="button" class="button button--secondary" data-testid="copy-self" on:click=copy_self>
                        {tr(|l| td_string!(l, sheet.copy_self))}
                    </button>
                    <TextField id="return-comment" label=|l| td_string!(l, sheet.return_comment) value=comment errors=comment_errors rows=3 />
                    <div class="actions">
                        <button type="button" class="button button--secondary" data-testid="return" disabled=move || busy.get() on:click=send_back>
                            {tr(|l| td_string!(l, sheet.return_sheet))}
                        </button>
                        <button type="button" class="button button--primary" data-testid="approve" disabled=move || busy.get() on:click=approve>
                            {tr(|l| td_string!(l, sheet.approve))}
                        </button>
                    </div>
                    {move || {
                        let list = missing();
                        let count = list.len();
                        (!list.is_empty())
                            .then(|| {
                                view! {
                                    <div class="form__error" role="alert">
                                        <p>{t!(i18n, sheet.approve_missing, count)}</p>
                                        <ul>{list.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                                    </div>
                                }
                            })
                    }}
                    <OutcomeMessage outcome />
                </section>
            }
        })
    }
}
