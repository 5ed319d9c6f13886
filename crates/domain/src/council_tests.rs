use super::*;
use crate::award_types::{AwardType, VoteThreshold, VoteTieRule};
use crate::criteria::tests::{approved_sheet as sheet, small_table};
use crate::decisions::DecisionEntry;
use crate::published::{RevisionKind, RevisionStamp};
use crate::ranking::TieBreak;
use crate::results::{bloc_results, ResultsInput};
use crate::tally::{Tally, TallyEntry};

fn award_type(id: AwardTypeId, name: &str, precedence: u32) -> AwardType {
    AwardType {
        id,
        code: format!("t{id}"),
        name: name.into(),
        precedence,
        quota_per_bloc: 1,
        threshold: VoteThreshold::MORE_THAN_HALF,
        eligibility: vec![],
        exclusive: true,
        vote_tie: VoteTieRule::BlocRank,
        legal_basis: String::new(),
    }
}

/// Bloc `bloc` with units `first..first+3`, the first proposed for type 9 with 8 votes of
/// 10, the second for type 8 with 7, published as revision 2.
fn published(bloc: BlocId, first: UnitId, types: &[AwardType], decisions: &[DecisionEntry]) -> BlocResults {
    let members: Vec<Unit> = (first..first + 3).map(|id| Unit { id, name: format!("Đơn vị {id}") }).collect();
    let sheets = [sheet(first, 10), sheet(first + 1, 9), sheet(first + 2, 8)];
    let tally = Tally {
        voters_present: 10,
        votes: vec![
            TallyEntry { unit_id: first, award_type_id: 9, votes: 8 },
            TallyEntry { unit_id: first + 1, award_type_id: 8, votes: 7 },
        ],
        ..Tally::default()
    };
    let mut r = bloc_results(&ResultsInput {
        year: 2018,
        bloc_id: bloc,
        bloc_name: "Khối",
        leader_unit_id: None,
        sample_scores: false,
        tie_break: TieBreak::SharedRank,
        members: &members,
        table: &small_table(),
        sheets: &sheets,
        published: true,
        version: 0,
        award_types: types,
        tally: Some(&tally),
        overrides: &[],
        decisions,
        publication: None,
    });
    r.revision = Some(RevisionStamp {
        number: 2,
        at: "2019-01-01T00:00:00Z".into(),
        kind: RevisionKind::Published,
        reason: "x".into(),
    });
    r
}

/// An outcome on a proposal's facts as `council_list` finds them for the fixture: the first
/// unit of a bloc rank 1 with 8 of 10 votes, the second rank 2 with 7.
fn outcome(bloc: BlocId, unit: UnitId, award: AwardTypeId, o: Outcome) -> OutcomeEntry {
    let (rank, points, votes) = if unit % 10 == 1 { (1, 30, 8) } else { (2, 27, 7) };
    let facts = ProposalFacts { rank: Some(rank), total: Some(Points::whole(points)), votes, base: Some(10) };
    OutcomeEntry {
        bloc_id: bloc,
        unit_id: unit,
        award_type_id: award,
        outcome: CouncilOutcome { outcome: o, reason: None, recorded_at: "2019-02-01T00:00:00Z".into(), facts },
    }
}

