//! Staff administration: years open or closed, units' names and ends, blocs' set-up and
//! criteria, and the audit trail of every administrative write. What may change and what a
//! new year copies are `thidua_domain::admin`'s rules; this only reads and writes.

use std::collections::{BTreeSet, HashMap, HashSet};

use sqlx::SqliteConnection;
use thidua_domain::admin::blocs::{BlocSetupInput, BlocSetupView};
use thidua_domain::admin::criteria::CriteriaDraft;
use thidua_domain::admin::units::{UnitAdmin, UnitEnd, UnitName};
use thidua_domain::admin::years::{BlocSetup, YearAdmin};
use thidua_domain::auth::UserId;
use thidua_domain::criteria::{CriteriaTable, CriterionId};
use thidua_domain::sheet_edit::SheetId;
use thidua_domain::workflow::SheetState;
use thidua_domain::{BlocId, Points, UnitId, Year};
use time::OffsetDateTime;

use super::{bloc_year, criteria_table, members, to_u32, LookupError};
use crate::accounts::timestamp;

// ---------------------------------------------------------------- years

/// Every year, newest first.
pub async fn years(conn: &mut SqliteConnection) -> sqlx::Result<Vec<YearAdmin>> {
    let rows: Vec<(Year, bool, i64)> = sqlx::query_as(
        "SELECT y.year, y.open, (SELECT COUNT(*) FROM bloc_years b WHERE b.year = y.year)
         FROM years y ORDER BY y.year DESC",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(|(year, open, n)| Ok(YearAdmin { year, open, bloc_count: to_u32(n, "bloc count")? })).collect()
}

/// One year, or `YearNotFound`.
pub async fn year(conn: &mut SqliteConnection, year: Year) -> Result<YearAdmin, LookupError> {
    let row: Option<(bool, i64)> = sqlx::query_as(
        "SELECT y.open, (SELECT COUNT(*) FROM bloc_years b WHERE b.year = y.year) FROM years y WHERE y.year = ?",
    )
    .bind(year)
    .fetch_optional(conn)
    .await?;
    let (open, n) = row.ok_or(LookupError::YearNotFound(year))?;
    Ok(YearAdmin { year, open, bloc_count: to_u32(n, "bloc count")? })
}

/// Adds a year, open for scoring, with the tie-break rule of `like` (the year it copies).
pub async fn insert_year(conn: &mut SqliteConnection, year: Year, like: Option<Year>) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO years (year, open) VALUES (?, TRUE)").bind(year).execute(&mut *conn).await?;
    if let Some(like) = like {
        sqlx::query("UPDATE years SET tie_break = (SELECT tie_break FROM years WHERE year = ?) WHERE year = ?")
            .bind(like)
            .bind(year)
            .execute(conn)
            .await?;
    }
    Ok(())
}

pub async fn set_year_open(conn: &mut SqliteConnection, year: Year, open: bool) -> sqlx::Result<()> {
    sqlx::query("UPDATE years SET open = ? WHERE year = ?").bind(open).bind(year).execute(conn).await?;
    Ok(())
}

// ---------------------------------------------------------------- units

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

// ---------------------------------------------------------------- blocs

/// Every bloc that ever existed: (id, name).
pub async fn all_blocs(conn: &mut SqliteConnection) -> sqlx::Result<Vec<(BlocId, String)>> {
    sqlx::query_as("SELECT id, name FROM blocs ORDER BY id").fetch_all(conn).await
}

/// The blocs of a year, by id.
pub async fn bloc_ids(conn: &mut SqliteConnection, year: Year) -> sqlx::Result<Vec<BlocId>> {
    sqlx::query_scalar("SELECT bloc_id FROM bloc_years WHERE year = ? ORDER BY bloc_id")
        .bind(year)
        .fetch_all(conn)
        .await
}

pub async fn insert_bloc(conn: &mut SqliteConnection, name: &str) -> sqlx::Result<BlocId> {
    sqlx::query_scalar("INSERT INTO blocs (name) VALUES (?) RETURNING id").bind(name).fetch_one(conn).await
}

