//! A database's tables as the copy needs them: each table's columns and what they hold, the
//! column that references its own table, the generated id, and an order in which every table
//! comes after the tables it references. Read from the engine's own catalogue
//! (PostgreSQL's `information_schema`, SQLite's `sqlite_master` and pragmas).

use std::collections::{BTreeMap, BTreeSet};

use super::CopyError;
use crate::db::{Conn, Engine};

/// What a column holds, as both engines store it (see the migrations).
#[derive(Clone, Copy, Debug)]
pub(super) enum Kind {
    Int,
    Text,
    Bool,
    /// An evidence file's chunk (BLOB, BYTEA).
    Bytes,
}

pub(super) struct Table {
    pub name: String,
    pub columns: Vec<(String, Kind)>,
    /// A column that references this same table (criteria.parent_id): parents go first.
    pub self_reference: Option<String>,
    /// PostgreSQL's generated id, whose sequence must move past the copied ids (SQLite's
    /// `INTEGER PRIMARY KEY` goes on from the largest id by itself).
    pub identity: Option<String>,
}

/// The tables of the database `conn` is on, each after every table it references.
pub(super) async fn tables(conn: &mut Conn, engine: Engine) -> Result<Vec<Table>, CopyError> {
    let (columns, references) = match engine {
        Engine::Postgres => postgres(conn).await?,
        Engine::Sqlite => sqlite(conn).await?,
    };
    let mut by_name: BTreeMap<String, Table> = BTreeMap::new();
    for (table, column, data_type, is_identity) in columns {
        let kind = match data_type.to_ascii_lowercase().as_str() {
            "bigint" | "integer" | "smallint" => Kind::Int,
            "text" | "character varying" => Kind::Text,
            "boolean" => Kind::Bool,
            "blob" | "bytea" => Kind::Bytes,
            _ => return Err(CopyError::UnknownType { table, column, data_type }),
        };
        let entry = by_name.entry(table.clone()).or_insert_with(|| Table {
            name: table,
            columns: Vec::new(),
            self_reference: None,
            identity: None,
        });
        if is_identity {
            entry.identity = Some(column.clone());
        }
        entry.columns.push((column, kind));
    }
    let mut needs: BTreeMap<String, BTreeSet<String>> = by_name.keys().map(|t| (t.clone(), BTreeSet::new())).collect();
    for (table, referenced, column) in references {
        if table == referenced {
            if let Some(t) = by_name.get_mut(&table) {
                t.self_reference = Some(column);
            }
        } else if let Some(n) = needs.get_mut(&table) {
            n.insert(referenced);
        }
    }
    // Kahn's algorithm, by name among the ready ones, so the order is always the same.
    let mut order = Vec::with_capacity(by_name.len());
    while !needs.is_empty() {
        let ready: Vec<String> =
            needs.iter().filter(|(_, n)| n.iter().all(|r| !needs.contains_key(r))).map(|(t, _)| t.clone()).collect();
        if ready.is_empty() {
            return Err(CopyError::Cycle(needs.into_keys().collect()));
        }
        for t in ready {
            needs.remove(&t);
            order.extend(by_name.remove(&t));
        }
    }
    Ok(order)
}

/// (table, column, type, generated id) in column order, and (table, referenced table, column).
type Catalogue = (Vec<(String, String, String, bool)>, Vec<(String, String, String)>);

async fn postgres(conn: &mut Conn) -> Result<Catalogue, CopyError> {
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.is_identity::text
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
           AND c.table_name <> '_sqlx_migrations'
         ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(&mut *conn)
    .await?;
    let references: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT DISTINCT k.table_name::text, u.table_name::text, k.column_name::text
         FROM information_schema.referential_constraints r
         JOIN information_schema.key_column_usage k
              ON k.constraint_schema = r.constraint_schema AND k.constraint_name = r.constraint_name
         JOIN information_schema.constraint_column_usage u
              ON u.constraint_schema = r.unique_constraint_schema AND u.constraint_name = r.unique_constraint_name
         WHERE k.table_schema = current_schema()",
    )
    .fetch_all(&mut *conn)
    .await?;
    let columns = columns.into_iter().map(|(t, c, ty, identity)| (t, c, ty, identity == "YES")).collect();
    Ok((columns, references))
}

async fn sqlite(conn: &mut Conn) -> Result<Catalogue, CopyError> {
    let columns: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT m.name, p.name, p.type
         FROM sqlite_master m JOIN pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'
         ORDER BY m.name, p.cid",
    )
    .fetch_all(&mut *conn)
    .await?;
    let references: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT DISTINCT m.name, f.\"table\", f.\"from\"
         FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&mut *conn)
    .await?;
    let columns = columns.into_iter().map(|(t, c, ty)| (t, c, ty, false)).collect();
    Ok((columns, references))
}
