use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use thidua_domain::sheet_edit::SheetView;

use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::status::{Loaded, Loading};
use crate::i18n::*;
use crate::pages::not_found::NotFound;
use crate::staff::api;
use crate::staff::components::audit_trail::AuditTrail;
use crate::staff::components::documents::ReportLinks;
use crate::staff::components::editor::Editor;
use crate::staff::components::evidence::{DossierLink, Evidence};
use crate::staff::components::save_status::{resume_when_online, SaveBar, SaveProblems};
use crate::staff::components::sheet_actions::{ReviewSheet, SubmitSheet};
use crate::staff::components::sheet_form::SheetForm;
use crate::staff::components::status_badge::StatusBadge;
use crate::staff::draft::Side;
use crate::staff::session::use_session;
use crate::text::tr;

/// One score sheet: the unit's self-assessment form, the verifier's form, or a read-only
/// view, whichever the signed-in person may use now.
#[component]
pub fn SheetPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")?.parse::<i64>().ok()));
    let session = use_session();
    move || match id.get() {
        None => EitherOf3::A(view! { <NotFound /> }),
        // The drafts on this device are per person: wait to know who it is.
        Some(_) if !session.checked.get() => EitherOf3::B(view! { <Loading /> }),
        Some(id) => {
            let sheet = LocalResource::new(move || api::sheet(id));
            EitherOf3::C(view! { <Loaded resource=sheet page=true let:view><SheetScreen view /></Loaded> })
        }
    }
}

#[component]
fn SheetScreen(view: SheetView) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let user = session.me.with_untracked(|m| m.as_ref().map(|m| m.user_id)).unwrap_or_default();
    // The verifier works on the verification; everyone else sees the unit's side.
    let side = if view.permissions.edit_verification { Side::Verification } else { Side::SelfAssessment };
    let view_id = view.id;
    let editor = Editor::new(view.clone(), side, user);
    Evidence::provide(editor, user);
    resume_when_online(editor);
    let totals = editor.totals();
    let title = move || match side {
        Side::SelfAssessment if editor.editable() => t_string!(i18n, sheet.title_self).to_string(),
        Side::SelfAssessment => t_string!(i18n, sheet.title_view).to_string(),
        Side::Verification => t_string!(i18n, sheet.title_verify).to_string(),
    };
    let unit = view.unit.name.clone();
    let page_title = {
        let unit = unit.clone();
        move || format!("{} · {unit}", title())
    };
    let crumbs = Signal::derive(move || vec![(t_string!(i18n, sheets.title).to_string(), "/sheets".to_owned())]);
    let (year, bloc) = (view.year, view.bloc_name.clone());
    let state = move || editor.view.with(|v| v.state);
    let return_comment = move || editor.view.with(|v| v.return_comment.clone());
    view! {
        <Title text=page_title />
        <div class="page page--wide sheet-page">
            <Breadcrumbs links=crumbs current=Signal::derive(title) />
            <p class="eyebrow">{t!(i18n, common.year, year)} " · " {bloc}</p>
            <h1>{title} <span class="h1-sub">{unit}</span></h1>
            <p>{move || view! { <StatusBadge state=state() /> }}</p>
            <DossierLink />
            <ReportLinks sheet=view_id />
            {move || {
                let comment = return_comment();
                (!comment.is_empty() && side == Side::SelfAssessment)
                    .then(|| {
                        view! {
                            <div class="notice notice--warn" data-testid="return-comment">
                                <p>{tr(|l| td_string!(l, sheet.returned_with))}</p>
                                <blockquote>{comment}</blockquote>
                            </div>
                        }
                    })
            }}
            <SaveProblems editor />
            <form class="sheet" on:submit=|ev| ev.prevent_default() novalidate>
                <SheetForm editor totals />
            </form>
            {match side {
                Side::SelfAssessment => Either::Left(view! { <SubmitSheet editor /> }),
                Side::Verification => Either::Right(view! { <ReviewSheet editor /> }),
            }}
            <AuditTrail editor />
            <SaveBar editor totals />
        </div>
    }
}
