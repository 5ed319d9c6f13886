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
    #[error("the target is the backup file itself: restore into another database")]
    SameFile,
    #[error("{what} is at schema version {at}, this build's is {ours}: use the build that matches it")]
    Schema { what: &'static str, at: i64, ours: i64 },
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
    // Written beside the target under a name of its own, then linked into place (never over a
    // file that appeared meanwhile): a backup cut short is never mistaken for one.
    let partial = PathBuf::from(format!("{}.partial", to.display()));
    remove_sqlite_files(&partial);
    // The source as it is: never created, never migrated (servers of another build may run on it).
    let source = db::open_existing(database).await?;
    let result = match db::schema_versions(&source).await {
        Ok((at, ours)) if at != ours => Err(BackupError::Schema { what: "the database", at, ours }),
        Ok(_) => snapshot(&source, &partial).await,
        Err(e) => Err(e.into()),
    };
    source.close().await;
    let linked = result.and_then(|report| {
        std::fs::hard_link(&partial, to).map(|()| report).map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => BackupError::Exists(to.to_owned()),
            _ => BackupError::Io { path: to.to_owned(), source },
        })
    });
    remove_sqlite_files(&partial);
    let mut lines = linked?;
    let bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    lines.push(format!("backup written to {} ({bytes} bytes)", to.display()));
    Ok(lines)
}

/// Removes a SQLite file of ours and its `-wal` and `-shm` companions, if they are there.
fn remove_sqlite_files(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
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
    // One connection, so that the journal can go back to a single file at the end: a backup is
    // read from anywhere, read-only media included.
    let backup = db::connect_sized(&sqlite_url(partial), Some(1)).await?;
    let report = match check(&backup).await {
        Ok(()) => counts(&backup).await.map_err(BackupError::from),
        Err(e) => Err(e),
    };
    let single_file = sqlx::query("PRAGMA journal_mode = DELETE").execute(&backup).await;
    backup.close().await;
    single_file?;
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
    // Opening the target migrates it: the backup itself must never be that target.
    let target_file = to.strip_prefix("sqlite://").map(|p| p.split('?').next().unwrap_or(p));
    let same = target_file
        .and_then(|p| std::fs::canonicalize(p).ok())
        .is_some_and(|target| std::fs::canonicalize(from).is_ok_and(|given| given == target));
    if same {
        return Err(BackupError::SameFile);
    }
    // A copy to read from: opening a backup brings its schema up to date, and the file given
    // must stay as it was.
    let work = working_copy_path(from);
    let io = |source| BackupError::Io { path: work.clone(), source };
    std::fs::copy(from, &work).map_err(io)?;
    let result = restore_from(&work, from, to).await;
    remove_sqlite_files(&work);
    result
}

async fn restore_from(work: &Path, given: &Path, to: &str) -> Result<Vec<String>, BackupError> {
    let url = format!("{}?mode=rw", sqlite_url(work));
    let not_a_backup = || BackupError::NotABackup(given.to_owned());
    let backup = db::open(&url, None).await.map_err(|_| not_a_backup())?;
    let prepared = match db::schema_versions(&backup).await {
        Ok((at, ours)) if at > ours => Err(BackupError::Schema { what: "the backup", at, ours }),
        Ok((0, _)) | Err(_) => Err(not_a_backup()),
        Ok(_) => db::migrate(&backup, &url).await.map_err(|_| not_a_backup()),
    };
    if let Err(e) = prepared {
        backup.close().await;
        return Err(e);
    }
    let target = match open_empty_target(to).await {
        Ok(target) => target,
        Err(e) => {
            backup.close().await;
            return Err(e);
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

/// The target, refused before anything in it changes if it already holds data (an existing
/// installation is not migrated by a restore that then refuses it), then brought to this
/// build's schema.
async fn open_empty_target(to: &str) -> Result<Db, BackupError> {
    let target = db::open(to, None).await?;
    let checked = async {
        let (at, ours) = db::schema_versions(&target).await?;
        if at > ours {
            return Err(BackupError::Schema { what: "the target", at, ours });
        }
        if at > 0 {
            let mut conn = target.acquire().await?;
            for table in copy::table_names(&mut conn, Engine::of(&target)).await? {
                if copy::count(&mut conn, &table).await? > 0 {
                    return Err(BackupError::TargetNotEmpty(table));
                }
            }
        }
        db::migrate(&target, to).await?;
        Ok(())
    }
    .await;
    match checked {
        Ok(()) => Ok(target),
        Err(e) => {
            target.close().await;
            Err(e)
        }
    }
}

/// Every table's row count, and every published revision's bytes, as in the backup.
async fn verify(backup: &Db, target: &Db) -> Result<String, BackupError> {
    // Compared as sets: each engine's catalogue may list the tables in its own order.
    let (mut ours, mut theirs) = (counts(backup).await?, counts(target).await?);
    ours.sort();
    theirs.sort();
    if ours != theirs {
        return Err(BackupError::Verify(format!("the row counts differ: backup {ours:?}, restored {theirs:?}")));
    }
    let tables = theirs.len();
    let (ours, theirs) = (revisions(backup).await?, revisions(target).await?);
    if ours != theirs {
        return Err(BackupError::Verify("the published revisions' bytes differ from the backup's".to_owned()));
    }
    let files = evidence_intact(target).await?;
    Ok(format!(
        "{tables} tables with the backup's row counts, {} published revisions byte for byte, {files} evidence files whose bytes hash to their SHA-256",
        theirs.len()
    ))
}

/// Every complete evidence file's bytes, read back from `db`, hash to the SHA-256 it is kept
/// under; answers how many were checked.
async fn evidence_intact(db: &Db) -> Result<usize, BackupError> {
    let contents: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT id, size, sha256 FROM file_contents WHERE sha256 IS NOT NULL ORDER BY id")
            .fetch_all(db)
            .await?;
    for (id, size, sha256) in &contents {
        let digested = crate::evidence::digest(&crate::evidence::DbChunks, db, *id, *size as u64).await?;
        if &digested.sha256 != sha256 {
            return Err(BackupError::Verify(format!("evidence file content {id} does not hash to {sha256}")));
        }
    }
    Ok(contents.len())
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
