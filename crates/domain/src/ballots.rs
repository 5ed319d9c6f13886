//! The acclaim vote ballot by ballot (issue 21, the domain's part): which ballots and parts are
//! valid under the rules the bloc adopted (data, with their legal basis), the count a stack of
//! ballots gives, two clerks' entries of the same stack compared ballot by ballot, and the
//! reconciliation of ballots with the voters present. The count ends as a `Tally`, so the
//! proposals, vote ties and publication checks keep working from it unchanged.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::award_types::AwardTypeId;
use crate::tally::{Tally, TallyEntry};
use crate::thresholds::ValidBallots;
use crate::UnitId;

/// What a part with more ticks than the quota spoils.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverQuota {
    /// That award's part only (the common rule).
    Part,
    /// The whole ballot.
    Ballot,
}

/// What an unmarked part is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlankPart {
    /// Valid, and gives no vote (the common rule).
    ValidNoVote,
    /// Invalid.
    Invalid,
}

/// How the counting committee judges ballots: data of the bloc's year, with its legal basis.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidityRules {
    pub over_quota: OverQuota,
    pub blank: BlankPart,
    /// Shown with every ballot or part found invalid.
    pub legal_basis: String,
}

impl Default for ValidityRules {
    fn default() -> Self {
        ValidityRules {
            over_quota: OverQuota::Part,
            blank: BlankPart::ValidNoVote,
            // The rule as counting committees commonly apply it, not a citation: a bloc writes
            // its own basis (its conference's rules) over it.
            legal_basis: "Nguyên tắc kiểm phiếu thường dùng: phiếu chọn quá số lượng không hợp lệ đối với hình thức \
                          khen thưởng đó; phần để trống hợp lệ, không tính phiếu. Khối ghi căn cứ của mình."
                .to_owned(),
        }
    }
}

/// One award type's part of the printed ballot: the units that may stand, and how many may be
/// chosen ("chọn không quá N đơn vị").
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotSection {
    pub award_type_id: AwardTypeId,
    pub quota: u32,
    pub units: Vec<UnitId>,
}

/// One ballot as the counting committee reads it: the ticks per award type, or set aside as a
/// whole (torn, marked) with the committee's reason.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ballot {
    /// `Some(reason)`: invalid as a whole, whatever it holds.
    pub set_aside: Option<String>,
    /// The ticked units per award type; an award type left out is an unmarked part. On the
    /// wire a list of `BallotPart`s (JSON object keys are strings, award type ids are not).
    #[serde(default, with = "parts")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<BallotPart>))]
    pub ticks: BTreeMap<AwardTypeId, BTreeSet<UnitId>>,
}

/// One award type's ticks, as a ballot's `ticks` travel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BallotPart {
    pub award_type_id: AwardTypeId,
    pub units: BTreeSet<UnitId>,
}

/// `ticks` as a list of `BallotPart` (an award type listed twice: its units together).
pub mod parts {
    use std::collections::{BTreeMap, BTreeSet};

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::BallotPart;
    use crate::award_types::AwardTypeId;
    use crate::UnitId;

    pub fn serialize<S: Serializer>(ticks: &BTreeMap<AwardTypeId, BTreeSet<UnitId>>, s: S) -> Result<S::Ok, S::Error> {
        let list: Vec<BallotPart> =
            ticks.iter().map(|(&award_type_id, units)| BallotPart { award_type_id, units: units.clone() }).collect();
        list.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<AwardTypeId, BTreeSet<UnitId>>, D::Error> {
        let mut ticks: BTreeMap<AwardTypeId, BTreeSet<UnitId>> = BTreeMap::new();
        for part in Vec::<BallotPart>::deserialize(d)? {
            ticks.entry(part.award_type_id).or_default().extend(part.units);
        }
        Ok(ticks)
    }
}

/// Why a part (or a whole ballot) counts for nothing.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Invalid {
    SetAside {
        reason: String,
    },
    OverQuota {
        ticked: u32,
        quota: u32,
    },
    /// A tick beside a unit that is not on this part of the ballot.
    NotOnBallot {
        unit_id: UnitId,
    },
    Blank,
}

