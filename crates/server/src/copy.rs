//! `thidua-server copy-database --from sqlite://… --to postgres://…`: moves an installation's
//! record into a fresh PostgreSQL database — every table, row for row, ids and versions kept —
//! in one transaction, then checks that each table holds as many rows as the source.
//!
//! The tables, their columns and the order that satisfies the foreign keys are read from the
//! target's catalogue (`catalogue.rs`, either engine), so a table that a later migration adds
//! is copied without a change here. Both databases are first brought to the same schema
//! version by their migrations. `backup.rs` copies the same way into a SQLite file and back.

mod catalogue;

use std::collections::BTreeSet;

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, Row};

use crate::db::{self, Conn, Db, Engine, Flag};

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the target must be a PostgreSQL database (postgres://…)")]
    TargetNotPostgres,
    #[error("the source and the target are the same database")]
    SameDatabase,
    #[error(transparent)]
    Open(#[from] db::DbError),
    #[error("the target is not empty: table {0} has rows; copy into a new database")]
    TargetNotEmpty(String),
    #[error("column {table}.{column} has a type the copy does not know: {data_type}")]
    UnknownType { table: String, column: String, data_type: String },
    #[error("the foreign keys between {0:?} form a cycle")]
    Cycle(Vec<String>),
    #[error("table {table}: {source_rows} rows in the source but {target_rows} in the target")]
    Mismatch { table: String, source_rows: i64, target_rows: i64 },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

use catalogue::{tables, Kind, Table};

/// One value on its way from the source to the target.
enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Bytes(Option<Vec<u8>>),
}

/// Copies everything; answers one line per table (`units: 7 rows`).
pub async fn copy_database(from: &str, to: &str) -> Result<Vec<String>, CopyError> {
    if Engine::of_url(to) != Some(Engine::Postgres) {
        return Err(CopyError::TargetNotPostgres);
    }
    if from == to {
        return Err(CopyError::SameDatabase);
    }
    let source = db::connect(from).await?;
    let target = db::connect(to).await?;
    let result = copy_between(&source, &target).await;
    source.close().await;
    target.close().await;
    result
}

/// Copies every row of `source` (one snapshot of it) into `target`, which must be empty, in
/// one write transaction; answers one line per table. Either engine on either side.
pub(crate) async fn copy_between(source: &Db, target: &Db) -> Result<Vec<String>, CopyError> {
    // The write lock too, so no server on the target writes while it fills.
    let mut tx = db::begin_write(target).await?;
    let tables = tables(&mut tx, Engine::of(target)).await?;
    for table in &tables {
        if count(&mut tx, &table.name).await? > 0 {
            return Err(CopyError::TargetNotEmpty(table.name.clone()));
        }
    }
    // The source as one snapshot, even if a server still writes to it.
    let mut from = db::begin_read(source).await?;
    let mut report = Vec::with_capacity(tables.len());
    for table in &tables {
        if table.self_reference.is_some() {
            // Parents before children needs the whole table (a small one: the criteria).
            let rows = read_rows(&mut from, table, None).await?;
            write_rows(&mut tx, table, &parents_first(table, rows)).await?;
        } else {
            // In batches: a table of file chunks never has to fit in memory.
            let per_batch = if table.columns.iter().any(|(_, k)| matches!(k, Kind::Bytes)) { 8 } else { 5_000 };
            let mut offset = 0;
            loop {
                let rows = read_rows(&mut from, table, Some((per_batch, offset))).await?;
                write_rows(&mut tx, table, &rows).await?;
                if rows.len() < per_batch {
                    break;
                }
                offset += per_batch;
            }
        }
        if let Some(id) = &table.identity {
            // The next id the target generates is past every copied one.
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{t}', '{id}'), COALESCE((SELECT MAX({id}) FROM {t}), 0) + 1, false)",
                t = table.name
            ))
            .execute(&mut *tx)
            .await?;
        }
        let (source_rows, target_rows) = (count(&mut from, &table.name).await?, count(&mut tx, &table.name).await?);
        if source_rows != target_rows {
            return Err(CopyError::Mismatch { table: table.name.clone(), source_rows, target_rows });
        }
        report.push(format!("{}: {target_rows} rows", table.name));
    }
    from.rollback().await?;
    tx.commit().await?;
    Ok(report)
}

