//! The path parameters of the API, one struct per shape, shared by the handlers: each
//! deserializes from the route's `{…}` segments and describes them in the OpenAPI document.

use serde::Deserialize;
use thidua_domain::auth::UserId;
use thidua_domain::award_types::AwardTypeId;
use thidua_domain::sheet_edit::SheetId;
use thidua_domain::{BlocId, UnitId, Year};
use utoipa::IntoParams;

/// `/…/{year}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct YearPath {
    /// The emulation year, e.g. 2018
    #[param(value_type = i32)]
    pub year: Year,
}

/// `/…/{year}/blocs/{bloc_id}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct BlocPath {
    /// The emulation year, e.g. 2018
    #[param(value_type = i32)]
    pub year: Year,
    /// The bloc's id
    #[param(value_type = i64)]
    pub bloc_id: BlocId,
}

/// `/…/{year}/blocs/{bloc_id}/…/units/{unit_id}/awards/{award_type_id}`: one candidate.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CandidatePath {
    /// The emulation year
    #[param(value_type = i32)]
    pub year: Year,
    /// The bloc's id
    #[param(value_type = i64)]
    pub bloc_id: BlocId,
    /// The unit's id
    #[param(value_type = i64)]
    pub unit_id: UnitId,
    /// The award type's id
    #[param(value_type = i64)]
    pub award_type_id: AwardTypeId,
}

/// `/api/years/{year}/award-types/{id}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct AwardTypePath {
    /// The emulation year
    #[param(value_type = i32)]
    pub year: Year,
    /// The award type's id
    #[param(value_type = i64)]
    pub id: AwardTypeId,
}

/// `/api/sheets/{id}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SheetPath {
    /// The sheet's id
    #[param(value_type = i64)]
    pub id: SheetId,
}

/// `/api/admin/units/{id}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct UnitPath {
    /// The unit's id
    #[param(value_type = i64)]
    pub id: UnitId,
}

/// `/api/units/{unit_id}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct UnitHistoryPath {
    /// The unit's id
    #[param(value_type = i64)]
    pub unit_id: UnitId,
}

/// `/api/admin/users/{id}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct UserPath {
    /// The user's id
    #[param(value_type = i64)]
    pub id: UserId,
}

/// `/…/{year}/blocs/{bloc_id}/results/revisions/{number}`: one stored revision.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct RevisionPath {
    /// The emulation year
    #[param(value_type = i32)]
    pub year: Year,
    /// The bloc's id
    #[param(value_type = i64)]
    pub bloc_id: BlocId,
    /// The revision's number: 1, 2, …
    pub number: u32,
}

/// `?reason=…` on a write to a bloc-year's awards: required (409 `reason_required`) while
/// its results are published, and then carried by the revision the write makes; ignored
/// otherwise.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReasonQuery {
    /// Why published results change: shown to the public with the new revision
    pub reason: Option<String>,
}

/// `?from=1&to=2`: two revisions to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The older revision's number
    pub from: u32,
    /// The newer revision's number
    pub to: u32,
}
