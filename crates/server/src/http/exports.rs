//! `/api/years/{year}/blocs/{bloc_id}/results.csv` and `results.xlsx`: the results as files,
//! gated like the results themselves (unpublished: staff only).

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use thidua_domain::error::ApiErrorBody;
use thidua_domain::results::BlocResults;
use utoipa::IntoParams;

use super::auth::CurrentUser;
use super::blocs::{gated, visible_results};
use super::error::{internal, Result};
use crate::export::{self, Lang};
use crate::http::extract::{attachment, Path, Query};
use crate::http::params::BlocPath;
use crate::http::state::AppState;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// The language of the headers: `vi` (default, with diacritics) or `en`.
    #[param(inline)]
    pub lang: Option<Lang>,
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The ranking table as CSV (UTF-8 with a BOM), one row per unit in rank order: rank, unit,
/// verified total, self total, each section's subtotal, bonus counted, deductions, then each
/// leaf criterion's self and verified score (empty: not scored). Numbers use a dot: `97.5`.
#[utoipa::path(
    get,
    path = "/api/years/{year}/blocs/{bloc_id}/results.csv",
    tag = "blocs",
    params(BlocPath, ExportQuery),
    responses(
        (status = 200, description = "`Content-Disposition: attachment; filename=\"thidua-{year}-bloc-{bloc_id}-r{revision}.csv\"` (published: the revision it was made from) or `…-bloc-{bloc_id}.csv` (a preview)", content_type = "text/csv", body = String),
        (status = 400, description = "`bad_request`: a parameter is not a number, or `lang` is not `vi` or `en`", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`, `bloc_not_found`, or `not_published` (staff get the preview)", body = ApiErrorBody),
    )
)]
pub async fn results_csv(
    user: Option<CurrentUser>,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
    Query(query): Query<ExportQuery>,
) -> Result<Response> {
    let results = visible_results(&state, user.as_ref(), year, bloc_id).await?;
    let body = export::csv(&results, query.lang.unwrap_or_default()).map_err(internal(CANNOT_WRITE))?;
    Ok(file(body, "text/csv; charset=utf-8", &results, "csv"))
}

/// The results as an Excel workbook: sheet 1 the ranking table (as in the CSV, numbers as
/// numbers), sheet 2 every criterion of every unit with the bonus and deduction lines and
/// their reasons, sheet 3 the proposals and decisions, sheet 4 what the file is (bloc, year,
/// published or preview, sample data).
#[utoipa::path(
    get,
    path = "/api/years/{year}/blocs/{bloc_id}/results.xlsx",
    tag = "blocs",
    params(BlocPath, ExportQuery),
    responses(
        (status = 200, description = "`Content-Disposition: attachment; filename=\"thidua-{year}-bloc-{bloc_id}-r{revision}.xlsx\"` (published: the revision it was made from; sheet 4 says its number and date) or `…-bloc-{bloc_id}.xlsx` (a preview)", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 404, description = "`year_not_found`, `bloc_not_found`, or `not_published` (staff get the preview)", body = ApiErrorBody),
    )
)]
pub async fn results_xlsx(
    user: Option<CurrentUser>,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
    Query(query): Query<ExportQuery>,
) -> Result<Response> {
    let results = visible_results(&state, user.as_ref(), year, bloc_id).await?;
    let body = export::xlsx(&results, query.lang.unwrap_or_default()).map_err(internal(CANNOT_WRITE))?;
    Ok(file(body, XLSX, &results, "xlsx"))
}

/// The file's name says the revision it was made from: `thidua-2018-bloc-1-r2.csv` (a preview
/// has none: `thidua-2019-bloc-1.csv`).
fn file(body: Vec<u8>, content_type: &'static str, results: &BlocResults, ext: &str) -> Response {
    let (year, bloc_id) = (results.year, results.bloc_id);
    let name = match &results.revision {
        Some(r) => format!("thidua-{year}-bloc-{bloc_id}-r{}.{ext}", r.number),
        None => format!("thidua-{year}-bloc-{bloc_id}.{ext}"),
    };
    gated(attachment(body, content_type, &name), !results.published)
}

/// What the log says when a file cannot be written (500).
const CANNOT_WRITE: &str = "cannot write the export";
