//! The sign-in throttle's counts (the rule is `crate::throttle`). In the database, so that
//! every server on it counts the same attempts.

use crate::db::Conn;
use time::{Duration, OffsetDateTime};

use crate::clock::{parse_timestamp, timestamp};
use crate::throttle::{Count, FORGET_AFTER, PER_ADDRESS, PER_USERNAME};

/// The key of an address's count over every username (no username is empty).
const ANY_USERNAME: &str = "";

/// Counts an attempt from `address`, for `username` too when it could be an account, unless
/// one of the counts says to wait: then nothing is counted and the answer is how long.
/// Call it in a write transaction, before the password is checked: parallel attempts are
/// then counted one after another, and each must get past the count the others left.
pub async fn take_attempt(
    conn: &mut Conn,
    username: Option<&str>,
    address: &str,
    now: OffsetDateTime,
) -> sqlx::Result<Option<Duration>> {
    // Counts nobody added to for a day are of no use; dropping them keeps made-up names
    // from piling up.
    sqlx::query("DELETE FROM sign_in_throttle WHERE last_failure_at <= $1")
        .bind(timestamp(now - FORGET_AFTER))
        .execute(&mut *conn)
        .await?;
    let mut keys = vec![(ANY_USERNAME, PER_ADDRESS)];
    if let Some(username) = username {
        keys.push((username, PER_USERNAME));
    }
    let mut wait = None;
    for &(key, policy) in &keys {
        let count = count(conn, key, address).await?;
        wait = wait.max(policy.wait(count, now));
    }
    if wait.is_some() {
        return Ok(wait);
    }
    for &(key, _) in &keys {
        sqlx::query(
            "INSERT INTO sign_in_throttle (username, address, failures, last_failure_at) VALUES ($1, $2, 1, $3)
             ON CONFLICT (username, address) DO UPDATE SET
                 failures = sign_in_throttle.failures + 1, last_failure_at = excluded.last_failure_at",
        )
        .bind(key)
        .bind(address)
        .bind(timestamp(now))
        .execute(&mut *conn)
        .await?;
    }
    Ok(None)
}

async fn count(conn: &mut Conn, username: &str, address: &str) -> sqlx::Result<Option<Count>> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT failures, last_failure_at FROM sign_in_throttle WHERE username = $1 AND address = $2")
            .bind(username)
            .bind(address)
            .fetch_optional(conn)
            .await?;
    // An unreadable time counts as now: the count stays in force rather than vanishing.
    Ok(row
        .map(|(failures, last)| Count { failures, last_at: parse_timestamp(&last).unwrap_or_else(crate::clock::now) }))
}

/// A sign-in that succeeded: the username's count from this address is cleared, and the
/// attempt taken from the address's count is given back (only that one: signing in to
/// one's own account must not wipe the failures against others).
pub async fn signed_in(conn: &mut Conn, username: &str, address: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sign_in_throttle WHERE username = $1 AND address = $2")
        .bind(username)
        .bind(address)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE sign_in_throttle SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END WHERE username = $1 AND address = $2")
        .bind(ANY_USERNAME)
        .bind(address)
        .execute(conn)
        .await?;
    Ok(())
}

/// A new password: the username's counts from every address are cleared.
pub async fn forget_username(conn: &mut Conn, username: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sign_in_throttle WHERE username = $1").bind(username).execute(conn).await?;
    Ok(())
}
