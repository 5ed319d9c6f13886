//! A score sheet's life: draft → submitted → (returned → submitted)* → approved, and who may
//! do what in each state. The server enforces it; the SPA asks the same functions what to show.

use serde::{Deserialize, Serialize};

use crate::auth::{Principal, Role};
use crate::UnitId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SheetState {
    /// The unit is filling it in.
    Draft,
    /// Waiting for verification; the unit can no longer change it.
    Submitted,
    /// Sent back to the unit with a comment; open for changes again.
    Returned,
    /// Verified: its verified scores count in the bloc's ranking.
    Approved,
}

impl SheetState {
    pub const ALL: [SheetState; 4] =
        [SheetState::Draft, SheetState::Submitted, SheetState::Returned, SheetState::Approved];

    pub fn as_str(self) -> &'static str {
        match self {
            SheetState::Draft => "draft",
            SheetState::Submitted => "submitted",
            SheetState::Returned => "returned",
            SheetState::Approved => "approved",
        }
    }

    pub fn parse(s: &str) -> Option<SheetState> {
        SheetState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The unit may change its self-assessment.
    pub fn open_to_unit(self) -> bool {
        matches!(self, SheetState::Draft | SheetState::Returned)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SheetAction {
    Read,
    EditSelf,
    Submit,
    EditVerification,
    Return,
    Approve,
}

impl SheetAction {
    pub const ALL: [SheetAction; 6] = [
        SheetAction::Read,
        SheetAction::EditSelf,
        SheetAction::Submit,
        SheetAction::EditVerification,
        SheetAction::Return,
        SheetAction::Approve,
    ];
}

/// Why an action is refused. The server answers `Forbidden` with 403 and `WrongState` with 409.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("this user may not do that to this sheet")]
    Forbidden,
    #[error("the sheet is {}: that cannot be done now", .0.as_str())]
    WrongState(SheetState),
    /// A year closed for scoring is read-only to all but staff (the server answers 409
    /// `year_closed`).
    #[error("the year is closed for scoring")]
    YearClosed,
}

/// The facts about a sheet that permissions depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SheetFacts {
    pub unit_id: UnitId,
    /// The leader unit of the sheet's bloc in the sheet's year.
    pub leader_unit_id: Option<UnitId>,
    pub state: SheetState,
    /// The sheet's year is open for scoring.
    pub year_open: bool,
    /// Every criterion carries a verified score: only such a sheet can be approved.
    pub all_verified: bool,
}

/// How a user stands to a sheet, before its state is considered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Standing {
    owner: bool,
    verifier: bool,
}

fn standing(who: &Principal, sheet: &SheetFacts) -> Standing {
    let staff = who.role == Role::Staff;
    let own_unit = who.unit_id.is_some() && who.unit_id == Some(sheet.unit_id);
    let leads_bloc = who.role == Role::LeaderOfficer && who.unit_id.is_some() && who.unit_id == sheet.leader_unit_id;
    Standing {
        owner: staff || own_unit,
        // No one verifies their own unit's sheet: the leader unit's own sheet goes to staff.
        verifier: staff || (leads_bloc && !own_unit),
    }
}

/// May `who` do `action` to `sheet` now?
pub fn authorize(who: &Principal, sheet: &SheetFacts, action: SheetAction) -> Result<(), Refusal> {
    let s = standing(who, sheet);
    let (allowed, state_ok) = match action {
        SheetAction::Read => (s.owner || s.verifier, true),
        SheetAction::EditSelf | SheetAction::Submit => (s.owner, sheet.state.open_to_unit()),
        SheetAction::EditVerification | SheetAction::Return | SheetAction::Approve => {
            (s.verifier, sheet.state == SheetState::Submitted)
        }
    };
    if !allowed {
        Err(Refusal::Forbidden)
    } else if !state_ok {
        Err(Refusal::WrongState(sheet.state))
    } else if action != SheetAction::Read && !sheet.year_open && who.role != Role::Staff {
        Err(Refusal::YearClosed)
    } else {
        Ok(())
    }
}

