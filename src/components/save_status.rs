//! Where the person's input is, always visible: saved, saving, or kept on this device and
//! why. An expired session is renewed here, in place; a conflict is resolved here.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use thidua_domain::sheet::SheetTotals;

use crate::components::audit_trail::value_text;
use crate::components::editor::{Editor, SaveStatus};
use crate::components::sign_in_form::SignInForm;
use crate::format;
use crate::i18n::*;
use crate::session::use_session;
use crate::tr;

/// The sticky bar: total, progress and the saving state.
#[component]
pub fn SaveBar(editor: Editor, totals: Memo<SheetTotals>) -> impl IntoView {
    let i18n = use_i18n();
    let total = move || format::points(totals.with(|t| t.total), i18n.get_locale());
    let progress = move || {
        let (scored, count) = totals.with(|t| (t.scored, t.criteria_count));
        t_string!(i18n, sheet.progress, scored, count).to_string()
    };
    let status = move || {
        let text = match editor.status.get() {
            SaveStatus::Saved => t_string!(i18n, save.saved),
            SaveStatus::Pending => t_string!(i18n, save.pending),
            SaveStatus::Saving => t_string!(i18n, save.saving),
            SaveStatus::Offline => t_string!(i18n, save.offline),
            SaveStatus::ServerError => t_string!(i18n, save.server_error),
            SaveStatus::NeedsFixing => t_string!(i18n, save.needs_fixing),
            SaveStatus::SignedOut => t_string!(i18n, save.signed_out),
            SaveStatus::Conflict => t_string!(i18n, save.conflict),
            SaveStatus::Locked => t_string!(i18n, save.locked),
            SaveStatus::NotKept => t_string!(i18n, save.not_kept),
        };
        text.to_string()
    };
    let tone = move || match editor.status.get() {
        SaveStatus::Saved => "save-bar__status save-bar__status--ok",
        SaveStatus::Pending | SaveStatus::Saving => "save-bar__status",
        _ => "save-bar__status save-bar__status--warn",
    };
    view! {
        <div class="save-bar" data-testid="save-bar">
            <p class="save-bar__total">
                {tr(|l| td_string!(l, sheet.total))}
                ": "
                <strong data-testid="total">{total}</strong>
            </p>
            <p class="save-bar__progress" data-testid="progress">{progress}</p>
            <p class=tone role="status" data-testid="save-status" data-state=move || format!("{:?}", editor.status.get())>
                {status}
            </p>
        </div>
    }
}

/// What a person must act on before their input can reach the server: signing in again,
/// or choosing between their version and a newer one.
#[component]
pub fn SaveProblems(editor: Editor) -> impl IntoView {
    let session = use_session();
    move || match editor.status.get() {
        SaveStatus::SignedOut => {
            let username = session.me.with_untracked(|m| m.as_ref().map(|m| m.username.clone())).unwrap_or_default();
            EitherOf3::A(view! {
                <section class="notice notice--warn" aria-labelledby="resign-title" data-testid="sign-in-again">
                    <h2 id="resign-title">{tr(|l| td_string!(l, save.sign_in_again))}</h2>
                    <SignInForm id_prefix="resign" username on_success=Callback::new(move |_| editor.resume()) />
                </section>
            })
        }
        SaveStatus::Conflict => EitherOf3::B(view! { <ConflictPanel editor /> }),
        _ => EitherOf3::C(()),
    }
}

#[component]
fn ConflictPanel(editor: Editor) -> impl IntoView {
    let i18n = use_i18n();
    let label = move |field: &str| field_label(editor, field, i18n);
    let rows = move || {
        editor
            .conflict_changes()
            .into_iter()
            .map(|c| {
                let locale = i18n.get_locale();
                view! {
                    <tr>
                        <th scope="row">{label(&c.field)}</th>
                        <td>{value_text(&c.field, c.old.as_deref(), locale)}</td>
                        <td>{value_text(&c.field, c.new.as_deref(), locale)}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="notice notice--warn" aria-labelledby="conflict-title" data-testid="conflict">
            <h2 id="conflict-title">{tr(|l| td_string!(l, conflict.title))}</h2>
            <p>{tr(|l| td_string!(l, conflict.intro))}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="conflict-caption">
                <table class="conflict-table">
                    <caption id="conflict-caption" class="visually-hidden">
                        {tr(|l| td_string!(l, conflict.caption))}
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr(|l| td_string!(l, conflict.field))}</th>
                            <th scope="col">{tr(|l| td_string!(l, conflict.theirs))}</th>
                            <th scope="col">{tr(|l| td_string!(l, conflict.mine))}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="actions">
                <button type="button" class="button button--primary" data-testid="keep-mine" on:click=move |_| editor.keep_mine()>
                    {tr(|l| td_string!(l, conflict.keep_mine))}
                </button>
                <button type="button" class="button button--secondary" data-testid="take-theirs" on:click=move |_| editor.take_theirs()>
                    {tr(|l| td_string!(l, conflict.take_theirs))}
                </button>
            </div>
        </section>
    }
}

/// `scores.12.self_score` → "1.1 · Điểm tự chấm", for people.
pub fn field_label(editor: Editor, field: &str, i18n: leptos_i18n::I18nContext<Locale>) -> String {
    let mut parts = field.split('.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("scores"), Some(id), Some(column)) => {
            let code = id
                .parse()
                .ok()
                .and_then(|id| editor.table.with_value(|t| t.get(id).map(|c| c.code.clone())))
                .unwrap_or_else(|| id.to_owned());
            let column = match column {
                "self_score" => t_string!(i18n, sheet.score_self).to_string(),
                "verified_score" => t_string!(i18n, sheet.score_verified).to_string(),
                "note" => t_string!(i18n, sheet.note).to_string(),
                "evidence" => t_string!(i18n, sheet.evidence).to_string(),
                "comment" => t_string!(i18n, sheet.comment).to_string(),
                other => other.to_owned(),
            };
            format!("{code} · {column}")
        }
        (Some("return_comment"), ..) => t_string!(i18n, sheet.return_comment_field).to_string(),
        (Some("bonuses"), ..) => t_string!(i18n, sheet.bonus_lines).to_string(),
        (Some("deductions"), ..) => t_string!(i18n, sheet.deductions).to_string(),
        _ => field.to_owned(),
    }
}

/// Re-sends when the browser says the network is back.
pub fn resume_when_online(editor: Editor) {
    let handle = window_event_listener(leptos::ev::online, move |_| editor.resume());
    on_cleanup(move || handle.remove());
}

/// The sheet's state, as a label.
#[component]
pub fn StatusBadge(state: thidua_domain::workflow::SheetState) -> impl IntoView {
    use thidua_domain::workflow::SheetState;
    let i18n = use_i18n();
    let text = move || match state {
        SheetState::Draft => t_string!(i18n, sheet.state_draft).to_string(),
        SheetState::Submitted => t_string!(i18n, sheet.state_submitted).to_string(),
        SheetState::Returned => t_string!(i18n, sheet.state_returned).to_string(),
        SheetState::Approved => t_string!(i18n, sheet.state_approved).to_string(),
    };
    let class = format!("badge badge--{}", state.as_str());
    view! { <span class=class data-testid="sheet-state">{text}</span> }
}
