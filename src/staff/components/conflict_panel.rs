//! Someone else saved the sheet first: what differs between their version and the person's,
//! and the choice between the two.

use leptos::prelude::*;

use crate::i18n::*;
use crate::staff::components::editor::Editor;
use crate::staff::components::labels::{field_label, value_text};
use crate::text::tr;

/// The fields where the person's input and a newer version differ, and the two ways out.
#[component]
pub fn ConflictPanel(editor: Editor) -> impl IntoView {
    let i18n = use_i18n();
    let label = move |field: &str| editor.table.with_value(|t| field_label(t, field, i18n));
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
