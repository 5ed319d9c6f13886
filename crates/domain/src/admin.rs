//! Staff administration: preparing a year (copying the previous one), a bloc's members,
//! leader, deputy and pact, the criteria tree as staff edit it (and as CSV rows), and
//! accounts. Every check a form and the server both make lives here.

use serde::{Deserialize, Serialize};

use crate::auth::{valid_username, Role, UserId, PASSWORD_MAX, PASSWORD_MIN};
use crate::awards::is_iso_date;
use crate::criteria::{CriteriaTable, Criterion, CriterionId, MAX_DEPTH};
use crate::error::{push, FieldError, FieldErrors};
use crate::points::Points;
use crate::{BlocId, UnitId, Year};

pub const MAX_TITLE: u32 = 500;
pub const MAX_CODE: u32 = 20;
/// More criteria than any real bloc uses, few enough to keep one sheet light.
pub const MAX_CRITERIA: u32 = 400;

// ---------------------------------------------------------------- years

/// `POST /api/admin/years`: a new year, copied from an earlier one or empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewYear {
    pub year: Year,
    /// Copy this year's blocs, members, leaders, deputies, criteria and award rules.
    pub copy_from: Option<Year>,
}

/// A year as staff manage it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearAdmin {
    pub year: Year,
    /// Open for scoring: officers may write their sheets. A closed year is read-only to all
    /// but staff.
    pub open: bool,
    pub bloc_count: u32,
}

/// `PUT /api/admin/years/{year}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearUpdate {
    pub open: bool,
}

pub fn validate_new_year(input: &NewYear, existing: &[Year]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if !(2000..=2100).contains(&input.year) {
        push(&mut errors, "year", FieldError::Invalid);
    } else if existing.contains(&input.year) {
        push(&mut errors, "year", FieldError::Duplicate);
    }
    if let Some(from) = input.copy_from {
        if !existing.contains(&from) || from == input.year {
            push(&mut errors, "copy_from", FieldError::Invalid);
        }
    }
    errors
}

/// A unit that no longer takes part on its own from a year on: merged into another, or
/// retired (dissolved).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitEnd {
    pub unit_id: UnitId,
    pub from_year: Year,
    /// `Some`: merged into that unit; `None`: retired.
    pub merged_into: Option<UnitId>,
}

/// Who stands for `unit` in `year`: itself, the unit it was merged into (following merges
/// of merges), or no one once retired.
pub fn successor(unit: UnitId, year: Year, ends: &[UnitEnd]) -> Option<UnitId> {
    let mut current = unit;
    for _ in 0..=ends.len() {
        match ends.iter().find(|e| e.unit_id == current && e.from_year <= year) {
            None => return Some(current),
            Some(UnitEnd { merged_into: Some(next), .. }) => current = *next,
            Some(UnitEnd { merged_into: None, .. }) => return None,
        }
    }
    None // a cycle of merges: no one
}

/// One bloc's set-up for a year, the part that carries over to the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlocSetup {
    pub bloc_id: BlocId,
    pub members: Vec<UnitId>,
    pub leader: Option<UnitId>,
    pub deputy: Option<UnitId>,
    pub criteria: CriteriaDraft,
}

/// The set-up of `year`, copied from the previous one: merged units are replaced by the unit
/// they joined (once), retired units leave, a leader or deputy who left is not carried over;
/// the criteria tree is copied whole (as new criteria). Sheets, votes, decisions and
/// publication are never copied.
pub fn copy_setup(previous: &[BlocSetup], year: Year, ends: &[UnitEnd]) -> Vec<BlocSetup> {
    previous
        .iter()
        .map(|b| {
            let mut members: Vec<UnitId> = Vec::new();
            for m in &b.members {
                if let Some(s) = successor(*m, year, ends) {
                    if !members.contains(&s) {
                        members.push(s);
                    }
                }
            }
            let keep =
                |role: Option<UnitId>| role.and_then(|u| successor(u, year, ends)).filter(|u| members.contains(u));
            let leader = keep(b.leader);
            let deputy = keep(b.deputy).filter(|d| Some(*d) != leader);
            BlocSetup { bloc_id: b.bloc_id, members, leader, deputy, criteria: b.criteria.without_ids() }
        })
        .collect()
}

