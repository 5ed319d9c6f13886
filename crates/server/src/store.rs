//! Reading the record: one small function per question, each returning domain types.
//! No rule lives here; totals, ranking and award grouping are `thidua_domain`'s.
//! Accounts and the scoring workflow have their own modules.

pub mod accounts;
pub mod admin;
pub mod awards;
pub mod sheets;

use std::collections::HashMap;

use sqlx::{FromRow, SqliteConnection};
use thidua_domain::criteria::{CriteriaTable, Criterion, CriterionId};
use thidua_domain::model::{BlocDetail, BlocSummary, Pact, Unit, YearSummary};
use thidua_domain::publication::PublicationNote;
use thidua_domain::ranking::TieBreak;
use thidua_domain::results::{bloc_results, BlocResults, ResultsInput};
use thidua_domain::{BlocId, Points, Year};

/// Why a lookup found nothing, or failed.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    #[error("year {0} not found")]
    YearNotFound(Year),
    #[error("bloc {bloc_id} not found in {year}")]
    BlocNotFound { year: Year, bloc_id: BlocId },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// The text stored in `years.tie_break`.
pub fn tie_break_to_db(rule: TieBreak) -> &'static str {
    match rule {
        TieBreak::SharedRank => "shared_rank",
        TieBreak::SectionOrder => "section_order",
    }
}

pub fn tie_break_from_db(text: &str) -> sqlx::Result<TieBreak> {
    match text {
        "shared_rank" => Ok(TieBreak::SharedRank),
        "section_order" => Ok(TieBreak::SectionOrder),
        other => Err(corrupt(format!("unknown tie-break rule {other:?}"))),
    }
}

/// A stored value the schema should have prevented; reported as an internal error.
fn corrupt(message: String) -> sqlx::Error {
    sqlx::Error::Decode(message.into())
}

/// SQL for the name the unit row `unit` (an alias of `units`) carried in the year `year` (a
/// column): `thidua_domain::admin::units::name_in` over `unit_names`, so that old years keep the
/// name of their time; the latest name for a year before the unit's first.
pub(crate) fn unit_name_in(unit: &str, year: &str) -> String {
    format!(
        "COALESCE((SELECT n.name FROM unit_names n WHERE n.unit_id = {unit}.id AND n.from_year <= {year}
                   ORDER BY n.from_year DESC LIMIT 1), {unit}.name)"
    )
}

fn to_u32(value: i64, what: &str) -> sqlx::Result<u32> {
    u32::try_from(value).map_err(|_| corrupt(format!("{what} out of range: {value}")))
}

/// Years that exist, newest first, with how many blocs each has.
pub async fn years(conn: &mut SqliteConnection) -> sqlx::Result<Vec<YearSummary>> {
    let rows: Vec<(Year, i64)> = sqlx::query_as(
        "SELECT y.year, COUNT(b.bloc_id)
         FROM years y LEFT JOIN bloc_years b ON b.year = y.year
         GROUP BY y.year
         ORDER BY y.year DESC",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(|(year, n)| Ok(YearSummary { year, bloc_count: to_u32(n, "bloc count")? })).collect()
}

/// `YearNotFound` unless the year exists.
pub async fn ensure_year(conn: &mut SqliteConnection, year: Year) -> Result<(), LookupError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM years WHERE year = ?").bind(year).fetch_optional(conn).await?;
    found.map(|_| ()).ok_or(LookupError::YearNotFound(year))
}

/// The year's tie-break rule, or `YearNotFound`.
pub async fn year_tie_break(conn: &mut SqliteConnection, year: Year) -> Result<TieBreak, LookupError> {
    let text: Option<String> =
        sqlx::query_scalar("SELECT tie_break FROM years WHERE year = ?").bind(year).fetch_optional(conn).await?;
    let text = text.ok_or(LookupError::YearNotFound(year))?;
    Ok(tie_break_from_db(&text)?)
}

#[derive(FromRow)]
struct BlocSummaryRow {
    id: BlocId,
    name: String,
    member_count: i64,
    leader_id: Option<i64>,
    leader_name: Option<String>,
}

