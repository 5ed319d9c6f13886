//! `GET /api/audit` and `/api/audit.csv`: every audited change — sheets, awards (publication
//! and its revisions included) and administration — filterable, newest first. Staff see all;
//! a unit's officer sees its own unit's sheet audit and nothing else.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use thidua_domain::audit::{AuditPage, AuditRecord, AuditSource};
use thidua_domain::auth::UserId;
use thidua_domain::dates::is_iso_date;
use thidua_domain::error::{push, ApiErrorBody, FieldError, FieldErrors};
use thidua_domain::{BlocId, UnitId, Year};
use utoipa::IntoParams;

use super::auth::CurrentUser;
use super::error::{internal, valid, Error, Result};
use crate::export::inert;
use crate::http::extract::{attachment, Json, Query};
use crate::http::state::{begin_read, AppState};
use crate::store::audit::{self, AuditFilter};

const PER_PAGE: u32 = 50;
const MAX_PER_PAGE: u32 = 200;
/// The CSV holds at most this many rows (newest first); narrow the filters for older ones.
const CSV_MAX: u32 = 20_000;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only one trail: `sheet`, `award` or `admin`
    #[param(value_type = Option<AuditSource>, inline)]
    pub source: Option<String>,
    /// The emulation year
    #[param(value_type = Option<i32>)]
    pub year: Option<Year>,
    /// The bloc's id
    #[param(value_type = Option<i64>)]
    pub bloc_id: Option<BlocId>,
    /// The unit's id: its sheets' changes, and administration of the unit
    #[param(value_type = Option<i64>)]
    pub unit_id: Option<UnitId>,
    /// Who made the change (a user's id)
    #[param(value_type = Option<i64>)]
    pub user_id: Option<UserId>,
    /// From this day on, `YYYY-MM-DD` (UTC)
    #[param(format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub from: Option<String>,
    /// Up to and including this day, `YYYY-MM-DD` (UTC)
    #[param(format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub to: Option<String>,
    /// 1-based page (default 1)
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Entries per page (default 50, at most 200)
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u32>,
}

/// The filter `user` may apply: staff as asked; an officer only its own unit's sheets.
fn filter(user: &CurrentUser, q: &AuditQuery) -> Result<AuditFilter> {
    let mut errors = FieldErrors::new();
    let source = match q.source.as_deref() {
        None => None,
        Some(text) => {
            let parsed = AuditSource::parse(text);
            if parsed.is_none() {
                push(&mut errors, "source", FieldError::Invalid);
            }
            parsed
        }
    };
    for (field, day) in [("from", &q.from), ("to", &q.to)] {
        if day.as_deref().is_some_and(|d| !is_iso_date(d)) {
            push(&mut errors, field, FieldError::Invalid);
        }
    }
    if q.page == Some(0) {
        push(&mut errors, "page", FieldError::NotPositive);
    }
    if q.per_page.is_some_and(|n| n == 0 || n > MAX_PER_PAGE) {
        push(&mut errors, "per_page", FieldError::Invalid);
    }
    valid(errors)?;
    let mut f = AuditFilter {
        source,
        year: q.year,
        bloc_id: q.bloc_id,
        unit_id: q.unit_id,
        user_id: q.user_id,
        // Stored times are `YYYY-MM-DDTHH:MM:SSZ`: a day's bounds compare as text.
        from: q.from.as_ref().map(|d| format!("{d}T00:00:00Z")),
        to: q.to.as_ref().map(|d| format!("{d}T23:59:59Z")),
    };
    if !user.is_staff() {
        let own = user.principal.unit_id.ok_or(Error::Forbidden)?;
        if q.unit_id.is_some_and(|u| u != own) || source.is_some_and(|s| s != AuditSource::Sheet) {
            return Err(Error::Forbidden);
        }
        f.source = Some(AuditSource::Sheet);
        f.unit_id = Some(own);
    }
    Ok(f)
}

/// Every audited change, newest first, one page at a time: score sheets (each field's old
/// and new value, and state changes), the awards (tally, overrides, publication, withdrawals
/// and decisions, each with what was written) and administration (years, units, blocs'
/// set-up and criteria, accounts). Values are JSON values (numbers, objects), never JSON in a
/// string. Staff see everything; a unit's officer sees only its own unit's sheet audit (its
/// filters then default to that; asking for another unit or trail is 403).
#[utoipa::path(
    get,
    path = "/api/audit",
    tag = "audit",
    params(AuditQuery),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "One page of entries, newest first, and how many match", body = AuditPage),
        (status = 400, description = "`bad_request`: a parameter is not a number, or unknown", body = ApiErrorBody),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: an officer asking for another unit or another trail", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `source`, `from`, `to` (`invalid`: not `YYYY-MM-DD`), `page` (`not_positive`), `per_page` (`invalid`: not 1–200)", body = ApiErrorBody),
    )
)]
pub async fn list_audit(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditPage>> {
    let f = filter(&user, &q)?;
    let (page, per_page) = (q.page.unwrap_or(1), q.per_page.unwrap_or(PER_PAGE));
    let mut tx = begin_read(&state).await?;
    let total = audit::count(&mut tx, &f).await?;
    let entries = audit::entries(&mut tx, &f, per_page, u64::from(page - 1) * u64::from(per_page)).await?;
    Ok(Json(AuditPage { entries, page, per_page, total }))
}

/// The same entries as CSV (UTF-8 with a BOM), newest first, at most 20,000 rows: time,
/// trail, user, year, bloc, unit, action, field or target, old value, new value (as JSON
/// text). Filters and permissions as for `GET /api/audit`; `page` and `per_page` are ignored.
#[utoipa::path(
    get,
    path = "/api/audit.csv",
    tag = "audit",
    params(AuditQuery),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "`Content-Disposition: attachment; filename=\"thidua-audit.csv\"`", content_type = "text/csv", body = String),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`, as for the list", body = ApiErrorBody),
    )
)]
pub async fn audit_csv(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(q): Query<AuditQuery>,
) -> Result<Response> {
    let f = filter(&user, &q)?;
    let mut tx = begin_read(&state).await?;
    let entries = audit::entries(&mut tx, &f, CSV_MAX, 0).await?;
    let body = csv(&entries).map_err(internal("cannot write the audit CSV"))?;
    Ok(attachment(body, "text/csv; charset=utf-8", "thidua-audit.csv"))
}

fn csv(entries: &[AuditRecord]) -> std::result::Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record(["at", "source", "user", "year", "bloc_id", "unit_id", "action", "field", "old", "new"])?;
    let num = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let value = |v: &Option<serde_json::Value>| match v {
        None => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    for e in entries {
        let cells = [
            e.at.clone(),
            e.source.as_str().to_owned(),
            e.user.clone(),
            num(e.year.map(i64::from)),
            num(e.bloc_id),
            num(e.unit_id),
            e.action.clone(),
            e.field.clone().unwrap_or_default(),
            value(&e.old),
            value(&e.new),
        ];
        out.write_record(cells.iter().map(|c| inert(c).into_owned()))?;
    }
    out.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
