//! What every handler can reach: the state, and transactions on it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::db::Db;
use crate::http::revision_cache::RevisionCache;

/// What every handler can reach. Cloned for every request (each extractor and middleware
/// takes its own copy), so a clone is one reference count: the settings it holds by value
/// (a path, a token) cost an allocation and a free per copy when they were fields of their own.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The state itself (`AppState` dereferences to it).
pub struct Shared {
    pub db: Db,
    /// The built SPA (Trunk's `dist`).
    pub static_dir: PathBuf,
    /// The client's address comes from `X-Forwarded-For` (a trusted proxy is in front).
    pub trust_proxy: bool,
    pub request_timeout: Duration,
    /// The stored revisions of published results this server has read.
    pub revisions: Arc<RevisionCache>,
    /// `--metrics-token`: `/metrics` on the main listener, for this bearer token.
    pub metrics_token: Option<String>,
    /// The evidence files' size limits.
    pub file_limits: thidua_domain::files::FileLimits,
    /// Where the evidence files' bytes are kept.
    pub chunks: crate::evidence::DbChunks,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    pub fn new(db: Db, config: &crate::Config) -> AppState {
        AppState(Arc::new(Shared {
            db,
            static_dir: config.static_dir.clone(),
            trust_proxy: config.trust_proxy,
            request_timeout: config.request_timeout,
            revisions: Arc::default(),
            metrics_token: config.metrics_token.clone(),
            file_limits: config.file_limits(),
            chunks: crate::evidence::DbChunks,
        }))
    }
}

/// A write transaction: writers take turns (`db::begin_write`), so a handler's checks still
/// hold when it writes.
pub async fn begin_write(state: &AppState) -> sqlx::Result<crate::db::Tx> {
    crate::db::begin_write(&state.db).await
}

/// A read transaction: every part of the answer comes from the same state (`db::begin_read`).
pub async fn begin_read(state: &AppState) -> sqlx::Result<crate::db::Tx> {
    crate::db::begin_read(&state.db).await
}
