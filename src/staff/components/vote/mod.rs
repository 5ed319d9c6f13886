//! The conference's vote: the delegate's ballot, staff's session, the clerks' paper entries,
//! and the result.

pub mod ballot_ticks;
pub mod paper;
pub mod qr;
pub mod result;
pub mod session;
