//! Staff administration: years, blocs' set-up and criteria, units, accounts.

use gloo_net::http::Method;
use thidua_domain::admin::blocs::{BlocSetupInput, BlocSetupView, NewBloc};
use thidua_domain::admin::criteria::{CriteriaDraft, CriteriaUpdate};
use thidua_domain::admin::units::{NewUnit, UnitAdmin, UnitEnd};
use thidua_domain::admin::users::{NewUser, PasswordReset, UserAdmin, UserUpdate};
use thidua_domain::admin::years::{NewYear, YearAdmin, YearUpdate};
use thidua_domain::audit::AuditPage;
use thidua_domain::auth::UserId;
use thidua_domain::error::{ApiErrorBody, FieldErrors};
use thidua_domain::{BlocId, UnitId, Year};

use super::{json, write, write_json, WRITE_TIMEOUT};
use crate::api::{checked, decode, get_json, request, url, ApiError, ApiResult};

pub async fn years() -> ApiResult<Vec<YearAdmin>> {
    get_json("/api/admin/years").await
}

pub async fn create_year(input: NewYear) -> ApiResult<YearAdmin> {
    write_json(Method::POST, "/api/admin/years", &input).await
}

pub async fn update_year(year: Year, input: YearUpdate) -> ApiResult<YearAdmin> {
    write_json(Method::PUT, &format!("/api/admin/years/{year}"), &input).await
}

pub async fn create_bloc(year: Year, input: NewBloc) -> ApiResult<BlocSetupView> {
    write_json(Method::POST, &format!("/api/admin/years/{year}/blocs"), &input).await
}

pub async fn bloc(year: Year, bloc: BlocId) -> ApiResult<BlocSetupView> {
    get_json(&format!("/api/admin/years/{year}/blocs/{bloc}")).await
}

pub async fn save_bloc(year: Year, bloc: BlocId, input: BlocSetupInput) -> ApiResult<BlocSetupView> {
    write_json(Method::PUT, &format!("/api/admin/years/{year}/blocs/{bloc}"), &input).await
}

/// Takes a bloc set up by mistake out of the year (204).
pub async fn delete_bloc(year: Year, bloc: BlocId) -> ApiResult<()> {
    write(Method::DELETE, &format!("/api/admin/years/{year}/blocs/{bloc}"), None).await.map(|_| ())
}

pub async fn save_criteria(year: Year, bloc: BlocId, input: CriteriaUpdate) -> ApiResult<BlocSetupView> {
    write_json(Method::PUT, &format!("/api/admin/years/{year}/blocs/{bloc}/criteria"), &input).await
}

pub fn criteria_csv_url(year: Year, bloc: BlocId) -> String {
    url(&format!("/api/admin/years/{year}/blocs/{bloc}/criteria.csv"))
}

/// Why an import did not give a tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// The lines that are wrong (`rows.{i}.{field}`), to show with their line numbers.
    Rows(FieldErrors),
    Api(ApiError),
}

/// Parses a CSV on the server (the same rules as every backend); nothing is saved.
pub async fn import_criteria(year: Year, bloc: BlocId, csv: String) -> Result<CriteriaDraft, ImportError> {
    let path = format!("/api/admin/years/{year}/blocs/{bloc}/criteria/import");
    let body = Some((csv, "text/csv; charset=utf-8"));
    let response = request(Method::POST, &path, body, Some(WRITE_TIMEOUT)).await.map_err(ImportError::Api)?;
    if response.status() == 422 {
        let body: ApiErrorBody = decode(response).await.map_err(ImportError::Api)?;
        return Err(ImportError::Rows(body.fields));
    }
    let response = checked(response).await.map_err(ImportError::Api)?;
    decode(response).await.map_err(ImportError::Api)
}

/// The audit list's filters, as `GET /api/audit` takes them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub source: Option<String>,
    pub year: Option<Year>,
    pub bloc_id: Option<BlocId>,
    pub unit_id: Option<UnitId>,
    pub user_id: Option<UserId>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

impl AuditFilter {
    fn query(&self) -> String {
        let mut parts = vec![format!("page={}", self.page), format!("per_page={}", self.per_page)];
        let mut add = |key: &str, value: Option<String>| {
            if let Some(v) = value {
                parts.push(format!("{key}={}", String::from(js_sys::encode_uri_component(&v))));
            }
        };
        add("source", self.source.clone());
        add("year", self.year.map(|y| y.to_string()));
        add("bloc_id", self.bloc_id.map(|b| b.to_string()));
        add("unit_id", self.unit_id.map(|u| u.to_string()));
        add("user_id", self.user_id.map(|u| u.to_string()));
        add("from", self.from.clone());
        add("to", self.to.clone());
        parts.join("&")
    }
}

pub async fn audit(filter: AuditFilter) -> ApiResult<AuditPage> {
    get_json(&format!("/api/audit?{}", filter.query())).await
}

/// The same list as a CSV download (every page).
pub fn audit_csv_url(filter: &AuditFilter) -> String {
    url(&format!("/api/audit.csv?{}", filter.query()))
}

pub async fn units() -> ApiResult<Vec<UnitAdmin>> {
    get_json("/api/admin/units").await
}

pub async fn create_unit(input: NewUnit) -> ApiResult<UnitAdmin> {
    write_json(Method::POST, "/api/admin/units", &input).await
}

pub async fn rename_unit(id: UnitId, input: NewUnit) -> ApiResult<UnitAdmin> {
    write_json(Method::POST, &format!("/api/admin/units/{id}/names"), &input).await
}

pub async fn end_unit(id: UnitId, input: UnitEnd) -> ApiResult<UnitAdmin> {
    write_json(Method::POST, &format!("/api/admin/units/{id}/end"), &input).await
}

pub async fn users() -> ApiResult<Vec<UserAdmin>> {
    get_json("/api/admin/users").await
}

pub async fn create_user(input: NewUser) -> ApiResult<UserAdmin> {
    write_json(Method::POST, "/api/admin/users", &input).await
}

pub async fn update_user(id: UserId, input: UserUpdate) -> ApiResult<UserAdmin> {
    write_json(Method::PUT, &format!("/api/admin/users/{id}"), &input).await
}

/// Answers no body worth reading: success is all the form needs.
pub async fn reset_password(id: UserId, input: PasswordReset) -> ApiResult<()> {
    write(Method::PUT, &format!("/api/admin/users/{id}/password"), Some(json(&input)?)).await.map(|_| ())
}
