//! The acclaim-vote tally (suy tôn) and the proposals it produces with a year's award types:
//! candidates, the rules each one breaks, staff's overrides, and who may do what. The
//! derivation is one deterministic function that lists every rule a candidate breaks.

use serde::{Deserialize, Serialize};

use crate::auth::{Principal, Role};
use crate::award_types::{AwardType, AwardTypeId, Eligibility, ThresholdBase, VoteThreshold, VoteTieRule};
use crate::error::{push, Duplicated, FieldError, FieldErrors};
use crate::points::Points;
use crate::thresholds::{self, on_base, validate_bases, ValidBallots};
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
#[serde(deny_unknown_fields)]
pub struct TallyEntry {
    pub unit_id: UnitId,
    pub award_type_id: AwardTypeId,
    /// At most the voters present.
    #[cfg_attr(feature = "openapi", schema(maximum = 100000))]
    pub votes: u32,
}

/// The acclaim vote, entered by staff from the paper ballots.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Tally {
    /// At least one: the votes are shares of the voters present.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100000))]
    pub voters_present: u32,
    pub votes: Vec<TallyEntry>,
    /// The body's total membership, for a threshold on it (`thresholds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100000))]
    pub membership: Option<u32>,
    /// The valid ballots per award type, for a threshold on them (a count in the product
    /// records them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub valid: Vec<ValidBallots>,
    /// Absent members' written opinions (votes per unit and award type), recorded in the
    /// minutes; they count on a membership base only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub written: Vec<TallyEntry>,
}

/// How the tally was made: typed in from a count made elsewhere, or counted in the product
/// ballot by ballot (`vote`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TallyMethod {
    Entered,
    Counted,
}

impl TallyMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            TallyMethod::Entered => "entered",
            TallyMethod::Counted => "counted",
        }
    }

    pub fn parse(s: &str) -> Option<TallyMethod> {
        match s {
            "entered" => Some(TallyMethod::Entered),
            "counted" => Some(TallyMethod::Counted),
            _ => None,
        }
    }
}

/// More voters than any conference seats; it keeps every number an answer gives about a
/// tally within what `Points` can carry.
pub const VOTERS_MAX: u32 = 100_000;

/// Every problem with a tally, by field path from the root of the `TallyUpdate` it comes in
/// (the one scheme of `error::FieldErrors`): `tally.voters_present`, `tally.votes.{i}.votes`,
/// `tally.votes.{i}`.
pub fn validate_tally(tally: &Tally, members: &[UnitId], award_types: &[AwardTypeId]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if tally.voters_present == 0 {
        push(&mut errors, "tally.voters_present", FieldError::NotPositive);
    } else if tally.voters_present > VOTERS_MAX {
        let max = Points::whole(i64::from(VOTERS_MAX));
        push(&mut errors, "tally.voters_present", FieldError::AboveMax { max });
    }
    let most = tally.voters_present.min(VOTERS_MAX);
    for (i, entry) in tally.votes.iter().enumerate() {
        if entry.votes > most {
            let max = Points::whole(i64::from(most));
            push(&mut errors, format!("tally.votes.{i}.votes"), FieldError::AboveMax { max });
        }
        if !members.contains(&entry.unit_id) || !award_types.contains(&entry.award_type_id) {
            push(&mut errors, format!("tally.votes.{i}"), FieldError::Invalid);
        }
        let twice =
            tally.votes[..i].iter().any(|e| e.unit_id == entry.unit_id && e.award_type_id == entry.award_type_id);
        if twice {
            push(&mut errors, format!("tally.votes.{i}"), FieldError::Duplicate { of: Duplicated::TallyEntry });
        }
    }
    for (field, problems) in validate_bases(tally, members, award_types) {
        errors.entry(field).or_default().extend(problems);
    }
    errors
}

/// A rule a candidate breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Broken {
    /// Not enough votes for the threshold: `votes` (written opinions included on a
    /// membership base) of `voters` (the base's count).
    Threshold {
        votes: u32,
        voters: u32,
        threshold: VoteThreshold,
    },
    /// The threshold counts on a base the tally does not record (the valid ballots or the
    /// membership): it cannot be judged.
    BaseMissing {
        base: ThresholdBase,
    },
    Eligibility {
        condition: Eligibility,
    },
    /// Already proposed for a higher exclusive award in this bloc.
    Precedence {
        higher: AwardTypeId,
    },
    /// Eligible, but others before it (more votes, or the award type's rule for a tie in
    /// votes) filled the quota.
    Quota {
        quota: u32,
    },
    /// Level in votes with others for the last places of the quota, and the award type's rule
    /// does not settle it (the conference decides, or the units share their rank too): staff
    /// record the outcome with a written reason.
    TieAtQuota {
        quota: u32,
    },
    /// Its sheet is not approved: it has no verified total, so it cannot be proposed
    /// (DOMAIN.md: eligibility needs an approved sheet), whatever the votes.
    SheetNotApproved,
}

