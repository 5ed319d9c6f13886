//! The conference's vote as a session (issue 21): the printed ballot drawn from the ranking
//! and the award rules, the one-time voting cards delegates draw at the door, a phone ballot's
//! checks, the two clerks' paper entries, and what closing the vote requires. The counting
//! itself is `ballots`; this module is the session around it and the API's shapes.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::award_types::{AwardType, AwardTypeId};
use crate::ballots::{compare, count, reconciles, Ballot, BallotSection, Count, Disagreement, ValidityRules};
use crate::error::{push, FieldError, FieldErrors};
use crate::points::Points;
use crate::tally::{eligibility_fails, Standing, Tally, TallyEntry, VOTERS_MAX};
use crate::{BlocId, UnitId, Year};

/// The ballot as printed: for each award type, highest first, the ranked members that meet its
/// conditions (an approved sheet always; its rank and total conditions), best ranked first, and
/// its quota. `standings` are the ranked members (approved sheets), best first.
pub fn ballot_sections(award_types: &[AwardType], standings: &[Standing]) -> Vec<BallotSection> {
    let mut types: Vec<&AwardType> = award_types.iter().collect();
    types.sort_by_key(|t| (t.precedence, t.id));
    types
        .into_iter()
        .map(|t| BallotSection {
            award_type_id: t.id,
            quota: t.quota_per_bloc,
            units: standings
                .iter()
                .filter(|s| s.approved && !t.eligibility.iter().any(|c| eligibility_fails(c, s)))
                .map(|s| s.unit_id)
                .collect(),
        })
        .collect()
}

/// The label printed on the ballot, so a count can tell which ballot it was: the bloc, the
/// year and a checksum of the sections (FNV-1a), e.g. `2018-K1-3F9A20C1`. Any change to the
/// award types, quotas or units on it changes the label.
pub fn ballot_label(year: Year, bloc_id: BlocId, sections: &[BallotSection]) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    let mut feed = |n: i64| {
        for byte in n.to_le_bytes() {
            hash ^= u32::from(byte);
            hash = hash.wrapping_mul(0x0100_0193);
        }
    };
    for s in sections {
        feed(s.award_type_id);
        feed(i64::from(s.quota));
        feed(s.units.len() as i64);
        s.units.iter().for_each(|&u| feed(u));
    }
    format!("{year}-K{bloc_id}-{hash:08X}")
}

/// The symbols of a card code: Crockford's base 32 (no I, L, O, U: nothing to misread).
pub const CARD_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Symbols in a card code: 50 random bits, printed as two groups of five.
pub const CARD_CODE_LEN: usize = 10;
/// The most cards one session may print at a time.
pub const CARDS_MAX: u32 = 1000;

/// A card code as typed (any case, spaces or dashes, O for 0, I or L for 1) in its one stored
/// form, or `None` when it cannot be a code.
pub fn normalize_card_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    (code.len() == CARD_CODE_LEN && code.bytes().all(|b| CARD_ALPHABET.contains(&b))).then_some(code)
}

/// A code as printed: `ABCDE-FGHJK`.
pub fn format_card_code(code: &str) -> String {
    match code.split_at_checked(CARD_CODE_LEN / 2) {
        Some((a, b)) => format!("{a}-{b}"),
        None => code.to_owned(),
    }
}

/// What a delegate sends from the phone: the ticks per award type (an award type left out is
/// left unmarked). The phone cannot set a ballot aside; that is the committee's, on paper.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Cast {
    /// The card's code, as printed or typed.
    pub code: String,
    /// As a ballot's (`ballots::BallotPart`s).
    #[serde(default, with = "crate::ballots::parts")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<crate::ballots::BallotPart>))]
    pub ticks: BTreeMap<AwardTypeId, BTreeSet<UnitId>>,
}

impl Cast {
    pub fn ballot(&self) -> Ballot {
        Ballot { set_aside: None, ticks: self.ticks.clone() }
    }
}