/// A bloc's row for a new year: no pact, no members yet.
pub struct NewBlocYear {
    pub bloc_id: BlocId,
    pub leader: Option<UnitId>,
    pub deputy: Option<UnitId>,
    pub bonus_cap: Points,
    pub sample_data: bool,
}

pub async fn insert_bloc_year(conn: &mut SqliteConnection, year: Year, b: &NewBlocYear) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO bloc_years (bloc_id, year, leader_unit_id, deputy_unit_id, bonus_cap, sample_data)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(b.bloc_id)
    .bind(year)
    .bind(b.leader)
    .bind(b.deputy)
    .bind(b.bonus_cap.hundredths())
    .bind(b.sample_data)
    .execute(conn)
    .await?;
    Ok(())
}

/// What of a bloc-year carries over to the next (`thidua_domain::admin::years::copy_setup`), and
/// whether its leader, deputy and scores are sample data.
pub async fn bloc_setup(
    conn: &mut SqliteConnection,
    year: Year,
    bloc_id: BlocId,
) -> Result<(BlocSetup, bool), LookupError> {
    let bloc = bloc_year(&mut *conn, year, bloc_id).await?;
    let members = members(&mut *conn, year, bloc_id).await?.into_iter().map(|u| u.id).collect();
    let table = criteria_table(conn, year, bloc_id, Points::from_hundredths(bloc.bonus_cap)).await?;
    let setup = BlocSetup {
        bloc_id,
        members,
        leader: bloc.leader_unit_id,
        deputy: bloc.deputy_unit_id,
        criteria: CriteriaDraft::from_table(&table),
    };
    Ok((setup, bloc.sample_data))
}

/// The bloc-year as staff set it up: `YearNotFound`, then `BlocNotFound`.
pub async fn setup_view(
    conn: &mut SqliteConnection,
    year: Year,
    bloc_id: BlocId,
) -> Result<BlocSetupView, LookupError> {
    let bloc = bloc_year(&mut *conn, year, bloc_id).await?;
    let members = members(&mut *conn, year, bloc_id).await?;
    let table = criteria_table(&mut *conn, year, bloc_id, Points::from_hundredths(bloc.bonus_cap)).await?;
    let scored_criteria = scored_criteria(conn, year, bloc_id).await?;
    Ok(BlocSetupView {
        year,
        bloc_id,
        name: bloc.name,
        members,
        leader: bloc.leader_unit_id,
        deputy: bloc.deputy_unit_id,
        pact_signed_on: bloc.pact_signed_on,
        pact_note: bloc.pact_note,
        pact_document_url: bloc.pact_document_url,
        criteria: CriteriaDraft::from_table(&table),
        scored_criteria,
        version: bloc.setup_version,
    })
}

/// The criteria that some sheet of the bloc-year holds a self or verified score for.
pub async fn scored_criteria(
    conn: &mut SqliteConnection,
    year: Year,
    bloc_id: BlocId,
) -> sqlx::Result<Vec<CriterionId>> {
    sqlx::query_scalar(
        "SELECT DISTINCT c.criterion_id
         FROM criterion_scores c JOIN score_sheets s ON s.id = c.sheet_id
         WHERE s.year = ? AND s.bloc_id = ? AND (c.self_score IS NOT NULL OR c.verified_score IS NOT NULL)
         ORDER BY c.criterion_id",
    )
    .bind(year)
    .bind(bloc_id)
    .fetch_all(conn)
    .await
}

