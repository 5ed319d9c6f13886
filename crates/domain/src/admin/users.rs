//! Accounts as staff manage them: a new account, its role and unit, a new password.

use serde::{Deserialize, Serialize};

use crate::auth::{valid_username, Role, UserId, PASSWORD_MAX, PASSWORD_MIN};
use crate::error::{push, Duplicated, FieldError, FieldErrors};
use crate::UnitId;

/// An account as staff see it. Passwords are never shown, only set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserAdmin {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<UnitId>,
    pub unit_name: Option<String>,
    pub disabled: bool,
    pub version: i64,
}

/// `POST /api/admin/users`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// `valid_username`, which the schema spells out for generated clients.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64, pattern = "^[a-z0-9._-]+$"))]
    pub username: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<UnitId>,
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 256))]
    pub password: String,
}

/// `PUT /api/admin/users/{id}`: everything but the username and the password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<UnitId>,
    pub disabled: bool,
    pub version: i64,
}

/// `PUT /api/admin/users/{id}/password`: staff set a new one (the person changes it later).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 256))]
    pub password: String,
}

fn check_binding(errors: &mut FieldErrors, role: Role, unit: Option<UnitId>, units: &[UnitId]) {
    match (role.needs_unit(), unit) {
        (true, None) => push(errors, "unit_id", FieldError::Required),
        (true, Some(u)) if !units.contains(&u) => push(errors, "unit_id", FieldError::Invalid),
        (false, Some(_)) => push(errors, "unit_id", FieldError::Invalid),
        _ => {}
    }
}

fn check_display_name(errors: &mut FieldErrors, name: &str) {
    if name.trim().is_empty() {
        push(errors, "display_name", FieldError::Required);
    } else if name.chars().count() > 200 {
        push(errors, "display_name", FieldError::TooLong { max: 200 });
    }
}

/// `taken`: the usernames that exist (compared case-insensitively).
pub fn validate_new_user(input: &NewUser, taken: &[String], units: &[UnitId]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if input.username.is_empty() {
        push(&mut errors, "username", FieldError::Required);
    } else if !valid_username(&input.username) {
        push(&mut errors, "username", FieldError::Invalid);
    } else if taken.iter().any(|t| t.eq_ignore_ascii_case(&input.username)) {
        push(&mut errors, "username", FieldError::Duplicate { of: Duplicated::Username });
    }
    check_display_name(&mut errors, &input.display_name);
    check_binding(&mut errors, input.role, input.unit_id, units);
    validate_password_into(&mut errors, &input.password);
    errors
}

/// `oneself`: staff edit their own account, which they may neither disable nor give up the
/// staff role of (someone must stay able to administer; another staff member can).
pub fn validate_user_update(input: &UserUpdate, units: &[UnitId], oneself: bool) -> FieldErrors {
    let mut errors = FieldErrors::new();
    check_display_name(&mut errors, &input.display_name);
    check_binding(&mut errors, input.role, input.unit_id, units);
    if oneself {
        if input.disabled {
            push(&mut errors, "disabled", FieldError::Invalid);
        }
        if input.role != Role::Staff {
            push(&mut errors, "role", FieldError::Invalid);
        }
    }
    errors
}

pub fn validate_password_reset(input: &PasswordReset) -> FieldErrors {
    let mut errors = FieldErrors::new();
    validate_password_into(&mut errors, &input.password);
    errors
}

fn validate_password_into(errors: &mut FieldErrors, password: &str) {
    let n = password.chars().count();
    if n == 0 {
        push(errors, "password", FieldError::Required);
    } else if n < PASSWORD_MIN {
        push(errors, "password", FieldError::TooShort { min: PASSWORD_MIN as u32 });
    } else if n > PASSWORD_MAX {
        push(errors, "password", FieldError::TooLong { max: PASSWORD_MAX as u32 });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_are_bound_to_a_unit_unless_staff() {
        let units = [1, 2];
        let new = NewUser {
            username: "vhttdl".into(),
            display_name: "Cán bộ thi đua Sở Văn hóa".into(),
            role: Role::UnitOfficer,
            unit_id: Some(1),
            password: "mot-mat-khau-dai".into(),
        };
        assert!(validate_new_user(&new, &["staff".into()], &units).is_empty());
        let e = validate_new_user(
            &NewUser { username: "staff".into(), unit_id: None, password: "ngan".into(), ..new.clone() },
            &["staff".into()],
            &units,
        );
        assert_eq!(e["username"], [FieldError::Duplicate { of: Duplicated::Username }]);
        assert_eq!(e["unit_id"], [FieldError::Required]);
        assert_eq!(e["password"], [FieldError::TooShort { min: 10 }]);
        let staff = UserUpdate {
            display_name: "Ban TĐKT".into(),
            role: Role::Staff,
            unit_id: Some(1),
            disabled: false,
            version: 0,
        };
        assert_eq!(validate_user_update(&staff, &units, false)["unit_id"], [FieldError::Invalid]);
        // One's own account: never disabled, never out of the staff role.
        let me = UserUpdate { unit_id: None, ..staff };
        assert!(validate_user_update(&me, &units, true).is_empty());
        let off = UserUpdate { disabled: true, ..me.clone() };
        assert_eq!(validate_user_update(&off, &units, true)["disabled"], [FieldError::Invalid]);
        assert!(validate_user_update(&off, &units, false).is_empty(), "another staff member's may be");
        let demoted = UserUpdate { role: Role::UnitOfficer, unit_id: Some(1), ..me };
        assert_eq!(validate_user_update(&demoted, &units, true)["role"], [FieldError::Invalid]);
    }
}