/// A part as judged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Counts: a vote for each unit (none for an unmarked part under `BlankPart::ValidNoVote`).
    Valid(BTreeSet<UnitId>),
    Invalid(Invalid),
}

/// Each part of `ballot`, in the ballot's order.
pub fn judge(ballot: &Ballot, sections: &[BallotSection], rules: &ValidityRules) -> Vec<(AwardTypeId, Verdict)> {
    if let Some(reason) = &ballot.set_aside {
        let invalid = Invalid::SetAside { reason: reason.clone() };
        return sections.iter().map(|s| (s.award_type_id, Verdict::Invalid(invalid.clone()))).collect();
    }
    let over_quota = sections.iter().find_map(|s| {
        let ticked = ballot.ticks.get(&s.award_type_id).map_or(0, BTreeSet::len) as u32;
        (ticked > s.quota).then_some(Invalid::OverQuota { ticked, quota: s.quota })
    });
    if let (OverQuota::Ballot, Some(invalid)) = (rules.over_quota, &over_quota) {
        return sections.iter().map(|s| (s.award_type_id, Verdict::Invalid(invalid.clone()))).collect();
    }
    sections
        .iter()
        .map(|section| {
            let ticked = ballot.ticks.get(&section.award_type_id).cloned().unwrap_or_default();
            let verdict = if let Some(&unit_id) = ticked.iter().find(|u| !section.units.contains(u)) {
                Verdict::Invalid(Invalid::NotOnBallot { unit_id })
            } else if ticked.len() as u32 > section.quota {
                Verdict::Invalid(Invalid::OverQuota { ticked: ticked.len() as u32, quota: section.quota })
            } else if ticked.is_empty() && rules.blank == BlankPart::Invalid {
                Verdict::Invalid(Invalid::Blank)
            } else {
                Verdict::Valid(ticked)
            };
            (section.award_type_id, verdict)
        })
        .collect()
}

/// One award type's count.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionCount {
    pub award_type_id: AwardTypeId,
    /// Valid parts (unmarked ones included when they are valid).
    pub valid: u32,
    pub invalid: u32,
    /// Valid parts with no tick.
    pub blank: u32,
    /// Votes per unit on the ballot, in the ballot's order (0 included).
    pub votes: Vec<UnitVotes>,
}

/// One unit's votes in one award type's count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitVotes {
    pub unit_id: UnitId,
    pub votes: u32,
}

/// What a stack of ballots gives.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// Ballots received (counted), set aside ones included.
    pub received: u32,
    pub set_aside: u32,
    pub sections: Vec<SectionCount>,
}

/// Counts `ballots` against the printed ballot's `sections`.
pub fn count(ballots: &[Ballot], sections: &[BallotSection], rules: &ValidityRules) -> Count {
    let mut out = Count {
        received: ballots.len() as u32,
        set_aside: ballots.iter().filter(|b| b.set_aside.is_some()).count() as u32,
        sections: sections
            .iter()
            .map(|s| SectionCount {
                award_type_id: s.award_type_id,
                votes: s.units.iter().map(|&unit_id| UnitVotes { unit_id, votes: 0 }).collect(),
                ..SectionCount::default()
            })
            .collect(),
    };
    for ballot in ballots {
        for (part, (_, verdict)) in out.sections.iter_mut().zip(judge(ballot, sections, rules)) {
            match verdict {
                Verdict::Invalid(_) => part.invalid += 1,
                Verdict::Valid(units) => {
                    part.valid += 1;
                    if units.is_empty() {
                        part.blank += 1;
                    }
                    for v in part.votes.iter_mut() {
                        if units.contains(&v.unit_id) {
                            v.votes += 1;
                        }
                    }
                }
            }
        }
    }
    out
}

