//! Units: their names with the years they were carried from, merges and retirements.

use std::collections::HashMap;

use sqlx::SqliteConnection;
use thidua_domain::admin::units::{UnitAdmin, UnitEnd, UnitName};
use thidua_domain::{UnitId, Year};

/// Every unit with its names (oldest first) and its end, by id.
pub async fn units(conn: &mut SqliteConnection) -> sqlx::Result<Vec<UnitAdmin>> {
    let units: Vec<(UnitId, String)> =
        sqlx::query_as("SELECT id, name FROM units ORDER BY id").fetch_all(&mut *conn).await?;
    let names: Vec<(UnitId, Year, String)> =
        sqlx::query_as("SELECT unit_id, from_year, name FROM unit_names ORDER BY unit_id, from_year")
            .fetch_all(&mut *conn)
            .await?;
    let ends = unit_ends(conn).await?;
    let mut by_unit: HashMap<UnitId, Vec<UnitName>> = HashMap::new();
    for (unit, from_year, name) in names {
        by_unit.entry(unit).or_default().push(UnitName { from_year, name });
    }
    Ok(units
        .into_iter()
        .map(|(id, name)| UnitAdmin {
            id,
            name,
            names: by_unit.remove(&id).unwrap_or_default(),
            end: ends.iter().find(|e| e.unit_id == id).copied(),
        })
        .collect())
}

pub async fn unit(conn: &mut SqliteConnection, id: UnitId) -> sqlx::Result<Option<UnitAdmin>> {
    Ok(units(conn).await?.into_iter().find(|u| u.id == id))
}

pub async fn unit_ends(conn: &mut SqliteConnection) -> sqlx::Result<Vec<UnitEnd>> {
    let rows: Vec<(UnitId, Year, Option<UnitId>)> =
        sqlx::query_as("SELECT unit_id, from_year, merged_into FROM unit_ends ORDER BY unit_id")
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(unit_id, from_year, merged_into)| UnitEnd { unit_id, from_year, merged_into }).collect())
}

/// A new unit with its first name; answers its id.
pub async fn insert_unit(conn: &mut SqliteConnection, name: &str, from_year: Year) -> sqlx::Result<UnitId> {
    let id: UnitId =
        sqlx::query_scalar("INSERT INTO units (name) VALUES (?) RETURNING id").bind(name).fetch_one(&mut *conn).await?;
    put_unit_name(conn, id, from_year, name).await?;
    Ok(id)
}

/// Records the unit's name from a year on (replacing a name recorded from that same year),
/// and keeps `units.name` the latest name.
pub async fn put_unit_name(conn: &mut SqliteConnection, id: UnitId, from_year: Year, name: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO unit_names (unit_id, from_year, name) VALUES (?, ?, ?)
         ON CONFLICT (unit_id, from_year) DO UPDATE SET name = excluded.name",
    )
    .bind(id)
    .bind(from_year)
    .bind(name)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE units SET name = (SELECT n.name FROM unit_names n WHERE n.unit_id = units.id
                                  ORDER BY n.from_year DESC LIMIT 1)
         WHERE id = ?",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records (or replaces) the unit's merge or retirement.
pub async fn put_unit_end(conn: &mut SqliteConnection, end: &UnitEnd) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO unit_ends (unit_id, from_year, merged_into) VALUES (?, ?, ?)
         ON CONFLICT (unit_id) DO UPDATE SET from_year = excluded.from_year, merged_into = excluded.merged_into",
    )
    .bind(end.unit_id)
    .bind(end.from_year)
    .bind(end.merged_into)
    .execute(conn)
    .await?;
    Ok(())
}
