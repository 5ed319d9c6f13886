//! A threshold's base as the law writes it (issue 21): what each award type's threshold is a
//! share of — the voters present, the valid ballots of its part, or the body's total
//! membership with absent members' written opinions (Decree 98/2023: the Council's flag votes,
//! at least 80 %, on its total membership) — and the checks on what a tally records for them.

use serde::{Deserialize, Serialize};

use crate::award_types::{AwardType, AwardTypeId, ThresholdBase};
use crate::error::{push, FieldError, FieldErrors};
use crate::points::Points;
use crate::tally::{Tally, TallyEntry, TallyMethod, VOTERS_MAX};
use crate::UnitId;

/// One award type's valid ballots (its valid parts): the base of a threshold on valid ballots.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ValidBallots {
    pub award_type_id: AwardTypeId,
    #[cfg_attr(feature = "openapi", schema(maximum = 100000))]
    pub valid: u32,
}

/// `votes` of `unit` for `award` counted on `base`, as (votes, base count): on the membership,
/// the absent members' written opinions for that unit and award count too. `None` when the
/// tally does not record the base (the valid ballots or the membership were not entered).
pub fn on_base(tally: &Tally, base: ThresholdBase, unit: UnitId, award: AwardTypeId, votes: u32) -> Option<(u32, u32)> {
    match base {
        ThresholdBase::VotersPresent => Some((votes, tally.voters_present)),
        ThresholdBase::ValidBallots => tally.valid.iter().find(|v| v.award_type_id == award).map(|v| (votes, v.valid)),
        ThresholdBase::Membership => {
            let written: u32 =
                tally.written.iter().filter(|w| w.unit_id == unit && w.award_type_id == award).map(|w| w.votes).sum();
            tally.membership.map(|m| (votes.saturating_add(written), m))
        }
    }
}

/// The units with votes for `rule`'s award type: in the room, or, on a membership base, in
/// absent members' written opinions only (with no votes in the room).
pub(crate) fn entries(tally: &Tally, rule: &AwardType) -> Vec<TallyEntry> {
    let mut entries: Vec<TallyEntry> =
        tally.votes.iter().filter(|e| e.award_type_id == rule.id && e.votes > 0).cloned().collect();
    if rule.threshold.base == ThresholdBase::Membership {
        for w in tally.written.iter().filter(|w| w.award_type_id == rule.id && w.votes > 0) {
            if !entries.iter().any(|e| e.unit_id == w.unit_id) {
                entries.push(TallyEntry { votes: 0, ..w.clone() });
            }
        }
    }
    entries
}

fn above(max: u32) -> FieldError {
    FieldError::AboveMax { max: Points::whole(i64::from(max)) }
}

/// What is wrong with the bases a tally records, by field path as in `tally::validate_tally`:
/// `tally.membership` `invalid` (fewer than the voters present), `above_max`, or `required`
/// (written opinions without it); `tally.valid.{i}` `invalid` (not an award type of the year,
/// or listed twice) and `tally.valid.{i}.valid` `above_max` (more than the voters present);
/// `tally.written.{i}` `invalid` (not a member or award type, or listed twice) and
/// `tally.written.{i}.votes` `above_max` (more than the members absent).
pub fn validate_bases(tally: &Tally, members: &[UnitId], award_types: &[AwardTypeId]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let present = tally.voters_present;
    match tally.membership {
        Some(m) if m > VOTERS_MAX => push(&mut errors, "tally.membership", above(VOTERS_MAX)),
        Some(m) if m < present => push(&mut errors, "tally.membership", FieldError::Invalid),
        None if !tally.written.is_empty() => push(&mut errors, "tally.membership", FieldError::Required),
        _ => {}
    }
    for (i, v) in tally.valid.iter().enumerate() {
        let twice = tally.valid[..i].iter().any(|w| w.award_type_id == v.award_type_id);
        if twice || !award_types.contains(&v.award_type_id) {
            push(&mut errors, format!("tally.valid.{i}"), FieldError::Invalid);
        }
        if v.valid > present {
            push(&mut errors, format!("tally.valid.{i}.valid"), above(present));
        }
    }
    let absent = tally.membership.unwrap_or(present).saturating_sub(present);
    for (i, w) in tally.written.iter().enumerate() {
        let twice = tally.written[..i].iter().any(|x| x.unit_id == w.unit_id && x.award_type_id == w.award_type_id);
        if twice || !members.contains(&w.unit_id) || !award_types.contains(&w.award_type_id) {
            push(&mut errors, format!("tally.written.{i}"), FieldError::Invalid);
        }
        if w.votes > absent {
            push(&mut errors, format!("tally.written.{i}.votes"), above(absent));
        }
    }
    errors
}

