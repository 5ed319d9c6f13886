//! Building blocks the pages compose.

pub mod audit_trail;
#[cfg(feature = "staff")]
pub mod award_admin;
#[cfg(feature = "staff")]
pub mod award_rules_form;
pub mod awards;
pub mod breadcrumbs;
pub mod editor;
pub mod field_error;
pub mod layout;
pub mod ranking_table;
pub mod sample_notice;
pub mod save_status;
pub mod sheet_actions;
pub mod sheet_form;
pub mod sign_in_form;
pub mod status;
pub mod tally;
