//! Building blocks the pages compose.

pub mod awards;
pub mod breadcrumbs;
pub mod layout;
pub mod ranking_table;
pub mod sample_notice;
pub mod status;
