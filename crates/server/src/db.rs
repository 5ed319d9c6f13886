//! Opening the database and bringing its schema up to date.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::SqlitePool;

/// The connection pool every handler shares.
pub type Db = SqlitePool;

/// The schema, embedded in the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!();

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("PostgreSQL support is not built in yet; use a sqlite:// database URL")]
    PostgresNotBuiltIn,
    #[error("unsupported database URL `{0}`; expected sqlite://PATH")]
    UnsupportedUrl(String),
    #[error("cannot open the database {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot update the schema of the database {url}: {source}")]
    Migrate { url: String, source: MigrateError },
}

/// Opens (creating if missing) a SQLite database and runs the pending migrations.
pub async fn connect(url: &str) -> Result<Db, DbError> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("postgres:") || lower.starts_with("postgresql:") {
        return Err(DbError::PostgresNotBuiltIn);
    }
    if !lower.starts_with("sqlite:") {
        return Err(DbError::UnsupportedUrl(url.to_owned()));
    }
    let open_error = |source| DbError::Open { url: url.to_owned(), source };
    let options = SqliteConnectOptions::from_str(url)
        .map_err(open_error)?
        .create_if_missing(true)
        .foreign_keys(true)
        // Readers never wait for the writer, and a crash cannot leave a half-written page.
        .journal_mode(SqliteJournalMode::Wal)
        // Another process (or a second server on the same file) holding the write lock is
        // waited for briefly instead of failing at once.
        .busy_timeout(Duration::from_secs(5));
    let mut pool = SqlitePoolOptions::new();
    if lower.contains(":memory:") || lower.contains("mode=memory") {
        // An in-memory database lives only as long as a connection to it: keep exactly one.
        pool = pool.min_connections(1).max_connections(1).idle_timeout(None).max_lifetime(None);
    }
    // `connect_with` opens a first connection, so an unusable path fails here, not on a request.
    let db = pool.connect_with(options).await.map_err(open_error)?;
    MIGRATOR.run(&db).await.map_err(|source| DbError::Migrate { url: url.to_owned(), source })?;
    Ok(db)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_what_it_cannot_open() {
        assert!(matches!(connect("postgres://localhost/thidua").await, Err(DbError::PostgresNotBuiltIn)));
        assert!(matches!(connect("mysql://localhost/thidua").await, Err(DbError::UnsupportedUrl(_))));
        assert!(matches!(connect("sqlite:///nonexistent-dir/x.db").await, Err(DbError::Open { .. })));
    }

    #[tokio::test]
    async fn in_memory_database_keeps_its_schema() {
        let db = connect("sqlite::memory:").await.unwrap();
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM years").fetch_one(&db).await.unwrap();
        assert_eq!(n, 0);
    }
}
