//! What every handler can reach: the state, and a write transaction on it.

use std::path::PathBuf;

use crate::db::Db;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// The built SPA (Trunk's `dist`).
    pub static_dir: PathBuf,
}

/// The largest request body accepted: a whole sheet with notes and links fits many times over.
pub const BODY_LIMIT: usize = 256 * 1024;

/// A write transaction that takes SQLite's write lock at once, so two writers queue (for the
/// busy timeout) instead of one failing when it upgrades a read to a write.
pub async fn begin_write(state: &AppState) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
    state.db.begin_with("BEGIN IMMEDIATE").await
}
