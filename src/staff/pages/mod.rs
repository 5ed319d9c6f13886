//! The staff's pages, one file per route.

mod admin;
mod admin_bloc;
mod admin_units;
mod admin_users;
mod audit;
mod award_rules;
mod awards;
mod council;
mod delegate;
mod sheet;
mod sheets;
mod sign_in;
mod vote;
mod vote_minutes;

pub use admin::AdminPage;
pub use admin_bloc::AdminBlocPage;
pub use admin_units::AdminUnitsPage;
pub use admin_users::AdminUsersPage;
pub use audit::AuditLogPage;
pub use award_rules::AwardRulesPage;
pub use awards::AwardsPage;
pub use council::CouncilPage;
pub use delegate::DelegatePage;
pub use sheet::SheetPage;
pub use sheets::SheetsPage;
pub use sign_in::SignInPage;
pub use vote::{BallotPrintPage, VotePage};
pub use vote_minutes::VoteMinutesPage;
