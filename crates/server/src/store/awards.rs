//! The awards of a bloc and year: the rules of the year's award types, the acclaim-vote tally,
//! staff overrides, decisions, publication and the awards version, and their audit trail.
//! Proposals are not stored: `thidua_domain::tally::derive_proposals` derives them.

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, FromRow, Row};

use crate::db::{Conn, Flag};
use thidua_domain::auth::UserId;
use thidua_domain::award_types::{AwardType, AwardTypeId, AwardTypeInput};
use thidua_domain::award_types::{Eligibility, ThresholdBase, VoteThreshold, VoteTieRule};
use thidua_domain::decisions::{Decision, DecisionEntry};
use thidua_domain::model::Unit;
use thidua_domain::publication::PublicationNote;
use thidua_domain::tally::{Override, Tally, TallyEntry, TallyMethod};
use thidua_domain::thresholds::ValidBallots;
use thidua_domain::{BlocId, UnitId, Year};
use time::OffsetDateTime;

use super::values::{corrupt, to_u32};
use crate::clock::timestamp;

#[derive(FromRow)]
struct AwardTypeRow {
    id: AwardTypeId,
    code: String,
    name: String,
    precedence: i64,
    quota_per_bloc: i64,
    threshold_numerator: i64,
    threshold_denominator: i64,
    #[sqlx(try_from = "Flag")]
    threshold_strict: bool,
    #[sqlx(try_from = "Flag")]
    exclusive: bool,
    eligibility: String,
    vote_tie: String,
    legal_basis: String,
    threshold_base: String,
}

impl TryFrom<AwardTypeRow> for AwardType {
    type Error = sqlx::Error;
    fn try_from(r: AwardTypeRow) -> sqlx::Result<AwardType> {
        let eligibility: Vec<Eligibility> = serde_json::from_str(&r.eligibility)
            .map_err(|e| corrupt(format!("eligibility of award type {} is not a list of conditions: {e}", r.id)))?;
        Ok(AwardType {
            id: r.id,
            code: r.code,
            name: r.name,
            precedence: to_u32(r.precedence, "precedence")?,
            quota_per_bloc: to_u32(r.quota_per_bloc, "quota")?,
            threshold: VoteThreshold {
                numerator: to_u32(r.threshold_numerator, "threshold numerator")?,
                denominator: to_u32(r.threshold_denominator, "threshold denominator")?,
                strict: r.threshold_strict,
                base: ThresholdBase::parse(&r.threshold_base).ok_or_else(|| {
                    corrupt(format!("threshold base of award type {} is {:?}", r.id, r.threshold_base))
                })?,
            },
            eligibility,
            exclusive: r.exclusive,
            vote_tie: VoteTieRule::parse(&r.vote_tie)
                .ok_or_else(|| corrupt(format!("vote tie rule of award type {} is {:?}", r.id, r.vote_tie)))?,
            legal_basis: r.legal_basis,
        })
    }
}

const AWARD_TYPE_COLUMNS: &str = "id, code, name, precedence, quota_per_bloc, threshold_numerator,
     threshold_denominator, CAST(threshold_strict AS BOOLEAN) AS threshold_strict,
     CAST(exclusive AS BOOLEAN) AS exclusive, eligibility, vote_tie, legal_basis, threshold_base";

/// The award types of a year with their rules, highest first.
pub async fn award_types(conn: &mut Conn, year: Year) -> sqlx::Result<Vec<AwardType>> {
    let rows: Vec<AwardTypeRow> = sqlx::query_as(&format!(
        "SELECT {AWARD_TYPE_COLUMNS} FROM award_types WHERE year = $1 ORDER BY precedence, id"
    ))
    .bind(year)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(AwardType::try_from).collect()
}

/// Binds what an award type's input writes, in the order of the columns of `AWARD_TYPE_COLUMNS`
/// after `id`: one place for the insert and the update.
fn bind_award_type<'q>(
    query: Query<'q, Any, AnyArguments<'q>>,
    input: &'q AwardTypeInput,
) -> sqlx::Result<Query<'q, Any, AnyArguments<'q>>> {
    let eligibility = serde_json::to_string(&input.eligibility).map_err(|e| sqlx::Error::Encode(e.into()))?;
    Ok(query
        .bind(&input.code)
        .bind(&input.name)
        .bind(i64::from(input.precedence))
        .bind(i64::from(input.quota_per_bloc))
        .bind(i64::from(input.threshold.numerator))
        .bind(i64::from(input.threshold.denominator))
        .bind(input.threshold.strict)
        .bind(input.exclusive)
        .bind(eligibility)
        .bind(input.vote_tie.as_str())
        .bind(&input.legal_basis)
        .bind(input.threshold.base.as_str()))
}

