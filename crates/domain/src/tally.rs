//! The acclaim-vote tally (suy tôn) and the proposals it produces with a year's award types:
//! candidates, the rules each one breaks, staff's overrides, and who may do what. The
//! derivation is one deterministic function that lists every rule a candidate breaks.

use serde::{Deserialize, Serialize};

use crate::auth::{Principal, Role};
use crate::award_types::{AwardType, AwardTypeId, Eligibility, VoteThreshold};
use crate::error::{push, FieldError, FieldErrors};
use crate::points::Points;
use crate::UnitId;

/// Where a unit stands in its bloc's ranking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub unit_id: UnitId,
    pub rank: u32,
    pub total: Points,
    pub approved: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TallyEntry {
    pub unit_id: UnitId,
    pub award_type_id: AwardTypeId,
    pub votes: u32,
}

/// The acclaim vote, entered by staff from the paper ballots.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    pub voters_present: u32,
    pub votes: Vec<TallyEntry>,
}

/// Every problem with a tally, by field: `voters_present`, `votes.{i}.votes`, `votes.{i}`.
pub fn validate_tally(tally: &Tally, members: &[UnitId], award_types: &[AwardTypeId]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if tally.voters_present == 0 {
        push(&mut errors, "voters_present", FieldError::NotPositive);
    }
    for (i, entry) in tally.votes.iter().enumerate() {
        if entry.votes > tally.voters_present {
            let max = Points::whole(i64::from(tally.voters_present));
            push(&mut errors, format!("votes.{i}.votes"), FieldError::AboveMax { max });
        }
        if !members.contains(&entry.unit_id) || !award_types.contains(&entry.award_type_id) {
            push(&mut errors, format!("votes.{i}"), FieldError::Invalid);
        }
        let twice =
            tally.votes[..i].iter().any(|e| e.unit_id == entry.unit_id && e.award_type_id == entry.award_type_id);
        if twice {
            push(&mut errors, format!("votes.{i}"), FieldError::Duplicate);
        }
    }
    errors
}

/// A rule a candidate breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Broken {
    /// Not enough votes for the threshold.
    Threshold {
        votes: u32,
        voters: u32,
        threshold: VoteThreshold,
    },
    Eligibility {
        condition: Eligibility,
    },
    /// Already proposed for a higher exclusive award in this bloc.
    Precedence {
        higher: AwardTypeId,
    },
    /// Eligible, but others ranked before it filled the quota.
    Quota {
        quota: u32,
    },
    /// Level with another candidate at the quota boundary (same votes, same rank): the rules
    /// cannot choose, staff decide with a written reason.
    TieAtQuota {
        quota: u32,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrokenRule {
    pub broken: Broken,
    pub legal_basis: String,
}

/// Staff's decision against the rules, only with a written reason (shown publicly).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Override {
    pub unit_id: UnitId,
    pub award_type_id: AwardTypeId,
    pub propose: bool,
    pub reason: String,
}

/// A unit voted for an award type, and what the rules made of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Candidate {
    pub unit_id: UnitId,
    pub award_type_id: AwardTypeId,
    pub votes: u32,
    pub proposed: bool,
    /// Every rule broken, with its legal basis; empty when the rules propose it.
    pub broken: Vec<BrokenRule>,
    /// The reason staff gave for overriding the rules, if they did.
    pub override_reason: Option<String>,
}

fn eligibility_fails(condition: &Eligibility, standing: Option<&Standing>) -> bool {
    let Some(s) = standing else { return true };
    match condition {
        Eligibility::MaxRank { rank } => s.rank > *rank,
        Eligibility::ApprovedSheet => !s.approved,
        Eligibility::MinTotal { points } => s.total < *points,
    }
}