/// Puts the members in this order; a unit new to the bloc-year joins with an empty draft
/// sheet. Units that leave are taken out first, with `remove_member`.
pub async fn place_members(
    conn: &mut SqliteConnection,
    year: Year,
    bloc_id: BlocId,
    members: &[UnitId],
) -> sqlx::Result<()> {
    for (position, unit) in members.iter().enumerate() {
        sqlx::query(
            "INSERT INTO memberships (bloc_id, year, unit_id, position) VALUES (?, ?, ?, ?)
             ON CONFLICT (bloc_id, year, unit_id) DO UPDATE SET position = excluded.position",
        )
        .bind(bloc_id)
        .bind(year)
        .bind(unit)
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO score_sheets (bloc_id, year, unit_id, state) VALUES (?, ?, ?, ?)
             ON CONFLICT (bloc_id, year, unit_id) DO NOTHING",
        )
        .bind(bloc_id)
        .bind(year)
        .bind(unit)
        .bind(SheetState::Draft.as_str())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Whether the unit has anything in the bloc-year that leaving it would lose: a self or
/// verified score, a bonus or deduction line, votes, an override or a decision.
pub async fn member_has_record(
    conn: &mut SqliteConnection,
    year: Year,
    bloc_id: BlocId,
    unit_id: UnitId,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM criterion_scores c JOIN score_sheets s ON s.id = c.sheet_id
                        WHERE s.year = ?1 AND s.bloc_id = ?2 AND s.unit_id = ?3
                          AND (c.self_score IS NOT NULL OR c.verified_score IS NOT NULL))
             OR EXISTS (SELECT 1 FROM adjustments a JOIN score_sheets s ON s.id = a.sheet_id
                        WHERE s.year = ?1 AND s.bloc_id = ?2 AND s.unit_id = ?3)
             OR EXISTS (SELECT 1 FROM tally_votes WHERE year = ?1 AND bloc_id = ?2 AND unit_id = ?3)
             OR EXISTS (SELECT 1 FROM award_overrides WHERE year = ?1 AND bloc_id = ?2 AND unit_id = ?3)
             OR EXISTS (SELECT 1 FROM award_decisions WHERE year = ?1 AND bloc_id = ?2 AND unit_id = ?3)",
    )
    .bind(year)
    .bind(bloc_id)
    .bind(unit_id)
    .fetch_one(conn)
    .await
}