/// Adds an award type to `year`; answers its id.
pub async fn insert_award_type(conn: &mut Conn, year: Year, input: &AwardTypeInput) -> sqlx::Result<AwardTypeId> {
    let query = sqlx::query(
        "INSERT INTO award_types (code, name, precedence, quota_per_bloc, threshold_numerator, threshold_denominator,
                                  threshold_strict, exclusive, eligibility, vote_tie, legal_basis, threshold_base, year)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    );
    bind_award_type(query, input)?.bind(year).fetch_one(conn).await?.try_get("id")
}

/// Replaces everything about an award type of `year` but its id.
pub async fn update_award_type(
    conn: &mut Conn,
    year: Year,
    id: AwardTypeId,
    input: &AwardTypeInput,
) -> sqlx::Result<()> {
    let query = sqlx::query(
        "UPDATE award_types SET code = $1, name = $2, precedence = $3, quota_per_bloc = $4, threshold_numerator = $5,
                threshold_denominator = $6, threshold_strict = $7, exclusive = $8, eligibility = $9, vote_tie = $10,
                legal_basis = $11, threshold_base = $12
         WHERE year = $13 AND id = $14",
    );
    bind_award_type(query, input)?.bind(year).bind(id).execute(conn).await?;
    Ok(())
}

/// Whether any bloc of the year has published results.
pub async fn year_has_published(conn: &mut Conn, year: Year) -> sqlx::Result<bool> {
    let Flag(published) =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM bloc_years WHERE year = $1 AND published_at IS NOT NULL)")
            .bind(year)
            .fetch_one(conn)
            .await?;
    Ok(published)
}