/// The tables a copy fills, in its order (each after the tables it references).
pub(crate) async fn table_names(conn: &mut Conn, engine: Engine) -> Result<Vec<String>, CopyError> {
    Ok(tables(conn, engine).await?.into_iter().map(|t| t.name).collect())
}

pub(crate) async fn count(conn: &mut Conn, table: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(conn).await
}

/// The rows of `table`, all or a batch (`(limit, offset)`) in an order that the columns other
/// than bytes decide (each table has a key among them).
async fn read_rows(conn: &mut Conn, table: &Table, batch: Option<(usize, usize)>) -> sqlx::Result<Vec<Vec<Value>>> {
    // A BOOLEAN column is read through an expression (see `db::Flag`).
    let names: Vec<String> = table
        .columns
        .iter()
        .map(|(c, kind)| match kind {
            Kind::Bool => format!("CAST({c} AS BOOLEAN)"),
            _ => c.clone(),
        })
        .collect();
    let order: Vec<String> = (1..=table.columns.len())
        .filter(|&i| !matches!(table.columns[i - 1].1, Kind::Bytes))
        .map(|i| i.to_string())
        .collect();
    let page = batch.map(|(limit, offset)| format!(" LIMIT {limit} OFFSET {offset}")).unwrap_or_default();
    let rows =
        sqlx::query(&format!("SELECT {} FROM {} ORDER BY {}{page}", names.join(", "), table.name, order.join(", ")))
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|row| {
            table
                .columns
                .iter()
                .enumerate()
                .map(|(i, (_, kind))| {
                    Ok(match kind {
                        Kind::Int => Value::Int(row.try_get(i)?),
                        Kind::Text => Value::Text(row.try_get(i)?),
                        Kind::Bool => Value::Bool(row.try_get::<Option<Flag>, _>(i)?.map(bool::from)),
                        Kind::Bytes => Value::Bytes(row.try_get(i)?),
                    })
                })
                .collect()
        })
        .collect()
}

/// For a table that references itself, each row after the row it references.
fn parents_first(table: &Table, rows: Vec<Vec<Value>>) -> Vec<Vec<Value>> {
    let Some(column) = &table.self_reference else { return rows };
    let Some(parent_at) = table.columns.iter().position(|(c, _)| c == column) else { return rows };
    let id_of = |row: &[Value], at: usize| match row[at] {
        Value::Int(v) => v,
        _ => None,
    };
    let mut placed: BTreeSet<i64> = BTreeSet::new();
    let mut pending = rows;
    let mut out = Vec::with_capacity(pending.len());
    loop {
        let before = pending.len();
        let (ready, rest): (Vec<_>, Vec<_>) =
            pending.into_iter().partition(|row| id_of(row, parent_at).is_none_or(|p| placed.contains(&p)));
        for row in ready {
            placed.extend(id_of(&row, 0));
            out.push(row);
        }
        pending = rest;
        // What is left references a row that does not exist; the target's key will say so.
        if pending.is_empty() || pending.len() == before {
            out.extend(pending);
            return out;
        }
    }
}

/// Multi-row inserts, within PostgreSQL's limit on parameters per statement.
async fn write_rows(conn: &mut Conn, table: &Table, rows: &[Vec<Value>]) -> sqlx::Result<()> {
    let width = table.columns.len();
    let per_statement = (30_000 / width.max(1)).clamp(1, 500);
    let names: Vec<&str> = table.columns.iter().map(|(c, _)| c.as_str()).collect();
    for chunk in rows.chunks(per_statement) {
        let tuples: Vec<String> = (0..chunk.len())
            .map(|r| {
                let params: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
                format!("({})", params.join(", "))
            })
            .collect();
        let sql = format!("INSERT INTO {} ({}) VALUES {}", table.name, names.join(", "), tuples.join(", "));
        let mut query: Query<'_, Any, AnyArguments<'_>> = sqlx::query(&sql);
        for row in chunk {
            for value in row {
                query = match value {
                    Value::Int(v) => query.bind(*v),
                    Value::Text(v) => query.bind(v.as_deref()),
                    Value::Bool(v) => query.bind(*v),
                    Value::Bytes(v) => query.bind(v.as_deref()),
                };
            }
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}
