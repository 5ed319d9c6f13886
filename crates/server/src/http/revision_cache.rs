//! What this server remembers of the stored revisions of published results: a stored
//! revision never changes, so the copy of a numbered one is good forever, and which one is
//! the latest is looked up again after `LATEST_TTL` (or at once after a write through this
//! server). Kept apart from the handlers (`revisions.rs`) so that the state can hold it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderValue;
use thidua_domain::revisions::{RevisionKind, RevisionNumber};
use thidua_domain::{BlocId, Year};

use super::error::{internal, Result};
use crate::store::revisions::Stored;

/// How long this server trusts its memory of which revision is the latest. Another server on
/// the same PostgreSQL database may have stored a newer one meanwhile; writes through this
/// server forget at once (`forget_after_writes`).
pub const LATEST_TTL: Duration = Duration::from_secs(1);

/// A revision's bytes, ready to answer.
pub struct Served {
    pub number: RevisionNumber,
    pub kind: RevisionKind,
    pub reason: String,
    /// `None` for a withdrawal.
    pub body: Option<Bytes>,
    /// `"<sha-256 hex>"`.
    pub etag: Option<HeaderValue>,
}

impl Served {
    pub fn of(s: Stored) -> Result<Served> {
        let etag = match s.body {
            Some(_) => Some(HeaderValue::try_from(format!("\"{}\"", s.hash)).map_err(internal("bad revision hash"))?),
            None => None,
        };
        Ok(Served { number: s.number, kind: s.kind, reason: s.reason, body: s.body.map(Bytes::from), etag })
    }
}

pub type Key = (Year, BlocId);
/// The latest revision and when that was read (`Option` so a hit answers like a lookup).
type Latest = (Instant, Option<Arc<Served>>);

/// What this server remembers of the stored revisions.
#[derive(Default)]
pub struct RevisionCache {
    /// The latest revision of a bloc-year that has one, and when that was read.
    latest: RwLock<HashMap<Key, Latest>>,
    /// Numbered revisions, forever.
    numbered: RwLock<HashMap<(Year, BlocId, RevisionNumber), Arc<Served>>>,
    /// How many writes this server has answered: what is remembered from before a write is
    /// checked again (the rendered pages keep what they saw here).
    writes: AtomicU64,
}

impl RevisionCache {
    /// The latest revision of `key` if it was read less than `LATEST_TTL` ago.
    pub fn fresh_latest(&self, key: Key) -> Option<Option<Arc<Served>>> {
        let found = self.latest.read().ok().and_then(|map| {
            let (read_at, served) = map.get(&key)?;
            (read_at.elapsed() < LATEST_TTL).then(|| served.clone())
        });
        crate::metrics::cache_lookup("revisions", found.is_some());
        found
    }

    pub fn remember_latest(&self, key: Key, served: Option<Arc<Served>>) {
        if let Ok(mut map) = self.latest.write() {
            map.insert(key, (Instant::now(), served));
        }
    }

    pub fn numbered(&self, key: (Year, BlocId, RevisionNumber)) -> Option<Arc<Served>> {
        self.numbered.read().ok().and_then(|m| m.get(&key).cloned())
    }

    pub fn remember_numbered(&self, key: (Year, BlocId, RevisionNumber), served: Arc<Served>) {
        if let Ok(mut map) = self.numbered.write() {
            map.insert(key, served);
        }
    }

    /// Forgets every latest revision (a write may have made a new one).
    pub fn forget_latest(&self) {
        self.writes.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut map) = self.latest.write() {
            map.clear();
        }
    }

    /// The writes answered so far (see `writes`).
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::SeqCst)
    }
}