/// Takes a unit out of the bloc-year with its sheet, which `member_has_record` found without
/// scores (its notes and audit trail go with it). Answers the sheet's id, if it had one.
pub async fn remove_member(
    conn: &mut SqliteConnection,
    year: Year,
    bloc_id: BlocId,
    unit_id: UnitId,
) -> sqlx::Result<Option<SheetId>> {
    let sheet: Option<SheetId> =
        sqlx::query_scalar("SELECT id FROM score_sheets WHERE year = ? AND bloc_id = ? AND unit_id = ?")
            .bind(year)
            .bind(bloc_id)
            .bind(unit_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(sheet) = sheet {
        for sql in [
            "DELETE FROM criterion_scores WHERE sheet_id = ?",
            "DELETE FROM adjustments WHERE sheet_id = ?",
            "DELETE FROM audit_log WHERE sheet_id = ?",
            "DELETE FROM score_sheets WHERE id = ?",
        ] {
            sqlx::query(sql).bind(sheet).execute(&mut *conn).await?;
        }
    }
    sqlx::query("DELETE FROM memberships WHERE year = ? AND bloc_id = ? AND unit_id = ?")
        .bind(year)
        .bind(bloc_id)
        .bind(unit_id)
        .execute(conn)
        .await?;
    Ok(sheet)
}

/// Leader, deputy and pact of the bloc-year.
pub async fn update_setup(
    conn: &mut SqliteConnection,
    year: Year,
    bloc_id: BlocId,
    input: &BlocSetupInput,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE bloc_years SET leader_unit_id = ?, deputy_unit_id = ?, pact_signed_on = ?, pact_note = ?,
                               pact_document_url = ?
         WHERE year = ? AND bloc_id = ?",
    )
    .bind(input.leader)
    .bind(input.deputy)
    .bind(&input.pact_signed_on)
    .bind(&input.pact_note)
    .bind(input.pact_document_url.as_deref().map(str::trim))
    .bind(year)
    .bind(bloc_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves the set-up version on, and the awards version with it: members, leader and
/// criteria feed the results.
pub async fn bump_setup(conn: &mut SqliteConnection, year: Year, bloc_id: BlocId) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE bloc_years SET setup_version = setup_version + 1, awards_version = awards_version + 1
         WHERE year = ? AND bloc_id = ?",
    )
    .bind(year)
    .bind(bloc_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes `draft` as the bloc-year's criteria over `old`, its criteria until now: a node
/// loaded from `old` is updated in place (the first time its id appears, as
/// `thidua_domain::admin::criteria::criteria_diff` reads it), any other node is inserted, and the
/// criteria of `old` no longer in the tree are deleted. Their scores go, and so do those of
/// `changed`; the sheets that lose scores move on a version (an open form reloads). A
/// parent's maximum is the sum of its children's. Sets the bonus cap.
pub async fn write_criteria(
    conn: &mut SqliteConnection,
    year: Year,
    bloc_id: BlocId,
    old: &CriteriaTable,
    draft: &CriteriaDraft,
    changed: &[CriterionId],
) -> sqlx::Result<()> {
    let mut ids: HashMap<String, CriterionId> = HashMap::new();
    let mut kept: HashSet<CriterionId> = HashSet::new();
    for (path, _, node) in draft.walk() {
        let (parent, index) = match path.rsplit_once('.') {
            Some((parent, index)) => (ids.get(parent).copied(), index),
            None => (None, path.as_str()),
        };
        let position: i64 = index.parse().unwrap_or(0);
        let kept_id = node.id.filter(|id| old.get(*id).is_some() && kept.insert(*id));
        // Both statements take the node's columns first, so they are bound in one place.
        let query = sqlx::query_scalar(match kept_id {
            Some(_) => {
                "UPDATE criteria SET parent_id = ?, code = ?, title = ?, max_points = ?, step = ?, position = ?
                 WHERE id = ? RETURNING id"
            }
            None => {
                "INSERT INTO criteria (parent_id, code, title, max_points, step, position, bloc_id, year)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
            }
        })
        .bind(parent)
        .bind(node.code.trim())
        .bind(node.title.trim())
        .bind(node.max().hundredths())
        .bind(node.step.hundredths())
        .bind(position);
        let query = match kept_id {
            Some(id) => query.bind(id),
            None => query.bind(bloc_id).bind(year),
        };
        let id: CriterionId = query.fetch_one(&mut *conn).await?;
        ids.insert(path, id);
    }

    let gone: Vec<CriterionId> = old.criteria.iter().map(|c| c.id).filter(|id| !kept.contains(id)).collect();
    let dropped: BTreeSet<CriterionId> = gone.iter().chain(changed).copied().collect();
    let mut sheets: BTreeSet<SheetId> = BTreeSet::new();
    for criterion in &dropped {
        let holding: Vec<SheetId> = sqlx::query_scalar("SELECT sheet_id FROM criterion_scores WHERE criterion_id = ?")
            .bind(criterion)
            .fetch_all(&mut *conn)
            .await?;
        sheets.extend(holding);
        sqlx::query("DELETE FROM criterion_scores WHERE criterion_id = ?").bind(criterion).execute(&mut *conn).await?;
    }
    for sheet in sheets {
        sqlx::query("UPDATE score_sheets SET version = version + 1 WHERE id = ?")
            .bind(sheet)
            .execute(&mut *conn)
            .await?;
    }
    // Children before their parents: `old` is in pre-order.
    for id in gone.iter().rev() {
        sqlx::query("DELETE FROM criteria WHERE id = ?").bind(id).execute(&mut *conn).await?;
    }
    sqlx::query("UPDATE bloc_years SET bonus_cap = ? WHERE year = ? AND bloc_id = ?")
        .bind(draft.bonus_cap.hundredths())
        .bind(year)
        .bind(bloc_id)
        .execute(conn)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------- audit

/// One row of the administration's audit trail: who, when, the write's name, what it was
/// done to (`year:2020`, `unit:3`, `year:2020/bloc:1`, `user:7`) and what was written, as JSON.
pub struct AdminAudit<'a> {
    pub user: UserId,
    pub at: OffsetDateTime,
    pub kind: &'a str,
    pub target: String,
    pub detail: String,
}

pub async fn audit(conn: &mut SqliteConnection, entry: AdminAudit<'_>) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO admin_audit (user_id, at, kind, target, detail) VALUES (?, ?, ?, ?, ?)")
        .bind(entry.user)
        .bind(timestamp(entry.at))
        .bind(entry.kind)
        .bind(entry.target)
        .bind(entry.detail)
        .execute(conn)
        .await?;
    Ok(())
}
