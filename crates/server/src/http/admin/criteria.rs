//! `/api/admin/years/{year}/blocs/{bloc_id}/criteria…`: saving a bloc-year's criteria tree
//! (keeping the scores of unchanged criteria), and the tree as CSV to prepare in a
//! spreadsheet: export, and import into the editor (not saved).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;
use thidua_domain::admin::blocs::BlocSetupView;
use thidua_domain::admin::criteria::{criteria_diff, draft_to_rows, validate_criteria, CriteriaDraft, CriteriaUpdate};
use thidua_domain::error::{ApiErrorBody, FieldError};
use thidua_domain::Points;

use super::{invalid, setup_saved};
use crate::criteria_csv;
use crate::http::auth::Staff;
use crate::http::awards::unpublished;
use crate::http::error::{internal, valid, Error, Result};
use crate::http::extract::{attachment, Json, Path};
use crate::http::params::BlocPath;
use crate::http::state::{begin_read, begin_write, AppState};
use crate::store::{self, admin};

/// Saves the bloc-year's criteria tree and bonus cap. Nodes with the `id` they were loaded
/// with are updated in place, nodes without one are added, criteria left out are deleted.
/// Scores stay with criteria kept with the same maximum and step (a new code, title or place
/// keeps them); those of changed and deleted criteria are dropped, which needs
/// `confirm_dropping_scores: true` once sheets hold any. Checks, after 404: 409 `published` →
/// 422 → 409 `stale_version` → 409 `scores_would_be_dropped`.
#[utoipa::path(
    put,
    path = "/api/admin/years/{year}/blocs/{bloc_id}/criteria",
    tag = "admin",
    params(BlocPath),
    request_body = CriteriaUpdate,
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Saved; the set-up as it is now", body = BlocSetupView),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
        (status = 409, description = "`published` (unpublish first); `stale_version` (reload); `scores_would_be_dropped`: sheets hold scores for criteria this changes or deletes (the message lists them): send again with `confirm_dropping_scores: true`", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `criteria` `required` or `too_many`; `criteria.{path}.code` (`required`, `too_long`, `duplicate` among siblings), `.title`, `.max_points` (`not_positive`, `off_step`), `.step` (`not_positive`); `criteria.{path}` `too_many` (deeper than 3 levels); `bonus_cap` `negative`. `{path}` is the node's place: `0`, `0.1`, …", body = ApiErrorBody),
    )
)]
pub async fn put_criteria(
    Staff(user): Staff,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
    Json(input): Json<CriteriaUpdate>,
) -> Result<Json<BlocSetupView>> {
    let mut tx = begin_write(&state).await?;
    let bloc = store::bloc_year(&mut tx, year, bloc_id).await?;
    unpublished(&bloc)?;
    valid(validate_criteria(&input.criteria))?;
    if input.version != bloc.setup_version {
        return Err(Error::StaleVersion);
    }
    let old = store::criteria_table(&mut tx, year, bloc_id, Points::from_hundredths(bloc.bonus_cap)).await?;
    let diff = criteria_diff(&old, &input.criteria);
    let scored = admin::criteria::scored_criteria(&mut tx, year, bloc_id).await?;
    let dropping: Vec<_> = diff.drops_scores().filter(|id| scored.contains(id)).collect();
    if !dropping.is_empty() && !input.confirm_dropping_scores {
        return Err(Error::ScoresWouldBeDropped(dropping));
    }
    admin::criteria::write_criteria(&mut tx, year, bloc_id, &old, &input.criteria, &diff.changed).await?;
    let detail = json!({
        "criteria": input.criteria,
        "kept": diff.kept,
        "changed": diff.changed,
        "removed": diff.removed,
        "scores_dropped_for": dropping,
    });
    setup_saved(tx, &user, "update_criteria", year, bloc_id, &detail).await
}

