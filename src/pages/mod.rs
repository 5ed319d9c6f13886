//! One file per route.

#[cfg(feature = "staff")]
mod admin;
#[cfg(feature = "staff")]
mod admin_bloc;
#[cfg(feature = "staff")]
mod admin_units;
#[cfg(feature = "staff")]
mod admin_users;
#[cfg(feature = "staff")]
mod award_rules;
#[cfg(feature = "staff")]
mod awards;
mod bloc;
mod home;
mod not_found;
mod params;
mod results;
#[cfg(feature = "staff")]
mod sheet;
#[cfg(feature = "staff")]
mod sheets;
#[cfg(feature = "staff")]
mod sign_in;
mod unit;

#[cfg(feature = "staff")]
pub use admin::AdminPage;
#[cfg(feature = "staff")]
pub use admin_bloc::AdminBlocPage;
#[cfg(feature = "staff")]
pub use admin_units::AdminUnitsPage;
#[cfg(feature = "staff")]
pub use admin_users::AdminUsersPage;
#[cfg(feature = "staff")]
pub use award_rules::AwardRulesPage;
#[cfg(feature = "staff")]
pub use awards::AwardsPage;
pub use bloc::BlocPage;
pub use home::HomePage;
pub use not_found::NotFound;
pub use results::ResultsPage;
#[cfg(feature = "staff")]
pub use sheet::SheetPage;
#[cfg(feature = "staff")]
pub use sheets::SheetsPage;
#[cfg(feature = "staff")]
pub use sign_in::SignInPage;
pub use unit::UnitPage;
