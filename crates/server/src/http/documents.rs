//! The year's documents as Word and PDF, made from what the person may see.
//! - `/api/years/{year}/blocs/{bloc_id}/documents/{file}`: the conference's minutes and the
//!   bloc's proposal letter (staff and the bloc leader's officer; published results: the
//!   revision, else a preview that says so);
//! - `/api/sheets/{id}/documents/{file}`: a unit's achievement report, prefilled (whoever reads
//!   the sheet: the unit's officers, the leader's officer, staff).
//!
//! Never the public. Generating reads only.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use thidua_domain::error::ApiErrorBody;
use thidua_domain::results::BlocResults;
use thidua_domain::sheet_edit::SheetId;
use thidua_domain::tally::award_permissions;
use thidua_domain::workflow::SheetAction;
use thidua_domain::{BlocId, Year};
use utoipa::{IntoParams, ToSchema};

use super::auth::CurrentUser;
use super::blocs::visible_results;
use super::error::{Error, Result};
use super::revisions::published_results;
use super::sheets::{checked_head, table_of};
use crate::documents::minutes::minutes;
use crate::documents::proposal::proposal;
use crate::documents::report::{report, ReportInput};
use crate::documents::{self, DocumentError};
use crate::http::extract::{attachment, Path};
use crate::http::state::{begin_read, AppState};
use crate::store::sheets;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A bloc's document and its format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, ToSchema)]
pub enum BlocDocument {
    /// The conference's minutes (biên bản họp bình xét, suy tôn và kết quả bỏ phiếu).
    #[serde(rename = "minutes.docx")]
    MinutesDocx,
    #[serde(rename = "minutes.pdf")]
    MinutesPdf,
    /// The proposal letter to the provincial Council (tờ trình đề nghị khen thưởng).
    #[serde(rename = "proposal.docx")]
    ProposalDocx,
    #[serde(rename = "proposal.pdf")]
    ProposalPdf,
}

/// `/api/years/{year}/blocs/{bloc_id}/documents/{file}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct BlocDocumentPath {
    /// The emulation year, e.g. 2018
    #[param(value_type = i32, minimum = 2000, maximum = 2100)]
    pub year: Year,
    /// The bloc's id
    #[param(value_type = i64)]
    pub bloc_id: BlocId,
    /// Which document, as which file
    #[param(inline)]
    pub file: BlocDocument,
}

/// A unit's document and its format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, ToSchema)]
pub enum SheetDocument {
    /// The unit's achievement report, prefilled (báo cáo thành tích).
    #[serde(rename = "report.docx")]
    ReportDocx,
    #[serde(rename = "report.pdf")]
    ReportPdf,
}

/// `/api/sheets/{id}/documents/{file}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SheetDocumentPath {
    /// The sheet's id
    #[param(value_type = i64)]
    pub id: SheetId,
    /// Which file
    #[param(inline)]
    pub file: SheetDocument,
}

/// The bloc's minutes or proposal letter, as Word (A4, Decree 30/2020's layout; what the product
/// does not hold — the conference's date, place, chair, secretary, attendees, the number and
/// the signature — left for staff) or as PDF (LibreOffice's conversion of the same file).
#[utoipa::path(
    get,
    path = "/api/years/{year}/blocs/{bloc_id}/documents/{file}",
    tag = "documents",
    params(BlocDocumentPath),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "`attachment; filename=\"{bien-ban|to-trinh}-{year}-bloc-{bloc_id}[-r{revision}].{docx|pdf}\"`", content(
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (Vec<u8> = "application/pdf"),
        )),
        (status = 400, description = "`bad_request`: not one of the documents", body = ApiErrorBody),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: staff and the bloc leader's officer only", body = ApiErrorBody),
        (status = 404, description = "`year_not_found`, `bloc_not_found`", body = ApiErrorBody),
        (status = 503, description = "`pdf_unavailable`: this server cannot make the PDF now (LibreOffice missing or failing); the Word file still can be had", body = ApiErrorBody),
    )
)]
pub async fn bloc_document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(BlocDocumentPath { year, bloc_id, file }): Path<BlocDocumentPath>,
) -> Result<Response> {
    let results = results_for(&state, &user, year, bloc_id).await?;
    let conference = {
        let mut tx = begin_read(&state).await?;
        let c = crate::store::admin::blocs::conference(&mut tx, year, bloc_id).await?;
        tx.rollback().await?;
        c
    };
    let (docx, stem, pdf) = match file {
        BlocDocument::MinutesDocx => (minutes(&results, &conference), "bien-ban", false),
        BlocDocument::MinutesPdf => (minutes(&results, &conference), "bien-ban", true),
        BlocDocument::ProposalDocx => (proposal(&results, &conference), "to-trinh", false),
        BlocDocument::ProposalPdf => (proposal(&results, &conference), "to-trinh", true),
    };
    let name = match &results.revision {
        Some(rev) => format!("{stem}-{year}-bloc-{bloc_id}-r{}", rev.number),
        None => format!("{stem}-{year}-bloc-{bloc_id}"),
    };
    answer(docx, pdf, &name).await
}