#[test]
fn the_list_gathers_every_published_blocs_proposals_by_award_type() {
    let types = [award_type(9, "Cờ thi đua", 1), award_type(8, "Bằng khen", 2), award_type(7, "Giấy khen", 3)];
    let decided = DecisionEntry {
        unit_id: 11,
        award_type_id: 9,
        decision: Decision { number: "5/QĐ-UBND".into(), date: "2019-03-04".into(), issuer: "UBND tỉnh".into() },
    };
    let blocs = [
        BlocEntry {
            bloc_id: 1,
            bloc_name: "Khối I".into(),
            published: Some(published(1, 1, &types, &[])),
            members: vec![],
        },
        BlocEntry {
            bloc_id: 2,
            bloc_name: "Khối II".into(),
            published: Some(published(2, 11, &types, &[decided])),
            members: vec![],
        },
        BlocEntry {
            bloc_id: 3,
            bloc_name: "Khối III".into(),
            published: None,
            members: vec![Unit { id: 21, name: "Sở Tài chính".into() }],
        },
    ];
    let outcomes = [
        outcome(1, 1, 9, Outcome::Approved),
        outcome(2, 12, 8, Outcome::NotApproved),
        // Unit 3 is not proposed for type 9 (any more): kept apart, never applied.
        outcome(1, 3, 9, Outcome::Approved),
        // Bloc III's results were withdrawn: its outcome waits, named.
        outcome(3, 21, 8, Outcome::Approved),
    ];
    let mut changed = outcome(2, 11, 9, Outcome::Approved);
    changed.outcome.facts.votes = 6;
    let list = council_list(2018, &types, &blocs, &outcomes);
    assert_eq!(list.year, 2018);
    let names: Vec<&str> = list.groups.iter().map(|g| g.award_type.name.as_str()).collect();
    assert_eq!(names, ["Cờ thi đua", "Bằng khen"], "by precedence; a type nobody is proposed for is left out");
    type Row = (BlocId, UnitId, Option<u32>, u32, Option<u32>);
    let flag: Vec<Row> =
        list.groups[0].proposals.iter().map(|p| (p.bloc_id, p.unit.id, p.rank, p.votes, p.base)).collect();
    assert_eq!(flag, [(1, 1, Some(1), 8, Some(10)), (2, 11, Some(1), 8, Some(10))]);
    assert_eq!(list.groups[0].proposals[0].outcome.as_ref().map(|o| o.outcome), Some(Outcome::Approved));
    assert_eq!(list.groups[0].proposals[1].outcome, None);
    assert_eq!(list.groups[0].proposals[1].decision.as_ref().map(|d| d.number.as_str()), Some("5/QĐ-UBND"));
    assert_eq!(list.groups[0].proposals[0].total, Some(Points::whole(30)));
    assert_eq!(list.groups[1].proposals[1].outcome.as_ref().map(|o| o.outcome), Some(Outcome::NotApproved));
    assert_eq!(list.groups[0].counts(), OutcomeCounts { approved: 1, not_approved: 0, pending: 1 });
    assert_eq!(list.groups[1].counts(), OutcomeCounts { approved: 0, not_approved: 1, pending: 1 });
    let status: Vec<(BlocId, Option<u32>)> = list.blocs.iter().map(|b| (b.bloc_id, b.revision)).collect();
    assert_eq!(status, [(1, Some(2)), (2, Some(2)), (3, None)], "the unpublished bloc is named, not dropped");
    assert_eq!(list.stale.len(), 2);
    // An approval recorded on 6 votes does not hold for the 8 the results now say.
    let again = council_list(2018, &types, &blocs, &[changed]);
    assert_eq!(again.groups[0].proposals[1].outcome, None);
    assert_eq!((again.stale.len(), again.stale[0].why), (1, StaleReason::FactsChanged));
    assert_eq!((list.stale[0].unit_name.as_str(), list.stale[0].award_name.as_str()), ("Đơn vị 3", "Cờ thi đua"));
    assert_eq!(list.stale[0].why, StaleReason::NoLongerProposed);
    assert_eq!((list.stale[1].unit_name.as_str(), list.stale[1].why), ("Sở Tài chính", StaleReason::NotPublished));
}

#[test]
fn not_approved_needs_a_reason_and_an_approval_may_carry_a_note() {
    let no = OutcomeInput { outcome: Outcome::NotApproved, reason: Some("  ".into()) };
    assert_eq!(validate_outcome(&no)["reason"], [FieldError::Required]);
    assert_eq!(validate_outcome(&OutcomeInput { reason: None, ..no.clone() })["reason"], [FieldError::Required]);
    assert!(validate_outcome(&OutcomeInput { reason: Some("Chưa đủ tiêu chuẩn".into()), ..no }).is_empty());
    assert!(validate_outcome(&OutcomeInput { outcome: Outcome::Approved, reason: None }).is_empty());
    let long = OutcomeInput { outcome: Outcome::Approved, reason: Some("x".repeat(1001)) };
    assert_eq!(validate_outcome(&long)["reason"], [FieldError::TooLong { max: OUTCOME_REASON_MAX }]);
    for o in [Outcome::Approved, Outcome::NotApproved] {
        assert_eq!(Outcome::parse(o.as_str()), Some(o));
    }
    assert_eq!(Outcome::parse("maybe"), None);
}

#[test]
fn an_approval_with_a_decision_stands_and_decisions_follow_approvals() {
    assert_eq!(check_outcome(false, false, Some(Outcome::Approved)), Err(OutcomeRefusal::NotProposed));
    assert_eq!(check_outcome(true, false, Some(Outcome::NotApproved)), Ok(()));
    assert_eq!(check_outcome(true, false, None), Ok(()));
    assert_eq!(check_outcome(false, false, None), Ok(()), "a stale outcome may be removed");
    assert_eq!(check_outcome(true, true, Some(Outcome::Approved)), Ok(()), "a note may still change");
    assert_eq!(check_outcome(true, true, Some(Outcome::NotApproved)), Err(OutcomeRefusal::DecisionRecorded));
    assert_eq!(check_outcome(true, true, None), Err(OutcomeRefusal::DecisionRecorded));
    assert!(may_decide(Some(Outcome::Approved)));
    assert!(!may_decide(Some(Outcome::NotApproved)));
    assert!(!may_decide(None));
    assert!(may_record_decision(None), "the awards page, without a Council step");
    assert!(may_record_decision(Some(Outcome::Approved)));
    assert!(!may_record_decision(Some(Outcome::NotApproved)));
    let d = Decision { number: " 12/QĐ-UBND ".into(), date: "2019-03-04".into(), issuer: "UBND tỉnh".into() };
    let reason = decision_reason(&d);
    assert!(
        reason.starts_with("Quyết định khen thưởng số 12/QĐ-UBND ngày 04 tháng 3 năm 2019 của UBND tỉnh"),
        "{reason}"
    );
    assert!(reason.chars().count() <= crate::published::REASON_MAX as usize);
}
