//! The Council's list for a year (staff): read it, record an outcome, remove one, make a
//! decision from an approved proposal. Every write answers the list as it is now.

use gloo_net::http::Method;
use thidua_domain::council::{CouncilList, OutcomeInput};
use thidua_domain::decisions::Decision;
use thidua_domain::{AwardTypeId, BlocId, UnitId, Year};

use super::{write, write_json};
use crate::api::{decode, get_json, ApiResult};

/// One proposal: the bloc, the unit and the award type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProposalKey {
    pub year: Year,
    pub bloc: BlocId,
    pub unit: UnitId,
    pub award: AwardTypeId,
}

impl ProposalKey {
    fn path(&self) -> String {
        format!("/api/years/{}/blocs/{}/council/{}/{}", self.year, self.bloc, self.unit, self.award)
    }
}

pub async fn list(year: Year) -> ApiResult<CouncilList> {
    get_json(&format!("/api/years/{year}/council")).await
}

pub async fn save_outcome(key: ProposalKey, input: OutcomeInput) -> ApiResult<CouncilList> {
    write_json(Method::PUT, &key.path(), &input).await
}

pub async fn remove_outcome(key: ProposalKey) -> ApiResult<CouncilList> {
    decode(write(Method::DELETE, &key.path(), None).await?).await
}

pub async fn decide(key: ProposalKey, decision: Decision) -> ApiResult<CouncilList> {
    write_json(Method::POST, &format!("{}/decision", key.path()), &decision).await
}
