//! The criteria tree as staff edit it: the draft, its checks, what saving it does to the
//! scores sheets hold, and the tree as spreadsheet rows.

use serde::{Deserialize, Serialize};

use crate::criteria::{CriteriaTable, Criterion, CriterionId, MAX_DEPTH};
use crate::error::{push, Duplicated, FieldError, FieldErrors};
use crate::points::Points;

pub const MAX_TITLE: u32 = 500;
pub const MAX_CODE: u32 = 20;
/// More criteria than any real bloc uses, few enough to keep one sheet light.
pub const MAX_CRITERIA: u32 = 400;

/// One node of the criteria tree as staff edit it. A parent's maximum is the sum of its
/// children's, so only leaves carry their own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CriterionDraft {
    /// The criterion this node was loaded from; `None` for a new one.
    pub id: Option<CriterionId>,
    pub code: String,
    pub title: String,
    /// For a leaf; ignored (derived) for a parent.
    pub max_points: Points,
    pub step: Points,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub children: Vec<CriterionDraft>,
}

impl CriterionDraft {
    /// The maximum: its own for a leaf, its children's sum for a parent.
    pub fn max(&self) -> Points {
        if self.children.is_empty() {
            self.max_points
        } else {
            self.children.iter().map(CriterionDraft::max).sum()
        }
    }

    fn count(&self) -> usize {
        1 + self.children.iter().map(CriterionDraft::count).sum::<usize>()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CriteriaDraft {
    pub sections: Vec<CriterionDraft>,
    pub bonus_cap: Points,
}

impl CriteriaDraft {
    pub fn from_table(table: &CriteriaTable) -> CriteriaDraft {
        fn node(table: &CriteriaTable, c: &Criterion) -> CriterionDraft {
            CriterionDraft {
                id: Some(c.id),
                code: c.code.clone(),
                title: c.title.clone(),
                max_points: c.max_points,
                step: c.step,
                children: table.children(c.id).map(|k| node(table, k)).collect(),
            }
        }
        CriteriaDraft { sections: table.sections().map(|s| node(table, s)).collect(), bonus_cap: table.bonus_cap }
    }

    /// The criteria that already exist (those with an id), as a table: what `criteria_diff`
    /// compares a new tree against when only the draft it was loaded from is at hand.
    pub fn existing_table(&self) -> CriteriaTable {
        fn go(out: &mut Vec<Criterion>, parent_id: Option<CriterionId>, n: &CriterionDraft) {
            if let Some(id) = n.id {
                out.push(Criterion {
                    id,
                    parent_id,
                    code: n.code.clone(),
                    title: n.title.clone(),
                    max_points: n.max(),
                    step: n.step,
                });
            }
            for k in &n.children {
                go(out, n.id, k);
            }
        }
        let mut criteria = Vec::new();
        for s in &self.sections {
            go(&mut criteria, None, s);
        }
        CriteriaTable { criteria, bonus_cap: self.bonus_cap }
    }

    /// The highest total without bonus points.
    pub fn max_total(&self) -> Points {
        self.sections.iter().map(CriterionDraft::max).sum()
    }

    /// The same tree as new criteria (for a copy into another year).
    pub fn without_ids(&self) -> CriteriaDraft {
        fn strip(n: &CriterionDraft) -> CriterionDraft {
            CriterionDraft { id: None, children: n.children.iter().map(strip).collect(), ..n.clone() }
        }
        CriteriaDraft { sections: self.sections.iter().map(strip).collect(), bonus_cap: self.bonus_cap }
    }

    /// Every node with its path (`0`, `0.1`, …) and depth (1 for a section), parents first.
    pub fn walk(&self) -> Vec<(String, usize, &CriterionDraft)> {
        fn go<'a>(
            out: &mut Vec<(String, usize, &'a CriterionDraft)>,
            path: String,
            depth: usize,
            n: &'a CriterionDraft,
        ) {
            out.push((path.clone(), depth, n));
            for (i, k) in n.children.iter().enumerate() {
                go(out, format!("{path}.{i}"), depth + 1, k);
            }
        }
        let mut out = Vec::new();
        for (i, s) in self.sections.iter().enumerate() {
            go(&mut out, i.to_string(), 1, s);
        }
        out
    }
}

/// `PUT /api/admin/years/{year}/blocs/{bloc_id}/criteria`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CriteriaUpdate {
    pub criteria: CriteriaDraft,
    /// The bloc-year's `version` this was made from.
    pub version: i64,
    /// Staff confirmed dropping the scores of changed or removed criteria (needed when sheets
    /// hold any).
    #[serde(default)]
    pub confirm_dropping_scores: bool,
}

/// Field paths: `criteria.{path}.code|title|max_points|step`, `criteria.{path}` (too deep),
/// `criteria` (empty or too many), `bonus_cap`.
pub fn validate_criteria(draft: &CriteriaDraft) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if draft.sections.is_empty() {
        push(&mut errors, "criteria", FieldError::Required);
    }
    let count: usize = draft.sections.iter().map(CriterionDraft::count).sum();
    if count > MAX_CRITERIA as usize {
        push(&mut errors, "criteria", FieldError::TooMany { max: MAX_CRITERIA });
    }
    if draft.bonus_cap.is_negative() {
        push(&mut errors, "bonus_cap", FieldError::Negative);
    }
    let walk = draft.walk();
    for (path, depth, n) in &walk {
        let field = |f: &str| format!("criteria.{path}.{f}");
        if n.code.trim().is_empty() {
            push(&mut errors, field("code"), FieldError::Required);
        } else if n.code.chars().count() > MAX_CODE as usize {
            push(&mut errors, field("code"), FieldError::TooLong { max: MAX_CODE });
        } else {
            // Siblings have different codes (the printed numbers).
            let parent = path.rsplit_once('.').map(|(p, _)| p);
            let twin = walk.iter().any(|(other, _, o)| {
                other < path && other.rsplit_once('.').map(|(p, _)| p) == parent && o.code.trim() == n.code.trim()
            });
            if twin {
                push(&mut errors, field("code"), FieldError::Duplicate { of: Duplicated::CriterionCode });
            }
        }
        if n.title.trim().is_empty() {
            push(&mut errors, field("title"), FieldError::Required);
        } else if n.title.chars().count() > MAX_TITLE as usize {
            push(&mut errors, field("title"), FieldError::TooLong { max: MAX_TITLE });
        }
        if *depth > MAX_DEPTH {
            push(&mut errors, format!("criteria.{path}"), FieldError::TooMany { max: MAX_DEPTH as u32 });
        }
        if n.step <= Points::ZERO {
            push(&mut errors, field("step"), FieldError::NotPositive);
        }
        if n.children.is_empty() {
            if n.max_points <= Points::ZERO {
                push(&mut errors, field("max_points"), FieldError::NotPositive);
            } else if n.step > Points::ZERO && !n.max_points.is_multiple_of(n.step) {
                push(&mut errors, field("max_points"), FieldError::OffStep { step: n.step });
            }
        }
    }
    errors
}