impl Count {
    /// The tally this count makes, with the voters present and each award type's valid
    /// ballots (the base of a threshold on them).
    pub fn tally(&self, voters_present: u32) -> Tally {
        let votes = self
            .sections
            .iter()
            .flat_map(|s| {
                s.votes.iter().map(|v| TallyEntry {
                    unit_id: v.unit_id,
                    award_type_id: s.award_type_id,
                    votes: v.votes,
                })
            })
            .collect();
        let valid =
            self.sections.iter().map(|s| ValidBallots { award_type_id: s.award_type_id, valid: s.valid }).collect();
        Tally { voters_present, votes, valid, ..Tally::default() }
    }
}

/// Where two clerks' entries of the same stack differ: the ballot's place in the stack (from
/// 0), or the stacks' lengths.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Disagreement {
    Ballot { index: u32 },
    Length { first: u32, second: u32 },
}

/// Every place where the two entries differ; empty when they agree, and only then does the
/// count become the tally.
pub fn compare(first: &[Ballot], second: &[Ballot]) -> Vec<Disagreement> {
    let mut out: Vec<Disagreement> = first
        .iter()
        .zip(second)
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, _)| Disagreement::Ballot { index: i as u32 })
        .collect();
    if first.len() != second.len() {
        out.push(Disagreement::Length { first: first.len() as u32, second: second.len() as u32 });
    }
    out
}

