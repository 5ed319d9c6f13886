//! The Council's outcomes per bloc proposal (`council_outcomes`). Who recorded one, and when it
//! changed, is in `award_audit` with the other award writes.

use thidua_domain::council::{CouncilOutcome, Outcome, OutcomeEntry};
use thidua_domain::{AwardTypeId, BlocId, UnitId, Year};

use crate::db::Conn;

type Row = (BlocId, UnitId, AwardTypeId, String, Option<String>, String);

fn entry((bloc_id, unit_id, award_type_id, outcome, reason, recorded_at): Row) -> sqlx::Result<OutcomeEntry> {
    let outcome = Outcome::parse(&outcome).ok_or_else(|| sqlx::Error::Decode(format!("outcome {outcome:?}").into()))?;
    Ok(OutcomeEntry { bloc_id, unit_id, award_type_id, outcome: CouncilOutcome { outcome, reason, recorded_at } })
}

/// Every outcome of the year.
pub async fn outcomes(conn: &mut Conn, year: Year) -> sqlx::Result<Vec<OutcomeEntry>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT bloc_id, unit_id, award_type_id, outcome, reason, recorded_at FROM council_outcomes
         WHERE year = $1 ORDER BY bloc_id, award_type_id, unit_id",
    )
    .bind(year)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(entry).collect()
}

/// The outcome of one proposal, if recorded.
pub async fn outcome(
    conn: &mut Conn,
    year: Year,
    bloc_id: BlocId,
    unit_id: UnitId,
    award_type_id: AwardTypeId,
) -> sqlx::Result<Option<Outcome>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT outcome FROM council_outcomes WHERE year = $1 AND bloc_id = $2 AND unit_id = $3 AND award_type_id = $4",
    )
    .bind(year)
    .bind(bloc_id)
    .bind(unit_id)
    .bind(award_type_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|(o,)| Outcome::parse(&o)))
}

/// Records (or replaces) the outcome of one proposal.
pub async fn upsert(conn: &mut Conn, year: Year, entry: &OutcomeEntry) -> sqlx::Result<()> {
    let o = &entry.outcome;
    sqlx::query(
        "INSERT INTO council_outcomes (bloc_id, year, unit_id, award_type_id, outcome, reason, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (bloc_id, year, unit_id, award_type_id)
         DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason, recorded_at = excluded.recorded_at",
    )
    .bind(entry.bloc_id)
    .bind(year)
    .bind(entry.unit_id)
    .bind(entry.award_type_id)
    .bind(o.outcome.as_str())
    .bind(&o.reason)
    .bind(&o.recorded_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// `false` when none was recorded.
pub async fn delete(
    conn: &mut Conn,
    year: Year,
    bloc_id: BlocId,
    unit_id: UnitId,
    award_type_id: AwardTypeId,
) -> sqlx::Result<bool> {
    super::awards::delete_entry(conn, "council_outcomes", year, bloc_id, unit_id, award_type_id).await
}
