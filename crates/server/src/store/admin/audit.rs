//! The audit trail of every administrative write.

use sqlx::SqliteConnection;
use thidua_domain::auth::UserId;
use time::OffsetDateTime;

use crate::clock::timestamp;

/// One row of the administration's audit trail: who, when, the write's name, what it was
/// done to (`year:2020`, `unit:3`, `year:2020/bloc:1`, `user:7`) and what was written, as JSON.
pub struct AdminAudit<'a> {
    pub user: UserId,
    pub at: OffsetDateTime,
    pub kind: &'a str,
    pub target: String,
    pub detail: String,
}

pub async fn audit(conn: &mut SqliteConnection, entry: AdminAudit<'_>) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO admin_audit (user_id, at, kind, target, detail) VALUES (?, ?, ?, ?, ?)")
        .bind(entry.user)
        .bind(timestamp(entry.at))
        .bind(entry.kind)
        .bind(entry.target)
        .bind(entry.detail)
        .execute(conn)
        .await?;
    Ok(())
}
