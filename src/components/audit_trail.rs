//! Who changed what on a sheet, and when: newest first.

use leptos::prelude::*;
use thidua_domain::workflow::SheetState;
use thidua_domain::Points;

use crate::components::editor::Editor;
use crate::components::save_status::field_label;
use crate::format;
use crate::i18n::*;
use crate::tr;

fn state_name(i18n: leptos_i18n::I18nContext<Locale>, text: &str) -> String {
    match SheetState::parse(text) {
        Some(SheetState::Draft) => t_string!(i18n, sheet.state_draft).to_string(),
        Some(SheetState::Submitted) => t_string!(i18n, sheet.state_submitted).to_string(),
        Some(SheetState::Returned) => t_string!(i18n, sheet.state_returned).to_string(),
        Some(SheetState::Approved) => t_string!(i18n, sheet.state_approved).to_string(),
        None => text.to_owned(),
    }
}

/// Scores in the reader's locale (9,5 in Vietnamese); other values as they were stored.
pub fn value_text(field: &str, value: Option<&str>, locale: Locale) -> String {
    match value {
        None => "—".to_owned(),
        Some(v) if field.ends_with("_score") => {
            v.parse::<Points>().map(|p| format::points(p, locale)).unwrap_or_else(|_| v.to_owned())
        }
        Some(v) => v.to_owned(),
    }
}

#[component]
pub fn AuditTrail(editor: Editor) -> impl IntoView {
    let i18n = use_i18n();
    let entries = move || {
        let locale = i18n.get_locale();
        editor.view.with(|v| {
            v.audit
                .iter()
                .map(|e| {
                    let when = format::date_time(&e.at, locale);
                    let what = match &e.field {
                        Some(field) => format!(
                            "{}: {} → {}",
                            field_label(editor, field, i18n),
                            value_text(field, e.old.as_deref(), locale),
                            value_text(field, e.new.as_deref(), locale)
                        ),
                        None => format!(
                            "{} → {}",
                            state_name(i18n, e.old.as_deref().unwrap_or_default()),
                            state_name(i18n, e.new.as_deref().unwrap_or_default())
                        ),
                    };
                    view! {
                        <li>
                            <time datetime=e.at.clone()>{when}</time>
                            " · "
                            <span class="audit__user">{e.user.clone()}</span>
                            " · "
                            <span>{what}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="audit" aria-labelledby="audit-title" data-testid="audit">
            <h2 id="audit-title">{tr(|l| td_string!(l, sheet.audit))}</h2>
            {move || editor.view.with(|v| v.audit.is_empty()).then(|| view! { <p class="empty">{tr(|l| td_string!(l, sheet.audit_empty))}</p> })}
            <ol class="audit__list">{entries}</ol>
        </section>
    }
}
