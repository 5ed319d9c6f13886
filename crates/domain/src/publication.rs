//! Publication: the server decides, not the page. Publishing is refused while the results
//! have problems that staff have not acknowledged, exactly and in writing; the reason they
//! give is stored and shown to the public beside the results. Any client of the API gets
//! the same protection, and the staff page asks the same function what to list.

use serde::{Deserialize, Serialize};

use crate::error::{push, FieldError, FieldErrors};
pub use crate::published::{PublicationNote, PublishProblem, REASON_MAX};

/// `POST …/publish`: the problems the staff member saw and accepts, and why publishing
/// now is right. Both may be left out when the results have no problem.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    #[serde(default)]
    pub acknowledge: Vec<PublishProblem>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub reason: String,
}

/// Why a publication is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublishRefusal {
    /// 409: the acknowledgement is not exactly the results' problems (listed here).
    Unacknowledged(Vec<PublishProblem>),
    /// 422: problems acknowledged without a written reason (or one too long).
    Invalid(FieldErrors),
}

/// Publishing is allowed when the request acknowledges exactly `problems` (in any order,
/// nothing more, nothing less) and, if there are any, gives a reason.
pub fn check_publication(problems: &[PublishProblem], request: &PublishRequest) -> Result<(), PublishRefusal> {
    let same = request.acknowledge.len() == problems.len()
        && problems.iter().all(|p| request.acknowledge.contains(p))
        && request.acknowledge.iter().all(|p| problems.contains(p));
    if !same {
        return Err(PublishRefusal::Unacknowledged(problems.to_vec()));
    }
    let mut errors = FieldErrors::new();
    if !problems.is_empty() && request.reason.trim().is_empty() {
        push(&mut errors, "reason", FieldError::Required);
    }
    if request.reason.chars().count() > REASON_MAX as usize {
        push(&mut errors, "reason", FieldError::TooLong { max: REASON_MAX });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(PublishRefusal::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::award_types::{AwardType, VoteThreshold, VoteTieRule};
    use crate::criteria::tests::small_table;
    use crate::model::Unit;
    use crate::ranking::TieBreak;
    use crate::results::{bloc_results, MemberSheet, ResultsInput};
    use crate::results::{publication_problems, BlocResults, NotVerified};
    use crate::tally::{Override, Tally, TallyEntry};
    use crate::workflow::SheetState;
    use crate::UnitId;

    fn sheet(unit_id: UnitId, state: SheetState, points: i64) -> MemberSheet {
        MemberSheet { state, ..crate::criteria::tests::approved_sheet(unit_id, points) }
    }

    fn merit(quota: u32, vote_tie: VoteTieRule) -> AwardType {
        AwardType {
            id: 9,
            code: "bang_khen".into(),
            name: "Bằng khen".into(),
            precedence: 1,
            quota_per_bloc: quota,
            threshold: VoteThreshold::MORE_THAN_HALF,
            eligibility: vec![],
            exclusive: true,
            vote_tie,
            legal_basis: "Quy chế khối".into(),
        }
    }

    fn results(
        sheets: &[MemberSheet],
        types: &[AwardType],
        tally: Option<&Tally>,
        overrides: &[Override],
    ) -> BlocResults {
        let members: Vec<Unit> = (1..=4).map(|id| Unit { id, name: format!("Đơn vị {id}") }).collect();
        bloc_results(&ResultsInput {
            year: 2020,
            bloc_id: 1,
            bloc_name: "Khối",
            leader_unit_id: None,
            sample_scores: false,
            tie_break: TieBreak::SharedRank,
            members: &members,
            table: &small_table(),
            sheets,
            published: false,
            version: 0,
            award_types: types,
            tally,
            overrides,
            decisions: &[],
            publication: None,
        })
    }

    fn vote(unit_id: UnitId, votes: u32) -> TallyEntry {
        TallyEntry { unit_id, award_type_id: 9, votes }
    }

    #[test]
    fn every_problem_is_listed() {
        let sheets = [
            sheet(1, SheetState::Approved, 10),
            sheet(2, SheetState::Approved, 9),
            sheet(3, SheetState::Approved, 8),
            sheet(4, SheetState::Returned, 1),
        ];
        let types = [merit(1, VoteTieRule::ConferenceDecides)];
        assert_eq!(
            publication_problems(&results(&sheets, &types, None, &[])),
            [PublishProblem::NoTally, PublishProblem::SheetNotApproved { unit_id: 4, state: NotVerified::Returned }]
        );
        // 1 and 2 tie for the one place; 3 has too few votes but staff propose it anyway.
        let tally = Tally { voters_present: 10, votes: vec![vote(1, 7), vote(2, 7), vote(3, 2)], ..Tally::default() };
        let o = Override { unit_id: 3, award_type_id: 9, propose: true, reason: "Thành tích đột xuất".into() };
        let r = results(&sheets, &types, Some(&tally), std::slice::from_ref(&o));
        assert_eq!(
            r.problems,
            [
                PublishProblem::SheetNotApproved { unit_id: 4, state: NotVerified::Returned },
                PublishProblem::VoteTie { award_type_id: 9, unit_ids: vec![1, 2] },
                PublishProblem::BelowThreshold { award_type_id: 9, unit_id: 3 },
            ]
        );
        // The conference decides the tie in writing; now two are proposed for one place.
        let decided = [o, Override { propose: true, ..overrides_for(1) }, overrides_for(2)];
        let r = results(&sheets, &types, Some(&tally), &decided);
        assert_eq!(
            r.problems,
            [
                PublishProblem::SheetNotApproved { unit_id: 4, state: NotVerified::Returned },
                PublishProblem::OverQuota { award_type_id: 9, quota: 1, proposed: 2 },
                PublishProblem::BelowThreshold { award_type_id: 9, unit_id: 3 },
            ]
        );
    }

    fn overrides_for(unit_id: UnitId) -> Override {
        Override { unit_id, award_type_id: 9, propose: false, reason: "Hội nghị biểu quyết lại".into() }
    }

    #[test]
    fn publishing_needs_exactly_the_problems_and_a_reason() {
        let problems = vec![
            PublishProblem::NoTally,
            PublishProblem::SheetNotApproved { unit_id: 4, state: NotVerified::Submitted },
        ];
        let ask = |acknowledge: Vec<PublishProblem>, reason: &str| {
            check_publication(&problems, &PublishRequest { acknowledge, reason: reason.into() })
        };
        let all = || problems.clone();
        assert_eq!(ask(vec![], "x"), Err(PublishRefusal::Unacknowledged(all())));
        assert_eq!(ask(vec![problems[0].clone()], "x"), Err(PublishRefusal::Unacknowledged(all())));
        let mut more = all();
        more.push(PublishProblem::NoTally);
        more.push(PublishProblem::BelowThreshold { award_type_id: 1, unit_id: 1 });
        assert_eq!(ask(more, "x"), Err(PublishRefusal::Unacknowledged(all())), "nothing more either");
        let Err(PublishRefusal::Invalid(e)) = ask(all(), "  ") else { panic!("a reason is needed") };
        assert_eq!(e["reason"], [FieldError::Required]);
        let reversed: Vec<PublishProblem> = all().into_iter().rev().collect();
        assert_eq!(ask(reversed, "Hội nghị tổng kết đã thống nhất công bố"), Ok(()));
        // Nothing to acknowledge: nothing to say.
        assert_eq!(check_publication(&[], &PublishRequest::default()), Ok(()));
        let long = "x".repeat(REASON_MAX as usize + 1);
        assert!(matches!(ask(all(), &long), Err(PublishRefusal::Invalid(_))));
    }

    #[test]
    fn problems_travel_as_tagged_json_and_refuse_unknown_fields() {
        let p = PublishProblem::SheetNotApproved { unit_id: 4, state: NotVerified::Draft };
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "sheet_not_approved", "unit_id": 4, "state": "draft"}));
        let r: Result<PublishRequest, _> = serde_json::from_value(serde_json::json!({"reason": "x", "force": true}));
        assert!(r.is_err());
    }
}