/// A phone ballot's problems, by field: `ticks.{award_type_id}` `invalid` for an award type
/// or unit not on the ballot, `above_max` for more ticks than the quota. The phone refuses
/// what paper would make invalid, so a delegate cannot spoil a part by a slip of the thumb.
pub fn check_cast(ticks: &BTreeMap<AwardTypeId, BTreeSet<UnitId>>, sections: &[BallotSection]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for (award_type_id, units) in ticks {
        let field = format!("ticks.{award_type_id}");
        match sections.iter().find(|s| s.award_type_id == *award_type_id) {
            None => push(&mut errors, field, FieldError::Invalid),
            Some(s) if units.iter().any(|u| !s.units.contains(u)) => push(&mut errors, field, FieldError::Invalid),
            Some(s) if units.len() as u32 > s.quota => {
                push(&mut errors, field, FieldError::AboveMax { max: Points::whole(i64::from(s.quota)) })
            }
            Some(_) => {}
        }
    }
    errors
}

/// Longest reason for setting a ballot aside, and longest committee or basis text.
pub const REASON_MAX: u32 = 500;
pub const TEXT_MAX: u32 = 2000;

/// A clerk's entry of the paper stack, ballot by ballot, as read (the whole entry each time:
/// it is saved as it grows).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PaperEntry {
    pub ballots: Vec<Ballot>,
}

/// A paper entry's problems: `ballots.{i}.set_aside` `required` (an empty reason) or
/// `too_long`; `ballots.{i}.ticks.{award_type_id}` `invalid` for an award type or unit not
/// printed on the ballot (over the quota is allowed: the rules judge it); `ballots` `too_many`.
pub fn check_paper(entry: &PaperEntry, sections: &[BallotSection]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if entry.ballots.len() as u32 > VOTERS_MAX {
        push(&mut errors, "ballots", FieldError::TooMany { max: VOTERS_MAX });
        return errors;
    }
    for (i, ballot) in entry.ballots.iter().enumerate() {
        match &ballot.set_aside {
            Some(r) if r.trim().is_empty() => push(&mut errors, format!("ballots.{i}.set_aside"), FieldError::Required),
            Some(r) if r.chars().count() as u32 > REASON_MAX => {
                push(&mut errors, format!("ballots.{i}.set_aside"), FieldError::TooLong { max: REASON_MAX })
            }
            _ => {}
        }
        for (award_type_id, units) in &ballot.ticks {
            let printed = sections.iter().find(|s| s.award_type_id == *award_type_id);
            if printed.is_none_or(|s| units.iter().any(|u| !s.units.contains(u))) {
                push(&mut errors, format!("ballots.{i}.ticks.{award_type_id}"), FieldError::Invalid);
            }
        }
    }
    errors
}

/// Opening the vote: how many cards to print now (0 for a paper-only vote; more can be
/// printed later), the counting committee's members as they are to be named in the minutes,
/// and the validity rules (the common ones when left out).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpenVote {
    #[cfg_attr(feature = "openapi", schema(maximum = 1000))]
    pub cards: u32,
    #[serde(default)]
    pub committee: String,
    #[serde(default)]
    pub rules: Option<ValidityRules>,
}

pub fn check_open(open: &OpenVote, sections: &[BallotSection]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if open.cards > CARDS_MAX {
        push(&mut errors, "cards", FieldError::AboveMax { max: Points::whole(i64::from(CARDS_MAX)) });
    }
    if open.committee.chars().count() as u32 > TEXT_MAX {
        push(&mut errors, "committee", FieldError::TooLong { max: TEXT_MAX });
    }
    if let Some(rules) = &open.rules {
        if rules.legal_basis.trim().is_empty() {
            push(&mut errors, "rules.legal_basis", FieldError::Required);
        } else if rules.legal_basis.chars().count() as u32 > TEXT_MAX {
            push(&mut errors, "rules.legal_basis", FieldError::TooLong { max: TEXT_MAX });
        }
    }
    if sections.iter().all(|s| s.units.is_empty()) {
        // Nothing to vote on: no member has an approved sheet that meets an award's rules.
        push(&mut errors, "ballot", FieldError::Required);
    }
    errors
}