/// Candidates level in votes for the last places of a quota: flagged as a tie, every unit
/// named, with the award type's rule and whether it is settled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoteTie {
    pub award_type_id: AwardTypeId,
    pub votes: u32,
    /// Every unit in the tie, by rank in the bloc.
    pub unit_ids: Vec<UnitId>,
    /// How many places of the quota were left for them.
    pub places: u32,
    pub rule: VoteTieRule,
    /// The award type's legal basis, under which the rule applies.
    pub legal_basis: String,
    /// The rule told them apart, or staff decided each unit it left open, in writing.
    pub settled: bool,
}

/// What the rules make of a tally: every candidate, and the ties in votes at a quota.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Proposals {
    pub candidates: Vec<Candidate>,
    pub vote_ties: Vec<VoteTie>,
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
#[serde(deny_unknown_fields)]
pub struct Override {
    pub unit_id: UnitId,
    pub award_type_id: AwardTypeId,
    pub propose: bool,
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
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

pub(crate) fn eligibility_fails(condition: &Eligibility, s: &Standing) -> bool {
    match condition {
        Eligibility::MaxRank { rank } => s.rank > *rank,
        Eligibility::ApprovedSheet => !s.approved,
        Eligibility::MinTotal { points } => s.total < *points,
    }
}

/// The proposals that a ranking, a tally and the rules produce, for one bloc. `standings` are
/// the ranked members (approved sheets); a candidate without one is not proposed. Candidates
/// are listed by award precedence, then votes (most first), then rank. Deterministic: the
/// same input always gives the same output.
pub fn derive_proposals(
    rules: &[AwardType],
    standings: &[Standing],
    tally: &Tally,
    overrides: &[Override],
) -> Proposals {
    let mut rules: Vec<&AwardType> = rules.iter().collect();
    rules.sort_by_key(|r| (r.precedence, r.id));
    let standing = |unit: UnitId| standings.iter().find(|s| s.unit_id == unit && s.approved);
    let rank_of = |unit: UnitId| standing(unit).map_or(u32::MAX, |s| s.rank);
    // (unit, exclusive award already proposed) as the rules go down in precedence.
    let mut holds: Vec<(UnitId, AwardTypeId)> = Vec::new();
    let mut out = Proposals::default();

    for rule in rules {
        let broken_rule = |broken| BrokenRule { broken, legal_basis: rule.legal_basis.clone() };
        let mut candidates: Vec<Candidate> = thresholds::entries(tally, rule)
            .iter()
            .map(|e| {
                let mut broken = Vec::new();
                match on_base(tally, rule.threshold.base, e.unit_id, e.award_type_id, e.votes) {
                    Some((votes, base)) if rule.threshold.passes(votes, base) => {}
                    Some((votes, voters)) => {
                        broken.push(broken_rule(Broken::Threshold { votes, voters, threshold: rule.threshold }))
                    }
                    None => broken.push(broken_rule(Broken::BaseMissing { base: rule.threshold.base })),
                }
                match standing(e.unit_id) {
                    // Rank and total cannot be judged without a verified sheet.
                    None => broken.push(broken_rule(Broken::SheetNotApproved)),
                    Some(s) => {
                        for condition in rule.eligibility.iter().filter(|c| eligibility_fails(c, s)) {
                            broken.push(broken_rule(Broken::Eligibility { condition: condition.clone() }));
                        }
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

        // The quota goes to the eligible candidates, most votes first. Candidates level in
        // votes across its boundary are a tie, settled by the award type's rule or left open.
        let quota = rule.quota_per_bloc as usize;
        let eligible: Vec<usize> = (0..candidates.len()).filter(|&i| candidates[i].broken.is_empty()).collect();
        let votes_at = |place: usize| candidates[eligible[place]].votes;
        let tie_votes =
            (quota > 0 && eligible.len() > quota && votes_at(quota - 1) == votes_at(quota)).then(|| votes_at(quota));
        let mut open: Vec<usize> = Vec::new();
        let mut tie = None;
        match tie_votes {
            None => {
                for (place, &i) in eligible.iter().enumerate() {
                    if place < quota {
                        candidates[i].proposed = true;
                    } else {
                        candidates[i].broken.push(broken_rule(Broken::Quota { quota: rule.quota_per_bloc }));
                    }
                }
            }
            Some(v) => {
                let group: Vec<usize> = eligible.iter().copied().filter(|&i| candidates[i].votes == v).collect();
                let places = quota - eligible.iter().filter(|&&i| candidates[i].votes > v).count();
                let rank_in = |k: usize| rank_of(candidates[group[k]].unit_id);
                // How the group's places are filled: by bloc rank outright, by bloc rank with
                // the units level on the boundary rank left open, or all left open.
                enum Fill {
                    ByRank,
                    OpenAtRank(u32),
                    AllOpen,
                }
                let fill = match rule.vote_tie {
                    VoteTieRule::BlocRank if rank_in(places - 1) != rank_in(places) => Fill::ByRank,
                    VoteTieRule::BlocRank => Fill::OpenAtRank(rank_in(places - 1)),
                    VoteTieRule::ConferenceDecides => Fill::AllOpen,
                };
                for &i in &eligible {
                    let (votes, rank) = (candidates[i].votes, rank_of(candidates[i].unit_id));
                    let place = group.iter().position(|&g| g == i).unwrap_or(usize::MAX);
                    let proposed = if votes != v {
                        votes > v
                    } else {
                        match fill {
                            Fill::ByRank => place < places,
                            Fill::OpenAtRank(r) if rank < r => true,
                            Fill::OpenAtRank(r) if rank == r => {
                                open.push(i);
                                false
                            }
                            Fill::OpenAtRank(_) => false,
                            Fill::AllOpen => {
                                open.push(i);
                                false
                            }
                        }
                    };
                    if proposed {
                        candidates[i].proposed = true;
                    } else if open.contains(&i) {
                        candidates[i].broken.push(broken_rule(Broken::TieAtQuota { quota: rule.quota_per_bloc }));
                    } else {
                        candidates[i].broken.push(broken_rule(Broken::Quota { quota: rule.quota_per_bloc }));
                    }
                }
                tie = Some(VoteTie {
                    award_type_id: rule.id,
                    votes: v,
                    unit_ids: group.iter().map(|&i| candidates[i].unit_id).collect(),
                    places: places as u32,
                    rule: rule.vote_tie,
                    legal_basis: rule.legal_basis.clone(),
                    settled: false,
                });
            }
        }
        let decided = |c: &Candidate| overrides.iter().any(|o| o.unit_id == c.unit_id && o.award_type_id == rule.id);
        if let Some(mut tie) = tie {
            tie.settled = open.iter().all(|&i| decided(&candidates[i]));
            out.vote_ties.push(tie);
        }

        for c in &mut candidates {
            if let Some(o) = overrides.iter().find(|o| o.unit_id == c.unit_id && o.award_type_id == c.award_type_id) {
                // Staff may not propose a unit whose sheet is not approved (`validate_override`
                // refuses it; an override from before stays without effect).
                let unverified = c.broken.iter().any(|b| b.broken == Broken::SheetNotApproved);
                c.proposed = o.propose && !unverified;
                c.override_reason = Some(o.reason.clone());
            }
            if c.proposed && rule.exclusive && !holds.iter().any(|(u, _)| *u == c.unit_id) {
                holds.push((c.unit_id, c.award_type_id));
            }
        }
        out.candidates.extend(candidates);
    }
    out
}

/// What staff write to enter or correct the tally: the whole tally, and the results version
/// it was made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
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

/// Why `who` may not enter the bloc's tally now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TallyRefusal {
    /// Neither staff nor the officer of the bloc's leader unit (403).
    Forbidden,
    /// The results are published: only staff correct them, as a new revision (409).
    Published,
    /// The year is closed for scoring: read-only to all but staff, as for sheets (409).
    YearClosed,
}

/// Staff enter or correct the tally at any time (a correction of published results is a
/// revision, `revisions::check_change`); the leader unit's officer only while the results are
/// unpublished and the year is open for scoring.
pub fn check_tally_entry(
    who: &Principal,
    bloc_leader: Option<UnitId>,
    published: bool,
    year_open: bool,
) -> Result<(), TallyRefusal> {
    if !award_permissions(Some(who), bloc_leader).enter_tally {
        Err(TallyRefusal::Forbidden)
    } else if who.role.administers() {
        Ok(())
    } else if published {
        Err(TallyRefusal::Published)
    } else if !year_open {
        Err(TallyRefusal::YearClosed)
    } else {
        Ok(())
    }
}

/// An override needs its reason, is only for a candidate (a unit with votes for that award
/// type in the tally), and cannot propose a unit whose sheet is not approved (`ranked`: the
/// members with an approved sheet).
pub fn validate_override(o: &Override, tally: Option<&Tally>, ranked: &[UnitId]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if o.reason.trim().is_empty() {
        push(&mut errors, "reason", FieldError::Required);
    }
    let candidate = tally.is_some_and(|t| {
        t.votes.iter().any(|e| e.unit_id == o.unit_id && e.award_type_id == o.award_type_id && e.votes > 0)
    });
    if !candidate {
        push(&mut errors, "unit_id", FieldError::Invalid);
    } else if o.propose && !ranked.contains(&o.unit_id) {
        push(&mut errors, "propose", FieldError::NotVerified);
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
            vote_tie: VoteTieRule::BlocRank,
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
            ..Tally::default()
        };
        let c = derive_proposals(&rules_2018(), &standings(), &tally, &[]).candidates;
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
        s.remove(1); // GD&ĐT's sheet not approved: not ranked
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
            ..Tally::default()
        };
        let c = derive_proposals(&rules, &s, &tally, &[]).candidates;
        assert_eq!(proposed(&c, GOV_FLAG), [YTE]);
        // Not ranked, so rank and total cannot be judged: the sheet is what it lacks.
        assert_eq!(broken_of(&c, GDDT, GOV_FLAG), [Broken::SheetNotApproved]);
        assert_eq!(
            broken_of(&c, LDTBXH, GOV_FLAG),
            [
                Broken::Eligibility { condition: Eligibility::MaxRank { rank: 2 } },
                Broken::Eligibility { condition: Eligibility::MinTotal { points: Points::whole(96) } }
            ]
        );
    }

    fn ties(rules: &[AwardType], s: &[Standing], tally: &Tally, o: &[Override]) -> (Vec<Candidate>, Vec<VoteTie>) {
        let p = derive_proposals(rules, s, tally, o);
        (p.candidates, p.vote_ties)
    }

    #[test]
    fn a_vote_tie_at_the_last_place_settled_by_bloc_rank_is_still_flagged() {
        let rules = vec![rule(MERIT, 1, 2, vec![])];
        // Đài 9; VHTTDL (rank 4) and BHXH (rank 5) 8 each for the one place left.
        let tally = Tally {
            voters_present: 10,
            votes: vec![vote(DAI, MERIT, 9), vote(BHXH, MERIT, 8), vote(VHTTDL, MERIT, 8), vote(TTHCC, MERIT, 6)],
            ..Tally::default()
        };
        let (c, t) = ties(&rules, &standings(), &tally, &[]);
        assert_eq!(proposed(&c, MERIT), [DAI, VHTTDL]);
        assert_eq!(broken_of(&c, BHXH, MERIT), [Broken::Quota { quota: 2 }]);
        assert_eq!(
            t,
            [VoteTie {
                award_type_id: MERIT,
                votes: 8,
                unit_ids: vec![VHTTDL, BHXH],
                places: 1,
                rule: VoteTieRule::BlocRank,
                legal_basis: "Quy chế khối, điều 3".into(),
                settled: true,
            }]
        );
        // Equal votes that all fit in the quota are no tie.
        let tally =
            Tally { voters_present: 10, votes: vec![vote(BHXH, MERIT, 8), vote(VHTTDL, MERIT, 8)], ..Tally::default() };
        let (c, t) = ties(&rules, &standings(), &tally, &[]);
        assert_eq!(proposed(&c, MERIT), [VHTTDL, BHXH]);
        assert!(t.is_empty());
    }

    #[test]
    fn a_vote_tie_the_conference_decides_is_left_open_until_staff_write_the_outcome() {
        let mut rules = vec![rule(MERIT, 1, 2, vec![])];
        rules[0].vote_tie = VoteTieRule::ConferenceDecides;
        let tally = Tally {
            voters_present: 10,
            votes: vec![vote(DAI, MERIT, 9), vote(VHTTDL, MERIT, 8), vote(BHXH, MERIT, 8), vote(TTHCC, MERIT, 8)],
            ..Tally::default()
        };
        let (c, t) = ties(&rules, &standings(), &tally, &[]);
        assert_eq!(proposed(&c, MERIT), [DAI], "nothing is decided for the conference");
        for unit in [VHTTDL, BHXH, TTHCC] {
            assert_eq!(broken_of(&c, unit, MERIT), [Broken::TieAtQuota { quota: 2 }]);
        }
        assert_eq!((t[0].unit_ids.clone(), t[0].places, t[0].settled), (vec![VHTTDL, BHXH, TTHCC], 1, false));

        // The conference voted again: staff write the outcome for every unit of the tie.
        let o = |unit_id, propose| Override {
            unit_id,
            award_type_id: MERIT,
            propose,
            reason: "Hội nghị khối biểu quyết lại".into(),
        };
        let ranked: Vec<UnitId> = standings().iter().map(|s| s.unit_id).collect();
        assert!(validate_override(&o(BHXH, true), Some(&tally), &ranked).is_empty());
        let (c, t) = ties(&rules, &standings(), &tally, &[o(BHXH, true), o(VHTTDL, false)]);
        assert_eq!(proposed(&c, MERIT), [DAI, BHXH]);
        assert!(!t[0].settled, "TT HCC is still open");
        let all = [o(BHXH, true), o(VHTTDL, false), o(TTHCC, false)];
        let (c, t) = ties(&rules, &standings(), &tally, &all);
        assert!(t[0].settled);
        let b = c.iter().find(|c| c.unit_id == BHXH).unwrap();
        assert_eq!(b.override_reason.as_deref(), Some("Hội nghị khối biểu quyết lại"));
        assert!(!b.broken.is_empty(), "the tie stays listed beside the override");
    }

    #[test]
    fn bloc_rank_leaves_open_the_units_that_share_the_boundary_rank() {
        let mut s = standings();
        s[4].rank = 4; // BHXH level with VHTTDL (both 91 points, shared rank)
        let rules = vec![rule(MERIT, 1, 2, vec![])];
        let tally = Tally {
            voters_present: 10,
            votes: vec![vote(DAI, MERIT, 9), vote(VHTTDL, MERIT, 8), vote(BHXH, MERIT, 8), vote(TTHCC, MERIT, 9)],
            ..Tally::default()
        };
        // 9 votes each for the two places: Đài and TT HCC, no tie at the boundary.
        let (c, t) = ties(&rules, &s, &tally, &[]);
        assert_eq!(proposed(&c, MERIT), [DAI, TTHCC]);
        assert_eq!(broken_of(&c, VHTTDL, MERIT), [Broken::Quota { quota: 2 }]);
        assert!(t.is_empty());

        let tally = Tally {
            voters_present: 10,
            votes: vec![vote(DAI, MERIT, 9), vote(VHTTDL, MERIT, 8), vote(BHXH, MERIT, 8)],
            ..Tally::default()
        };
        let (c, t) = ties(&rules, &s, &tally, &[]);
        assert_eq!(proposed(&c, MERIT), [DAI]);
        assert_eq!(broken_of(&c, VHTTDL, MERIT), [Broken::TieAtQuota { quota: 2 }]);
        assert_eq!(broken_of(&c, BHXH, MERIT), [Broken::TieAtQuota { quota: 2 }]);
        assert!(!t[0].settled);
    }

    #[test]
    fn strict_and_non_strict_thresholds_decide_whether_a_tie_exists() {
        // 5 of 10 each for one place: "more than half" passes neither, "at least half" both.
        let mut rules = vec![rule(MERIT, 1, 1, vec![])];
        let tally =
            Tally { voters_present: 10, votes: vec![vote(VHTTDL, MERIT, 5), vote(BHXH, MERIT, 5)], ..Tally::default() };
        let (c, t) = ties(&rules, &standings(), &tally, &[]);
        assert!(proposed(&c, MERIT).is_empty() && t.is_empty());
        assert!(matches!(broken_of(&c, BHXH, MERIT)[..], [Broken::Threshold { votes: 5, .. }]));

        rules[0].threshold = VoteThreshold { strict: false, ..VoteThreshold::MORE_THAN_HALF };
        let (c, t) = ties(&rules, &standings(), &tally, &[]);
        assert_eq!(proposed(&c, MERIT), [VHTTDL], "bloc rank: VHTTDL ranks 4th, BHXH 5th");
        assert_eq!((t[0].unit_ids.clone(), t[0].votes, t[0].settled), (vec![VHTTDL, BHXH], 5, true));
        rules[0].vote_tie = VoteTieRule::ConferenceDecides;
        let (c, t) = ties(&rules, &standings(), &tally, &[]);
        assert!(proposed(&c, MERIT).is_empty() && !t[0].settled);
    }

    #[test]
    fn a_unit_without_an_approved_sheet_is_never_proposed() {
        let mut s = standings();
        s.retain(|s| s.unit_id != VHTTDL); // submitted, not verified: not ranked
        let rules = vec![rule(MERIT, 1, 2, vec![])]; // no condition at all
        let tally = Tally {
            voters_present: 10,
            votes: vec![vote(VHTTDL, MERIT, 10), vote(BHXH, MERIT, 6)],
            ..Tally::default()
        };
        let (c, _) = ties(&rules, &s, &tally, &[]);
        assert_eq!(proposed(&c, MERIT), [BHXH]);
        assert_eq!(broken_of(&c, VHTTDL, MERIT), [Broken::SheetNotApproved]);
        let ranked: Vec<UnitId> = s.iter().map(|s| s.unit_id).collect();
        let o = Override { unit_id: VHTTDL, award_type_id: MERIT, propose: true, reason: "Đề nghị".into() };
        assert_eq!(validate_override(&o, Some(&tally), &ranked)["propose"], [FieldError::NotVerified]);
        let (c, _) = ties(&rules, &s, &tally, &[o]);
        assert_eq!(proposed(&c, MERIT), [BHXH], "an override cannot propose it either");
        // Only a candidate takes an override.
        let o = Override { unit_id: DAI, award_type_id: MERIT, propose: true, reason: "Đề nghị".into() };
        assert_eq!(validate_override(&o, Some(&tally), &ranked)["unit_id"], [FieldError::Invalid]);
        assert_eq!(validate_override(&o, None, &ranked)["unit_id"], [FieldError::Invalid]);
    }

    #[test]
    fn non_exclusive_awards_may_go_to_a_unit_already_proposed() {
        let mut rules = rules_2018();
        rules[2].exclusive = false;
        let tally =
            Tally { voters_present: 10, votes: vec![vote(YTE, GOV_FLAG, 9), vote(YTE, MERIT, 9)], ..Tally::default() };
        let c = derive_proposals(&rules, &standings(), &tally, &[]).candidates;
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

        // Entering the tally: staff always; the leader's officer while unpublished and open.
        let (staff, leader) = (who(Role::Staff, None), who(Role::LeaderOfficer, Some(LDTBXH)));
        assert_eq!(check_tally_entry(&staff, Some(LDTBXH), true, false), Ok(()));
        assert_eq!(check_tally_entry(&leader, Some(LDTBXH), false, true), Ok(()));
        assert_eq!(check_tally_entry(&leader, Some(LDTBXH), true, true), Err(TallyRefusal::Published));
        assert_eq!(check_tally_entry(&leader, Some(LDTBXH), false, false), Err(TallyRefusal::YearClosed));
        let other = who(Role::LeaderOfficer, Some(YTE));
        assert_eq!(check_tally_entry(&other, Some(LDTBXH), false, true), Err(TallyRefusal::Forbidden));
    }

    #[test]
    fn tally_validation() {
        let members = [YTE, GDDT];
        let tally = Tally {
            voters_present: 10,
            votes: vec![vote(YTE, GOV_FLAG, 11), vote(99, GOV_FLAG, 1), vote(GDDT, 42, 1), vote(YTE, GOV_FLAG, 2)],
            ..Tally::default()
        };
        let e = validate_tally(&tally, &members, &[GOV_FLAG]);
        assert_eq!(e["tally.votes.0.votes"], [FieldError::AboveMax { max: Points::whole(10) }]);
        assert_eq!(e["tally.votes.1"], [FieldError::Invalid]);
        assert_eq!(e["tally.votes.2"], [FieldError::Invalid]);
        assert_eq!(e["tally.votes.3"], [FieldError::Duplicate { of: Duplicated::TallyEntry }]);
        let e = validate_tally(&Tally::default(), &members, &[GOV_FLAG]);
        assert_eq!(e["tally.voters_present"], [FieldError::NotPositive]);
        let o = Override { unit_id: YTE, award_type_id: GOV_FLAG, propose: false, reason: "  ".into() };
        assert_eq!(validate_override(&o, Some(&tally), &members)["reason"], [FieldError::Required]);
    }
}
