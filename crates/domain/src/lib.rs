//! The domain of thidua: emulation blocs (khối thi đua), their members, scoring criteria,
//! score sheets, totals, ranking and awards. Pure Rust with no I/O: the SPA and the server
//! both use it, so every rule is written once.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod award_types;
pub mod ballots;
pub mod council;
pub mod criteria;
pub mod dates;
pub mod decisions;
pub mod documents;
pub mod error;
pub mod evidence;
pub mod files;
pub mod history;
pub mod model;
pub mod points;
pub mod publication;
pub mod published;
pub mod ranking;
pub mod results;
pub mod revisions;
pub mod sheet;
pub mod sheet_edit;
pub mod tally;
pub mod thresholds;
pub mod vote;
pub mod workflow;

pub use points::Points;

/// An emulation year, e.g. 2018.
pub type Year = i32;
pub type UnitId = i64;

/// The years a new year, a unit's first year or its end may name.
pub const YEAR_MIN: Year = 2000;
pub const YEAR_MAX: Year = 2100;
pub type BlocId = i64;
pub type AwardTypeId = i64;
