//! Score sheets: their workflow state and version, their contents, and their audit trail.
//! What may change and how is `thidua_domain`'s; this only reads and writes.

use std::collections::HashMap;

use sqlx::FromRow;

use crate::db::{Conn, Flag};
use thidua_domain::auth::UserId;
use thidua_domain::criteria::CriterionId;
use thidua_domain::model::Unit;
use thidua_domain::results::MemberSheet;
use thidua_domain::sheet::{Adjustment, CriterionScore, ScoreSheet};
use thidua_domain::sheet_edit::{AuditEntry, Change, SheetId};
use thidua_domain::workflow::{SheetAction, SheetFacts, SheetState};
use thidua_domain::{BlocId, Points, UnitId, Year};
use time::OffsetDateTime;

use super::values::{corrupt, unit_name_in};
use crate::clock::timestamp;

/// A sheet without its contents: who it belongs to, where it stands, and its bloc's
/// leader and bonus cap for that year.
#[derive(Clone, Debug)]
pub struct SheetHead {
    pub id: SheetId,
    pub year: Year,
    pub bloc_id: BlocId,
    pub bloc_name: String,
    pub unit: Unit,
    pub state: SheetState,
    pub version: i64,
    pub return_comment: String,
    pub leader_unit_id: Option<UnitId>,
    pub bonus_cap: Points,
    /// The year is open for scoring; in a closed one only staff write.
    pub year_open: bool,
}

impl SheetHead {
    /// What the domain's permission rules look at.
    /// What the domain's workflow decides on; `all_verified` needs the sheet's contents, so
    /// the caller says (it matters only to the `approve` permission).
    pub fn facts(&self, all_verified: bool) -> SheetFacts {
        SheetFacts {
            unit_id: self.unit.id,
            leader_unit_id: self.leader_unit_id,
            state: self.state,
            year_open: self.year_open,
            all_verified,
        }
    }
}

#[derive(FromRow)]
struct HeadRow {
    id: SheetId,
    year: Year,
    bloc_id: BlocId,
    bloc_name: String,
    unit_id: UnitId,
    unit_name: String,
    state: String,
    version: i64,
    return_comment: String,
    leader_unit_id: Option<UnitId>,
    bonus_cap: i64,
    #[sqlx(try_from = "Flag")]
    year_open: bool,
}

impl TryFrom<HeadRow> for SheetHead {
    type Error = sqlx::Error;
    fn try_from(r: HeadRow) -> sqlx::Result<SheetHead> {
        Ok(SheetHead {
            id: r.id,
            year: r.year,
            bloc_id: r.bloc_id,
            bloc_name: r.bloc_name,
            unit: Unit { id: r.unit_id, name: r.unit_name },
            state: state_from_db(&r.state)?,
            version: r.version,
            return_comment: r.return_comment,
            leader_unit_id: r.leader_unit_id,
            bonus_cap: Points::from_hundredths(r.bonus_cap),
            year_open: r.year_open,
        })
    }
}

fn state_from_db(text: &str) -> sqlx::Result<SheetState> {
    SheetState::parse(text).ok_or_else(|| corrupt(format!("unknown sheet state {text:?}")))
}

/// The text stored in `audit_log.action`: the action's name on the wire.
fn action_to_db(action: SheetAction) -> &'static str {
    match action {
        SheetAction::Read => "read",
        SheetAction::EditSelf => "edit_self",
        SheetAction::Submit => "submit",
        SheetAction::EditVerification => "edit_verification",
        SheetAction::Return => "return",
        SheetAction::Approve => "approve",
    }
}

fn action_from_db(text: &str) -> sqlx::Result<SheetAction> {
    SheetAction::ALL
        .into_iter()
        .find(|a| action_to_db(*a) == text)
        .ok_or_else(|| corrupt(format!("unknown audit action {text:?}")))
}

/// Which sheets a query covers; `None` leaves that side open. One shape for every query
/// below, so the heads, scores and adjustments of a read always agree.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scope {
    pub sheet: Option<SheetId>,
    pub year: Option<Year>,
    pub bloc: Option<BlocId>,
    pub state: Option<SheetState>,
}

const SCOPE: &str = "($1 IS NULL OR s.id = $1) AND ($2 IS NULL OR s.year = $2)
                     AND ($3 IS NULL OR s.bloc_id = $3) AND ($4 IS NULL OR s.state = $4)";

macro_rules! bind_scope {
    ($query:expr, $scope:expr) => {
        $query.bind($scope.sheet).bind($scope.year).bind($scope.bloc).bind($scope.state.map(SheetState::as_str))
    };
}