/// The proposals that a ranking, a tally and the rules produce, for one bloc. Candidates are
/// listed by award precedence, then votes (most first), then rank. Deterministic: the same
/// input always gives the same output.
pub fn derive_proposals(
    rules: &[AwardType],
    standings: &[Standing],
    tally: &Tally,
    overrides: &[Override],
) -> Vec<Candidate> {
    let mut rules: Vec<&AwardType> = rules.iter().collect();
    rules.sort_by_key(|r| (r.precedence, r.id));
    let standing = |unit: UnitId| standings.iter().find(|s| s.unit_id == unit);
    let rank_of = |unit: UnitId| standing(unit).map_or(u32::MAX, |s| s.rank);
    // (unit, exclusive award already proposed) as the rules go down in precedence.
    let mut holds: Vec<(UnitId, AwardTypeId)> = Vec::new();
    let mut out = Vec::new();

    for rule in rules {
        let broken_rule = |broken| BrokenRule { broken, legal_basis: rule.legal_basis.clone() };
        let mut candidates: Vec<Candidate> = tally
            .votes
            .iter()
            .filter(|e| e.award_type_id == rule.id && e.votes > 0)
            .map(|e| {
                let mut broken = Vec::new();
                if !rule.threshold.passes(e.votes, tally.voters_present) {
                    broken.push(broken_rule(Broken::Threshold {
                        votes: e.votes,
                        voters: tally.voters_present,
                        threshold: rule.threshold,
                    }));
                }
                for condition in &rule.eligibility {
                    if eligibility_fails(condition, standing(e.unit_id)) {
                        broken.push(broken_rule(Broken::Eligibility { condition: condition.clone() }));
                    }
                }
                if rule.exclusive {
                    if let Some((_, higher)) = holds.iter().find(|(u, _)| *u == e.unit_id) {
                        broken.push(broken_rule(Broken::Precedence { higher: *higher }));
                    }
                }
                Candidate {
                    unit_id: e.unit_id,
                    award_type_id: rule.id,
                    votes: e.votes,
                    proposed: false,
                    broken,
                    override_reason: None,
                }
            })
            .collect();
        candidates.sort_by_key(|c| (std::cmp::Reverse(c.votes), rank_of(c.unit_id)));

        // The quota goes to the eligible candidates in that order; a level pair across the
        // boundary is left to staff.
        let quota = rule.quota_per_bloc as usize;
        let eligible: Vec<usize> = (0..candidates.len()).filter(|&i| candidates[i].broken.is_empty()).collect();
        let keys: Vec<(u32, u32)> = candidates.iter().map(|c| (c.votes, rank_of(c.unit_id))).collect();
        let boundary_tie = quota > 0 && eligible.len() > quota && keys[eligible[quota - 1]] == keys[eligible[quota]];
        for (place, &i) in eligible.iter().enumerate() {
            let level_at_boundary = boundary_tie && keys[i] == keys[eligible[quota - 1]];
            if level_at_boundary {
                candidates[i].broken.push(broken_rule(Broken::TieAtQuota { quota: rule.quota_per_bloc }));
            } else if place >= quota {
                candidates[i].broken.push(broken_rule(Broken::Quota { quota: rule.quota_per_bloc }));
            } else {
                candidates[i].proposed = true;
            }
        }

        for c in &mut candidates {
            if let Some(o) = overrides.iter().find(|o| o.unit_id == c.unit_id && o.award_type_id == c.award_type_id) {
                c.proposed = o.propose;
                c.override_reason = Some(o.reason.clone());
            }
            if c.proposed && rule.exclusive && !holds.iter().any(|(u, _)| *u == c.unit_id) {
                holds.push((c.unit_id, c.award_type_id));
            }
        }
        out.extend(candidates);
    }
    out
}

/// What staff write to enter or correct the tally: the whole tally, and the results version
/// it was made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TallyUpdate {
    pub tally: Tally,
    pub version: i64,
}

/// Candidates the rules flag (a broken rule without a written override): publishing with any
/// of them asks staff to confirm.
pub fn flagged(candidates: &[Candidate]) -> impl Iterator<Item = &Candidate> {
    candidates.iter().filter(|c| c.override_reason.is_none() && c.broken.iter().any(|b| b.broken.needs_staff()))
}

impl Broken {
    /// Quota and ties mean more units passed the vote than may be proposed: a person must look.
    /// A failed threshold or condition is the rules working as meant.
    pub fn needs_staff(&self) -> bool {
        matches!(self, Broken::Quota { .. } | Broken::TieAtQuota { .. })
    }
}

