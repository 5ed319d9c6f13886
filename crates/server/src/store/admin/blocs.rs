//! Blocs and their set-up per year: members in order, leader, deputy, pact, and what a
//! bloc-year carries over to the next.

use crate::db::{Conn, Flag};
use thidua_domain::admin::blocs::{BlocSetupInput, BlocSetupView, Conference};
use thidua_domain::admin::criteria::CriteriaDraft;
use thidua_domain::admin::years::BlocSetup;
use thidua_domain::sheet_edit::SheetId;
use thidua_domain::workflow::SheetState;
use thidua_domain::{BlocId, Points, UnitId, Year};

use super::criteria::scored_criteria;
use crate::store::{bloc_year, criteria_table, members, LookupError};

/// Every bloc that ever existed under each of its names: (id, name), a bloc once per name.
pub async fn all_blocs(conn: &mut Conn) -> sqlx::Result<Vec<(BlocId, String)>> {
    sqlx::query_as(
        "SELECT id, name FROM blocs
         UNION SELECT bloc_id, name FROM bloc_years WHERE name IS NOT NULL
         ORDER BY 1, 2",
    )
    .fetch_all(conn)
    .await
}

/// Names the bloc `name` from `year` on (that year's row; the next year copies it). NULL
/// when it is the bloc's first name again.
pub async fn rename_bloc_year(conn: &mut Conn, year: Year, bloc_id: BlocId, name: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE bloc_years SET name = CASE WHEN $1 = (SELECT b.name FROM blocs b WHERE b.id = $2) THEN NULL ELSE $1 END
         WHERE year = $3 AND bloc_id = $2",
    )
    .bind(name)
    .bind(bloc_id)
    .bind(year)
    .execute(conn)
    .await?;
    Ok(())
}

