//! `thidua-server backup --to FILE` and `thidua-server restore --from FILE --to URL`.
//!
//! A backup is one SQLite file at the schema version of this build: a consistent snapshot of
//! the installation taken while servers keep running and writing. From SQLite it is
//! `VACUUM INTO` (one read transaction, writers go on); from PostgreSQL, every table copied in
//! one `REPEATABLE READ` transaction into a new SQLite file. Either restores into either
//! engine: `restore` copies it, in one write transaction, into an empty database and then
//! checks that every table holds as many rows as the backup and that every published
//! revision's bytes are the backup's. The same file format whatever the source, so a province
//! can move between engines through its backups, and read one with `sqlite3` if it must.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::copy::{self, CopyError};
use crate::db::{self, Db, Engine};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; a backup never overwrites a file")]
    Exists(PathBuf),
    #[error("the backup file {0} does not exist")]
    Missing(PathBuf),
    #[error("{0} is not a thidua backup (not a SQLite database this build can read)")]
    NotABackup(PathBuf),
    #[error("the backup failed its integrity check: {0}")]
    Integrity(String),
    #[error("the target already holds data (table {0} has rows): restore only into a new, empty database")]
    TargetNotEmpty(String),
    #[error("after restoring, {0}")]
    Verify(String),
    #[error(transparent)]
    Copy(CopyError),
    #[error(transparent)]
    Open(#[from] db::DbError),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl From<CopyError> for BackupError {
    fn from(e: CopyError) -> Self {
        match e {
            CopyError::TargetNotEmpty(table) => BackupError::TargetNotEmpty(table),
            other => BackupError::Copy(other),
        }
    }
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// Writes a consistent snapshot of `database` to `to` (which must not exist); answers one line
/// per table and a last line naming the file.
pub async fn backup(database: &str, to: &Path) -> Result<Vec<String>, BackupError> {
    if to.exists() {
        return Err(BackupError::Exists(to.to_owned()));
    }
    // Written beside the target, then renamed: a backup cut short is never mistaken for one.
    let partial = to.with_extension("partial");
    let io = |source| BackupError::Io { path: partial.clone(), source };
    match std::fs::remove_file(&partial) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    let source = db::connect(database).await?;
    let result = snapshot(&source, &partial).await;
    source.close().await;
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, to).map_err(io)?;
    let bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    let mut lines = report;
    lines.push(format!("backup written to {} ({bytes} bytes)", to.display()));
    Ok(lines)
}

async fn snapshot(source: &Db, partial: &Path) -> Result<Vec<String>, BackupError> {
    match Engine::of(source) {
        Engine::Sqlite => {
            sqlx::query("VACUUM INTO $1").bind(partial.display().to_string()).execute(source).await?;
        }
        Engine::Postgres => {
            let target = db::connect(&sqlite_url(partial)).await?;
            let copied = copy::copy_between(source, &target).await;
            target.close().await;
            copied?;
        }
    }
    let backup = db::connect(&sqlite_url(partial)).await?;
    let checked = check(&backup).await;
    let report = match checked {
        Ok(()) => counts(&backup).await.map_err(BackupError::from),
        Err(e) => Err(e),
    };
    backup.close().await;
    report
}

async fn check(backup: &Db) -> Result<(), BackupError> {
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(backup).await?;
    if verdict != "ok" {
        return Err(BackupError::Integrity(verdict));
    }
    Ok(())
}

/// `table: N rows` for every table, in the copy's order.
async fn counts(db: &Db) -> Result<Vec<String>, CopyError> {
    let mut conn = db.acquire().await?;
    let engine = Engine::of(db);
    let mut lines = Vec::new();
    for name in copy::table_names(&mut conn, engine).await? {
        lines.push(format!("{name}: {} rows", copy::count(&mut conn, &name).await?));
    }
    Ok(lines)
}

/// Restores the backup `from` into the empty database `to`, then checks it; answers one line
/// per table and a last line saying what was checked.
pub async fn restore(from: &Path, to: &str) -> Result<Vec<String>, BackupError> {
    if !from.is_file() {
        return Err(BackupError::Missing(from.to_owned()));
    }
    // A copy to read from: opening a backup brings its schema up to date, and the file given
    // must stay as it was.
    let work = working_copy_path(from);
    let io = |source| BackupError::Io { path: work.clone(), source };
    std::fs::copy(from, &work).map_err(io)?;
    let result = restore_from(&work, from, to).await;
    let _ = std::fs::remove_file(&work);
    result
}

async fn restore_from(work: &Path, given: &Path, to: &str) -> Result<Vec<String>, BackupError> {
    let url = format!("{}?mode=rw", sqlite_url(work));
    let backup = db::connect(&url).await.map_err(|_| BackupError::NotABackup(given.to_owned()))?;
    let target = match db::connect(to).await {
        Ok(target) => target,
        Err(e) => {
            backup.close().await;
            return Err(e.into());
        }
    };
    let copied = copy::copy_between(&backup, &target).await.map_err(BackupError::from);
    let verified = match copied {
        Ok(report) => verify(&backup, &target).await.map(|checked| (report, checked)),
        Err(e) => Err(e),
    };
    backup.close().await;
    target.close().await;
    let (mut report, checked) = verified?;
    report.push(format!("restored into {}: {checked}", redact(to)));
    Ok(report)
}

/// Every table's row count, and every published revision's bytes, as in the backup.
async fn verify(backup: &Db, target: &Db) -> Result<String, BackupError> {
    let (ours, theirs) = (counts(backup).await?, counts(target).await?);
    if ours != theirs {
        return Err(BackupError::Verify(format!("the row counts differ: backup {ours:?}, restored {theirs:?}")));
    }
    let (ours, theirs) = (revisions(backup).await?, revisions(target).await?);
    if ours != theirs {
        return Err(BackupError::Verify("the published revisions' bytes differ from the backup's".to_owned()));
    }
    Ok(format!(
        "{} tables with the backup's row counts, {} published revisions byte for byte",
        counts(target).await?.len(),
        theirs.len()
    ))
}

/// Each stored revision (bloc, year, number) with the SHA-256 of its exact bytes.
async fn revisions(db: &Db) -> Result<Vec<(i64, i64, i64, String)>, BackupError> {
    let rows: Vec<(i64, i64, i64, Option<String>)> =
        sqlx::query_as("SELECT bloc_id, year, number, body FROM result_revisions ORDER BY bloc_id, year, number")
            .fetch_all(db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(bloc, year, number, body)| {
            let hash = body.map(|b| format!("{:x}", Sha256::digest(b.as_bytes()))).unwrap_or_default();
            (bloc, year, number, hash)
        })
        .collect())
}

/// A new name in the temporary directory for a working copy of `path`.
fn working_copy_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    std::env::temp_dir().join(format!("thidua-restore-{}-{nanos}-{name}", std::process::id()))
}

/// A database URL without its password, for the report.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_stay_out_of_the_report() {
        assert_eq!(redact("postgres://thidua:secret@db/thidua"), "postgres://thidua:***@db/thidua");
        assert_eq!(redact("postgres://thidua@db/thidua"), "postgres://thidua@db/thidua");
        assert_eq!(redact("sqlite://data/thidua.sqlite3"), "sqlite://data/thidua.sqlite3");
    }
}