/// The bloc-year's criteria as CSV to open in a spreadsheet: UTF-8 with a byte-order mark,
/// the header `level,code,title,max_points,step`, one line per node in the tree's order
/// (level 1 a section, 2 an item, 3 a sub-item; a parent's maximum is its children's sum),
/// numbers with a dot (`12.5`).
#[utoipa::path(
    get,
    path = "/api/admin/years/{year}/blocs/{bloc_id}/criteria.csv",
    tag = "admin",
    params(BlocPath),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "`Content-Disposition: attachment; filename=\"thidua-{year}-bloc-{bloc_id}-criteria.csv\"`", content_type = "text/csv", body = String),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
    )
)]
pub async fn criteria_csv(
    Staff(_): Staff,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
) -> Result<Response> {
    let mut tx = begin_read(&state).await?;
    let view = admin::blocs::setup_view(&mut tx, year, bloc_id).await?;
    let body =
        criteria_csv::write(&draft_to_rows(&view.criteria)).map_err(internal("cannot write the criteria as CSV"))?;
    Ok(attachment(body, "text/csv; charset=utf-8", &format!("thidua-{year}-bloc-{bloc_id}-criteria.csv")))
}

/// Reads a CSV of criteria (the columns of the export, in any order; `step` may be left out)
/// into a tree for the editor, with the bloc-year's bonus cap. Nothing is saved: staff look
/// it over, then save it with `PUT …/criteria`. Tolerates a byte-order mark, `;` as the
/// separator (when the header line has one, as Excel writes in a Vietnamese locale), a
/// decimal comma and blank lines.
#[utoipa::path(
    post,
    path = "/api/admin/years/{year}/blocs/{bloc_id}/criteria/import",
    tag = "admin",
    params(BlocPath),
    request_body(content = String, content_type = "text/csv", description = "UTF-8; `text/plain` and `application/vnd.ms-excel` are read alike"),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The tree the file describes (not saved; new criteria without ids)", body = CriteriaDraft),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found` or `bloc_not_found`", body = ApiErrorBody),
        (status = 415, description = "`unsupported_media_type`: not `text/csv`", body = ApiErrorBody),
        (status = 422, description = "`invalid_input`: `rows.{i}.level` (`required`, `not_a_number`, `invalid`: no parent line above it or deeper than 3), `rows.{i}.max_points` (`required` on a leaf, `not_a_number`, `too_precise`), `rows.{i}.step`, where `{i}` counts the records after the header from 0; `columns.{name}` `required`; `rows` `required` (no line); `body` `invalid` (not UTF-8 or not CSV)", body = ApiErrorBody),
    )
)]
pub async fn import_criteria(
    Staff(_): Staff,
    State(state): State<AppState>,
    Path(BlocPath { year, bloc_id }): Path<BlocPath>,
    CsvBody(text): CsvBody,
) -> Result<Json<CriteriaDraft>> {
    let mut conn = state.db.acquire().await?;
    let bloc = store::bloc_year(&mut conn, year, bloc_id).await?;
    let draft = criteria_csv::read(&text, Points::from_hundredths(bloc.bonus_cap)).map_err(Error::Invalid)?;
    Ok(Json(draft))
}

/// What the CSV import reads.
const CSV: &str = "CSV (Content-Type: text/csv)";

/// A CSV body as text: 415 for another content type, 413 over the body limit, 422 `body`
/// when it is not UTF-8.
pub struct CsvBody(pub String);

impl<S: Send + Sync> FromRequest<S> for CsvBody {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self> {
        let media_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase());
        if !matches!(media_type.as_deref(), Some("text/csv" | "text/plain" | "application/vnd.ms-excel")) {
            return Err(Error::UnsupportedMediaType(CSV));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::PayloadTooLarge
            } else {
                Error::BadRequest(e.body_text())
            }
        })?;
        String::from_utf8(bytes.to_vec()).map(CsvBody).map_err(|_| invalid("body", FieldError::Invalid))
    }
}