/// What saving a new tree does to the criteria that sheets may hold scores for: scores of
/// criteria kept with the same maximum and step stay; the others' are dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CriteriaDiff {
    /// Leaves kept as they were (a new code or title keeps the score).
    pub kept: Vec<CriterionId>,
    /// Leaves whose maximum or step changed, or that became a parent: scores dropped.
    pub changed: Vec<CriterionId>,
    /// Criteria no longer in the tree: scores dropped.
    pub removed: Vec<CriterionId>,
}

impl CriteriaDiff {
    pub fn drops_scores(&self) -> impl Iterator<Item = CriterionId> + '_ {
        self.changed.iter().chain(&self.removed).copied()
    }
}

pub fn criteria_diff(old: &CriteriaTable, new: &CriteriaDraft) -> CriteriaDiff {
    let mut diff = CriteriaDiff::default();
    let walk = new.walk();
    for c in &old.criteria {
        match walk.iter().find(|(_, _, n)| n.id == Some(c.id)) {
            None => diff.removed.push(c.id),
            Some((_, _, n)) if old.is_leaf(c.id) => {
                if n.children.is_empty() && n.max_points == c.max_points && n.step == c.step {
                    diff.kept.push(c.id);
                } else {
                    diff.changed.push(c.id);
                }
            }
            Some(_) => {}
        }
    }
    diff
}

/// One line of the criteria as a spreadsheet: `level` 1 is a section, 2 an item, 3 a
/// sub-item; a parent's maximum may be left empty (it is the sum of its children's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CriterionRow {
    pub level: u32,
    pub code: String,
    pub title: String,
    pub max_points: Option<Points>,
    pub step: Option<Points>,
}

/// The default step when a line leaves it empty: half a point.
pub const DEFAULT_STEP: Points = Points::from_hundredths(50);

pub fn draft_to_rows(draft: &CriteriaDraft) -> Vec<CriterionRow> {
    draft
        .walk()
        .into_iter()
        .map(|(_, depth, n)| CriterionRow {
            level: depth as u32,
            code: n.code.clone(),
            title: n.title.clone(),
            max_points: Some(n.max()),
            step: Some(n.step),
        })
        .collect()
}

/// The children list `levels` below the top, following the last node at each level.
fn children_at(nodes: &mut Vec<CriterionDraft>, levels: usize) -> Option<&mut Vec<CriterionDraft>> {
    if levels == 0 {
        return Some(nodes);
    }
    children_at(&mut nodes.last_mut()?.children, levels - 1)
}