/// More cards for an open vote.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MoreCards {
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1000))]
    pub cards: u32,
}

/// A card to void in front of the room, by the code on it (cards carry no number).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CardCode {
    pub code: String,
}

/// Closing the vote: the voters present, counted in the room; where a threshold counts on the
/// body's total membership, that membership and the absent members' written opinions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CloseVote {
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100000))]
    pub voters_present: u32,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100000))]
    pub membership: Option<u32>,
    #[serde(default)]
    pub written: Vec<TallyEntry>,
}

/// Why the vote cannot be closed yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CloseRefusal {
    /// The two clerks' entries differ (409 `clerks_disagree`).
    ClerksDisagree(Vec<Disagreement>),
    /// More ballots than voters present (409 `not_reconciled`).
    NotReconciled {
        phone: u32,
        paper: u32,
        voters_present: u32,
    },
    Invalid(FieldErrors),
}

/// The tally the vote gives, or why it cannot be closed: the clerks' entries must agree (an
/// empty second entry agrees with an empty first only: one clerk alone cannot make a count of
/// paper ballots), and the ballots must reconcile with the voters present.
pub fn close(
    phone: &[Ballot],
    clerks: [&[Ballot]; 2],
    closing: &CloseVote,
    sections: &[BallotSection],
    rules: &ValidityRules,
) -> Result<(Count, Tally), CloseRefusal> {
    let voters_present = closing.voters_present;
    if voters_present == 0 {
        let mut errors = FieldErrors::new();
        push(&mut errors, "voters_present", FieldError::NotPositive);
        return Err(CloseRefusal::Invalid(errors));
    }
    if voters_present > VOTERS_MAX {
        let mut errors = FieldErrors::new();
        push(&mut errors, "voters_present", FieldError::AboveMax { max: Points::whole(i64::from(VOTERS_MAX)) });
        return Err(CloseRefusal::Invalid(errors));
    }
    let disagreements = compare(clerks[0], clerks[1]);
    if !disagreements.is_empty() {
        return Err(CloseRefusal::ClerksDisagree(disagreements));
    }
    let (phone_n, paper_n) = (phone.len() as u32, clerks[0].len() as u32);
    if !reconciles(phone_n, paper_n, voters_present) {
        return Err(CloseRefusal::NotReconciled { phone: phone_n, paper: paper_n, voters_present });
    }
    let all: Vec<Ballot> = phone.iter().chain(clerks[0]).cloned().collect();
    let counted = count(&all, sections, rules);
    let mut tally = counted.tally(voters_present);
    tally.membership = closing.membership;
    tally.written = closing.written.clone();
    Ok((counted, tally))
}

/// Whether the vote is taking ballots or has made its tally.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VoteState {
    Open,
    Closed,
}

impl VoteState {
    pub fn as_str(self) -> &'static str {
        match self {
            VoteState::Open => "open",
            VoteState::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<VoteState> {
        match s {
            "open" => Some(VoteState::Open),
            "closed" => Some(VoteState::Closed),
            _ => None,
        }
    }
}

/// The cards of a session, as counts only: which card was used is never shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardCounts {
    pub issued: u32,
    /// Cards that cast a ballot: as many phone ballots are stored.
    pub cast: u32,
    pub voided: u32,
}

/// One clerk's entry and what it counts so far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClerkEntry {
    /// 1 or 2.
    pub clerk: u8,
    pub ballots: Vec<Ballot>,
    pub count: Count,
}

