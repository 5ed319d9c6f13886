//! The error body every API endpoint answers with, so any backend can speak the contract.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `{"code": "year_not_found", "message": "…"}`; `fields` maps a field to its messages on 422.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    /// Stable and machine-readable: clients translate on it, never on `message`.
    pub code: String,
    /// For people and logs, in English.
    pub message: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Vec<String>>,
}
