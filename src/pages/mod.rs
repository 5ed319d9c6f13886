//! One file per public route (the staff's are in `staff::pages`).

mod bloc;
mod home;
pub(crate) mod not_found;
pub(crate) mod params;
mod results;
mod unit;

pub use bloc::BlocPage;
pub use home::HomePage;
pub use not_found::NotFound;
pub use results::ResultsPage;
pub use unit::UnitPage;
