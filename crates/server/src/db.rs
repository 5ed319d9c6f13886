//! Opening the database — SQLite (the embedded default) or PostgreSQL (several servers on one
//! database) — and bringing its schema up to date. Everything that differs between the two
//! engines lives in this file: the migrations, how a transaction starts, and how a boolean
//! is read. The store writes one SQL text for both; its rules are in `store.rs`.
//!
//! Queries go through sqlx's `Any` driver, which picks the engine from the URL at run time, so
//! the store has one code path and one set of types.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, Once};

use sqlx::any::{AnyPoolOptions, AnyTypeInfo, AnyTypeInfoKind, AnyValueRef};
use sqlx::decode::Decode;
use sqlx::error::BoxDynError;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::{Any, AnyConnection, AnyPool, Transaction, Type};

/// The connection pool every handler shares.
pub type Db = AnyPool;
/// One connection, or a transaction's (`&mut *tx`): what store functions take.
pub type Conn = AnyConnection;
/// A transaction on a pooled connection.
pub type Tx = Transaction<'static, Any>;

/// SQLite's schema history (`migrations/*.sql`), embedded in the binary.
pub static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("./migrations");
/// PostgreSQL's (`migrations/postgres/*.sql`): the same versions, each the same change.
pub static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// How many connections a server keeps to PostgreSQL unless told otherwise.
pub const DEFAULT_POOL_SIZE: u32 = 10;

const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// sqlx's SQLite busy timeout (its default, which holds through `Any`).
const SQLITE_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The two engines; what differs between them is decided here, from the URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn of_url(url: &str) -> Option<Engine> {
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("sqlite:") {
            Some(Engine::Sqlite)
        } else if lower.starts_with("postgres:") || lower.starts_with("postgresql:") {
            Some(Engine::Postgres)
        } else {
            None
        }
    }

    /// The engine a pool is connected to.
    pub fn of(db: &Db) -> Engine {
        Engine::of_url(db.connect_options().database_url.as_str()).unwrap_or(Engine::Sqlite)
    }

    pub fn migrator(self) -> &'static Migrator {
        match self {
            Engine::Sqlite => &SQLITE_MIGRATOR,
            Engine::Postgres => &POSTGRES_MIGRATOR,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL `{0}`; expected sqlite://PATH or postgres://USER@HOST/NAME")]
    UnsupportedUrl(String),
    #[error("cannot open the database {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot update the schema of the database {url}: {source}")]
    Migrate { url: String, source: MigrateError },
}

/// Opens (creating a missing SQLite file) the database with the default pool size and runs
/// the pending migrations.
pub async fn connect(url: &str) -> Result<Db, DbError> {
    connect_sized(url, None).await
}

/// As `connect`, with at most `pool_size` connections (PostgreSQL; SQLite's default otherwise).
pub async fn connect_sized(url: &str, pool_size: Option<u32>) -> Result<Db, DbError> {
    let db = open(url, pool_size).await?;
    migrate(&db, url).await?;
    Ok(db)
}

/// Brings the schema up to date (what `connect` does after opening).
pub async fn migrate(db: &Db, url: &str) -> Result<(), DbError> {
    let migrate_error = |source| DbError::Migrate { url: url.to_string(), source };
    Engine::of(db).migrator().run(db).await.map_err(migrate_error)
}

/// The schema version the database is at (0: none yet), and this build's.
pub async fn schema_versions(db: &Db) -> sqlx::Result<(i64, i64)> {
    let has_history: i64 = match Engine::of(db) {
        Engine::Sqlite => {
            sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
                .fetch_one(db)
                .await?
        }
        Engine::Postgres => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'",
            )
            .fetch_one(db)
            .await?
        }
    };
    let at = if has_history > 0 {
        sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(db)
            .await?
            .unwrap_or(0)
    } else {
        0
    };
    let ours = Engine::of(db).migrator().iter().map(|m| m.version).max().unwrap_or(0);
    Ok((at, ours))
}