/// How a tally is made once staff save `new` over `stored`: a count made in the product stays
/// a count when only the membership and the written opinions are added; any change to the
/// voters present, the votes or the counted valid ballots makes it typed in.
pub fn method_after_edit(stored: Option<(&Tally, TallyMethod)>, new: &Tally) -> TallyMethod {
    let mut votes = new.votes.clone();
    votes.retain(|e| e.votes > 0);
    match stored {
        Some((old, TallyMethod::Counted)) => {
            let mut counted = old.votes.clone();
            counted.retain(|e| e.votes > 0);
            let key = |e: &crate::tally::TallyEntry| (e.award_type_id, e.unit_id, e.votes);
            votes.sort_by_key(key);
            counted.sort_by_key(key);
            // The valid ballots came from the count too: a threshold on them must not change
            // under a "counted" label.
            if old.voters_present == new.voters_present && votes == counted && old.valid == new.valid {
                TallyMethod::Counted
            } else {
                TallyMethod::Entered
            }
        }
        _ => TallyMethod::Entered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::award_types::VoteThreshold;

    const FLAG: AwardTypeId = 1;

    fn tally() -> Tally {
        Tally {
            voters_present: 20,
            votes: vec![TallyEntry { unit_id: 7, award_type_id: FLAG, votes: 16 }],
            membership: Some(25),
            valid: vec![ValidBallots { award_type_id: FLAG, valid: 18 }],
            written: vec![TallyEntry { unit_id: 7, award_type_id: FLAG, votes: 4 }],
        }
    }

    /// 80 %, at least (Decree 98/2023's flag rule) and strictly more than.
    fn eighty(strict: bool, base: ThresholdBase) -> VoteThreshold {
        VoteThreshold { numerator: 4, denominator: 5, strict, base }
    }

    fn passes(t: &Tally, threshold: VoteThreshold) -> Option<bool> {
        on_base(t, threshold.base, 7, FLAG, 16).map(|(votes, base)| threshold.passes(votes, base))
    }

    #[test]
    fn each_base_strict_and_not() {
        let t = tally();
        // 16 of 20 present: exactly 80 %.
        assert_eq!(passes(&t, eighty(false, ThresholdBase::VotersPresent)), Some(true));
        assert_eq!(passes(&t, eighty(true, ThresholdBase::VotersPresent)), Some(false));
        // 16 of 18 valid: 88.9 %.
        assert_eq!(passes(&t, eighty(true, ThresholdBase::ValidBallots)), Some(true));
        // 16 + 4 written of 25 members: exactly 80 %.
        assert_eq!(on_base(&t, ThresholdBase::Membership, 7, FLAG, 16), Some((20, 25)));
        assert_eq!(passes(&t, eighty(false, ThresholdBase::Membership)), Some(true));
        assert_eq!(passes(&t, eighty(true, ThresholdBase::Membership)), Some(false));
        // Without the written opinions, 16 of 25 falls short.
        let mut no_written = t.clone();
        no_written.written.clear();
        assert_eq!(passes(&no_written, eighty(false, ThresholdBase::Membership)), Some(false));
        // A base the tally does not record cannot be judged.
        let bare = Tally { voters_present: 20, votes: t.votes.clone(), ..Tally::default() };
        assert_eq!(on_base(&bare, ThresholdBase::ValidBallots, 7, FLAG, 16), None);
        assert_eq!(on_base(&bare, ThresholdBase::Membership, 7, FLAG, 16), None);
    }

    #[test]
    fn the_proposals_count_on_the_award_type_s_base() {
        use crate::award_types::{AwardType, VoteTieRule};
        use crate::tally::{derive_proposals, Broken, Standing};
        let flag = |base| AwardType {
            id: FLAG,
            code: "co".into(),
            name: "Cờ".into(),
            precedence: 1,
            quota_per_bloc: 1,
            threshold: eighty(false, base),
            eligibility: vec![],
            exclusive: true,
            vote_tie: VoteTieRule::BlocRank,
            legal_basis: "Nghị định 98/2023/NĐ-CP".into(),
        };
        let standings = [Standing { unit_id: 7, rank: 1, total: Points::whole(95), approved: true }];
        let proposed = |t: &Tally, base| derive_proposals(&[flag(base)], &standings, t, &[]).candidates.remove(0);
        let mut t = tally();
        assert!(proposed(&t, ThresholdBase::Membership).proposed, "16 + 4 written of 25: 80 %");
        t.written.clear();
        let c = proposed(&t, ThresholdBase::Membership);
        assert!(!c.proposed);
        assert!(matches!(c.broken[0].broken, Broken::Threshold { votes: 16, voters: 25, .. }), "{:?}", c.broken);
        t.membership = None;
        let c = proposed(&t, ThresholdBase::Membership);
        assert!(
            matches!(c.broken[0].broken, Broken::BaseMissing { base: ThresholdBase::Membership }),
            "{:?}",
            c.broken
        );
    }

    #[test]
    fn adding_a_base_keeps_a_count_a_count() {
        let counted = tally();
        let mut bases = counted.clone();
        bases.membership = Some(30);
        bases.written.clear();
        assert_eq!(method_after_edit(Some((&counted, TallyMethod::Counted)), &bases), TallyMethod::Counted);
        let mut changed = bases.clone();
        changed.votes[0].votes = 15;
        assert_eq!(method_after_edit(Some((&counted, TallyMethod::Counted)), &changed), TallyMethod::Entered);
        let mut valid = bases.clone();
        valid.valid[0].valid = 20;
        assert_eq!(method_after_edit(Some((&counted, TallyMethod::Counted)), &valid), TallyMethod::Entered);
        assert_eq!(method_after_edit(Some((&counted, TallyMethod::Entered)), &bases), TallyMethod::Entered);
        assert_eq!(method_after_edit(None, &bases), TallyMethod::Entered);
    }

    #[test]
    fn the_bases_a_tally_records_are_checked() {
        assert!(validate_bases(&tally(), &[7], &[FLAG]).is_empty());
        let mut t = tally();
        t.membership = Some(19);
        t.valid.push(ValidBallots { award_type_id: FLAG, valid: 21 });
        t.written[0].votes = 7;
        let e = validate_bases(&t, &[7], &[FLAG]);
        assert_eq!(e["tally.membership"], vec![FieldError::Invalid], "fewer members than voters present");
        assert_eq!(e["tally.valid.1"], vec![FieldError::Invalid], "listed twice");
        assert_eq!(e["tally.valid.1.valid"], vec![above(20)]);
        assert_eq!(e["tally.written.0.votes"], vec![above(0)], "no member is absent");
        let mut t = tally();
        t.membership = None;
        assert_eq!(validate_bases(&t, &[7], &[FLAG])["tally.membership"], vec![FieldError::Required]);
        let mut t = tally();
        t.written[0].unit_id = 9;
        assert_eq!(validate_bases(&t, &[7], &[FLAG])["tally.written.0"], vec![FieldError::Invalid]);
    }
}
