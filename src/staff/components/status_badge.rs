//! A sheet's state as a badge, in the sheet list and on the sheet.

use leptos::prelude::*;
use thidua_domain::workflow::SheetState;

use crate::i18n::*;
use crate::staff::components::labels::state_name;

/// The sheet's state, as a label.
#[component]
pub fn StatusBadge(state: SheetState) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || state_name(i18n, state);
    let class = format!("badge badge--{}", state.as_str());
    view! { <span class=class data-testid="sheet-state">{text}</span> }
}
