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

/// Where to go after signing in: `next` as a browser resolves it against this site, if what
/// results is a path of this app, else `None`. The one place that decides: the answer is the
/// resolved target itself, so nothing is read twice in two ways.
///
/// As the WHATWG URL parser does for `http(s)`: `\` is a `/`, a `.` or `..` segment (also
/// written `%2e`) is removed with what it undoes, and only then is the path checked. It must
/// begin with one `/` not followed by another (`/.//host`, `/..//host` and `/.%2F/host`, once
/// the query's own percent-decoding has made it `/.//host`, all resolve to `//host`: another
/// site). No whitespace or control character anywhere (browsers drop tabs and newlines, so
/// `/\t/host` would become `//host`).
pub fn sign_in_target(next: &str) -> Option<String> {
    if next.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    let split = next.find(['?', '#']).unwrap_or(next.len());
    let (path, rest) = next.split_at(split);
    let path = path.replace('\\', "/");
    let segments = path.strip_prefix('/')?;
    if segments.starts_with('/') {
        return None;
    }
    let parts: Vec<&str> = segments.split('/').collect();
    let mut resolved: Vec<&str> = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if is_dot(part) || is_dot_dot(part) {
            if is_dot_dot(part) {
                resolved.pop();
            }
            // `/a/.` and `/a/b/..` end in a slash: `/a/`.
            if last {
                resolved.push("");
            }
        } else {
            resolved.push(part);
        }
    }
    let target = format!("/{}{rest}", resolved.join("/"));
    (!target.starts_with("//")).then_some(target)
}

fn is_dot(segment: &str) -> bool {
    segment == "." || segment.eq_ignore_ascii_case("%2e")
}

fn is_dot_dot(segment: &str) -> bool {
    matches!(segment.to_ascii_lowercase().as_str(), ".." | ".%2e" | "%2e." | "%2e%2e")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_app_are_followed_after_sign_in() {
        for ok in ["/", "/sheets", "/sheets/3?tab=self#top", "/admin/2019/blocs/1", "/%5Cevil.example/", "/a?b=//c"] {
            assert_eq!(sign_in_target(ok).as_deref(), Some(ok), "{ok:?}");
        }
        // Resolved as the browser would, and the resolved target is what is followed.
        for (given, resolved) in [
            ("/a/../admin", "/admin"),
            ("/a/./b", "/a/b"),
            ("/a/b/..", "/a/"),
            ("/a/%2E%2e/awards/2019/1?x=1#y", "/awards/2019/1?x=1#y"),
            ("/../../sheets", "/sheets"),
            ("/a\\b", "/a/b"),
            ("/.", "/"),
            ("/./", "/"),
            ("/.%2F/evil.example", "/.%2F/evil.example"),
        ] {
            assert_eq!(sign_in_target(given).as_deref(), Some(resolved), "{given:?}");
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
            // The audit's forms, as the page reads them once the query is decoded.
            "/.//evil.example/x",
            "/..//evil.example",
            "/a/..//evil.example",
            "/%2e%2e//evil.example",
            "/%2E.//evil.example",
            "/.%2e//evil.example",
            "/./\\evil.example",
            "/a/..\\/evil.example",
        ];
        for bad in bypasses {
            assert_eq!(sign_in_target(bad), None, "{bad:?}");
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