/// The blocs of a year with their member count and leader.
pub async fn blocs(conn: &mut SqliteConnection, year: Year) -> Result<Vec<BlocSummary>, LookupError> {
    ensure_year(&mut *conn, year).await?;
    let rows: Vec<BlocSummaryRow> = sqlx::query_as(&format!(
        "SELECT b.id, b.name,
                (SELECT COUNT(*) FROM memberships m WHERE m.bloc_id = y.bloc_id AND m.year = y.year) AS member_count,
                u.id AS leader_id, {} AS leader_name
         FROM bloc_years y
         JOIN blocs b ON b.id = y.bloc_id
         LEFT JOIN units u ON u.id = y.leader_unit_id
         WHERE y.year = ?
         ORDER BY b.id",
        unit_name_in("u", "y.year")
    ))
    .bind(year)
    .fetch_all(conn)
    .await?;
    let blocs = rows
        .into_iter()
        .map(|r| {
            Ok(BlocSummary {
                id: r.id,
                name: r.name,
                member_count: to_u32(r.member_count, "member count")?,
                leader: r.leader_id.zip(r.leader_name).map(|(id, name)| Unit { id, name }),
            })
        })
        .collect::<sqlx::Result<_>>()?;
    Ok(blocs)
}

/// A bloc's row for one year.
#[derive(Debug, FromRow)]
pub struct BlocYear {
    pub bloc_id: BlocId,
    pub name: String,
    pub leader_unit_id: Option<i64>,
    pub deputy_unit_id: Option<i64>,
    pub pact_signed_on: Option<String>,
    pub pact_note: String,
    pub pact_document_url: Option<String>,
    pub bonus_cap: i64,
    pub sample_data: bool,
    /// `None` until staff publish the results.
    pub published_at: Option<String>,
    /// What staff accepted in writing when they published (empty, `[]` otherwise).
    pub publication_reason: String,
    pub publication_acknowledged: String,
    pub awards_version: i64,
    /// Moves on with every change to the members, leader, deputy, pact or criteria.
    pub setup_version: i64,
}

impl BlocYear {
    /// `None` when nothing about the pact is recorded yet.
    fn pact(&self) -> Option<Pact> {
        if self.pact_signed_on.is_none() && self.pact_note.is_empty() && self.pact_document_url.is_none() {
            return None;
        }
        Some(Pact {
            signed_on: self.pact_signed_on.clone(),
            note: self.pact_note.clone(),
            document_url: self.pact_document_url.clone(),
        })
    }
}

/// The bloc in that year: `YearNotFound` first, then `BlocNotFound` (also for a bloc that
/// exists but has no row for the year).
pub async fn bloc_year(conn: &mut SqliteConnection, year: Year, bloc_id: BlocId) -> Result<BlocYear, LookupError> {
    ensure_year(&mut *conn, year).await?;
    sqlx::query_as(
        "SELECT y.bloc_id, b.name, y.leader_unit_id, y.deputy_unit_id,
                y.pact_signed_on, y.pact_note, y.pact_document_url, y.bonus_cap, y.sample_data,
                y.published_at, y.publication_reason, y.publication_acknowledged, y.awards_version,
                y.setup_version
         FROM bloc_years y JOIN blocs b ON b.id = y.bloc_id
         WHERE y.year = ? AND y.bloc_id = ?",
    )
    .bind(year)
    .bind(bloc_id)
    .fetch_optional(conn)
    .await?
    .ok_or(LookupError::BlocNotFound { year, bloc_id })
}

/// Member units in the bloc's order, with the names they carried that year.
pub async fn members(conn: &mut SqliteConnection, year: Year, bloc_id: BlocId) -> sqlx::Result<Vec<Unit>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT u.id, {}
         FROM memberships m JOIN units u ON u.id = m.unit_id
         WHERE m.year = ? AND m.bloc_id = ?
         ORDER BY m.position, u.id",
        unit_name_in("u", "m.year")
    ))
    .bind(year)
    .bind(bloc_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id, name)| Unit { id, name }).collect())
}

pub async fn bloc_detail(conn: &mut SqliteConnection, year: Year, bloc_id: BlocId) -> Result<BlocDetail, LookupError> {
    let bloc = bloc_year(&mut *conn, year, bloc_id).await?;
    let members = members(conn, year, bloc_id).await?;
    Ok(BlocDetail {
        year,
        id: bloc.bloc_id,
        name: bloc.name.clone(),
        members,
        leader_id: bloc.leader_unit_id,
        deputy_id: bloc.deputy_unit_id,
        pact: bloc.pact(),
        sample_data: bloc.sample_data,
    })
}