// ---------------------------------------------------------------- units

/// A name a unit carried from a year on (renames keep the history).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitName {
    pub from_year: Year,
    pub name: String,
}

/// A unit as staff manage it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitAdmin {
    pub id: UnitId,
    /// The latest name.
    pub name: String,
    /// Every name, oldest first; the first one's `from_year` is the unit's first year.
    pub names: Vec<UnitName>,
    pub end: Option<UnitEnd>,
}

/// `POST /api/admin/units`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUnit {
    pub name: String,
    pub from_year: Year,
}

/// The name in force in `year`: the latest one from that year or before.
pub fn name_in(names: &[UnitName], year: Year) -> Option<&str> {
    names.iter().filter(|n| n.from_year <= year).max_by_key(|n| n.from_year).map(|n| n.name.as_str())
}

/// A name for a new unit or a rename (`POST /api/admin/units/{id}/names`): `others` are the
/// other units' current names, compared without case or surrounding spaces.
pub fn validate_unit_name(input: &NewUnit, others: &[String]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() {
        push(&mut errors, "name", FieldError::Required);
    } else if name.chars().count() > 200 {
        push(&mut errors, "name", FieldError::TooLong { max: 200 });
    } else if others.iter().any(|o| o.trim().to_lowercase() == name.to_lowercase()) {
        push(&mut errors, "name", FieldError::Duplicate);
    }
    if !(2000..=2100).contains(&input.from_year) {
        push(&mut errors, "from_year", FieldError::Invalid);
    }
    errors
}

/// `POST /api/admin/units/{id}/end`: merge into another unit, or retire, from a year on.
pub fn validate_unit_end(end: &UnitEnd, units: &[UnitId], ends: &[UnitEnd]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if !(2000..=2100).contains(&end.from_year) {
        push(&mut errors, "from_year", FieldError::Invalid);
    }
    if let Some(into) = end.merged_into {
        let mut with = ends.to_vec();
        with.push(*end);
        // Into an existing, other unit, without a cycle of merges.
        if into == end.unit_id || !units.contains(&into) || successor(end.unit_id, end.from_year, &with).is_none() {
            push(&mut errors, "merged_into", FieldError::Invalid);
        }
    }
    errors
}

// ---------------------------------------------------------------- blocs

/// `GET /api/admin/years/{year}/blocs/{bloc_id}`: a bloc-year as staff set it up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlocSetupView {
    pub year: Year,
    pub bloc_id: BlocId,
    pub name: String,
    /// Members in the bloc's order, with the names of that year.
    pub members: Vec<crate::model::Unit>,
    pub leader: Option<UnitId>,
    pub deputy: Option<UnitId>,
    pub pact_signed_on: Option<String>,
    pub pact_note: String,
    pub pact_document_url: Option<String>,
    pub criteria: CriteriaDraft,
    /// Criteria that some sheet of this bloc-year holds a score for (self or verified).
    pub scored_criteria: Vec<CriterionId>,
    pub version: i64,
}

/// `POST /api/admin/years/{year}/blocs`: a new bloc in a year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewBloc {
    pub name: String,
}

/// A new bloc's name: `others` are the names of the blocs the year has, compared without
/// case or surrounding spaces.
pub fn validate_new_bloc(input: &NewBloc, others: &[String]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() {
        push(&mut errors, "name", FieldError::Required);
    } else if name.chars().count() > MAX_TITLE as usize {
        push(&mut errors, "name", FieldError::TooLong { max: MAX_TITLE });
    } else if others.iter().any(|o| o.trim().to_lowercase() == name.to_lowercase()) {
        push(&mut errors, "name", FieldError::Duplicate);
    }
    errors
}

/// `PUT /api/admin/years/{year}/blocs/{bloc_id}`: members in order, leader, deputy, pact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlocSetupInput {
    pub members: Vec<UnitId>,
    pub leader: Option<UnitId>,
    pub deputy: Option<UnitId>,
    /// ISO date, `YYYY-MM-DD`.
    pub pact_signed_on: Option<String>,
    #[serde(default)]
    pub pact_note: String,
    pub pact_document_url: Option<String>,
    /// The bloc-year's `version` this was made from.
    pub version: i64,
}

