//! The scoring criteria of one bloc for one year: a tree of sections (I, II, …) and items
//! (1.1, 1.2, …). Only leaves are scored; a parent's maximum is the sum of its children's.

use serde::{Deserialize, Serialize};

use crate::points::Points;

pub type CriterionId = i64;

/// How deep the tree may go: section → item → sub-item.
pub const MAX_DEPTH: usize = 3;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Criterion {
    pub id: CriterionId,
    /// `None` for a section (a top-level node).
    pub parent_id: Option<CriterionId>,
    /// The printed number: "I", "1.1", …
    pub code: String,
    pub title: String,
    pub max_points: Points,
    /// Scores must be whole multiples of this (e.g. 0.5).
    pub step: Points,
}

/// The criteria in display order (pre-order: each node before its children, siblings in order).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CriteriaTable {
    pub criteria: Vec<Criterion>,
    /// The most bonus points that count towards a total, however many are claimed.
    pub bonus_cap: Points,
}

/// A structural fault in a criteria table.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("criterion {code}: the maximum must be above zero")]
    NonPositiveMax { code: String },
    #[error("criterion {code}: the step must be above zero and divide the maximum")]
    BadStep { code: String },
    #[error("criterion {code}: the children's maxima add up to {children}, not {max}")]
    ChildrenSumMismatch { code: String, max: Points, children: Points },
    #[error("criterion {code}: its parent is missing or comes after it")]
    BadParent { code: String },
    #[error("criterion {code}: deeper than {MAX_DEPTH} levels")]
    TooDeep { code: String },
    #[error("criterion code {code} is used twice under one parent")]
    DuplicateCode { code: String },
    #[error("the bonus cap cannot be negative")]
    NegativeBonusCap,
}

