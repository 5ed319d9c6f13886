//! What the pages read from the route.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use thidua_domain::{BlocId, Year};

/// The `:year` and `:bloc` of the current route, when both are numbers.
pub(crate) fn bloc_params() -> Memo<Option<(Year, BlocId)>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| Some((p.get("year")?.parse().ok()?, p.get("bloc")?.parse().ok()?))))
}