/// A bloc's vote for a year as staff and the counting committee see it. While the vote is
/// open there are counts only; `result` comes with closing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoteSession {
    pub year: Year,
    pub bloc_id: BlocId,
    pub state: VoteState,
    /// The ballot as printed when the vote opened, and its label.
    pub ballot_label: String,
    pub sections: Vec<BallotSection>,
    pub rules: ValidityRules,
    pub committee: String,
    pub cards: CardCounts,
    /// The paper ballots as each clerk entered them, with their running counts.
    pub clerks: Vec<ClerkEntry>,
    /// Where the two entries differ: the count waits until there is none.
    pub disagreements: Vec<Disagreement>,
    pub result: Option<VoteResult>,
}

/// What closing made: the voters present, the count of phone and paper ballots together, how
/// many came each way, and the receipts handed out, in sorted order, so each delegate can find
/// theirs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoteResult {
    pub voters_present: u32,
    pub phone_ballots: u32,
    pub paper_ballots: u32,
    pub count: Count,
    pub receipts: Vec<String>,
}

/// Running counts of one clerk's entry.
pub fn clerk_entry(clerk: u8, ballots: Vec<Ballot>, sections: &[BallotSection], rules: &ValidityRules) -> ClerkEntry {
    let count = count(&ballots, sections, rules);
    ClerkEntry { clerk, ballots, count }
}

/// The ballot printed for a bloc and year (before a vote opens, from the ranking now; after,
/// as it was when the vote opened).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrintedBallot {
    pub year: Year,
    pub bloc_id: BlocId,
    pub bloc_name: String,
    pub label: String,
    pub sections: Vec<BallotSection>,
}

/// A delegate's view of the ballot a card opens: the ballot to tick while the vote is open,
/// the receipt once the card has voted, and nothing else about the session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardBallot {
    pub ballot: PrintedBallot,
    /// The award types on the ballot, with their names, in the ballot's order.
    pub awards: Vec<Named>,
    /// The units on the ballot, with their names.
    pub units: Vec<Named>,
    pub state: VoteState,
    /// Set once this card has voted.
    pub receipt: Option<String>,
}

/// An award type or a unit by its id, with its name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Named {
    pub id: i64,
    pub name: String,
}

/// The answer to a cast: the receipt code the delegate keeps (the same for a repeated cast of
/// the same card).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Receipt {
    pub receipt: String,
    /// False when this card had already voted: the ballot sent now was not stored.
    pub stored: bool,
}