impl CriteriaTable {
    pub fn get(&self, id: CriterionId) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }

    pub fn children(&self, id: CriterionId) -> impl Iterator<Item = &Criterion> {
        self.criteria.iter().filter(move |c| c.parent_id == Some(id))
    }

    pub fn is_leaf(&self, id: CriterionId) -> bool {
        self.children(id).next().is_none()
    }

    /// Top-level nodes, in order.
    pub fn sections(&self) -> impl Iterator<Item = &Criterion> {
        self.criteria.iter().filter(|c| c.parent_id.is_none())
    }

    /// The scored criteria, in order.
    pub fn leaves(&self) -> impl Iterator<Item = &Criterion> {
        self.criteria.iter().filter(|c| self.is_leaf(c.id))
    }

    /// The section a criterion belongs to (itself, for a section).
    pub fn section_of(&self, id: CriterionId) -> Option<&Criterion> {
        let mut node = self.get(id)?;
        // Bounded: a well-formed table is at most MAX_DEPTH deep; a cycle must not hang us.
        for _ in 0..=self.criteria.len() {
            match node.parent_id {
                None => return Some(node),
                Some(p) => node = self.get(p)?,
            }
        }
        None
    }

    /// The highest total a unit can reach without bonus points.
    pub fn max_total(&self) -> Points {
        self.sections().map(|s| s.max_points).sum()
    }

    /// Every structural fault, so an editor can show them all at once.
    pub fn validate(&self) -> Vec<TableError> {
        let mut errors = Vec::new();
        if self.bonus_cap.is_negative() {
            errors.push(TableError::NegativeBonusCap);
        }
        for (i, c) in self.criteria.iter().enumerate() {
            let code = c.code.clone();
            if c.max_points <= Points::ZERO {
                errors.push(TableError::NonPositiveMax { code: code.clone() });
            }
            if c.step <= Points::ZERO || !c.max_points.is_multiple_of(c.step) {
                errors.push(TableError::BadStep { code: code.clone() });
            }
            if let Some(p) = c.parent_id {
                if !self.criteria[..i].iter().any(|earlier| earlier.id == p) {
                    errors.push(TableError::BadParent { code: code.clone() });
                    continue;
                }
            }
            if self.depth(c.id) > MAX_DEPTH {
                errors.push(TableError::TooDeep { code: code.clone() });
            }
            if self.criteria[..i].iter().any(|o| o.parent_id == c.parent_id && o.code == c.code) {
                errors.push(TableError::DuplicateCode { code: code.clone() });
            }
            if !self.is_leaf(c.id) {
                let children: Points = self.children(c.id).map(|k| k.max_points).sum();
                if children != c.max_points {
                    errors.push(TableError::ChildrenSumMismatch { code, max: c.max_points, children });
                }
            }
        }
        errors
    }

    fn depth(&self, id: CriterionId) -> usize {
        let mut depth = 1;
        let mut node = self.get(id);
        while let Some(p) = node.and_then(|n| n.parent_id) {
            depth += 1;
            if depth > self.criteria.len() {
                break;
            }
            node = self.get(p);
        }
        depth
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn crit(id: CriterionId, parent: Option<CriterionId>, code: &str, max: i64) -> Criterion {
        Criterion {
            id,
            parent_id: parent,
            code: code.into(),
            title: format!("Tiêu chí {code}"),
            max_points: Points::whole(max),
            step: Points::from_hundredths(50),
        }
    }

    /// An approved sheet with `points` verified on each of `small_table`'s leaves (2, 3, 4).
    pub(crate) fn approved_sheet(unit_id: crate::UnitId, points: i64) -> crate::results::MemberSheet {
        use crate::sheet::{CriterionScore, ScoreSheet};
        let scores = [2, 3, 4]
            .map(|criterion_id| CriterionScore {
                criterion_id,
                verified_score: Some(Points::whole(points)),
                ..Default::default()
            })
            .to_vec();
        crate::results::MemberSheet {
            state: crate::workflow::SheetState::Approved,
            sheet: ScoreSheet { unit_id, scores, ..Default::default() },
        }
    }

    /// Section I (1.1 = 30, 1.2 = 20) and section II (15, a leaf).
    pub(crate) fn small_table() -> CriteriaTable {
        CriteriaTable {
            criteria: vec![
                crit(1, None, "I", 50),
                crit(2, Some(1), "1.1", 30),
                crit(3, Some(1), "1.2", 20),
                crit(4, None, "II", 15),
            ],
            bonus_cap: Points::whole(5),
        }
    }

    #[test]
    fn sections_leaves_and_max_total() {
        let t = small_table();
        assert_eq!(t.sections().map(|c| c.code.as_str()).collect::<Vec<_>>(), ["I", "II"]);
        assert_eq!(t.leaves().map(|c| c.code.as_str()).collect::<Vec<_>>(), ["1.1", "1.2", "II"]);
        assert_eq!(t.max_total(), Points::whole(65));
        assert_eq!(t.section_of(3).unwrap().code, "I");
        assert_eq!(t.section_of(4).unwrap().code, "II");
        assert!(t.validate().is_empty());
    }

    #[test]
    fn validation_finds_every_fault() {
        let mut t = small_table();
        t.criteria[2].max_points = Points::whole(10); // children now add to 40, not 50
        t.criteria[3].step = Points::from_hundredths(40); // 15 is not a multiple of 0.4
        t.criteria.push(crit(5, Some(9), "x", 1)); // unknown parent
        t.criteria.push(crit(6, Some(2), "1.1.1", 30));
        t.criteria.push(crit(7, Some(6), "1.1.1.1", 30)); // fourth level
        t.criteria.push(crit(8, None, "II", 0)); // duplicate code, zero max
        let errors = t.validate();
        assert!(errors.contains(&TableError::ChildrenSumMismatch {
            code: "I".into(),
            max: Points::whole(50),
            children: Points::whole(40)
        }));
        assert!(errors.contains(&TableError::BadStep { code: "II".into() }));
        assert!(errors.contains(&TableError::BadParent { code: "x".into() }));
        assert!(errors.contains(&TableError::TooDeep { code: "1.1.1.1".into() }));
        assert!(errors.contains(&TableError::DuplicateCode { code: "II".into() }));
        assert!(errors.contains(&TableError::NonPositiveMax { code: "II".into() }));
    }
}