/// The state an allowed action leads to.
pub fn next_state(state: SheetState, action: SheetAction) -> SheetState {
    match action {
        SheetAction::Submit => SheetState::Submitted,
        SheetAction::Return => SheetState::Returned,
        SheetAction::Approve => SheetState::Approved,
        SheetAction::Read | SheetAction::EditSelf | SheetAction::EditVerification => state,
    }
}

/// What the SPA may offer; each flag is `authorize(..).is_ok()` for one action, and `approve`
/// also needs every criterion verified, as the server's approval does (an unscored criterion
/// there is a 422 naming it), so nobody is offered a button that can only fail.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SheetPermissions {
    pub edit_self: bool,
    pub submit: bool,
    pub edit_verification: bool,
    #[serde(rename = "return")]
    pub return_sheet: bool,
    pub approve: bool,
}

pub fn permissions(who: &Principal, sheet: &SheetFacts) -> SheetPermissions {
    let ok = |action| authorize(who, sheet, action).is_ok();
    SheetPermissions {
        edit_self: ok(SheetAction::EditSelf),
        submit: ok(SheetAction::Submit),
        edit_verification: ok(SheetAction::EditVerification),
        return_sheet: ok(SheetAction::Return),
        approve: ok(SheetAction::Approve) && sheet.all_verified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SheetAction::*;
    use SheetState::*;

    const A: UnitId = 1;
    const B: UnitId = 2;
    const LEADER: UnitId = 3;

    fn who(role: Role, unit: Option<UnitId>) -> Principal {
        Principal { user_id: 9, role, unit_id: unit }
    }

    fn sheet(unit: UnitId, state: SheetState) -> SheetFacts {
        SheetFacts { unit_id: unit, leader_unit_id: Some(LEADER), state, year_open: true, all_verified: true }
    }

    #[test]
    fn unit_officer_edits_and_submits_only_its_own_open_sheet() {
        let officer = who(Role::UnitOfficer, Some(A));
        for state in [Draft, Returned] {
            assert_eq!(authorize(&officer, &sheet(A, state), EditSelf), Ok(()));
            assert_eq!(authorize(&officer, &sheet(A, state), Submit), Ok(()));
            assert_eq!(authorize(&officer, &sheet(B, state), EditSelf), Err(Refusal::Forbidden));
            assert_eq!(authorize(&officer, &sheet(B, state), Read), Err(Refusal::Forbidden));
        }
        for state in [Submitted, Approved] {
            assert_eq!(authorize(&officer, &sheet(A, state), EditSelf), Err(Refusal::WrongState(state)));
            assert_eq!(authorize(&officer, &sheet(A, state), Read), Ok(()));
        }
        for action in [EditVerification, Return, Approve] {
            assert_eq!(authorize(&officer, &sheet(A, Submitted), action), Err(Refusal::Forbidden));
        }
    }

    #[test]
    fn leader_officer_verifies_the_other_sheets_of_its_bloc_only_when_submitted() {
        let leader = who(Role::LeaderOfficer, Some(LEADER));
        for action in [EditVerification, Return, Approve] {
            assert_eq!(authorize(&leader, &sheet(A, Submitted), action), Ok(()));
            assert_eq!(authorize(&leader, &sheet(A, Draft), action), Err(Refusal::WrongState(Draft)));
            assert_eq!(authorize(&leader, &sheet(A, Approved), action), Err(Refusal::WrongState(Approved)));
            // Its own unit's sheet is verified by staff, not by itself.
            assert_eq!(authorize(&leader, &sheet(LEADER, Submitted), action), Err(Refusal::Forbidden));
        }
        assert_eq!(authorize(&leader, &sheet(A, Draft), Read), Ok(()));
        assert_eq!(authorize(&leader, &sheet(A, Draft), EditSelf), Err(Refusal::Forbidden));
        assert_eq!(authorize(&leader, &sheet(LEADER, Draft), EditSelf), Ok(()));
        // Another bloc (led by someone else) is out of reach.
        let elsewhere = SheetFacts { leader_unit_id: Some(B), ..sheet(A, Submitted) };
        assert_eq!(authorize(&leader, &elsewhere, Read), Err(Refusal::Forbidden));
        assert_eq!(authorize(&leader, &elsewhere, Approve), Err(Refusal::Forbidden));
    }

    #[test]
    fn a_unit_officer_of_the_leader_unit_does_not_verify() {
        let officer = who(Role::UnitOfficer, Some(LEADER));
        assert_eq!(authorize(&officer, &sheet(A, Submitted), Approve), Err(Refusal::Forbidden));
        assert_eq!(authorize(&officer, &sheet(A, Submitted), Read), Err(Refusal::Forbidden));
    }

    #[test]
    fn staff_may_do_everything_the_state_allows() {
        let staff = who(Role::Staff, None);
        for state in SheetState::ALL {
            for action in SheetAction::ALL {
                let allowed_in_state = match action {
                    Read => true,
                    EditSelf | Submit => state.open_to_unit(),
                    EditVerification | Return | Approve => state == Submitted,
                };
                let expected = if allowed_in_state { Ok(()) } else { Err(Refusal::WrongState(state)) };
                assert_eq!(authorize(&staff, &sheet(A, state), action), expected, "{state:?} {action:?}");
            }
        }
    }

    #[test]
    fn a_sheet_with_an_unverified_criterion_offers_no_approval() {
        let leader = who(Role::LeaderOfficer, Some(LEADER));
        let incomplete = SheetFacts { all_verified: false, ..sheet(A, Submitted) };
        let p = permissions(&leader, &incomplete);
        assert!(!p.approve, "approving would be refused");
        assert!(p.return_sheet && p.edit_verification);
        assert!(permissions(&leader, &sheet(A, Submitted)).approve);
    }

    #[test]
    fn a_closed_year_is_read_only_to_all_but_staff() {
        let closed = |unit, state| SheetFacts { year_open: false, ..sheet(unit, state) };
        let officer = who(Role::UnitOfficer, Some(A));
        assert_eq!(authorize(&officer, &closed(A, Draft), EditSelf), Err(Refusal::YearClosed));
        assert_eq!(authorize(&officer, &closed(A, Draft), Read), Ok(()));
        // Who and which state come first: a stranger is still forbidden.
        assert_eq!(authorize(&officer, &closed(B, Draft), EditSelf), Err(Refusal::Forbidden));
        assert_eq!(permissions(&officer, &closed(A, Draft)), SheetPermissions::default());
        let leader = who(Role::LeaderOfficer, Some(LEADER));
        assert_eq!(authorize(&leader, &closed(A, Submitted), Approve), Err(Refusal::YearClosed));
        assert_eq!(authorize(&who(Role::Staff, None), &closed(A, Submitted), Approve), Ok(()));
    }

    #[test]
    fn transitions() {
        assert_eq!(next_state(Draft, Submit), Submitted);
        assert_eq!(next_state(Submitted, Return), Returned);
        assert_eq!(next_state(Returned, Submit), Submitted);
        assert_eq!(next_state(Submitted, Approve), Approved);
        assert_eq!(next_state(Draft, EditSelf), Draft);
        for state in SheetState::ALL {
            assert_eq!(SheetState::parse(state.as_str()), Some(state));
        }
    }

    #[test]
    fn permissions_mirror_authorize() {
        let leader = who(Role::LeaderOfficer, Some(LEADER));
        let p = permissions(&leader, &sheet(A, Submitted));
        assert_eq!(
            p,
            SheetPermissions {
                edit_self: false,
                submit: false,
                edit_verification: true,
                return_sheet: true,
                approve: true
            }
        );
        let officer = who(Role::UnitOfficer, Some(A));
        assert_eq!(
            permissions(&officer, &sheet(A, Returned)),
            SheetPermissions { edit_self: true, submit: true, ..Default::default() }
        );
    }
}