#[derive(FromRow)]
struct CriterionRow {
    id: CriterionId,
    parent_id: Option<CriterionId>,
    code: String,
    title: String,
    max_points: i64,
    step: i64,
}

/// The criteria tree in pre-order (each node before its children, siblings by position),
/// which is the order `CriteriaTable` requires.
pub async fn criteria_table(
    conn: &mut SqliteConnection,
    year: Year,
    bloc_id: BlocId,
    bonus_cap: Points,
) -> sqlx::Result<CriteriaTable> {
    let rows: Vec<CriterionRow> = sqlx::query_as(
        "SELECT id, parent_id, code, title, max_points, step
         FROM criteria
         WHERE year = ? AND bloc_id = ?
         ORDER BY position, id",
    )
    .bind(year)
    .bind(bloc_id)
    .fetch_all(conn)
    .await?;
    let mut children: HashMap<Option<CriterionId>, Vec<&CriterionRow>> = HashMap::new();
    for row in &rows {
        children.entry(row.parent_id).or_default().push(row);
    }
    // Depth-first from the sections; a node whose parent is not in this table is unreachable
    // and left out rather than shown in the wrong place.
    let mut criteria = Vec::with_capacity(rows.len());
    let mut stack: Vec<&CriterionRow> = children.get(&None).into_iter().flatten().rev().copied().collect();
    while let Some(row) = stack.pop() {
        criteria.push(Criterion {
            id: row.id,
            parent_id: row.parent_id,
            code: row.code.clone(),
            title: row.title.clone(),
            max_points: Points::from_hundredths(row.max_points),
            step: Points::from_hundredths(row.step),
        });
        stack.extend(children.get(&Some(row.id)).into_iter().flatten().rev().copied());
    }
    if criteria.len() != rows.len() {
        tracing::warn!(year, bloc_id, "{} criteria are not under a section of this bloc", rows.len() - criteria.len());
    }
    Ok(CriteriaTable { criteria, bonus_cap })
}

/// Loads what the results need and lets the domain compute them (the proposals included,
/// derived from the tally and the year's award rules). Call it inside a transaction so every
/// part comes from the same state of the database. Answers unpublished results too, marked
/// `published: false`: whether the caller may see them is the HTTP layer's question.
pub async fn results(conn: &mut SqliteConnection, year: Year, bloc_id: BlocId) -> Result<BlocResults, LookupError> {
    let tie_break = year_tie_break(&mut *conn, year).await?;
    let bloc = bloc_year(&mut *conn, year, bloc_id).await?;
    let members = members(&mut *conn, year, bloc_id).await?;
    let table = criteria_table(&mut *conn, year, bloc_id, Points::from_hundredths(bloc.bonus_cap)).await?;
    // Only approved sheets are ranked: a sheet still being scored or verified is not a result.
    let sheets = sheets::of_bloc(&mut *conn, year, bloc_id).await?;
    let award_types = awards::award_types(&mut *conn, year).await?;
    let tally = awards::tally(&mut *conn, year, bloc_id).await?;
    let overrides = awards::overrides(&mut *conn, year, bloc_id).await?;
    let decisions = awards::decisions(conn, year, bloc_id).await?;
    let acknowledged = serde_json::from_str(&bloc.publication_acknowledged).map_err(|e| {
        corrupt(format!("the acknowledged problems of bloc {bloc_id} in {year} are not a list of problems: {e}"))
    })?;
    let publication = PublicationNote { reason: bloc.publication_reason.clone(), acknowledged };
    Ok(bloc_results(&ResultsInput {
        year,
        bloc_id,
        bloc_name: &bloc.name,
        leader_unit_id: bloc.leader_unit_id,
        sample_scores: bloc.sample_data,
        tie_break,
        members: &members,
        table: &table,
        sheets: &sheets,
        published: bloc.published_at.is_some(),
        version: bloc.awards_version,
        award_types: &award_types,
        tally: tally.as_ref(),
        overrides: &overrides,
        decisions: &decisions,
        publication: Some(&publication),
    }))
}
