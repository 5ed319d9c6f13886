//! The Council's outcomes per bloc proposal (`council_outcomes`). Who recorded one, and when it
//! changed, is in `award_audit` with the other award writes.

use thidua_domain::council::{CouncilOutcome, Outcome, OutcomeEntry, ProposalFacts};
use thidua_domain::{AwardTypeId, BlocId, Points, UnitId, Year};

use crate::db::Conn;

#[derive(sqlx::FromRow)]
struct Row {
    bloc_id: BlocId,
    unit_id: UnitId,
    award_type_id: AwardTypeId,
    outcome: String,
    reason: Option<String>,
    recorded_at: String,
    rank: Option<i64>,
    total: Option<i64>,
    votes: i64,
    base: Option<i64>,
}

fn entry(r: Row) -> sqlx::Result<OutcomeEntry> {
    let bad = |what: &str| sqlx::Error::Decode(format!("council_outcomes: {what}").into());
    let outcome = Outcome::parse(&r.outcome).ok_or_else(|| bad("outcome"))?;
    let count = |n: i64| u32::try_from(n).map_err(|_| bad("a count"));
    let facts = ProposalFacts {
        rank: r.rank.map(count).transpose()?,
        total: r.total.map(Points::from_hundredths),
        votes: count(r.votes)?,
        base: r.base.map(count).transpose()?,
    };
    Ok(OutcomeEntry {
        bloc_id: r.bloc_id,
        unit_id: r.unit_id,
        award_type_id: r.award_type_id,
        outcome: CouncilOutcome { outcome, reason: r.reason, recorded_at: r.recorded_at, facts },
    })
}

/// Every outcome of the year.
pub async fn outcomes(conn: &mut Conn, year: Year) -> sqlx::Result<Vec<OutcomeEntry>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT bloc_id, unit_id, award_type_id, outcome, reason, recorded_at, rank, total, votes, base
         FROM council_outcomes WHERE year = $1 ORDER BY bloc_id, award_type_id, unit_id",
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
        "INSERT INTO council_outcomes
             (bloc_id, year, unit_id, award_type_id, outcome, reason, recorded_at, rank, total, votes, base)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (bloc_id, year, unit_id, award_type_id)
         DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason, recorded_at = excluded.recorded_at,
                       rank = excluded.rank, total = excluded.total, votes = excluded.votes, base = excluded.base",
    )
    .bind(entry.bloc_id)
    .bind(year)
    .bind(entry.unit_id)
    .bind(entry.award_type_id)
    .bind(o.outcome.as_str())
    .bind(&o.reason)
    .bind(&o.recorded_at)
    .bind(o.facts.rank.map(i64::from))
    .bind(o.facts.total.map(Points::hundredths))
    .bind(i64::from(o.facts.votes))
    .bind(o.facts.base.map(i64::from))
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