/// Field paths: `members`, `members.{i}`, `leader`, `deputy`, `pact_signed_on`,
/// `pact_note`, `pact_document_url`.
pub fn validate_bloc_setup(input: &BlocSetupInput, known_units: &[UnitId]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if input.members.is_empty() {
        push(&mut errors, "members", FieldError::Required);
    }
    for (i, m) in input.members.iter().enumerate() {
        if !known_units.contains(m) {
            push(&mut errors, format!("members.{i}"), FieldError::Invalid);
        } else if input.members[..i].contains(m) {
            push(&mut errors, format!("members.{i}"), FieldError::Duplicate);
        }
    }
    if input.leader.is_some_and(|l| !input.members.contains(&l)) {
        push(&mut errors, "leader", FieldError::Invalid);
    }
    if input.deputy.is_some_and(|d| !input.members.contains(&d)) {
        push(&mut errors, "deputy", FieldError::Invalid);
    } else if input.deputy.is_some() && input.deputy == input.leader {
        push(&mut errors, "deputy", FieldError::Duplicate);
    }
    if let Some(date) = &input.pact_signed_on {
        if !is_iso_date(date) {
            push(&mut errors, "pact_signed_on", FieldError::Invalid);
        }
    }
    if input.pact_note.chars().count() > 2000 {
        push(&mut errors, "pact_note", FieldError::TooLong { max: 2000 });
    }
    if let Some(url) = &input.pact_document_url {
        let url = url.trim();
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() > 2000 || url.contains(' ') {
            push(&mut errors, "pact_document_url", FieldError::NotALink);
        }
    }
    errors
}

// ---------------------------------------------------------------- criteria

/// One node of the criteria tree as staff edit it. A parent's maximum is the sum of its
/// children's, so only leaves carry their own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
                push(&mut errors, field("code"), FieldError::Duplicate);
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

// ---------------------------------------------------------------- accounts

/// An account as staff see it. Passwords are never shown, only set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserAdmin {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<UnitId>,
    pub unit_name: Option<String>,
    pub disabled: bool,
    pub version: i64,
}

/// `POST /api/admin/users`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<UnitId>,
    pub password: String,
}

/// `PUT /api/admin/users/{id}`: everything but the username and the password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserUpdate {
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<UnitId>,
    pub disabled: bool,
    pub version: i64,
}

/// `PUT /api/admin/users/{id}/password`: staff set a new one (the person changes it later).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    pub password: String,
}

fn check_binding(errors: &mut FieldErrors, role: Role, unit: Option<UnitId>, units: &[UnitId]) {
    match (role.needs_unit(), unit) {
        (true, None) => push(errors, "unit_id", FieldError::Required),
        (true, Some(u)) if !units.contains(&u) => push(errors, "unit_id", FieldError::Invalid),
        (false, Some(_)) => push(errors, "unit_id", FieldError::Invalid),
        _ => {}
    }
}

fn check_display_name(errors: &mut FieldErrors, name: &str) {
    if name.trim().is_empty() {
        push(errors, "display_name", FieldError::Required);
    } else if name.chars().count() > 200 {
        push(errors, "display_name", FieldError::TooLong { max: 200 });
    }
}

/// `taken`: the usernames that exist (compared case-insensitively).
pub fn validate_new_user(input: &NewUser, taken: &[String], units: &[UnitId]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if input.username.is_empty() {
        push(&mut errors, "username", FieldError::Required);
    } else if !valid_username(&input.username) {
        push(&mut errors, "username", FieldError::Invalid);
    } else if taken.iter().any(|t| t.eq_ignore_ascii_case(&input.username)) {
        push(&mut errors, "username", FieldError::Duplicate);
    }
    check_display_name(&mut errors, &input.display_name);
    check_binding(&mut errors, input.role, input.unit_id, units);
    validate_password_into(&mut errors, &input.password);
    errors
}

pub fn validate_user_update(input: &UserUpdate, units: &[UnitId]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    check_display_name(&mut errors, &input.display_name);
    check_binding(&mut errors, input.role, input.unit_id, units);
    errors
}