/// The unit's achievement report, prefilled from its sheet (verified scores once approved)
/// and, once published, its rank and the award it is proposed for; as Word to finish, or PDF.
#[utoipa::path(
    get,
    path = "/api/sheets/{id}/documents/{file}",
    tag = "documents",
    params(SheetDocumentPath),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "`attachment; filename=\"bao-cao-thanh-tich-{year}-unit-{unit_id}.{docx|pdf}\"`", content(
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (Vec<u8> = "application/pdf"),
        )),
        (status = 400, description = "`bad_request`: not one of the documents", body = ApiErrorBody),
        (status = 401, description = "`unauthenticated`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: not this user's sheet to read", body = ApiErrorBody),
        (status = 404, description = "`sheet_not_found`", body = ApiErrorBody),
        (status = 503, description = "`pdf_unavailable`: this server cannot make the PDF now (LibreOffice missing or failing)", body = ApiErrorBody),
    )
)]
pub async fn sheet_document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(SheetDocumentPath { id, file }): Path<SheetDocumentPath>,
) -> Result<Response> {
    let (head, table, sheet) = {
        let mut tx = begin_read(&state).await?;
        let head = checked_head(&mut tx, &user, id, SheetAction::Read).await?;
        let table = table_of(&mut tx, &head).await?;
        let sheet = sheets::sheet(&mut tx, &head).await?;
        tx.rollback().await?;
        (head, table, sheet)
    };
    let published = published_results(&state, head.year, head.bloc_id).await?;
    let input = ReportInput {
        year: head.year,
        bloc_name: &head.bloc_name,
        unit_name: &head.unit.name,
        unit_id: head.unit.id,
        state: head.state,
        table: &table,
        sheet: &sheet,
        published: published.as_ref(),
    };
    let name = format!("bao-cao-thanh-tich-{}-unit-{}", head.year, head.unit.id);
    answer(report(&input), file == SheetDocument::ReportPdf, &name).await
}

/// The results, if `user` may have the bloc's documents: staff, or the officer of the bloc's
/// leader unit that year.
async fn results_for(state: &AppState, user: &CurrentUser, year: Year, bloc_id: BlocId) -> Result<BlocResults> {
    // The bloc-year must exist before anyone is told they may not see it.
    let leader = {
        let mut tx = begin_read(state).await?;
        let bloc = crate::store::bloc_year(&mut tx, year, bloc_id).await?;
        tx.rollback().await?;
        bloc.leader_unit_id
    };
    if !award_permissions(Some(&user.principal), leader).preview {
        return Err(Error::Forbidden);
    }
    visible_results(state, Some(user), year, bloc_id).await
}

/// The document as Word, or as PDF, under `name` with its extension.
pub(super) async fn answer(docx: docx_rs::Docx, pdf: bool, name: &str) -> Result<Response> {
    let bytes = documents::docx_bytes(docx).map_err(document_error)?;
    if pdf {
        let pdf = documents::pdf_of(&bytes).await.map_err(document_error)?;
        Ok(attachment(pdf, "application/pdf", &format!("{name}.pdf")))
    } else {
        Ok(attachment(bytes, DOCX, &format!("{name}.docx")))
    }
}

fn document_error(e: DocumentError) -> Error {
    tracing::error!(error = %e, "a document could not be made");
    match e {
        DocumentError::Pdf(_) => Error::PdfUnavailable,
        DocumentError::Write(_) => Error::Internal,
    }
}
