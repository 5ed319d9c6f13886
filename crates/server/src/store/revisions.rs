//! The stored revisions of published results (`result_revisions`, migration 0008): written
//! once, never changed (the schema's triggers refuse it), read as the bytes they hold.

use sqlx::FromRow;
use thidua_domain::auth::UserId;
use thidua_domain::revisions::{RevisionEntry, RevisionKind, RevisionNumber};
use thidua_domain::{BlocId, Year};

use super::values::{corrupt, to_u32};
use crate::db::{Conn, Flag};

/// A stored revision with its results JSON (`None` for a withdrawal).
#[derive(Clone, Debug)]
pub struct Stored {
    pub number: RevisionNumber,
    pub kind: RevisionKind,
    pub at: String,
    pub reason: String,
    pub body: Option<String>,
    pub hash: String,
}

#[derive(FromRow)]
struct StoredRow {
    number: i64,
    kind: String,
    at: String,
    reason: String,
    body: Option<String>,
    hash: String,
    #[sqlx(try_from = "Flag")]
    pending: bool,
}

impl TryFrom<StoredRow> for Stored {
    type Error = sqlx::Error;
    fn try_from(r: StoredRow) -> sqlx::Result<Stored> {
        if r.pending {
            // Filled at start (`crate::revisions::fill_pending`) before any request.
            return Err(corrupt(format!("revision {} has not been filled in since the upgrade", r.number)));
        }
        Ok(Stored {
            number: to_u32(r.number, "revision number")?,
            kind: parse_kind(&r.kind)?,
            at: r.at,
            reason: r.reason,
            body: r.body,
            hash: r.hash,
        })
    }
}

fn parse_kind(text: &str) -> sqlx::Result<RevisionKind> {
    RevisionKind::parse(text).ok_or_else(|| corrupt(format!("unknown revision kind {text:?}")))
}

const COLUMNS: &str = "number, kind, at, reason, body, hash, CAST(pending AS BOOLEAN) AS pending";

/// The newest revision of the bloc-year, if it was ever published.
pub async fn latest(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<Option<Stored>> {
    let row: Option<StoredRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM result_revisions WHERE year = $1 AND bloc_id = $2 ORDER BY number DESC LIMIT 1"
    ))
    .bind(year)
    .bind(bloc_id)
    .fetch_optional(conn)
    .await?;
    row.map(Stored::try_from).transpose()
}

/// The newest revision that has results (not a withdrawal), if any.
pub async fn latest_with_results(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<Option<Stored>> {
    let row: Option<StoredRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM result_revisions WHERE year = $1 AND bloc_id = $2 AND kind <> 'withdrawn'
         ORDER BY number DESC LIMIT 1"
    ))
    .bind(year)
    .bind(bloc_id)
    .fetch_optional(conn)
    .await?;
    row.map(Stored::try_from).transpose()
}

pub async fn revision(
    conn: &mut Conn,
    year: Year,
    bloc_id: BlocId,
    number: RevisionNumber,
) -> sqlx::Result<Option<Stored>> {
    let row: Option<StoredRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM result_revisions WHERE year = $1 AND bloc_id = $2 AND number = $3"
    ))
    .bind(year)
    .bind(bloc_id)
    .bind(i64::from(number))
    .fetch_optional(conn)
    .await?;
    row.map(Stored::try_from).transpose()
}

/// number, kind, at, by, reason, summary, hash.
type EntryRow = (i64, String, String, Option<String>, String, String, String);

/// Every revision of the bloc-year, newest first, with who stored it.
pub async fn list(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<Vec<RevisionEntry>> {
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT r.number, r.kind, r.at, u.display_name, r.reason, r.summary, r.hash
         FROM result_revisions r LEFT JOIN users u ON u.id = r.user_id
         WHERE r.year = $1 AND r.bloc_id = $2
         ORDER BY r.number DESC",
    )
    .bind(year)
    .bind(bloc_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(number, kind, at, by, reason, summary, hash)| {
            Ok(RevisionEntry {
                number: to_u32(number, "revision number")?,
                kind: parse_kind(&kind)?,
                at,
                by,
                reason,
                summary,
                hash,
            })
        })
        .collect()
}

/// The number the next revision of the bloc-year takes.
pub async fn next_number(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<RevisionNumber> {
    let max: Option<i64> =
        sqlx::query_scalar("SELECT MAX(number) FROM result_revisions WHERE year = $1 AND bloc_id = $2")
            .bind(year)
            .bind(bloc_id)
            .fetch_one(conn)
            .await?;
    to_u32(max.unwrap_or(0) + 1, "revision number")
}

/// A revision to store.
pub struct NewRevision<'a> {
    pub year: Year,
    pub bloc_id: BlocId,
    pub number: RevisionNumber,
    pub kind: RevisionKind,
    pub at: &'a str,
    pub user: Option<UserId>,
    pub reason: &'a str,
    /// JSON list of the problems acknowledged at publication (`[]` otherwise).
    pub acknowledged: &'a str,
    pub summary: &'a str,
    pub body: Option<&'a str>,
    pub hash: &'a str,
}

pub async fn insert(conn: &mut Conn, r: NewRevision<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO result_revisions (bloc_id, year, number, kind, at, user_id, reason, acknowledged, summary, body, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(r.bloc_id)
    .bind(r.year)
    .bind(i64::from(r.number))
    .bind(r.kind.as_str())
    .bind(r.at)
    .bind(r.user)
    .bind(r.reason)
    .bind(r.acknowledged)
    .bind(r.summary)
    .bind(r.body)
    .bind(r.hash)
    .execute(conn)
    .await?;
    Ok(())
}

/// A revision the upgrade recorded without its results: bloc-year, number, when, reason.
pub struct Pending {
    pub year: Year,
    pub bloc_id: BlocId,
    pub number: RevisionNumber,
    pub at: String,
    pub reason: String,
}

pub async fn pending(conn: &mut Conn) -> sqlx::Result<Vec<Pending>> {
    let rows: Vec<(Year, BlocId, i64, String, String)> = sqlx::query_as(
        "SELECT year, bloc_id, number, at, reason FROM result_revisions WHERE pending ORDER BY year, bloc_id, number",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(year, bloc_id, number, at, reason)| {
            Ok(Pending { year, bloc_id, number: to_u32(number, "revision number")?, at, reason })
        })
        .collect()
}

/// Fills a pending revision, once: the row is frozen from then on.
pub async fn fill(conn: &mut Conn, p: &Pending, body: &str, hash: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE result_revisions SET body = $1, hash = $2, pending = FALSE
         WHERE year = $3 AND bloc_id = $4 AND number = $5 AND pending",
    )
    .bind(body)
    .bind(hash)
    .bind(p.year)
    .bind(p.bloc_id)
    .bind(i64::from(p.number))
    .execute(conn)
    .await?;
    Ok(())
}
