//! Who changed what on a sheet, and when: newest first.

use leptos::prelude::*;
use thidua_domain::workflow::SheetState;

use crate::format;
use crate::i18n::*;
use crate::staff::components::editor::Editor;
use crate::staff::components::labels::{field_label, state_name, value_text};
use crate::text::tr;

/// A state as the audit stores it, in words (unknown ones as they are).
fn state_text(i18n: leptos_i18n::I18nContext<Locale>, text: &str) -> String {
    SheetState::parse(text).map_or_else(|| text.to_owned(), |s| state_name(i18n, s))
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
                            editor.table.with_value(|t| field_label(t, field, i18n)),
                            value_text(field, e.old.as_deref(), locale),
                            value_text(field, e.new.as_deref(), locale)
                        ),
                        None => format!(
                            "{} → {}",
                            state_text(i18n, e.old.as_deref().unwrap_or_default()),
                            state_text(i18n, e.new.as_deref().unwrap_or_default())
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
