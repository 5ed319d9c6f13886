//! One file per route.

#[cfg(feature = "staff")]
mod award_rules;
#[cfg(feature = "staff")]
mod awards;
mod bloc;
mod home;
mod not_found;
mod results;
mod sheet;
mod sheets;
mod sign_in;
mod unit;

#[cfg(feature = "staff")]
pub use award_rules::AwardRulesPage;
#[cfg(feature = "staff")]
pub use awards::AwardsPage;
pub use bloc::BlocPage;
pub use home::HomePage;
pub use not_found::NotFound;
pub use results::ResultsPage;
pub use sheet::SheetPage;
pub use sheets::SheetsPage;
pub use sign_in::SignInPage;
pub use unit::UnitPage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use thidua_domain::{BlocId, Year};

/// The `:year` and `:bloc` of the current route, when both are numbers.
pub(crate) fn bloc_params() -> Memo<Option<(Year, BlocId)>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| Some((p.get("year")?.parse().ok()?, p.get("bloc")?.parse().ok()?))))
}