/// Opens the database without touching its schema: an existing SQLite file only (`mode=rw`
/// unless the URL says otherwise), for the commands that must not change what they read.
pub async fn open_existing(url: &str) -> Result<Db, DbError> {
    let url = match Engine::of_url(url) {
        Some(Engine::Sqlite) if !url.to_ascii_lowercase().contains("mode=") => {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}mode=rw")
        }
        _ => url.to_owned(),
    };
    open(&url, None).await
}

/// Opens the pool: the engine's settings, and a first connection (so an unusable path or server
/// fails here; a missing SQLite file is created). No migrations.
pub async fn open(url: &str, pool_size: Option<u32>) -> Result<Db, DbError> {
    static DRIVERS: Once = Once::new();
    DRIVERS.call_once(sqlx::any::install_default_drivers);

    let engine = Engine::of_url(url).ok_or_else(|| DbError::UnsupportedUrl(url.to_owned()))?;
    let open_error = |source| DbError::Open { url: url.to_owned(), source };
    let mut pool = AnyPoolOptions::new();
    let mut url = Cow::Borrowed(url);
    match engine {
        Engine::Sqlite => {
            let lower = url.to_ascii_lowercase();
            if lower.contains(":memory:") || lower.contains("mode=memory") {
                // An in-memory database lives only as long as a connection to it: keep exactly one.
                pool = pool.min_connections(1).max_connections(1).idle_timeout(None).max_lifetime(None);
            } else if !lower.contains("mode=") {
                // Create the file if it is missing (sqlx's own options cannot travel through `Any`).
                let sep = if url.contains('?') { '&' } else { '?' };
                url = Cow::Owned(format!("{url}{sep}mode=rwc"));
            }
            if let Some(n) = pool_size {
                pool = pool.max_connections(n);
            }
        }
        Engine::Postgres => {
            // A request waits this long for a connection before it answers 503 `unavailable`
            // (sqlx's 30 s default would hold it past any proxy's patience); a start, this long
            // for the database to come up.
            pool = pool.max_connections(pool_size.unwrap_or(DEFAULT_POOL_SIZE)).acquire_timeout(ACQUIRE_TIMEOUT);
        }
    }
    // `connect` opens a first connection, so an unusable path or server fails here, not on a
    // request. sqlx's SQLite defaults hold through `Any`: foreign keys on, 5 s busy timeout.
    let db = pool.connect(&url).await.map_err(open_error)?;
    if engine == Engine::Sqlite {
        // Readers never wait for the writer, and a crash cannot leave a half-written page.
        // Stored in the file, so once is enough; an in-memory database answers "memory".
        sqlx::query("PRAGMA journal_mode = WAL").execute(&db).await.map_err(open_error)?;
    }
    if engine == Engine::Postgres {
        // Lists sorted by text (usernames) come in byte order on SQLite; PostgreSQL sorts so
        // only under the C collation.
        let collation: String =
            sqlx::query_scalar("SELECT CAST(datcollate AS TEXT) FROM pg_database WHERE datname = current_database()")
                .fetch_one(&db)
                .await
                .map_err(open_error)?;
        if collation != "C" && collation != "POSIX" {
            tracing::warn!(
                "the database's collation is {collation}, not C: text may sort differently from SQLite \
                 (create it with `LC_COLLATE 'C' TEMPLATE template0`)"
            );
        }
    }
    Ok(db)
}

/// The one lock every write transaction on PostgreSQL takes (an arbitrary constant, "thidua").
const WRITE_LOCK: i64 = 0x7468_6964_7561;

