//! Building blocks the pages compose (the staff's are in `staff::components`).

pub mod awards;
pub mod breadcrumbs;
pub mod layout;
pub mod ranking_table;
pub mod revisions;
pub mod sample_notice;
pub mod status;
pub mod tally;
