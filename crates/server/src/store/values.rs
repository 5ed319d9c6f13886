//! What the queries share: stored values read back with a check, and the SQL for a unit's name
//! in a year. Its own room so that `store.rs` and the queries under `store/` both use it
//! without using each other.

/// A stored value the schema should have prevented; reported as an internal error.
pub(super) fn corrupt(message: String) -> sqlx::Error {
    sqlx::Error::Decode(message.into())
}

/// SQL for the name the unit row `unit` (an alias of `units`) carried in the year `year` (a
/// column): `thidua_domain::admin::units::name_in` over `unit_names`, so that old years keep the
/// name of their time; the latest name for a year before the unit's first.
pub(crate) fn unit_name_in(unit: &str, year: &str) -> String {
    format!(
        "COALESCE((SELECT n.name FROM unit_names n WHERE n.unit_id = {unit}.id AND n.from_year <= {year}
                   ORDER BY n.from_year DESC LIMIT 1), {unit}.name)"
    )
}

pub(super) fn to_u32(value: i64, what: &str) -> sqlx::Result<u32> {
    u32::try_from(value).map_err(|_| corrupt(format!("{what} out of range: {value}")))
}
