//! Staff administration, one room per concern as in `http/admin/`: years open or closed,
//! units' names and ends, blocs' set-up, their criteria, and the audit trail of every
//! administrative write. What may change and what a new year copies are
//! `thidua_domain::admin`'s rules; this only reads and writes.

pub mod audit;
pub mod blocs;
pub mod criteria;
pub mod units;
pub mod years;
