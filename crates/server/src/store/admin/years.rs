//! Years: listed with their bloc count, added (like an earlier one), opened and closed.

use crate::db::{Conn, Flag};
use thidua_domain::admin::years::YearAdmin;
use thidua_domain::ranking::TieBreak;
use thidua_domain::Year;

use crate::store::{tie_break_from_db, tie_break_to_db, to_u32, LookupError};

/// Every year, newest first.
pub async fn years(conn: &mut Conn) -> sqlx::Result<Vec<YearAdmin>> {
    let rows: Vec<(Year, Flag, i64, String)> = sqlx::query_as(
        "SELECT y.year, CAST(y.open AS BOOLEAN) AS open, (SELECT COUNT(*) FROM bloc_years b WHERE b.year = y.year), y.tie_break
         FROM years y ORDER BY y.year DESC",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(year, Flag(open), n, rule)| {
            Ok(YearAdmin { year, open, bloc_count: to_u32(n, "bloc count")?, tie_break: tie_break_from_db(&rule)? })
        })
        .collect()
}

/// One year, or `YearNotFound`.
pub async fn year(conn: &mut Conn, year: Year) -> Result<YearAdmin, LookupError> {
    let row: Option<(Flag, i64, String)> = sqlx::query_as(
        "SELECT CAST(y.open AS BOOLEAN) AS open, (SELECT COUNT(*) FROM bloc_years b WHERE b.year = y.year), y.tie_break
         FROM years y WHERE y.year = $1",
    )
    .bind(year)
    .fetch_optional(conn)
    .await?;
    let (Flag(open), n, rule) = row.ok_or(LookupError::YearNotFound(year))?;
    Ok(YearAdmin { year, open, bloc_count: to_u32(n, "bloc count")?, tie_break: tie_break_from_db(&rule)? })
}

/// Adds a year, open for scoring, with the tie-break rule of `like` (the year it copies).
pub async fn insert_year(conn: &mut Conn, year: Year, like: Option<Year>) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO years (year, open) VALUES ($1, TRUE)").bind(year).execute(&mut *conn).await?;
    if let Some(like) = like {
        sqlx::query("UPDATE years SET tie_break = (SELECT tie_break FROM years WHERE year = $1) WHERE year = $2")
            .bind(like)
            .bind(year)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// The year's tie-break rule: every bloc's ranking follows it.
pub async fn set_tie_break(conn: &mut Conn, year: Year, rule: TieBreak) -> sqlx::Result<()> {
    sqlx::query("UPDATE years SET tie_break = $1 WHERE year = $2")
        .bind(tie_break_to_db(rule))
        .bind(year)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_year_open(conn: &mut Conn, year: Year, open: bool) -> sqlx::Result<()> {
    sqlx::query("UPDATE years SET open = $1 WHERE year = $2").bind(open).bind(year).execute(conn).await?;
    Ok(())
}
