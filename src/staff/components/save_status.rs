//! Where the person's input is, always visible: saved, saving, or kept on this device and
//! why. An expired session is renewed here, in place; a conflict opens its panel here.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use thidua_domain::sheet::SheetTotals;

use crate::format;
use crate::i18n::*;
use crate::staff::components::conflict_panel::ConflictPanel;
use crate::staff::components::editor::{Editor, SaveStatus};
use crate::staff::components::sign_in_form::SignInForm;
use crate::staff::session::use_session;
use crate::text::tr;

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

/// Re-sends when the browser says the network is back.
pub fn resume_when_online(editor: Editor) {
    let handle = window_event_listener(leptos::ev::online, move |_| editor.resume());
    on_cleanup(move || handle.remove());
}