/// Cards just printed: their codes are shown this once and never stored in the clear.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedCards {
    pub codes: Vec<String>,
    pub session: VoteSession,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::award_types::{Eligibility, VoteThreshold, VoteTieRule};

    fn award(id: AwardTypeId, precedence: u32, quota: u32, eligibility: Vec<Eligibility>) -> AwardType {
        AwardType {
            id,
            code: format!("a{id}"),
            name: format!("Award {id}"),
            precedence,
            quota_per_bloc: quota,
            threshold: VoteThreshold::MORE_THAN_HALF,
            eligibility,
            exclusive: true,
            vote_tie: VoteTieRule::BlocRank,
            legal_basis: String::new(),
        }
    }

    fn standing(unit_id: UnitId, rank: u32, total: i64) -> Standing {
        Standing { unit_id, rank, total: Points::whole(total), approved: true }
    }

    #[test]
    fn the_ballot_lists_who_meets_each_award_s_rules_highest_award_first() {
        let types = vec![
            award(2, 2, 2, vec![Eligibility::ApprovedSheet, Eligibility::MinTotal { points: Points::whole(90) }]),
            award(1, 1, 1, vec![Eligibility::MaxRank { rank: 1 }]),
        ];
        let standings = vec![standing(7, 1, 98), standing(3, 2, 95), standing(5, 3, 80)];
        let sections = ballot_sections(&types, &standings);
        assert_eq!(
            sections,
            vec![
                BallotSection { award_type_id: 1, quota: 1, units: vec![7] },
                BallotSection { award_type_id: 2, quota: 2, units: vec![7, 3] },
            ]
        );
        let label = ballot_label(2018, 1, &sections);
        assert!(label.starts_with("2018-K1-"), "{label}");
        assert_eq!(label, ballot_label(2018, 1, &sections), "the same ballot, the same label");
        let mut other = sections.clone();
        other[1].units.push(5);
        assert_ne!(label, ballot_label(2018, 1, &other), "a unit more, another label");
    }

    #[test]
    fn card_codes_as_typed() {
        assert_eq!(normalize_card_code("abcde-fghjk").as_deref(), Some("ABCDEFGHJK"));
        assert_eq!(normalize_card_code(" 0O1IL 23456").as_deref(), Some("0011123456"));
        assert_eq!(normalize_card_code("ABCDE-FGHJ"), None, "too short");
        assert_eq!(normalize_card_code("ABCDE-FGHJU"), None, "U is not a symbol");
        assert_eq!(format_card_code("ABCDEFGHJK"), "ABCDE-FGHJK");
    }

    #[test]
    fn a_phone_ballot_cannot_spoil_a_part() {
        let sections = vec![BallotSection { award_type_id: 1, quota: 1, units: vec![7, 3] }];
        let ticks = |a: AwardTypeId, u: &[UnitId]| BTreeMap::from([(a, u.iter().copied().collect())]);
        assert!(check_cast(&ticks(1, &[7]), &sections).is_empty());
        assert!(check_cast(&BTreeMap::new(), &sections).is_empty(), "all unmarked is a valid ballot");
        assert_eq!(
            check_cast(&ticks(1, &[7, 3]), &sections)["ticks.1"],
            vec![FieldError::AboveMax { max: Points::whole(1) }]
        );
        assert_eq!(check_cast(&ticks(1, &[5]), &sections)["ticks.1"], vec![FieldError::Invalid]);
        assert_eq!(check_cast(&ticks(9, &[7]), &sections)["ticks.9"], vec![FieldError::Invalid]);
    }

    fn present(voters_present: u32) -> CloseVote {
        CloseVote { voters_present, ..CloseVote::default() }
    }

    #[test]
    fn closing_needs_agreeing_clerks_and_reconciled_counts() {
        let sections = vec![BallotSection { award_type_id: 1, quota: 1, units: vec![7, 3] }];
        let rules = ValidityRules::default();
        let vote = |u: UnitId| Ballot { set_aside: None, ticks: BTreeMap::from([(1, BTreeSet::from([u]))]) };
        let phone = vec![vote(7), vote(7), vote(3)];
        let paper = vec![vote(7), vote(3)];
        let mut misread = paper.clone();
        misread[1] = vote(7);

        match close(&phone, [&paper, &misread], &present(5), &sections, &rules) {
            Err(CloseRefusal::ClerksDisagree(d)) => assert_eq!(d, vec![Disagreement::Ballot { index: 1 }]),
            other => panic!("{other:?}"),
        }
        match close(&phone, [&paper, &paper], &present(4), &sections, &rules) {
            Err(CloseRefusal::NotReconciled { phone: 3, paper: 2, voters_present: 4 }) => {}
            other => panic!("{other:?}"),
        }
        match close(&phone, [&paper, &[]], &present(5), &sections, &rules) {
            Err(CloseRefusal::ClerksDisagree(d)) => assert_eq!(d, vec![Disagreement::Length { first: 2, second: 0 }]),
            other => panic!("one clerk alone: {other:?}"),
        }
        let (counted, tally) = close(&phone, [&paper, &paper], &present(5), &sections, &rules).unwrap();
        assert_eq!(counted.received, 5);
        assert_eq!(tally.voters_present, 5);
        let votes: Vec<(UnitId, u32)> = tally.votes.iter().map(|e| (e.unit_id, e.votes)).collect();
        assert_eq!(votes, vec![(7, 3), (3, 2)]);
        assert_eq!(
            tally.valid,
            vec![crate::thresholds::ValidBallots { award_type_id: 1, valid: 5 }],
            "the valid ballots recorded"
        );
    }
}