/// The tally of a bloc and year, if staff have entered one; votes by award precedence, then
/// by the unit's place in the bloc.
pub async fn tally(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<Option<Tally>> {
    let row: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT voters_present, membership FROM tallies WHERE year = $1 AND bloc_id = $2")
            .bind(year)
            .bind(bloc_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((voters, membership)) = row else { return Ok(None) };
    let rows: Vec<(UnitId, AwardTypeId, i64)> = sqlx::query_as(
        "SELECT v.unit_id, v.award_type_id, v.votes
         FROM tally_votes v
         JOIN award_types a ON a.id = v.award_type_id
         JOIN memberships m ON m.bloc_id = v.bloc_id AND m.year = v.year AND m.unit_id = v.unit_id
         WHERE v.year = $1 AND v.bloc_id = $2
         ORDER BY a.precedence, a.id, m.position, v.unit_id",
    )
    .bind(year)
    .bind(bloc_id)
    .fetch_all(&mut *conn)
    .await?;
    let entries = |rows: Vec<(UnitId, AwardTypeId, i64)>| {
        rows.into_iter()
            .map(|(unit_id, award_type_id, votes)| {
                Ok(TallyEntry { unit_id, award_type_id, votes: to_u32(votes, "votes")? })
            })
            .collect::<sqlx::Result<Vec<_>>>()
    };
    let votes = entries(rows)?;
    let written: Vec<(UnitId, AwardTypeId, i64)> = sqlx::query_as(
        "SELECT w.unit_id, w.award_type_id, w.votes
         FROM tally_written w
         JOIN award_types a ON a.id = w.award_type_id
         JOIN memberships m ON m.bloc_id = w.bloc_id AND m.year = w.year AND m.unit_id = w.unit_id
         WHERE w.year = $1 AND w.bloc_id = $2
         ORDER BY a.precedence, a.id, m.position, w.unit_id",
    )
    .bind(year)
    .bind(bloc_id)
    .fetch_all(&mut *conn)
    .await?;
    let valid: Vec<(AwardTypeId, i64)> = sqlx::query_as(
        "SELECT v.award_type_id, v.valid FROM tally_valid v JOIN award_types a ON a.id = v.award_type_id
         WHERE v.year = $1 AND v.bloc_id = $2 ORDER BY a.precedence, a.id",
    )
    .bind(year)
    .bind(bloc_id)
    .fetch_all(conn)
    .await?;
    Ok(Some(Tally {
        voters_present: to_u32(voters, "voters present")?,
        votes,
        membership: membership.map(|m| to_u32(m, "membership")).transpose()?,
        valid: valid
            .into_iter()
            .map(|(award_type_id, valid)| Ok(ValidBallots { award_type_id, valid: to_u32(valid, "valid ballots")? }))
            .collect::<sqlx::Result<_>>()?,
        written: entries(written)?,
    }))
}

/// How the bloc's tally was made, if it has one.
pub async fn tally_method(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<Option<TallyMethod>> {
    let method: Option<String> = sqlx::query_scalar("SELECT method FROM tallies WHERE year = $1 AND bloc_id = $2")
        .bind(year)
        .bind(bloc_id)
        .fetch_optional(conn)
        .await?;
    method.map(|m| TallyMethod::parse(&m).ok_or_else(|| corrupt(format!("tally method {m:?}")))).transpose()
}

/// Replaces the bloc's whole tally with `tally` (votes of 0 are kept as entered), made by
/// `method`.
pub async fn replace_tally(
    conn: &mut Conn,
    year: Year,
    bloc_id: BlocId,
    tally: &Tally,
    method: TallyMethod,
) -> sqlx::Result<()> {
    for table in ["tally_votes", "tally_valid", "tally_written"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE year = $1 AND bloc_id = $2"))
            .bind(year)
            .bind(bloc_id)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "INSERT INTO tallies (bloc_id, year, voters_present, method, membership) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (bloc_id, year) DO UPDATE SET voters_present = excluded.voters_present, method = excluded.method,
                                                   membership = excluded.membership",
    )
    .bind(bloc_id)
    .bind(year)
    .bind(i64::from(tally.voters_present))
    .bind(method.as_str())
    .bind(tally.membership.map(i64::from))
    .execute(&mut *conn)
    .await?;
    for e in &tally.votes {
        sqlx::query(
            "INSERT INTO tally_votes (bloc_id, year, unit_id, award_type_id, votes) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(bloc_id)
        .bind(year)
        .bind(e.unit_id)
        .bind(e.award_type_id)
        .bind(i64::from(e.votes))
        .execute(&mut *conn)
        .await?;
    }
    for v in &tally.valid {
        sqlx::query("INSERT INTO tally_valid (bloc_id, year, award_type_id, valid) VALUES ($1, $2, $3, $4)")
            .bind(bloc_id)
            .bind(year)
            .bind(v.award_type_id)
            .bind(i64::from(v.valid))
            .execute(&mut *conn)
            .await?;
    }
    for w in &tally.written {
        sqlx::query(
            "INSERT INTO tally_written (bloc_id, year, unit_id, award_type_id, votes) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(bloc_id)
        .bind(year)
        .bind(w.unit_id)
        .bind(w.award_type_id)
        .bind(i64::from(w.votes))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn overrides(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<Vec<Override>> {
    let rows: Vec<(UnitId, AwardTypeId, Flag, String)> = sqlx::query_as(
        "SELECT unit_id, award_type_id, CAST(propose AS BOOLEAN) AS propose, reason FROM award_overrides
         WHERE year = $1 AND bloc_id = $2 ORDER BY award_type_id, unit_id",
    )
    .bind(year)
    .bind(bloc_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(unit_id, award_type_id, Flag(propose), reason)| Override { unit_id, award_type_id, propose, reason })
        .collect())
}

pub async fn upsert_override(conn: &mut Conn, year: Year, bloc_id: BlocId, o: &Override) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO award_overrides (bloc_id, year, unit_id, award_type_id, propose, reason) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (bloc_id, year, unit_id, award_type_id)
         DO UPDATE SET propose = excluded.propose, reason = excluded.reason",
    )
    .bind(bloc_id)
    .bind(year)
    .bind(o.unit_id)
    .bind(o.award_type_id)
    .bind(o.propose)
    .bind(&o.reason)
    .execute(conn)
    .await?;
    Ok(())
}

/// `false` when there was no such override.
pub async fn delete_override(
    conn: &mut Conn,
    year: Year,
    bloc_id: BlocId,
    unit_id: UnitId,
    award_type_id: AwardTypeId,
) -> sqlx::Result<bool> {
    delete_entry(conn, "award_overrides", year, bloc_id, unit_id, award_type_id).await
}

/// Deletes the row of `table` (overrides or decisions: both are keyed by bloc-year, unit and
/// award type); `false` when there was none.
pub(crate) async fn delete_entry(
    conn: &mut Conn,
    table: &'static str,
    year: Year,
    bloc_id: BlocId,
    unit_id: UnitId,
    award_type_id: AwardTypeId,
) -> sqlx::Result<bool> {
    let done = sqlx::query(&format!(
        "DELETE FROM {table} WHERE year = $1 AND bloc_id = $2 AND unit_id = $3 AND award_type_id = $4"
    ))
    .bind(year)
    .bind(bloc_id)
    .bind(unit_id)
    .bind(award_type_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn decisions(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<Vec<DecisionEntry>> {
    let rows: Vec<(UnitId, AwardTypeId, String, String, String)> = sqlx::query_as(
        "SELECT unit_id, award_type_id, number, date, issuer FROM award_decisions
         WHERE year = $1 AND bloc_id = $2 ORDER BY award_type_id, unit_id",
    )
    .bind(year)
    .bind(bloc_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(unit_id, award_type_id, number, date, issuer)| DecisionEntry {
            unit_id,
            award_type_id,
            decision: Decision { number, date, issuer },
        })
        .collect())
}

pub async fn upsert_decision(
    conn: &mut Conn,
    year: Year,
    bloc_id: BlocId,
    unit_id: UnitId,
    award_type_id: AwardTypeId,
    d: &Decision,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO award_decisions (bloc_id, year, unit_id, award_type_id, number, date, issuer)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (bloc_id, year, unit_id, award_type_id)
         DO UPDATE SET number = excluded.number, date = excluded.date, issuer = excluded.issuer",
    )
    .bind(bloc_id)
    .bind(year)
    .bind(unit_id)
    .bind(award_type_id)
    .bind(&d.number)
    .bind(&d.date)
    .bind(&d.issuer)
    .execute(conn)
    .await?;
    Ok(())
}

/// `false` when there was no such decision.
pub async fn delete_decision(
    conn: &mut Conn,
    year: Year,
    bloc_id: BlocId,
    unit_id: UnitId,
    award_type_id: AwardTypeId,
) -> sqlx::Result<bool> {
    delete_entry(conn, "award_decisions", year, bloc_id, unit_id, award_type_id).await
}

/// Publishes (`Some`: when, and what staff accepted in writing) or unpublishes (`None`, which
/// clears the note too) the bloc's results; `false` when they already were so (nothing
/// written: publishing again keeps the first time and note).
pub async fn set_published(
    conn: &mut Conn,
    year: Year,
    bloc_id: BlocId,
    at: Option<(OffsetDateTime, &PublicationNote)>,
) -> sqlx::Result<bool> {
    let done = match at {
        Some((at, note)) => sqlx::query(
            "UPDATE bloc_years SET published_at = $1, publication_reason = $2, publication_acknowledged = $3
             WHERE year = $4 AND bloc_id = $5 AND published_at IS NULL",
        )
        .bind(timestamp(at))
        .bind(note.reason.clone())
        .bind(serde_json::to_string(&note.acknowledged).map_err(|e| sqlx::Error::Encode(e.into()))?),
        None => sqlx::query(
            "UPDATE bloc_years SET published_at = NULL, publication_reason = '', publication_acknowledged = '[]'
             WHERE year = $1 AND bloc_id = $2 AND published_at IS NOT NULL",
        ),
    }
    .bind(year)
    .bind(bloc_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Moves the awards version of one bloc (`Some`) or of every bloc of the year (`None`) on by one.
pub async fn bump_version(conn: &mut Conn, year: Year, bloc_id: Option<BlocId>) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE bloc_years SET awards_version = awards_version + 1 WHERE year = $1 AND ($2 IS NULL OR bloc_id = $3)",
    )
    .bind(year)
    .bind(bloc_id)
    .bind(bloc_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// One row of the awards' audit trail: who, when, which year and bloc (`None`: the year's
/// rules), the action's name and what changed, as text.
pub struct AwardAudit<'a> {
    pub user: UserId,
    pub at: OffsetDateTime,
    pub year: Year,
    pub bloc_id: Option<BlocId>,
    pub action: &'a str,
    pub detail: String,
}

pub async fn audit(conn: &mut Conn, entry: AwardAudit<'_>) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO award_audit (user_id, at, year, bloc_id, action, detail) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(entry.user)
        .bind(timestamp(entry.at))
        .bind(entry.year)
        .bind(entry.bloc_id)
        .bind(entry.action)
        .bind(entry.detail)
        .execute(conn)
        .await?;
    Ok(())
}

/// A unit as it is named now, if it exists.
pub async fn unit(conn: &mut Conn, unit_id: UnitId) -> sqlx::Result<Option<Unit>> {
    let row: Option<(UnitId, String)> =
        sqlx::query_as("SELECT id, name FROM units WHERE id = $1").bind(unit_id).fetch_optional(conn).await?;
    Ok(row.map(|(id, name)| Unit { id, name }))
}

/// The published bloc-years the unit was a member of, oldest first.
pub async fn published_memberships(conn: &mut Conn, unit_id: UnitId) -> sqlx::Result<Vec<(Year, BlocId)>> {
    sqlx::query_as(
        "SELECT m.year, m.bloc_id
         FROM memberships m JOIN bloc_years y ON y.bloc_id = m.bloc_id AND y.year = m.year
         WHERE m.unit_id = $1 AND y.published_at IS NOT NULL
         ORDER BY m.year, m.bloc_id",
    )
    .bind(unit_id)
    .fetch_all(conn)
    .await
}
