//! Years: listed with their bloc count, added (like an earlier one), opened and closed.

use crate::db::{Conn, Flag};
use thidua_domain::admin::years::YearAdmin;
use thidua_domain::ranking::TieBreak;
use thidua_domain::Year;

use crate::store::{tie_break_from_db, tie_break_to_db, to_u32, LookupError};

const YEAR_COLUMNS: &str = "y.year, CAST(y.open AS BOOLEAN) AS open,
     (SELECT COUNT(*) FROM bloc_years b WHERE b.year = y.year) AS blocs,
     (SELECT COUNT(*) FROM bloc_years b WHERE b.year = y.year AND b.published_at IS NOT NULL) AS published,
     y.tie_break";

#[derive(sqlx::FromRow)]
struct YearRow {
    year: Year,
    #[sqlx(try_from = "Flag")]
    open: bool,
    blocs: i64,
    published: i64,
    tie_break: String,
}

impl YearRow {
    fn admin(self) -> sqlx::Result<YearAdmin> {
        Ok(YearAdmin {
            year: self.year,
            open: self.open,
            bloc_count: to_u32(self.blocs, "bloc count")?,
            published_blocs: to_u32(self.published, "published blocs")?,
            tie_break: tie_break_from_db(&self.tie_break)?,
        })
    }
}

/// Every year, newest first.
pub async fn years(conn: &mut Conn) -> sqlx::Result<Vec<YearAdmin>> {
    let rows: Vec<YearRow> =
        sqlx::query_as(&format!("SELECT {YEAR_COLUMNS} FROM years y ORDER BY y.year DESC")).fetch_all(conn).await?;
    rows.into_iter().map(YearRow::admin).collect()
}

/// One year, or `YearNotFound`.
pub async fn year(conn: &mut Conn, year: Year) -> Result<YearAdmin, LookupError> {
    let row: Option<YearRow> = sqlx::query_as(&format!("SELECT {YEAR_COLUMNS} FROM years y WHERE y.year = $1"))
        .bind(year)
        .fetch_optional(conn)
        .await?;
    Ok(row.ok_or(LookupError::YearNotFound(year))?.admin()?)
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