/// A write transaction. Writers run one at a time on both engines, so a handler may read,
/// check and then write without another write slipping in between: SQLite takes its write
/// lock at once (`BEGIN IMMEDIATE`; a second writer waits for the busy timeout), PostgreSQL
/// a transaction-scoped advisory lock that every server on the database shares.
pub async fn begin_write(db: &Db) -> sqlx::Result<Tx> {
    match Engine::of(db) {
        Engine::Sqlite => {
            let turn = sqlite_turns(db);
            // No longer in the queue than SQLite's own busy timeout: when another process
            // holds the lock, a writer far back answers 503 as soon as the head would.
            let Ok(_turn) = tokio::time::timeout(SQLITE_BUSY_TIMEOUT, turn.lock()).await else {
                return Err(sqlx::Error::PoolTimedOut);
            };
            db.begin_with("BEGIN IMMEDIATE").await
        }
        Engine::Postgres => {
            let mut tx = db.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(&mut *tx).await?;
            Ok(tx)
        }
    }
}

/// SQLite's busy handler is not fair: under a stream of writes, one waiting writer can lose
/// every race for the lock until its busy timeout ends (and its request answers 503). So the
/// writers of this process queue here first, in order (tokio's mutex is first come, first
/// served), and only the head of the queue waits on SQLite's lock; other processes on the
/// same file (a second server, `sqlite3`) still meet the busy timeout. One queue per database.
fn sqlite_turns(db: &Db) -> Arc<tokio::sync::Mutex<()>> {
    static TURNS: Mutex<Option<HashMap<String, Arc<tokio::sync::Mutex<()>>>>> = Mutex::new(None);
    let url = db.connect_options().database_url.to_string();
    let mut turns = TURNS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    turns.get_or_insert_with(HashMap::new).entry(url).or_default().clone()
}

/// A read transaction: every statement in it sees the same state of the database (SQLite's
/// WAL snapshot; PostgreSQL's repeatable read), so the parts of a page always agree.
pub async fn begin_read(db: &Db) -> sqlx::Result<Tx> {
    match Engine::of(db) {
        Engine::Sqlite => db.begin().await,
        Engine::Postgres => db.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await,
    }
}

/// A boolean as either engine gives it: PostgreSQL a boolean, SQLite an integer (0 or 1),
/// which `Any` will not read as `bool`. Read booleans through it: `#[sqlx(try_from = "Flag")]`
/// on a `bool` field, or `Flag` in a tuple. And select a BOOLEAN column as an expression,
/// `CAST(open AS BOOLEAN) AS open`: `Any` refuses a SQLite column *declared* BOOLEAN outright,
/// before any decoding, while an expression carries no declared type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <bool as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        ty.kind() == AnyTypeInfoKind::Bool || ty.kind().is_integer()
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Flag, BoxDynError> {
        match <bool as Decode<Any>>::decode(value.clone()) {
            Ok(b) => Ok(Flag(b)),
            Err(_) => Ok(Flag(<i64 as Decode<Any>>::decode(value)? != 0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_what_it_cannot_open() {
        assert!(matches!(connect("mysql://localhost/thidua").await, Err(DbError::UnsupportedUrl(_))));
        assert!(matches!(connect("sqlite:///nonexistent-dir/x.db").await, Err(DbError::Open { .. })));
        // Nothing listens on port 1.
        assert!(matches!(connect("postgres://nobody@127.0.0.1:1/thidua").await, Err(DbError::Open { .. })));
    }

    #[tokio::test]
    async fn in_memory_database_keeps_its_schema() {
        let db = connect("sqlite::memory:").await.unwrap();
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM years").fetch_one(&db).await.unwrap();
        assert_eq!(n, 0);
    }

    #[tokio::test]
    async fn booleans_read_from_sqlite_integers() {
        let db = connect("sqlite::memory:").await.unwrap();
        let flags: (Flag, Flag) =
            sqlx::query_as("SELECT TRUE, EXISTS (SELECT 1 WHERE 1 = 0)").fetch_one(&db).await.unwrap();
        assert_eq!(flags, (Flag(true), Flag(false)));
    }

    #[test]
    fn both_engines_have_the_same_migrations() {
        // A migration added for one engine only would leave the other behind unnoticed.
        let versions = |m: &Migrator| m.iter().map(|m| (m.version, m.description.clone())).collect::<Vec<_>>();
        assert_eq!(versions(&SQLITE_MIGRATOR), versions(&POSTGRES_MIGRATOR));
    }
}