/// The counts agree with the room: ballots cast on phones and paper ballots received are no
/// more than the voters present.
pub fn reconciles(phone_ballots: u32, paper_ballots: u32, voters_present: u32) -> bool {
    u64::from(phone_ballots) + u64::from(paper_ballots) <= u64::from(voters_present)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAG: AwardTypeId = 1;

    fn pairs(votes: &[UnitVotes]) -> Vec<(UnitId, u32)> {
        votes.iter().map(|v| (v.unit_id, v.votes)).collect()
    }
    const MERIT: AwardTypeId = 2;

    /// The 2018 bloc's ballot: the Government flag (one unit may be chosen) among the leader
    /// and the two top units; the certificate of merit (two) among five.
    fn paper() -> Vec<BallotSection> {
        vec![
            BallotSection { award_type_id: FLAG, quota: 1, units: vec![2, 1, 4] },
            BallotSection { award_type_id: MERIT, quota: 2, units: vec![3, 6, 5, 7, 1] },
        ]
    }

    fn ballot(flag: &[UnitId], merit: &[UnitId]) -> Ballot {
        let mut ticks = BTreeMap::new();
        if !flag.is_empty() {
            ticks.insert(FLAG, flag.iter().copied().collect());
        }
        if !merit.is_empty() {
            ticks.insert(MERIT, merit.iter().copied().collect());
        }
        Ballot { set_aside: None, ticks }
    }

    /// A stack of 30 written out by hand, with its expected count worked out by hand below.
    fn stack() -> Vec<Ballot> {
        let mut s = Vec::new();
        // 14 ballots: flag for 2; merit for 3 and 6.
        s.extend((0..14).map(|_| ballot(&[2], &[3, 6])));
        // 5: flag for 1; merit for 3 and 5.
        s.extend((0..5).map(|_| ballot(&[1], &[3, 5])));
        // 3: flag for 2; merit unmarked (valid, no vote).
        s.extend((0..3).map(|_| ballot(&[2], &[])));
        // 2: both parts unmarked.
        s.extend((0..2).map(|_| ballot(&[], &[])));
        // 2: flag over the quota (2 ticks for 1): that part invalid; merit for 6 counts.
        s.extend((0..2).map(|_| ballot(&[2, 4], &[6])));
        // 1: merit over the quota (3 for 2): that part invalid; flag for 4 counts.
        s.push(ballot(&[4], &[3, 6, 7]));
        // 1: a tick beside a unit not on the flag's part (unit 3): that part invalid.
        s.push(ballot(&[3], &[7]));
        // 2: torn or marked, set aside by the committee.
        s.extend((0..2).map(|_| Ballot { set_aside: Some("Phiếu rách".into()), ..ballot(&[2], &[3]) }));
        assert_eq!(s.len(), 30);
        s
    }

    #[test]
    fn a_hand_made_stack_of_thirty_counts_as_worked_out_by_hand() {
        let count = count(&stack(), &paper(), &ValidityRules::default());
        assert_eq!((count.received, count.set_aside), (30, 2));
        // Flag: invalid = 2 over quota + 1 not on the ballot + 2 set aside = 5; valid 25, of
        // which 2 unmarked. Votes: unit 2: 14 + 3 = 17; unit 1: 5; unit 4: 1.
        let flag = &count.sections[0];
        assert_eq!((flag.valid, flag.invalid, flag.blank), (25, 5, 2));
        assert_eq!(pairs(&flag.votes), vec![(2, 17), (1, 5), (4, 1)]);
        // Merit: invalid = 1 over quota + 2 set aside = 3; valid 27, of which 3 + 2 unmarked.
        // Votes: 3: 14 + 5 = 19; 6: 14 + 2 = 16; 5: 5; 7: 1; 1: 0.
        let merit = &count.sections[1];
        assert_eq!((merit.valid, merit.invalid, merit.blank), (27, 3, 5));
        assert_eq!(pairs(&merit.votes), vec![(3, 19), (6, 16), (5, 5), (7, 1), (1, 0)]);
        // The tally the existing rules derive proposals from.
        let tally = count.tally(31);
        assert_eq!(tally.voters_present, 31);
        let of = |a: AwardTypeId, u: UnitId| tally.votes.iter().find(|e| e.award_type_id == a && e.unit_id == u);
        assert_eq!(of(FLAG, 2).map(|e| e.votes), Some(17));
        assert_eq!(of(MERIT, 1).map(|e| e.votes), Some(0));
        assert_eq!(tally.votes.len(), 8);
    }

    #[test]
    fn each_rule_per_part_and_as_data() {
        let rules = ValidityRules::default();
        let verdicts = judge(&ballot(&[2, 4], &[6]), &paper(), &rules);
        assert_eq!(verdicts[0].1, Verdict::Invalid(Invalid::OverQuota { ticked: 2, quota: 1 }));
        assert_eq!(verdicts[1].1, Verdict::Valid([6].into()));
        // The bloc may adopt the stricter rules: over the quota spoils the whole ballot, and
        // an unmarked part is invalid.
        let strict = ValidityRules { over_quota: OverQuota::Ballot, blank: BlankPart::Invalid, ..rules.clone() };
        let verdicts = judge(&ballot(&[2, 4], &[6]), &paper(), &strict);
        assert!(verdicts.iter().all(|(_, v)| matches!(v, Verdict::Invalid(Invalid::OverQuota { .. }))));
        assert_eq!(judge(&ballot(&[2], &[]), &paper(), &strict)[1].1, Verdict::Invalid(Invalid::Blank));
        assert_eq!(judge(&ballot(&[2], &[]), &paper(), &rules)[1].1, Verdict::Valid(BTreeSet::new()));
        let set_aside = Ballot { set_aside: Some("Phiếu có ký hiệu riêng".into()), ..ballot(&[2], &[3]) };
        assert!(judge(&set_aside, &paper(), &rules)
            .iter()
            .all(|(_, v)| *v == Verdict::Invalid(Invalid::SetAside { reason: "Phiếu có ký hiệu riêng".into() })));
        assert!(!rules.legal_basis.trim().is_empty());
    }

    #[test]
    fn two_clerks_agree_ballot_by_ballot_or_say_where_not() {
        let first = stack();
        assert!(compare(&first, &first).is_empty());
        let mut second = first.clone();
        second[7] = ballot(&[1], &[3, 6]);
        second[20] = ballot(&[2], &[5]);
        assert_eq!(
            compare(&first, &second),
            vec![Disagreement::Ballot { index: 7 }, Disagreement::Ballot { index: 20 }]
        );
        second.pop();
        assert_eq!(compare(&first, &second).last(), Some(&Disagreement::Length { first: 30, second: 29 }));
    }

    #[test]
    fn the_ballots_reconcile_with_the_voters_present() {
        assert!(reconciles(6, 2, 8));
        assert!(reconciles(5, 2, 8), "a delegate who did not vote");
        assert!(!reconciles(7, 2, 8), "more ballots than voters");
        assert!(!reconciles(u32::MAX, 1, u32::MAX), "no overflow");
    }
}
