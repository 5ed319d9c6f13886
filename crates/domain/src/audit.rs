//! The audit trails as one list (`GET /api/audit`): sheet changes, award writes (tally,
//! overrides, publication, revisions, decisions) and administration, newest first.

use serde::{Deserialize, Serialize};

use crate::auth::UserId;
use crate::{BlocId, UnitId, Year};

/// Which trail an entry comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditSource {
    /// A score sheet: a field's old and new value, or a state change.
    Sheet,
    /// The awards of a bloc-year (or a year's award rules): what was written.
    Award,
    /// Administration (years, units, blocs' set-up and criteria, accounts): what was written.
    Admin,
}

impl AuditSource {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditSource::Sheet => "sheet",
            AuditSource::Award => "award",
            AuditSource::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<AuditSource> {
        [AuditSource::Sheet, AuditSource::Award, AuditSource::Admin].into_iter().find(|s| s.as_str() == text)
    }
}

/// One audited change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditRecord {
    pub source: AuditSource,
    /// The entry's id within its trail.
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub user_id: UserId,
    /// The user's display name.
    pub user: String,
    pub year: Option<Year>,
    pub bloc_id: Option<BlocId>,
    /// The sheet's unit, or the unit an administration entry is about.
    pub unit_id: Option<UnitId>,
    /// The write: a sheet action (`edit_self`, `approve`, …), an award write (`put_decision`,
    /// `publish`, `unpublish`, …) or an administration write (`create_year`, `put_bloc`, …).
    pub action: String,
    /// Sheets: the field changed (`scores.12.verified_score`), `None` for a state change.
    /// Administration: what the write was done to (`year:2020/bloc:1`, `unit:3`, `user:7`).
    pub field: Option<String>,
    /// The value before (sheets only: the other trails keep what was written).
    #[cfg_attr(feature = "openapi", schema(schema_with = any_json))]
    pub old: Option<serde_json::Value>,
    /// The value after, or what was written: JSON values, never JSON in a string.
    #[cfg_attr(feature = "openapi", schema(schema_with = any_json))]
    pub new: Option<serde_json::Value>,
}

/// A value as written: a number, a text (a sheet's state: `"submitted"`), an object, or null.
#[cfg(feature = "openapi")]
fn any_json() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::AnyValue)
        .description(Some("Any JSON value, or null: a number, a text (a sheet's state), an object"))
        .build()
}

/// One page of the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditRecord>,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
    /// How many entries match the filters, over all pages.
    pub total: u64,
}

/// A stored value as structured JSON: JSON text as its value (a number, an object), any
/// other text as a string.
pub fn structured(text: Option<&str>) -> Option<serde_json::Value> {
    let text = text?;
    Some(serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.to_owned())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_come_back_structured() {
        assert_eq!(structured(Some("30.5")), Some(serde_json::json!(30.5)));
        assert_eq!(structured(Some(r#"{"unit_id":3}"#)), Some(serde_json::json!({"unit_id": 3})));
        assert_eq!(structured(Some("submitted")), Some(serde_json::json!("submitted")));
        assert_eq!(structured(Some("")), Some(serde_json::json!("")));
        assert_eq!(structured(None), None);
        assert_eq!(AuditSource::parse("award"), Some(AuditSource::Award));
        assert_eq!(AuditSource::parse("x"), None);
    }
}
