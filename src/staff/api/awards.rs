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

pub async fn save_tally(year: Year, bloc: BlocId, update: TallyUpdate) -> ApiResult<BlocResults> {
    write_json(Method::PUT, &format!("{}/tally", base(year, bloc)), &update).await
}

pub async fn save_override(year: Year, bloc: BlocId, o: Override) -> ApiResult<BlocResults> {
    write_json(Method::PUT, &format!("{}/overrides", base(year, bloc)), &o).await
}

pub async fn remove_override(year: Year, bloc: BlocId, unit: UnitId, award: AwardTypeId) -> ApiResult<BlocResults> {
    decode(write(Method::DELETE, &format!("{}/overrides/{unit}/{award}", base(year, bloc)), None).await?).await
}

/// `Some`: publish, acknowledging exactly the results' problems with a reason (the server
/// refuses anything else with 409 and the list); `None`: unpublish.
pub async fn set_published(year: Year, bloc: BlocId, publish: Option<PublishRequest>) -> ApiResult<BlocResults> {
    match publish {
        Some(request) => write_json(Method::POST, &format!("{}/publish", base(year, bloc)), &request).await,
        None => decode(write(Method::POST, &format!("{}/unpublish", base(year, bloc)), None).await?).await,
    }
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
) -> ApiResult<BlocResults> {
    write_json(Method::PUT, &format!("{}/decisions/{unit}/{award}", base(year, bloc)), &decision).await
}