/// Rebuilds the tree from lines in order; errors name the line: `rows.{i}.level`,
/// `rows.{i}.max_points`. The result still goes through `validate_criteria`.
pub fn rows_to_draft(rows: &[CriterionRow], bonus_cap: Points) -> Result<CriteriaDraft, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut sections: Vec<CriterionDraft> = Vec::new();
    // The lines that became nodes: the tree's pre-order is their order.
    let mut placed = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let node = CriterionDraft {
            id: None,
            code: row.code.trim().to_owned(),
            title: row.title.trim().to_owned(),
            max_points: row.max_points.unwrap_or(Points::ZERO),
            step: row.step.unwrap_or(DEFAULT_STEP),
            children: Vec::new(),
        };
        // The last node at each level above this one is its parent.
        let level = row.level as usize;
        let siblings = if (1..=MAX_DEPTH).contains(&level) { children_at(&mut sections, level - 1) } else { None };
        match siblings {
            Some(siblings) => {
                siblings.push(node);
                placed.push(i);
            }
            None => push(&mut errors, format!("rows.{i}.level"), FieldError::Invalid),
        }
    }
    // A leaf line needs its maximum.
    let draft = CriteriaDraft { sections, bonus_cap };
    for (line, (_, _, n)) in placed.iter().zip(draft.walk()) {
        if n.children.is_empty() && rows[*line].max_points.is_none() {
            push(&mut errors, format!("rows.{line}.max_points"), FieldError::Required);
        }
    }
    if errors.is_empty() {
        Ok(draft)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::tests::small_table;

    fn leaf(code: &str, max: i64) -> CriterionDraft {
        CriterionDraft {
            id: None,
            code: code.into(),
            title: format!("Tiêu chí {code}"),
            max_points: Points::whole(max),
            step: DEFAULT_STEP,
            children: vec![],
        }
    }

    #[test]
    fn the_criteria_tree_is_checked_node_by_node() {
        let mut d = CriteriaDraft::from_table(&small_table());
        assert!(validate_criteria(&d).is_empty());
        assert_eq!(d.max_total(), Points::whole(65));
        d.sections[0].children[1].code = "1.1".into(); // twin of 1.1
        d.sections[0].children[0].max_points = Points::from_hundredths(1025); // off the 0.5 step
        d.sections[1].title = " ".into();
        d.sections[1].step = Points::ZERO;
        let mut deep = leaf("a", 1);
        deep.children = vec![CriterionDraft { children: vec![leaf("c", 1)], ..leaf("b", 1) }];
        d.sections[0].children[1].children = vec![deep];
        let e = validate_criteria(&d);
        assert_eq!(e["criteria.0.1.code"], [FieldError::Duplicate { of: Duplicated::CriterionCode }]);
        assert_eq!(e["criteria.0.0.max_points"], [FieldError::OffStep { step: DEFAULT_STEP }]);
        assert_eq!(e["criteria.1.title"], [FieldError::Required]);
        assert_eq!(e["criteria.1.step"], [FieldError::NotPositive]);
        assert_eq!(e["criteria.0.1.0.0.0"], [FieldError::TooMany { max: 3 }]);
        assert_eq!(validate_criteria(&CriteriaDraft::default())["criteria"], [FieldError::Required]);
    }

    #[test]
    fn saving_keeps_the_scores_of_unchanged_criteria() {
        let table = small_table(); // I (1.1 = 30 id 2, 1.2 = 20 id 3), II = 15 id 4
        let mut d = CriteriaDraft::from_table(&table);
        d.sections[0].children[0].title = "Reworded".into(); // kept
        d.sections[0].children[1].max_points = Points::whole(25); // changed
        d.sections.remove(1); // II removed
        d.sections.push(leaf("III", 10)); // new
        assert_eq!(CriteriaDraft::from_table(&table).existing_table(), table, "a loaded draft gives its table back");
        let diff = criteria_diff(&table, &d);
        assert_eq!(diff.kept, [2]);
        assert_eq!(diff.changed, [3]);
        assert_eq!(diff.removed, [4]);
        assert_eq!(diff.drops_scores().collect::<Vec<_>>(), [3, 4]);
    }

    #[test]
    fn criteria_round_trip_through_spreadsheet_rows() {
        let d = CriteriaDraft::from_table(&small_table()).without_ids();
        let rows = draft_to_rows(&d);
        assert_eq!(
            rows.iter().map(|r| (r.level, r.code.as_str())).collect::<Vec<_>>(),
            [(1, "I"), (2, "1.1"), (2, "1.2"), (1, "II")]
        );
        assert_eq!(rows_to_draft(&rows, d.bonus_cap).unwrap(), d);
        // An item before any section, a fourth level and a leaf without its maximum.
        let bad = vec![
            CriterionRow {
                level: 2,
                code: "0.1".into(),
                title: "x".into(),
                max_points: Some(Points::whole(1)),
                step: None,
            },
            CriterionRow { level: 1, code: "I".into(), title: "x".into(), max_points: None, step: None },
            CriterionRow { level: 4, code: "1.1.1.1".into(), title: "x".into(), max_points: None, step: None },
        ];
        let e = rows_to_draft(&bad, Points::ZERO).unwrap_err();
        assert_eq!(e["rows.0.level"], [FieldError::Invalid]);
        assert_eq!(e["rows.2.level"], [FieldError::Invalid]);
        assert_eq!(e["rows.1.max_points"], [FieldError::Required], "section I ends up a leaf");
    }
}
