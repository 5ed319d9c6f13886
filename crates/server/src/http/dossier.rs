//! `/api/sheets/{id}/dossier.zip` (a unit's dossier: whoever reads the sheet) and
//! `/api/years/{year}/blocs/{bloc_id}/dossiers.zip` (every member's, one folder each: staff).

use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use thidua_domain::error::ApiErrorBody;
use thidua_domain::workflow::SheetAction;

use super::auth::CurrentUser;
use super::error::{internal, Error, Result};
use super::exports::ExportQuery;
use super::sheets::{checked_head, table_of};
use crate::dossier::{sheet_entries, zip_body, Entry};
use crate::http::extract::{Path, Query};
use crate::http::params::{BlocPath, SheetPath};
use crate::http::state::{begin_read, AppState};
use crate::store::files as stored;
use crate::store::sheets::{self, Scope};

/// The unit's dossier as a ZIP: `sheet.csv` (each criterion's scores, note, links and files;
/// the bonus and deduction lines) and `files/<criterion code> - <file name>`, names in UTF-8.
#[utoipa::path(
    get,
    path = "/api/sheets/{id}/dossier.zip",
    tag = "files",
    params(SheetPath, ExportQuery),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "`attachment; filename=\"dossier-{year}-bloc-{bloc_id}-unit-{unit_id}.zip\"`", content_type = "application/zip", body = Vec<u8>),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`", body = ApiErrorBody),
        (status = 404, description = "`sheet_not_found`", body = ApiErrorBody),
    )
)]
pub async fn sheet_dossier(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(SheetPath { id }): Path<SheetPath>,
    Query(query): Query<ExportQuery>,
) -> Result<Response> {
    let mut tx = begin_read(&state).await?;
    let head = checked_head(&mut tx, &user, id, SheetAction::Read).await?;
    let table = table_of(&mut tx, &head).await?;
    let sheet = sheets::sheet(&mut tx, &head).await?;
    let files = stored::of_sheet(&mut tx, id).await?;
    tx.rollback().await?;
    let entries =
        sheet_entries("", &table, &sheet, &files, query.lang.unwrap_or_default()).map_err(internal(CANNOT))?;
    let name = format!("dossier-{}-bloc-{}-unit-{}.zip", head.year, head.bloc_id, head.unit.id);
    Ok(zip_response(&state, entries, &name))
}

/// Every member's dossier of a bloc and year in one ZIP, a folder per unit in the bloc's order
/// (`01 Sở Y tế/sheet.csv`, `01 Sở Y tế/files/…`). Staff only.
#[utoipa::path(
    get,
    path = "/api/years/{year}/blocs/{bloc_id}/dossiers.zip",
    tag = "files",
    params(BlocPath, ExportQuery),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "`attachment; filename=\"dossiers-{year}-bloc-{bloc_id}.zip\"`", content_type = "application/zip", body = Vec<u8>),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`bloc_not_found`", body = ApiErrorBody),
    )
)]
pub async fn bloc_dossiers(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
    Query(query): Query<ExportQuery>,
) -> Result<Response> {
    if !user.is_staff() {
        return Err(Error::Forbidden);
    }
    let mut tx = begin_read(&state).await?;
    crate::store::bloc_year(&mut tx, year, bloc_id).await?;
    let heads = sheets::heads(&mut tx, Scope { year: Some(year), bloc: Some(bloc_id), ..Scope::default() }).await?;
    let mut entries: Vec<Entry> = Vec::new();
    for (i, head) in heads.iter().enumerate() {
        let table = table_of(&mut tx, head).await?;
        let sheet = sheets::sheet(&mut tx, head).await?;
        let files = stored::of_sheet(&mut tx, head.id).await?;
        let folder = format!("{:02} {}/", i + 1, head.unit.name.replace(['/', '\\'], "_"));
        entries.extend(
            sheet_entries(&folder, &table, &sheet, &files, query.lang.unwrap_or_default()).map_err(internal(CANNOT))?,
        );
    }
    tx.rollback().await?;
    Ok(zip_response(&state, entries, &format!("dossiers-{year}-bloc-{bloc_id}.zip")))
}

fn zip_response(state: &AppState, entries: Vec<Entry>, name: &str) -> Response {
    let mut response = zip_body(state.chunks, state.db.clone(), entries).into_response();
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(CONTENT_DISPOSITION, v);
    }
    response
}

const CANNOT: &str = "cannot write the dossier";
