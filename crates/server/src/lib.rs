//! thidua-server: the reference backend. A read API over SQLite whose rules all come from
//! `thidua_domain`, its OpenAPI document, and the built SPA.

pub mod config;
pub mod db;
pub mod seed;
pub mod store;