/// What one person may do with one bloc's awards in one year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardPermissions {
    /// See the results before they are published.
    pub preview: bool,
    /// Enter the acclaim vote from the counting record.
    pub enter_tally: bool,
    /// Override a derived proposal, publish, unpublish, record decisions, edit the rules.
    pub decide: bool,
}

/// Staff do everything; the officer of the bloc's leader unit that year enters the tally (and
/// so sees what it derives) — DOMAIN.md's roles; everyone else reads published results only.
pub fn award_permissions(who: Option<&Principal>, bloc_leader: Option<UnitId>) -> AwardPermissions {
    match who {
        Some(p) if p.role == Role::Staff => AwardPermissions { preview: true, enter_tally: true, decide: true },
        Some(p) if p.role == Role::LeaderOfficer && p.unit_id.is_some() && p.unit_id == bloc_leader => {
            AwardPermissions { preview: true, enter_tally: true, decide: false }
        }
        _ => AwardPermissions::default(),
    }
}

/// An override needs its reason.
pub fn validate_override(o: &Override) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if o.reason.trim().is_empty() {
        push(&mut errors, "reason", FieldError::Required);
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    // The 2018 Culture–Society bloc of Bắc Ninh, in its demo ranking.
    const YTE: UnitId = 2;
    const GDDT: UnitId = 1;
    const LDTBXH: UnitId = 4;
    const VHTTDL: UnitId = 3;
    const BHXH: UnitId = 6;
    const DAI: UnitId = 5;
    const TTHCC: UnitId = 7;
    const GOV_FLAG: AwardTypeId = 1;
    const PROVINCE_FLAG: AwardTypeId = 2;
    const MERIT: AwardTypeId = 3;

    fn standings() -> Vec<Standing> {
        [
            (YTE, 1, 9750),
            (GDDT, 2, 9500),
            (LDTBXH, 3, 9350),
            (VHTTDL, 4, 9100),
            (BHXH, 5, 9100),
            (DAI, 6, 8900),
            (TTHCC, 7, 8650),
        ]
        .into_iter()
        .map(|(unit_id, rank, h)| Standing { unit_id, rank, total: Points::from_hundredths(h), approved: true })
        .collect()
    }

    fn rule(award_type_id: AwardTypeId, precedence: u32, quota: u32, eligibility: Vec<Eligibility>) -> AwardType {
        AwardType {
            id: award_type_id,
            code: format!("award_{award_type_id}"),
            name: format!("Award {award_type_id}"),
            precedence,
            quota_per_bloc: quota,
            threshold: VoteThreshold::MORE_THAN_HALF,
            eligibility,
            exclusive: true,
            legal_basis: format!("Quy chế khối, điều {award_type_id}"),
        }
    }

    /// The 2018 defaults: 1 Government flag, only for the leading unit; 2 provincial flags;
    /// 2 certificates of merit; more than half of the votes cast.
    fn rules_2018() -> Vec<AwardType> {
        vec![
            rule(GOV_FLAG, 1, 1, vec![Eligibility::MaxRank { rank: 1 }, Eligibility::ApprovedSheet]),
            rule(PROVINCE_FLAG, 2, 2, vec![Eligibility::ApprovedSheet]),
            rule(MERIT, 3, 2, vec![]),
        ]
    }

    fn vote(unit_id: UnitId, award_type_id: AwardTypeId, votes: u32) -> TallyEntry {
        TallyEntry { unit_id, award_type_id, votes }
    }

    fn proposed(candidates: &[Candidate], award: AwardTypeId) -> Vec<UnitId> {
        candidates.iter().filter(|c| c.award_type_id == award && c.proposed).map(|c| c.unit_id).collect()
    }

    fn broken_of(candidates: &[Candidate], unit: UnitId, award: AwardTypeId) -> Vec<Broken> {
        let c = candidates.iter().find(|c| c.unit_id == unit && c.award_type_id == award).unwrap();
        c.broken.iter().map(|b| b.broken.clone()).collect()
    }

    #[test]
    fn the_2018_outcome_from_a_tally() {
        let tally = Tally {
            voters_present: 14,
            votes: vec![
                vote(YTE, GOV_FLAG, 13),
                vote(YTE, PROVINCE_FLAG, 12),
                vote(GDDT, PROVINCE_FLAG, 11),
                vote(LDTBXH, PROVINCE_FLAG, 10),
                vote(VHTTDL, PROVINCE_FLAG, 5),
                vote(VHTTDL, MERIT, 12),
                vote(BHXH, MERIT, 11),
                vote(DAI, MERIT, 7),
            ],
        };
        let c = derive_proposals(&rules_2018(), &standings(), &tally, &[]);
        assert_eq!(proposed(&c, GOV_FLAG), [YTE]);
        assert_eq!(proposed(&c, PROVINCE_FLAG), [GDDT, LDTBXH]);
        assert_eq!(proposed(&c, MERIT), [VHTTDL, BHXH]);
        assert_eq!(broken_of(&c, YTE, PROVINCE_FLAG), [Broken::Precedence { higher: GOV_FLAG }]);
        assert!(matches!(broken_of(&c, VHTTDL, PROVINCE_FLAG)[..], [Broken::Threshold { votes: 5, voters: 14, .. }]));
        assert_eq!(
            broken_of(&c, DAI, MERIT),
            [Broken::Threshold { votes: 7, voters: 14, threshold: VoteThreshold::MORE_THAN_HALF }],
            "7 of 14 is exactly half, not more than half"
        );
        let basis = &c.iter().find(|c| c.unit_id == DAI && c.award_type_id == MERIT).unwrap().broken[0].legal_basis;
        assert_eq!(basis, "Quy chế khối, điều 3");
    }
    #[test]
    fn eligibility_rank_sheet_and_minimum_total() {
        let mut s = standings();
        s[1].approved = false; // GD&ĐT's sheet not approved
        let rules = vec![rule(
            GOV_FLAG,
            1,
            3,
            vec![
                Eligibility::MaxRank { rank: 2 },
                Eligibility::ApprovedSheet,
                Eligibility::MinTotal { points: Points::whole(96) },
            ],
        )];
        let tally = Tally {
            voters_present: 10,
            votes: vec![vote(YTE, GOV_FLAG, 9), vote(GDDT, GOV_FLAG, 9), vote(LDTBXH, GOV_FLAG, 9)],
        };
        let c = derive_proposals(&rules, &s, &tally, &[]);
        assert_eq!(proposed(&c, GOV_FLAG), [YTE]);
        assert_eq!(
            broken_of(&c, GDDT, GOV_FLAG),
            [
                Broken::Eligibility { condition: Eligibility::ApprovedSheet },
                Broken::Eligibility { condition: Eligibility::MinTotal { points: Points::whole(96) } }
            ]
        );
        assert_eq!(
            broken_of(&c, LDTBXH, GOV_FLAG),
            [
                Broken::Eligibility { condition: Eligibility::MaxRank { rank: 2 } },
                Broken::Eligibility { condition: Eligibility::MinTotal { points: Points::whole(96) } }
            ]
        );
    }

    #[test]
    fn a_tie_at_the_quota_boundary_is_left_to_staff_and_rank_breaks_vote_ties() {
        let mut s = standings();
        s[4].rank = 4; // BHXH level with VHTTDL (both 91 points, shared rank)
        let rules = vec![rule(MERIT, 1, 2, vec![])];
        let tally = Tally {
            voters_present: 10,
            votes: vec![vote(DAI, MERIT, 9), vote(VHTTDL, MERIT, 8), vote(BHXH, MERIT, 8), vote(TTHCC, MERIT, 9)],
        };
        let c = derive_proposals(&rules, &s, &tally, &[]);
        // 9 votes each: Đài (rank 6) before TT HCC (rank 7); then VHTTDL and BHXH are level.
        assert_eq!(proposed(&c, MERIT), [DAI, TTHCC]);
        assert_eq!(broken_of(&c, VHTTDL, MERIT), [Broken::Quota { quota: 2 }]);

        let tally = Tally {
            voters_present: 10,
            votes: vec![vote(DAI, MERIT, 9), vote(VHTTDL, MERIT, 8), vote(BHXH, MERIT, 8)],
        };
        let c = derive_proposals(&rules, &s, &tally, &[]);
        assert_eq!(proposed(&c, MERIT), [DAI]);
        assert_eq!(broken_of(&c, VHTTDL, MERIT), [Broken::TieAtQuota { quota: 2 }]);
        assert_eq!(broken_of(&c, BHXH, MERIT), [Broken::TieAtQuota { quota: 2 }]);

        // Staff decide the tie, in writing.
        let o = Override {
            unit_id: VHTTDL,
            award_type_id: MERIT,
            propose: true,
            reason: "Hội nghị khối biểu quyết lại".into(),
        };
        assert!(validate_override(&o).is_empty());
        let c = derive_proposals(&rules, &s, &tally, &[o]);
        assert_eq!(proposed(&c, MERIT), [DAI, VHTTDL]);
        let v = c.iter().find(|c| c.unit_id == VHTTDL).unwrap();
        assert_eq!(v.override_reason.as_deref(), Some("Hội nghị khối biểu quyết lại"));
        assert!(!v.broken.is_empty(), "the broken rule stays listed beside the override");
    }

    #[test]
    fn non_exclusive_awards_may_go_to_a_unit_already_proposed() {
        let mut rules = rules_2018();
        rules[2].exclusive = false;
        let tally = Tally { voters_present: 10, votes: vec![vote(YTE, GOV_FLAG, 9), vote(YTE, MERIT, 9)] };
        let c = derive_proposals(&rules, &standings(), &tally, &[]);
        assert_eq!(proposed(&c, MERIT), [YTE]);
    }

    #[test]
    fn staff_decide_the_leader_unit_enters_the_tally_others_read() {
        let who = |role, unit_id| Principal { user_id: 1, role, unit_id };
        let staff = award_permissions(Some(&who(Role::Staff, None)), Some(LDTBXH));
        assert!(staff.preview && staff.enter_tally && staff.decide);
        let leader = award_permissions(Some(&who(Role::LeaderOfficer, Some(LDTBXH))), Some(LDTBXH));
        assert_eq!(leader, AwardPermissions { preview: true, enter_tally: true, decide: false });
        // A leader officer of another year's (or bloc's) leader unit, a unit officer, the public.
        assert_eq!(
            award_permissions(Some(&who(Role::LeaderOfficer, Some(YTE))), Some(LDTBXH)),
            AwardPermissions::default()
        );
        assert_eq!(award_permissions(Some(&who(Role::LeaderOfficer, None)), None), AwardPermissions::default());
        assert_eq!(
            award_permissions(Some(&who(Role::UnitOfficer, Some(LDTBXH))), Some(LDTBXH)),
            AwardPermissions::default()
        );
        assert_eq!(award_permissions(None, Some(LDTBXH)), AwardPermissions::default());
    }

    #[test]
    fn tally_validation() {
        let members = [YTE, GDDT];
        let tally = Tally {
            voters_present: 10,
            votes: vec![vote(YTE, GOV_FLAG, 11), vote(99, GOV_FLAG, 1), vote(GDDT, 42, 1), vote(YTE, GOV_FLAG, 2)],
        };
        let e = validate_tally(&tally, &members, &[GOV_FLAG]);
        assert_eq!(e["votes.0.votes"], [FieldError::AboveMax { max: Points::whole(10) }]);
        assert_eq!(e["votes.1"], [FieldError::Invalid]);
        assert_eq!(e["votes.2"], [FieldError::Invalid]);
        assert_eq!(e["votes.3"], [FieldError::Duplicate]);
        let e = validate_tally(&Tally::default(), &members, &[GOV_FLAG]);
        assert_eq!(e["voters_present"], [FieldError::NotPositive]);
        let o = Override { unit_id: YTE, award_type_id: GOV_FLAG, propose: false, reason: "  ".into() };
        assert_eq!(validate_override(&o)["reason"], [FieldError::Required]);
    }
}
