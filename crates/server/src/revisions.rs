//! Storing revisions of published results: the results as they are at that moment, stamped
//! with the revision (number, date, kind, reason), serialized once, hashed and stored. From
//! then on the stored bytes are what the public reads (`GET …/results`), never a recomputation.

use sha2::{Digest, Sha256};
use thidua_domain::auth::UserId;
use thidua_domain::results::BlocResults;
use thidua_domain::revisions::{diff, summary, RevisionKind, RevisionStamp, FIRST_PUBLICATION, WITHDRAWN};
use thidua_domain::{BlocId, Year};

use crate::clock::{now, timestamp};
use crate::db::{self, Conn, Db};
use crate::store::revisions::{self as stored, NewRevision, Stored};
use crate::store::{self, LookupError};

/// The content hash of a revision's bytes (hex SHA-256): its ETag.
pub fn content_hash(body: &[u8]) -> String {
    Sha256::digest(body).iter().map(|b| format!("{b:02x}")).collect()
}

fn encode(e: serde_json::Error) -> LookupError {
    LookupError::Database(sqlx::Error::Encode(e.into()))
}

fn decode(e: serde_json::Error) -> LookupError {
    LookupError::Database(sqlx::Error::Decode(e.into()))
}

/// The results a stored revision holds.
pub fn parse(stored: &Stored) -> Result<Option<BlocResults>, LookupError> {
    stored.body.as_deref().map(|b| serde_json::from_str(b).map_err(decode)).transpose()
}

/// Stores the bloc-year's results as they are now as its next revision (`published` or
/// `revised`), with its reason, and answers them as stored. Call it inside the write's
/// transaction, after the write and the version bump, so the revision is what they made.
pub async fn store_results(
    conn: &mut Conn,
    year: Year,
    bloc_id: BlocId,
    kind: RevisionKind,
    user: Option<UserId>,
    reason: &str,
) -> Result<BlocResults, LookupError> {
    let mut results = store::results(&mut *conn, year, bloc_id).await?;
    let previous = stored::latest_with_results(&mut *conn, year, bloc_id).await?;
    let previous = match &previous {
        Some(p) => parse(p)?,
        None => None,
    };
    let summary = match (&previous, kind) {
        (None, _) => FIRST_PUBLICATION.to_owned(),
        (Some(old), RevisionKind::Published) => format!("{FIRST_PUBLICATION} lại: {}", summary(&diff(old, &results))),
        (Some(old), _) => summary(&diff(old, &results)),
    };
    let number = stored::next_number(&mut *conn, year, bloc_id).await?;
    let at = timestamp(now());
    results.revision = Some(RevisionStamp { number, at: at.clone(), kind, reason: reason.to_owned() });
    let body = serde_json::to_string(&results).map_err(encode)?;
    let acknowledged = match (&results.publication, kind) {
        (Some(note), RevisionKind::Published) => serde_json::to_string(&note.acknowledged).map_err(encode)?,
        _ => "[]".to_owned(),
    };
    let hash = content_hash(body.as_bytes());
    stored::insert(
        conn,
        NewRevision {
            year,
            bloc_id,
            number,
            kind,
            at: &at,
            user,
            reason,
            acknowledged: &acknowledged,
            summary: &summary,
            body: Some(&body),
            hash: &hash,
        },
    )
    .await?;
    Ok(results)
}

/// Stores a `withdrawn` revision: the publication taken back, with its reason.
pub async fn store_withdrawal(
    conn: &mut Conn,
    year: Year,
    bloc_id: BlocId,
    user: UserId,
    reason: &str,
) -> Result<(), LookupError> {
    let number = stored::next_number(&mut *conn, year, bloc_id).await?;
    let at = timestamp(now());
    let revision = NewRevision {
        year,
        bloc_id,
        number,
        kind: RevisionKind::Withdrawn,
        at: &at,
        user: Some(user),
        reason,
        acknowledged: "[]",
        summary: WITHDRAWN,
        body: None,
        hash: "",
    };
    Ok(stored::insert(conn, revision).await?)
}

/// Fills the revisions that migration 0008 recorded for bloc-years published before it: their
/// results as they are at this first start (while published, only decisions could change
/// them, and those are kept), stamped with the migration's date and reason. Runs at every
/// start; after the first it finds nothing, and then takes no write lock: a second server
/// starting beside a busy one on the same SQLite file once waited out the busy timeout here and
/// did not start. Safe with several servers starting at once: one write transaction, and a
/// filled row is never filled again.
pub async fn fill_pending(db: &Db) -> Result<usize, LookupError> {
    let mut read = db::begin_read(db).await?;
    let none = stored::pending(&mut read).await?.is_empty();
    read.rollback().await.map_err(LookupError::Database)?;
    if none {
        return Ok(0);
    }
    let mut tx = db::begin_write(db).await?;
    let pending = stored::pending(&mut tx).await?;
    for p in &pending {
        let mut results = store::results(&mut tx, p.year, p.bloc_id).await?;
        results.revision = Some(RevisionStamp {
            number: p.number,
            at: p.at.clone(),
            kind: RevisionKind::Published,
            reason: p.reason.clone(),
        });
        let body = serde_json::to_string(&results).map_err(encode)?;
        stored::fill(&mut tx, p, &body, &content_hash(body.as_bytes())).await?;
    }
    tx.commit().await.map_err(LookupError::Database)?;
    Ok(pending.len())
}
