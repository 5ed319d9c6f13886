//! Who is signed in, and what their role binds them to.

use serde::{Deserialize, Serialize};

use crate::UnitId;

pub type UserId = i64;

/// The roles of DOMAIN.md. The public has no account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Scores its own unit's sheets.
    UnitOfficer,
    /// A unit officer whose unit leads a bloc: also verifies the bloc's sheets in the years
    /// the unit is the leader. The binding follows the bloc's leader of each year.
    LeaderOfficer,
    /// Ban Thi đua – Khen thưởng: everything.
    Staff,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::UnitOfficer, Role::LeaderOfficer, Role::Staff];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::UnitOfficer => "unit_officer",
            Role::LeaderOfficer => "leader_officer",
            Role::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Administration (years, blocs, units, accounts, award rules, publication) is staff's.
    pub fn administers(self) -> bool {
        self == Role::Staff
    }

    /// May this role have award work in some bloc: staff everywhere, a leader's officer the
    /// acclaim vote of the blocs its unit leads (`tally::award_permissions` decides per bloc).
    pub fn has_award_work(self) -> bool {
        matches!(self, Role::Staff | Role::LeaderOfficer)
    }

    /// Officers act for a unit; staff for no unit in particular.
    pub fn needs_unit(self) -> bool {
        !matches!(self, Role::Staff)
    }
}

/// The signed-in user, as every permission rule sees them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Principal {
    pub user_id: UserId,
    pub role: Role,
    /// Set for officers, `None` for staff.
    pub unit_id: Option<UnitId>,
}

/// `GET /api/auth/me`: the signed-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<UnitId>,
    pub unit_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub username: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub password: String,
}

/// Lengths a username and a password must keep to.
pub const USERNAME_MAX: usize = 64;
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 256;

/// Lower-case ASCII letters, digits, `.`, `_` and `-`, so a name reads the same everywhere.
pub fn valid_username(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= USERNAME_MAX
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// Long enough to resist guessing, short enough that hashing it cannot be abused.
pub fn valid_new_password(password: &str) -> bool {
    (PASSWORD_MIN..=PASSWORD_MAX).contains(&password.chars().count())
}

/// `next` (where to go after signing in) if it is a path of this app, else `None`. It must
/// start with one `/` followed by neither `/` nor `\` (browsers read `/\host` and
/// `//host` as another site), and hold no whitespace or control character anywhere
/// (browsers drop tabs and newlines, so `/\t/host` would become `//host`). The SPA also
/// resolves what passes against the page's origin before it goes there.
pub fn same_origin_path(next: &str) -> Option<&str> {
    let rest = next.strip_prefix('/')?;
    let starts_another_host = rest.starts_with(['/', '\\']);
    let hidden = next.chars().any(|c| c.is_control() || c.is_whitespace());
    (!starts_another_host && !hidden).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_app_are_followed_after_sign_in() {
        for ok in ["/", "/sheets", "/sheets/3?tab=self#top", "/admin/2019/blocs/1", "/a\\b", "/%5Cevil.example/"] {
            assert_eq!(same_origin_path(ok), Some(ok), "{ok:?}");
        }
        let bypasses = [
            "//evil.example",
            "/\\evil.example/",
            "/\\/evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "/\r\n//evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            "/\u{a0}/evil.example",
        ];
        for bad in bypasses {
            assert_eq!(same_origin_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn roles_round_trip_through_text() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
        assert_eq!(Role::ALL.map(Role::has_award_work), [false, true, true]);
        assert_eq!(Role::ALL.map(Role::administers), [false, false, true]);
        assert!(Role::UnitOfficer.needs_unit() && Role::LeaderOfficer.needs_unit() && !Role::Staff.needs_unit());
    }

    #[test]
    fn usernames_and_passwords() {
        assert!(valid_username("so-y-te.2018_a"));
        assert!(!valid_username(""));
        assert!(!valid_username("Sở"));
        assert!(!valid_username("a b"));
        assert!(!valid_username(&"a".repeat(USERNAME_MAX + 1)));
        assert!(valid_new_password("mười ký tự!!"));
        assert!(!valid_new_password("short"));
        assert!(!valid_new_password(&"x".repeat(PASSWORD_MAX + 1)));
    }
}
