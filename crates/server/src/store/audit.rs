//! The three audit trails read as one list: `audit_log` (sheets), `award_audit` and
//! `admin_audit`, filtered and paged in SQL, newest first.

use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::{Any, FromRow};
use thidua_domain::audit::{structured, AuditRecord, AuditSource};
use thidua_domain::auth::UserId;
use thidua_domain::{BlocId, UnitId, Year};

use super::values::corrupt;
use crate::db::Conn;

/// What to list; `None` leaves that side open.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub source: Option<AuditSource>,
    pub year: Option<Year>,
    pub bloc_id: Option<BlocId>,
    pub unit_id: Option<UnitId>,
    pub user_id: Option<UserId>,
    /// Times from (inclusive) and to (inclusive), RFC 3339 UTC text: they compare as text.
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Every entry with its year, bloc and unit as columns. Administration targets are
/// `year:2020`, `year:2020/bloc:1`, `unit:3`, `user:7` (`http::admin`): years have four digits.
const ENTRIES: &str = "(
    SELECT 'sheet' AS source, l.id, l.at, l.user_id, s.year, s.bloc_id, s.unit_id, l.action, l.field,
           l.old AS old_value, l.new AS new_value
    FROM audit_log l JOIN score_sheets s ON s.id = l.sheet_id
    UNION ALL
    SELECT 'award', a.id, a.at, a.user_id, a.year, a.bloc_id, NULL, a.action, NULL, NULL, a.detail
    FROM award_audit a
    UNION ALL
    SELECT 'admin', d.id, d.at, d.user_id,
           CASE WHEN d.target LIKE 'year:%' THEN CAST(SUBSTR(d.target, 6, 4) AS INTEGER) END,
           CASE WHEN d.target LIKE 'year:%/bloc:%' THEN CAST(SUBSTR(d.target, 16) AS BIGINT) END,
           CASE WHEN d.target LIKE 'unit:%' THEN CAST(SUBSTR(d.target, 6) AS BIGINT) END,
           d.kind, d.target, NULL, d.detail
    FROM admin_audit d
) e";

const WHERE: &str = "WHERE ($1 IS NULL OR e.source = $1) AND ($2 IS NULL OR e.year = $2)
    AND ($3 IS NULL OR e.bloc_id = $3) AND ($4 IS NULL OR e.unit_id = $4) AND ($5 IS NULL OR e.user_id = $5)
    AND ($6 IS NULL OR e.at >= $6) AND ($7 IS NULL OR e.at <= $7)";

fn bind<'q, T>(
    query: QueryAs<'q, Any, T, AnyArguments<'q>>,
    f: &'q AuditFilter,
) -> QueryAs<'q, Any, T, AnyArguments<'q>> {
    query
        .bind(f.source.map(AuditSource::as_str))
        .bind(f.year)
        .bind(f.bloc_id)
        .bind(f.unit_id)
        .bind(f.user_id)
        .bind(f.from.as_deref())
        .bind(f.to.as_deref())
}

#[derive(FromRow)]
struct Row {
    source: String,
    id: i64,
    at: String,
    user_id: UserId,
    user_name: String,
    year: Option<i64>,
    bloc_id: Option<i64>,
    unit_id: Option<i64>,
    action: String,
    field: Option<String>,
    old_value: Option<String>,
    new_value: Option<String>,
}

/// How many entries match.
pub async fn count(conn: &mut Conn, f: &AuditFilter) -> sqlx::Result<u64> {
    let (n,): (i64,) =
        bind(sqlx::query_as(&format!("SELECT COUNT(*) FROM {ENTRIES} {WHERE}")), f).fetch_one(conn).await?;
    Ok(n.max(0) as u64)
}

/// The matching entries, newest first, `limit` of them after skipping `offset`.
pub async fn entries(conn: &mut Conn, f: &AuditFilter, limit: u32, offset: u64) -> sqlx::Result<Vec<AuditRecord>> {
    let sql = format!(
        "SELECT e.source, e.id, e.at, e.user_id, u.display_name AS user_name, CAST(e.year AS BIGINT) AS year,
                e.bloc_id, e.unit_id, e.action, e.field, e.old_value, e.new_value
         FROM {ENTRIES} JOIN users u ON u.id = e.user_id
         {WHERE}
         ORDER BY e.at DESC, e.source, e.id DESC
         LIMIT $8 OFFSET $9"
    );
    let rows: Vec<Row> = bind(sqlx::query_as(&sql), f)
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(conn)
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(AuditRecord {
                source: AuditSource::parse(&r.source)
                    .ok_or_else(|| corrupt(format!("unknown audit source {:?}", r.source)))?,
                id: r.id,
                at: r.at,
                user_id: r.user_id,
                user: r.user_name,
                year: r.year.map(|y| Year::try_from(y).unwrap_or_default()),
                bloc_id: r.bloc_id,
                unit_id: r.unit_id,
                action: r.action,
                field: r.field,
                old: structured(r.old_value.as_deref()),
                new: structured(r.new_value.as_deref()),
            })
        })
        .collect()
}