/// Is anything recorded for the bloc-year: a score or line on a sheet, a vote, an override,
/// a decision, or a published revision (even withdrawn)?
pub async fn bloc_has_records(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<bool> {
    // A revision ever published stays readable for good, and with it its bloc-year.
    let Flag(recorded) = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM tallies WHERE year = $1 AND bloc_id = $2)
             OR EXISTS (SELECT 1 FROM result_revisions WHERE year = $1 AND bloc_id = $2)",
    )
    .bind(year)
    .bind(bloc_id)
    .fetch_one(&mut *conn)
    .await?;
    if recorded {
        return Ok(true);
    }
    let members = crate::store::members(&mut *conn, year, bloc_id).await?;
    for m in members {
        if member_has_record(&mut *conn, year, bloc_id, m.id).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Takes the bloc out of the year: its members with their (empty) sheets, its criteria and
/// the bloc-year. The caller has checked `thidua_domain::admin::blocs::check_bloc_removal`.
pub async fn remove_bloc_year(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<Vec<SheetId>> {
    let mut sheets = Vec::new();
    for m in crate::store::members(&mut *conn, year, bloc_id).await? {
        sheets.extend(remove_member(&mut *conn, year, bloc_id, m.id).await?);
    }
    for sql in [
        "DELETE FROM criteria WHERE year = $1 AND bloc_id = $2",
        "DELETE FROM bloc_conferences WHERE year = $1 AND bloc_id = $2",
        "DELETE FROM bloc_years WHERE year = $1 AND bloc_id = $2",
    ] {
        sqlx::query(sql).bind(year).bind(bloc_id).execute(&mut *conn).await?;
    }
    Ok(sheets)
}

/// The blocs of a year, by id.
pub async fn bloc_ids(conn: &mut Conn, year: Year) -> sqlx::Result<Vec<BlocId>> {
    sqlx::query_scalar("SELECT bloc_id FROM bloc_years WHERE year = $1 ORDER BY bloc_id")
        .bind(year)
        .fetch_all(conn)
        .await
}

pub async fn insert_bloc(conn: &mut Conn, name: &str) -> sqlx::Result<BlocId> {
    sqlx::query_scalar("INSERT INTO blocs (name) VALUES ($1) RETURNING id").bind(name).fetch_one(conn).await
}

/// A bloc's row for a new year: no pact, no members yet.
pub struct NewBlocYear {
    pub bloc_id: BlocId,
    pub leader: Option<UnitId>,
    pub deputy: Option<UnitId>,
    pub bonus_cap: Points,
    pub sample_data: bool,
}

pub async fn insert_bloc_year(conn: &mut Conn, year: Year, b: &NewBlocYear) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO bloc_years (bloc_id, year, leader_unit_id, deputy_unit_id, bonus_cap, sample_data)
         VALUES ($1, $2, $3, $4, $5, $6)",
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
pub async fn bloc_setup(conn: &mut Conn, year: Year, bloc_id: BlocId) -> Result<(BlocSetup, bool), LookupError> {
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
pub async fn setup_view(conn: &mut Conn, year: Year, bloc_id: BlocId) -> Result<BlocSetupView, LookupError> {
    let bloc = bloc_year(&mut *conn, year, bloc_id).await?;
    let members = members(&mut *conn, year, bloc_id).await?;
    let table = criteria_table(&mut *conn, year, bloc_id, Points::from_hundredths(bloc.bonus_cap)).await?;
    let scored_criteria = scored_criteria(&mut *conn, year, bloc_id).await?;
    let has_records = bloc_has_records(conn, year, bloc_id).await?;
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
        conference: conference(conn, year, bloc_id).await?,
        criteria: CriteriaDraft::from_table(&table),
        scored_criteria,
        published: bloc.published_at.is_some(),
        has_records,
        version: bloc.setup_version,
    })
}

/// Puts the members in this order; a unit new to the bloc-year joins with an empty draft
/// sheet. Units that leave are taken out first, with `remove_member`.
pub async fn place_members(conn: &mut Conn, year: Year, bloc_id: BlocId, members: &[UnitId]) -> sqlx::Result<()> {
    for (position, unit) in members.iter().enumerate() {
        sqlx::query(
            "INSERT INTO memberships (bloc_id, year, unit_id, position) VALUES ($1, $2, $3, $4)
             ON CONFLICT (bloc_id, year, unit_id) DO UPDATE SET position = excluded.position",
        )
        .bind(bloc_id)
        .bind(year)
        .bind(unit)
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO score_sheets (bloc_id, year, unit_id, state) VALUES ($1, $2, $3, $4)
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
/// verified score, a bonus or deduction line, an evidence file, votes, an override, a decision
/// or the Council's outcome on its proposal.
pub async fn member_has_record(conn: &mut Conn, year: Year, bloc_id: BlocId, unit_id: UnitId) -> sqlx::Result<bool> {
    let Flag(has) = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM criterion_scores c JOIN score_sheets s ON s.id = c.sheet_id
                        WHERE s.year = $1 AND s.bloc_id = $2 AND s.unit_id = $3
                          AND (c.self_score IS NOT NULL OR c.verified_score IS NOT NULL))
             OR EXISTS (SELECT 1 FROM adjustments a JOIN score_sheets s ON s.id = a.sheet_id
                        WHERE s.year = $1 AND s.bloc_id = $2 AND s.unit_id = $3)
             OR EXISTS (SELECT 1 FROM sheet_files f JOIN score_sheets s ON s.id = f.sheet_id
                        WHERE s.year = $1 AND s.bloc_id = $2 AND s.unit_id = $3)
             OR EXISTS (SELECT 1 FROM tally_votes WHERE year = $1 AND bloc_id = $2 AND unit_id = $3)
             OR EXISTS (SELECT 1 FROM tally_written WHERE year = $1 AND bloc_id = $2 AND unit_id = $3)
             OR EXISTS (SELECT 1 FROM award_overrides WHERE year = $1 AND bloc_id = $2 AND unit_id = $3)
             OR EXISTS (SELECT 1 FROM award_decisions WHERE year = $1 AND bloc_id = $2 AND unit_id = $3)
             OR EXISTS (SELECT 1 FROM council_outcomes WHERE year = $1 AND bloc_id = $2 AND unit_id = $3)",
    )
    .bind(year)
    .bind(bloc_id)
    .bind(unit_id)
    .fetch_one(conn)
    .await?;
    Ok(has)
}

/// Takes a unit out of the bloc-year with its sheet, which `member_has_record` found without
/// scores (its notes and audit trail go with it). Answers the sheet's id, if it had one.
pub async fn remove_member(
    conn: &mut Conn,
    year: Year,
    bloc_id: BlocId,
    unit_id: UnitId,
) -> sqlx::Result<Option<SheetId>> {
    let sheet: Option<SheetId> =
        sqlx::query_scalar("SELECT id FROM score_sheets WHERE year = $1 AND bloc_id = $2 AND unit_id = $3")
            .bind(year)
            .bind(bloc_id)
            .bind(unit_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(sheet) = sheet {
        // Uploads under way go with their bytes (the database's chunk store).
        for sql in [
            "DELETE FROM file_chunks WHERE content_id IN (SELECT content_id FROM uploads WHERE sheet_id = $1)",
            "DELETE FROM uploads WHERE sheet_id = $1",
        ] {
            sqlx::query(sql).bind(sheet).execute(&mut *conn).await?;
        }
        sqlx::query("DELETE FROM file_contents WHERE sha256 IS NULL AND id NOT IN (SELECT content_id FROM uploads)")
            .execute(&mut *conn)
            .await?;
        for sql in [
            "DELETE FROM criterion_scores WHERE sheet_id = $1",
            "DELETE FROM adjustments WHERE sheet_id = $1",
            "DELETE FROM audit_log WHERE sheet_id = $1",
            "DELETE FROM score_sheets WHERE id = $1",
        ] {
            sqlx::query(sql).bind(sheet).execute(&mut *conn).await?;
        }
    }
    sqlx::query("DELETE FROM memberships WHERE year = $1 AND bloc_id = $2 AND unit_id = $3")
        .bind(year)
        .bind(bloc_id)
        .bind(unit_id)
        .execute(conn)
        .await?;
    Ok(sheet)
}

/// The bloc's conference of the year (empty when none is recorded).
pub async fn conference(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<Conference> {
    let row: Option<(Option<String>, String, String, String, String)> = sqlx::query_as(
        "SELECT held_on, place, chair, secretary, attendees FROM bloc_conferences WHERE year = $1 AND bloc_id = $2",
    )
    .bind(year)
    .bind(bloc_id)
    .fetch_optional(conn)
    .await?;
    Ok(row
        .map(|(held_on, place, chair, secretary, attendees)| Conference { held_on, place, chair, secretary, attendees })
        .unwrap_or_default())
}

/// Records the bloc's conference of the year (text trimmed; all empty: no row).
async fn save_conference(conn: &mut Conn, year: Year, bloc_id: BlocId, c: &Conference) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM bloc_conferences WHERE year = $1 AND bloc_id = $2")
        .bind(year)
        .bind(bloc_id)
        .execute(&mut *conn)
        .await?;
    let held_on = c.held_on.as_deref().map(str::trim).filter(|d| !d.is_empty());
    let texts = [c.place.trim(), c.chair.trim(), c.secretary.trim(), c.attendees.trim()];
    if held_on.is_none() && texts.iter().all(|t| t.is_empty()) {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO bloc_conferences (bloc_id, year, held_on, place, chair, secretary, attendees)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(bloc_id)
    .bind(year)
    .bind(held_on)
    .bind(texts[0])
    .bind(texts[1])
    .bind(texts[2])
    .bind(texts[3])
    .execute(conn)
    .await?;
    Ok(())
}

/// Leader, deputy and pact of the bloc-year.
pub async fn update_setup(conn: &mut Conn, year: Year, bloc_id: BlocId, input: &BlocSetupInput) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE bloc_years SET leader_unit_id = $1, deputy_unit_id = $2, pact_signed_on = $3, pact_note = $4,
                               pact_document_url = $5
         WHERE year = $6 AND bloc_id = $7",
    )
    .bind(input.leader)
    .bind(input.deputy)
    .bind(&input.pact_signed_on)
    .bind(&input.pact_note)
    .bind(input.pact_document_url.as_deref().map(str::trim))
    .bind(year)
    .bind(bloc_id)
    .execute(&mut *conn)
    .await?;
    save_conference(conn, year, bloc_id, &input.conference).await
}

/// Moves the set-up version on, and the awards version with it: members, leader and
/// criteria feed the results.
pub async fn bump_setup(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE bloc_years SET setup_version = setup_version + 1, awards_version = awards_version + 1
         WHERE year = $1 AND bloc_id = $2",
    )
    .bind(year)
    .bind(bloc_id)
    .execute(conn)
    .await?;
    Ok(())
}
