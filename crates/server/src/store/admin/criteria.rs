//! A bloc-year's criteria: which ones sheets hold scores for, and writing a new tree over
//! the old one.

use std::collections::{BTreeSet, HashMap, HashSet};

use sqlx::SqliteConnection;
use thidua_domain::admin::criteria::CriteriaDraft;
use thidua_domain::criteria::{CriteriaTable, CriterionId};
use thidua_domain::sheet_edit::SheetId;
use thidua_domain::{BlocId, Year};

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