pub fn validate_password_reset(input: &PasswordReset) -> FieldErrors {
    let mut errors = FieldErrors::new();
    validate_password_into(&mut errors, &input.password);
    errors
}

fn validate_password_into(errors: &mut FieldErrors, password: &str) {
    let n = password.chars().count();
    if n == 0 {
        push(errors, "password", FieldError::Required);
    } else if n < PASSWORD_MIN {
        push(errors, "password", FieldError::TooShort { min: PASSWORD_MIN as u32 });
    } else if n > PASSWORD_MAX {
        push(errors, "password", FieldError::TooLong { max: PASSWORD_MAX as u32 });
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

    fn setup(members: &[UnitId], leader: UnitId, deputy: UnitId) -> BlocSetup {
        BlocSetup {
            bloc_id: 1,
            members: members.to_vec(),
            leader: Some(leader),
            deputy: Some(deputy),
            criteria: CriteriaDraft::from_table(&small_table()),
        }
    }

    #[test]
    fn merges_follow_through_and_retired_units_leave() {
        let ends = [
            UnitEnd { unit_id: 3, from_year: 2019, merged_into: Some(4) },
            UnitEnd { unit_id: 4, from_year: 2020, merged_into: Some(5) },
            UnitEnd { unit_id: 6, from_year: 2019, merged_into: None },
        ];
        assert_eq!(successor(3, 2018, &ends), Some(3));
        assert_eq!(successor(3, 2019, &ends), Some(4));
        assert_eq!(successor(3, 2020, &ends), Some(5), "a merge of a merge");
        assert_eq!(successor(6, 2019, &ends), None);
        let cycle = [
            UnitEnd { unit_id: 1, from_year: 2019, merged_into: Some(2) },
            UnitEnd { unit_id: 2, from_year: 2019, merged_into: Some(1) },
        ];
        assert_eq!(successor(1, 2019, &cycle), None);
    }

    #[test]
    fn copying_a_year_carries_members_roles_and_criteria_but_follows_merges() {
        // Units 3 and 4 merge into 4 (3 was the leader); 6 is retired (the deputy).
        let ends = [
            UnitEnd { unit_id: 3, from_year: 2019, merged_into: Some(4) },
            UnitEnd { unit_id: 6, from_year: 2019, merged_into: None },
        ];
        let copied = copy_setup(&[setup(&[1, 3, 4, 6, 7], 3, 6)], 2019, &ends);
        assert_eq!(copied[0].members, [1, 4, 7], "merged once, retired gone");
        assert_eq!(copied[0].leader, Some(4), "the leader's successor leads");
        assert_eq!(copied[0].deputy, None, "a retired deputy is not carried over");
        assert_eq!(copied[0].criteria.max_total(), Points::whole(65));
        assert!(copied[0].criteria.walk().iter().all(|(_, _, n)| n.id.is_none()), "new criteria");
        // Nothing merged: the same bloc.
        let same = copy_setup(&[setup(&[1, 2], 1, 2)], 2019, &[]);
        assert_eq!((same[0].members.clone(), same[0].leader, same[0].deputy), (vec![1, 2], Some(1), Some(2)));
    }

    #[test]
    fn a_bloc_setup_keeps_leader_and_deputy_among_the_members() {
        let ok = BlocSetupInput {
            members: vec![1, 2, 3],
            leader: Some(1),
            deputy: Some(2),
            pact_signed_on: Some("2019-02-20".into()),
            pact_note: String::new(),
            pact_document_url: Some("https://example.vn/giao-uoc.pdf".into()),
            version: 0,
        };
        assert!(validate_bloc_setup(&ok, &[1, 2, 3, 4]).is_empty());
        let bad = BlocSetupInput {
            members: vec![1, 2, 2, 9],
            leader: Some(4),
            deputy: Some(4),
            pact_signed_on: Some("20/02/2019".into()),
            pact_document_url: Some("giao-uoc.pdf".into()),
            ..ok.clone()
        };
        let e = validate_bloc_setup(&bad, &[1, 2, 3, 4]);
        assert_eq!(e["members.2"], [FieldError::Duplicate]);
        assert_eq!(e["members.3"], [FieldError::Invalid]);
        assert_eq!(e["leader"], [FieldError::Invalid]);
        assert_eq!(e["deputy"], [FieldError::Invalid]);
        assert_eq!(e["pact_signed_on"], [FieldError::Invalid]);
        assert_eq!(e["pact_document_url"], [FieldError::NotALink]);
        let same = BlocSetupInput { deputy: Some(1), ..ok };
        assert_eq!(validate_bloc_setup(&same, &[1, 2, 3])["deputy"], [FieldError::Duplicate]);
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
        assert_eq!(e["criteria.0.1.code"], [FieldError::Duplicate]);
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

    #[test]
    fn accounts_are_bound_to_a_unit_unless_staff() {
        let units = [1, 2];
        let new = NewUser {
            username: "vhttdl".into(),
            display_name: "Cán bộ thi đua Sở Văn hóa".into(),
            role: Role::UnitOfficer,
            unit_id: Some(1),
            password: "mot-mat-khau-dai".into(),
        };
        assert!(validate_new_user(&new, &["staff".into()], &units).is_empty());
        let e = validate_new_user(
            &NewUser { username: "staff".into(), unit_id: None, password: "ngan".into(), ..new.clone() },
            &["staff".into()],
            &units,
        );
        assert_eq!(e["username"], [FieldError::Duplicate]);
        assert_eq!(e["unit_id"], [FieldError::Required]);
        assert_eq!(e["password"], [FieldError::TooShort { min: 10 }]);
        let staff = UserUpdate {
            display_name: "Ban TĐKT".into(),
            role: Role::Staff,
            unit_id: Some(1),
            disabled: false,
            version: 0,
        };
        assert_eq!(validate_user_update(&staff, &units)["unit_id"], [FieldError::Invalid]);
    }

    #[test]
    fn names_have_a_history_and_merges_cannot_loop() {
        let names = [
            UnitName { from_year: 2015, name: "Sở Văn hóa, Thể thao và Du lịch".into() },
            UnitName { from_year: 2025, name: "Sở Văn hóa và Thể thao".into() },
        ];
        assert_eq!(name_in(&names, 2018), Some("Sở Văn hóa, Thể thao và Du lịch"));
        assert_eq!(name_in(&names, 2026), Some("Sở Văn hóa và Thể thao"));
        assert_eq!(name_in(&names, 2010), None);
        let others = ["Sở Y tế".to_owned()];
        let e = validate_unit_name(&NewUnit { name: " sở y tế ".into(), from_year: 1999 }, &others);
        assert_eq!(
            (e["name"].clone(), e["from_year"].clone()),
            (vec![FieldError::Duplicate], vec![FieldError::Invalid])
        );
        let ends = [UnitEnd { unit_id: 2, from_year: 2019, merged_into: Some(1) }];
        let back = UnitEnd { unit_id: 1, from_year: 2019, merged_into: Some(2) };
        assert_eq!(validate_unit_end(&back, &[1, 2], &ends)["merged_into"], [FieldError::Invalid]);
        let ok = UnitEnd { unit_id: 3, from_year: 2019, merged_into: Some(1) };
        assert!(validate_unit_end(&ok, &[1, 2, 3], &ends).is_empty());
    }

    #[test]
    fn a_new_bloc_has_a_name_of_its_own_in_its_year() {
        let others = ["Khối văn hóa, xã hội".to_owned()];
        assert!(validate_new_bloc(&NewBloc { name: "Khối kinh tế".into() }, &others).is_empty());
        let e = validate_new_bloc(&NewBloc { name: " khối VĂN HÓA, xã hội ".into() }, &others);
        assert_eq!(e["name"], [FieldError::Duplicate]);
        assert_eq!(validate_new_bloc(&NewBloc { name: "  ".into() }, &others)["name"], [FieldError::Required]);
    }

    #[test]
    fn a_new_year_is_new_and_copies_an_existing_one() {
        assert!(validate_new_year(&NewYear { year: 2020, copy_from: Some(2019) }, &[2018, 2019]).is_empty());
        let e = validate_new_year(&NewYear { year: 2019, copy_from: Some(2017) }, &[2018, 2019]);
        assert_eq!(e["year"], [FieldError::Duplicate]);
        assert_eq!(e["copy_from"], [FieldError::Invalid]);
    }
}
