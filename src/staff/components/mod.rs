//! What the staff pages compose.

pub mod account_nav;
pub mod audit_trail;
pub mod award_admin;
pub mod award_rules_form;
pub mod bloc_setup_form;
pub mod conflict_panel;
pub mod council;
pub mod criteria_editor;
pub mod decision_fields;
pub mod documents;
pub mod editor;
pub mod evidence;
pub mod field_error;
pub mod form;
pub mod labels;
pub mod save_status;
pub mod sheet_actions;
pub mod sheet_form;
pub mod sign_in_form;
pub mod status_badge;
pub mod tally_form;
pub mod unit_forms;
pub mod user_forms;
pub mod vote;
