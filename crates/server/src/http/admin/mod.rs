//! `/api/admin/…`: staff administration — years (created by copying the previous one, open or
//! closed for scoring), units (names through the years, merges, retirements), each bloc's
//! set-up and criteria per year, and accounts. The rules are `thidua_domain::admin`'s.
//!
//! Staff only, reads included: 401 `unauthenticated`, then 403 `forbidden`, both before a body
//! is read; answers are never cached. Writes then check that their target exists (404), that
//! its state allows the write (409), the domain's validation (422) and the version the write
//! was based on (409 `stale_version`); each endpoint says where its own conflicts come. Every
//! write is one transaction with one `admin_audit` row (who, when, what: the input as JSON,
//! never a password).

pub mod blocs;
pub mod criteria;
pub mod units;
pub mod users;
pub mod years;

use serde::Serialize;
use sqlx::{Sqlite, SqliteConnection, Transaction};
use thidua_domain::admin::blocs::BlocSetupView;
use thidua_domain::auth::UserId;
use thidua_domain::error::{push, FieldError, FieldErrors};
use thidua_domain::{BlocId, UnitId, Year};

use super::auth::CurrentUser;
use super::error::{Error, Result};
use crate::clock::now;
use crate::http::extract::{audit_json, Json};
use crate::store::admin::{self, audit::AdminAudit};

/// Writes the audit row of an administrative write.
async fn audit(
    conn: &mut SqliteConnection,
    user: &CurrentUser,
    kind: &str,
    target: String,
    detail: &impl Serialize,
) -> Result<()> {
    let entry = AdminAudit { user: user.principal.user_id, at: now(), kind, target, detail: audit_json(detail)? };
    Ok(admin::audit::audit(conn, entry).await?)
}

/// Ends a change to a bloc-year's set-up: moves its version on (see `admin::blocs::bump_setup`),
/// writes the audit row, commits, and answers the set-up as it is now.
async fn setup_saved(
    mut tx: Transaction<'static, Sqlite>,
    user: &CurrentUser,
    kind: &str,
    year: Year,
    bloc_id: BlocId,
    detail: &impl Serialize,
) -> Result<Json<BlocSetupView>> {
    admin::blocs::bump_setup(&mut tx, year, bloc_id).await?;
    audit(&mut tx, user, kind, bloc_target(year, bloc_id), detail).await?;
    let view = admin::blocs::setup_view(&mut tx, year, bloc_id).await?;
    tx.commit().await?;
    Ok(Json(view))
}

fn year_target(year: Year) -> String {
    format!("year:{year}")
}

fn bloc_target(year: Year, bloc_id: BlocId) -> String {
    format!("year:{year}/bloc:{bloc_id}")
}

fn unit_target(id: UnitId) -> String {
    format!("unit:{id}")
}

fn user_target(id: UserId) -> String {
    format!("user:{id}")
}

/// 422 on one field.
fn invalid(field: &str, error: FieldError) -> Error {
    let mut errors = FieldErrors::new();
    push(&mut errors, field, error);
    Error::Invalid(errors)
}
