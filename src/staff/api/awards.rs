//! Staff writes on a bloc's awards; each answers the fresh results (a staff preview).

use gloo_net::http::Method;
use thidua_domain::award_types::{AwardType, AwardTypeId, AwardTypeInput};
use thidua_domain::decisions::Decision;
use thidua_domain::publication::PublishRequest;
use thidua_domain::results::BlocResults;
use thidua_domain::tally::{Override, TallyUpdate};
use thidua_domain::{BlocId, UnitId, Year};

use super::{write, write_json};
use crate::api::{decode, get_json, ApiResult};

fn base(year: Year, bloc: BlocId) -> String {
    format!("/api/years/{year}/blocs/{bloc}")
}

/// `path` with the written reason that a change to published results carries into their
/// next revision (`?reason=`); unpublished results take none.
fn with_reason(path: String, reason: &Option<String>) -> String {
    match reason {
        Some(reason) => format!("{path}?reason={}", String::from(js_sys::encode_uri_component(reason))),
        None => path,
    }
}

pub async fn save_tally(
    year: Year,
    bloc: BlocId,
    update: TallyUpdate,
    reason: Option<String>,
) -> ApiResult<BlocResults> {
    write_json(Method::PUT, &with_reason(format!("{}/tally", base(year, bloc)), &reason), &update).await
}

pub async fn save_override(year: Year, bloc: BlocId, o: Override, reason: Option<String>) -> ApiResult<BlocResults> {
    write_json(Method::PUT, &with_reason(format!("{}/overrides", base(year, bloc)), &reason), &o).await
}

pub async fn remove_override(
    year: Year,
    bloc: BlocId,
    unit: UnitId,
    award: AwardTypeId,
    reason: Option<String>,
) -> ApiResult<BlocResults> {
    let path = with_reason(format!("{}/overrides/{unit}/{award}", base(year, bloc)), &reason);
    decode(write(Method::DELETE, &path, None).await?).await
}

/// Publish, acknowledging exactly the results' problems with a reason (the server refuses
/// anything else with 409 and the list).
pub async fn publish(year: Year, bloc: BlocId, request: PublishRequest) -> ApiResult<BlocResults> {
    write_json(Method::POST, &format!("{}/publish", base(year, bloc)), &request).await
}

/// Take the publication back, with the reason its withdrawal revision shows.
pub async fn unpublish(year: Year, bloc: BlocId, reason: Option<String>) -> ApiResult<BlocResults> {
    decode(write(Method::POST, &with_reason(format!("{}/unpublish", base(year, bloc)), &reason), None).await?).await
}

pub async fn award_types(year: Year) -> ApiResult<Vec<AwardType>> {
    get_json(&format!("/api/years/{year}/award-types")).await
}

pub async fn create_award_type(year: Year, input: AwardTypeInput) -> ApiResult<AwardType> {
    write_json(Method::POST, &format!("/api/years/{year}/award-types"), &input).await
}

pub async fn update_award_type(year: Year, id: AwardTypeId, input: AwardTypeInput) -> ApiResult<AwardType> {
    write_json(Method::PUT, &format!("/api/years/{year}/award-types/{id}"), &input).await
}

pub async fn save_decision(
    year: Year,
    bloc: BlocId,
    unit: UnitId,
    award: AwardTypeId,
    decision: Decision,
    reason: Option<String>,
) -> ApiResult<BlocResults> {
    let path = with_reason(format!("{}/decisions/{unit}/{award}", base(year, bloc)), &reason);
    write_json(Method::PUT, &path, &decision).await
}
