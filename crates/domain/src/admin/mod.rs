//! Staff administration, one room per concern as in the server's `http/admin/` and
//! `store/admin/`: preparing a year (copying the previous one), units and their history, a
//! bloc's members, leader, deputy and pact, the criteria tree as staff edit it (and as CSV
//! rows), and accounts. Every check a form and the server both make lives here.

pub mod blocs;
pub mod criteria;
pub mod units;
pub mod users;
pub mod years;