/// The sheets in scope, newest year first, then by bloc and by the unit's place in the bloc.
pub async fn heads(conn: &mut Conn, scope: Scope) -> sqlx::Result<Vec<SheetHead>> {
    let sql = format!(
        "SELECT s.id, s.year, s.bloc_id, COALESCE(y.name, b.name) AS bloc_name, s.unit_id, {unit_name} AS unit_name,
                s.state, s.version, s.return_comment, y.leader_unit_id, y.bonus_cap, CAST(yr.open AS BOOLEAN) AS year_open
         FROM score_sheets s
         JOIN blocs b ON b.id = s.bloc_id
         JOIN units u ON u.id = s.unit_id
         JOIN bloc_years y ON y.bloc_id = s.bloc_id AND y.year = s.year
         JOIN years yr ON yr.year = s.year
         JOIN memberships m ON m.bloc_id = s.bloc_id AND m.year = s.year AND m.unit_id = s.unit_id
         WHERE {SCOPE}
         ORDER BY s.year DESC, s.bloc_id, m.position, s.unit_id",
        unit_name = unit_name_in("u", "s.year")
    );
    let rows: Vec<HeadRow> = bind_scope!(sqlx::query_as(&sql), scope).fetch_all(conn).await?;
    rows.into_iter().map(SheetHead::try_from).collect()
}

pub async fn head(conn: &mut Conn, id: SheetId) -> sqlx::Result<Option<SheetHead>> {
    Ok(heads(conn, Scope { sheet: Some(id), ..Scope::default() }).await?.into_iter().next())
}

#[derive(FromRow)]
struct ScoreRow {
    sheet_id: SheetId,
    criterion_id: CriterionId,
    self_score: Option<i64>,
    verified_score: Option<i64>,
    note: String,
    evidence: String,
    comment: String,
}

#[derive(FromRow)]
struct AdjustmentRow {
    sheet_id: SheetId,
    kind: String,
    reason: String,
    points: i64,
}

const BONUS: &str = "bonus";
const DEDUCTION: &str = "deduction";

/// The contents of every sheet in scope, by sheet id (a sheet with nothing on it is there,
/// empty).
pub async fn contents(conn: &mut Conn, scope: Scope) -> sqlx::Result<HashMap<SheetId, ScoreSheet>> {
    let heads: Vec<(SheetId, UnitId)> =
        bind_scope!(sqlx::query_as(&format!("SELECT s.id, s.unit_id FROM score_sheets s WHERE {SCOPE}")), scope)
            .fetch_all(&mut *conn)
            .await?;
    let mut sheets: HashMap<SheetId, ScoreSheet> =
        heads.into_iter().map(|(id, unit_id)| (id, ScoreSheet { unit_id, ..Default::default() })).collect();

    let sql = format!(
        "SELECT c.sheet_id, c.criterion_id, c.self_score, c.verified_score, c.note, c.evidence, c.comment
         FROM criterion_scores c JOIN score_sheets s ON s.id = c.sheet_id
         WHERE {SCOPE}
         ORDER BY c.sheet_id, c.criterion_id"
    );
    let scores: Vec<ScoreRow> = bind_scope!(sqlx::query_as(&sql), scope).fetch_all(&mut *conn).await?;
    for r in scores {
        let Some(sheet) = sheets.get_mut(&r.sheet_id) else { continue };
        let evidence: Vec<String> = serde_json::from_str(&r.evidence)
            .map_err(|e| corrupt(format!("evidence of sheet {} is not a JSON list: {e}", r.sheet_id)))?;
        sheet.scores.push(CriterionScore {
            criterion_id: r.criterion_id,
            self_score: r.self_score.map(Points::from_hundredths),
            verified_score: r.verified_score.map(Points::from_hundredths),
            note: r.note,
            evidence,
            comment: r.comment,
        });
    }

    let sql = format!(
        "SELECT a.sheet_id, a.kind, a.reason, a.points
         FROM adjustments a JOIN score_sheets s ON s.id = a.sheet_id
         WHERE {SCOPE}
         ORDER BY a.sheet_id, a.position, a.id"
    );
    let adjustments: Vec<AdjustmentRow> = bind_scope!(sqlx::query_as(&sql), scope).fetch_all(conn).await?;
    for r in adjustments {
        let Some(sheet) = sheets.get_mut(&r.sheet_id) else { continue };
        let adjustment = Adjustment { reason: r.reason, points: Points::from_hundredths(r.points) };
        match r.kind.as_str() {
            BONUS => sheet.bonuses.push(adjustment),
            DEDUCTION => sheet.deductions.push(adjustment),
            other => return Err(corrupt(format!("unknown adjustment kind {other:?}"))),
        }
    }
    Ok(sheets)
}

/// One sheet's contents (empty if it has none).
pub async fn sheet(conn: &mut Conn, head: &SheetHead) -> sqlx::Result<ScoreSheet> {
    let mut all = contents(conn, Scope { sheet: Some(head.id), ..Scope::default() }).await?;
    Ok(all.remove(&head.id).unwrap_or_else(|| ScoreSheet { unit_id: head.unit.id, ..Default::default() }))
}

/// Every sheet of a bloc and year with its state: the results rank the approved ones and
/// list the others apart.
pub async fn of_bloc(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<Vec<MemberSheet>> {
    let scope = Scope { year: Some(year), bloc: Some(bloc_id), state: None, sheet: None };
    let heads = heads(&mut *conn, scope).await?;
    let mut contents = contents(conn, scope).await?;
    Ok(heads.into_iter().filter_map(|h| Some(MemberSheet { state: h.state, sheet: contents.remove(&h.id)? })).collect())
}

/// Moves the sheet to its next version, with its state and return comment, if it is still
/// at `base_version`. `false` means someone else changed it first: nothing was written.
pub async fn advance(
    conn: &mut Conn,
    head: &SheetHead,
    base_version: i64,
    state: SheetState,
    return_comment: &str,
    now: OffsetDateTime,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE score_sheets SET version = version + 1, state = $1, return_comment = $2, updated_at = $3
         WHERE id = $4 AND version = $5",
    )
    .bind(state.as_str())
    .bind(return_comment)
    .bind(timestamp(now))
    .bind(head.id)
    .bind(base_version)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the sheet's scores and adjustments with `sheet`'s.
pub async fn save(conn: &mut Conn, id: SheetId, sheet: &ScoreSheet) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM criterion_scores WHERE sheet_id = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM adjustments WHERE sheet_id = $1").bind(id).execute(&mut *conn).await?;
    for s in &sheet.scores {
        let evidence = serde_json::to_string(&s.evidence).map_err(|e| sqlx::Error::Encode(e.into()))?;
        sqlx::query(
            "INSERT INTO criterion_scores (sheet_id, criterion_id, self_score, verified_score, note, evidence, comment)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(s.criterion_id)
        .bind(s.self_score.map(Points::hundredths))
        .bind(s.verified_score.map(Points::hundredths))
        .bind(&s.note)
        .bind(evidence)
        .bind(&s.comment)
        .execute(&mut *conn)
        .await?;
    }
    let lines = sheet.bonuses.iter().map(|a| (BONUS, a)).chain(sheet.deductions.iter().map(|a| (DEDUCTION, a)));
    for (position, (kind, a)) in lines.enumerate() {
        sqlx::query("INSERT INTO adjustments (sheet_id, kind, reason, points, position) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(kind)
            .bind(&a.reason)
            .bind(a.points.hundredths())
            .bind(position as i64)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Writes audit rows: `field` set for a changed field, `None` for a state change.
pub async fn audit(
    conn: &mut Conn,
    sheet: SheetId,
    user: UserId,
    action: SheetAction,
    now: OffsetDateTime,
    changes: &[Change],
    state_change: Option<(SheetState, SheetState)>,
) -> sqlx::Result<()> {
    let at = timestamp(now);
    let state_row = state_change.map(|(old, new)| (None, Some(old.as_str().to_owned()), Some(new.as_str().to_owned())));
    let rows = changes.iter().map(|c| (Some(c.field.clone()), c.old.clone(), c.new.clone())).chain(state_row);
    for (field, old, new) in rows {
        sqlx::query(
            "INSERT INTO audit_log (sheet_id, user_id, at, action, field, old, new) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(sheet)
        .bind(user)
        .bind(&at)
        .bind(action_to_db(action))
        .bind(field)
        .bind(old)
        .bind(new)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[derive(FromRow)]
struct AuditRow {
    at: String,
    // `user` is a reserved word in PostgreSQL.
    #[sqlx(rename = "user_name")]
    user: String,
    action: String,
    field: Option<String>,
    old: Option<String>,
    new: Option<String>,
}

/// The sheet's audit trail, newest first, with each user's display name.
pub async fn audit_trail(conn: &mut Conn, sheet: SheetId) -> sqlx::Result<Vec<AuditEntry>> {
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT a.at, u.display_name AS user_name, a.action, a.field, a.old, a.new
         FROM audit_log a JOIN users u ON u.id = a.user_id
         WHERE a.sheet_id = $1
         ORDER BY a.id DESC",
    )
    .bind(sheet)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(AuditEntry {
                at: r.at,
                user: r.user,
                action: action_from_db(&r.action)?,
                field: r.field,
                old: r.old,
                new: r.new,
            })
        })
        .collect()
}
