//! Evidence files on a sheet as the API carries them: what a file is attached to, a file as
//! listed beside its score, and how files on bonus and deduction lines follow those lines
//! when the unit edits them. Which files are accepted and who sees them: `files.rs`.

use serde::{Deserialize, Serialize};

use crate::criteria::{CriteriaTable, CriterionId};
use crate::files::FileKind;
use crate::sheet::{Adjustment, ScoreSheet};

/// What a file is evidence for: a criterion's score, or a bonus or deduction line (by its place
/// among the sheet's lines of that kind, from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FileTarget {
    Criterion { criterion_id: CriterionId },
    Bonus { index: u32 },
    Deduction { index: u32 },
}

impl FileTarget {
    /// The stored and transmitted form: `criterion:12`, `bonus:0`, `deduction:1`.
    pub fn key(self) -> String {
        match self {
            FileTarget::Criterion { criterion_id } => format!("criterion:{criterion_id}"),
            FileTarget::Bonus { index } => format!("bonus:{index}"),
            FileTarget::Deduction { index } => format!("deduction:{index}"),
        }
    }

    pub fn parse(key: &str) -> Option<FileTarget> {
        let (kind, number) = key.split_once(':')?;
        // Digits only: no sign, no spaces, no leading `+`.
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match kind {
            "criterion" => Some(FileTarget::Criterion { criterion_id: number.parse().ok()? }),
            "bonus" => Some(FileTarget::Bonus { index: number.parse().ok()? }),
            "deduction" => Some(FileTarget::Deduction { index: number.parse().ok()? }),
            _ => None,
        }
    }

    /// Whether the target exists on this sheet: a scorable criterion (a leaf) of its table, or
    /// a line the sheet has.
    pub fn exists(self, table: &CriteriaTable, sheet: &ScoreSheet) -> bool {
        match self {
            FileTarget::Criterion { criterion_id } => table.leaves().any(|c| c.id == criterion_id),
            FileTarget::Bonus { index } => (index as usize) < sheet.bonuses.len(),
            FileTarget::Deduction { index } => (index as usize) < sheet.deductions.len(),
        }
    }

    /// A short name for the dossier's file names and the audit trail: the criterion's code,
    /// or `bonus-1` / `deduction-2` (counted from 1, as people count lines).
    pub fn label(self, table: &CriteriaTable) -> String {
        match self {
            FileTarget::Criterion { criterion_id } => table
                .leaves()
                .find(|c| c.id == criterion_id)
                .map(|c| c.code.clone())
                .unwrap_or_else(|| format!("criterion-{criterion_id}")),
            FileTarget::Bonus { index } => format!("bonus-{}", index + 1),
            FileTarget::Deduction { index } => format!("deduction-{}", index + 1),
        }
    }
}

/// A file attached to a sheet, as listed beside its score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceFile {
    pub id: i64,
    pub target: FileTarget,
    /// The name it was uploaded with (`files::clean_name`).
    pub name: String,
    /// Judged by the content.
    pub kind: FileKind,
    pub size: u64,
    /// Lowercase hex SHA-256 of the bytes.
    pub sha256: String,
    /// RFC 3339.
    pub attached_at: String,
    /// The display name of who attached it.
    pub attached_by: String,
}

/// Where each old line's files go when a unit replaces its lines of one kind with `new`:
/// `Some(j)` to new line `j`, `None` when the line is gone (its files are detached). A line
/// kept unchanged keeps its files wherever it moved; otherwise a line edited in place (the same
/// place still exists and its old text went nowhere) keeps them there.
pub fn follow_lines(old: &[Adjustment], new: &[Adjustment]) -> Vec<Option<usize>> {
    let mut taken = vec![false; new.len()];
    let mut out: Vec<Option<usize>> = vec![None; old.len()];
    // Unchanged lines first, the nearest place first.
    for (i, line) in old.iter().enumerate() {
        let mut candidates: Vec<usize> = (0..new.len()).filter(|&j| !taken[j] && new[j] == *line).collect();
        candidates.sort_by_key(|&j| j.abs_diff(i));
        if let Some(&j) = candidates.first() {
            taken[j] = true;
            out[i] = Some(j);
        }
    }
    // Then edits in place: the same place, not claimed by an unchanged line.
    for i in 0..old.len() {
        if out[i].is_none() && i < new.len() && !taken[i] && !old.contains(&new[i]) {
            taken[i] = true;
            out[i] = Some(i);
        }
    }
    out
}

/// The targets of a sheet's line files after its lines change from `old` to `new`: for each
/// old target, the new one, or `None` when the line is gone. Criteria are kept as they are.
pub fn retarget(target: FileTarget, old: &ScoreSheet, new: &ScoreSheet) -> Option<FileTarget> {
    match target {
        FileTarget::Criterion { .. } => Some(target),
        FileTarget::Bonus { index } => follow_lines(&old.bonuses, &new.bonuses)
            .get(index as usize)
            .copied()
            .flatten()
            .map(|j| FileTarget::Bonus { index: j as u32 }),
        FileTarget::Deduction { index } => follow_lines(&old.deductions, &new.deductions)
            .get(index as usize)
            .copied()
            .flatten()
            .map(|j| FileTarget::Deduction { index: j as u32 }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::points::Points;

    fn line(reason: &str, points: i64) -> Adjustment {
        Adjustment { reason: reason.into(), points: Points::from_hundredths(points) }
    }

    #[test]
    fn keys_round_trip_and_refuse_anything_else() {
        for t in [
            FileTarget::Criterion { criterion_id: 12 },
            FileTarget::Bonus { index: 0 },
            FileTarget::Deduction { index: 3 },
        ] {
            assert_eq!(FileTarget::parse(&t.key()), Some(t));
        }
        for bad in ["", "criterion", "criterion:", "criterion:-1", "criterion:+1", "bonus: 1", "other:1", "bonus:1x"] {
            assert_eq!(FileTarget::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_removed_line_takes_its_files_and_the_next_lines_keep_theirs() {
        let old = [line("a", 100), line("b", 200), line("c", 300)];
        let new = [line("a", 100), line("c", 300)];
        assert_eq!(follow_lines(&old, &new), vec![Some(0), None, Some(1)]);
    }

    #[test]
    fn an_inserted_line_moves_nothing_to_it() {
        let old = [line("a", 100), line("b", 200)];
        let new = [line("new", 50), line("a", 100), line("b", 200)];
        assert_eq!(follow_lines(&old, &new), vec![Some(1), Some(2)]);
    }

    #[test]
    fn a_line_edited_in_place_keeps_its_files() {
        let old = [line("a", 100), line("b", 200)];
        let new = [line("a", 100), line("b, corrected", 250)];
        assert_eq!(follow_lines(&old, &new), vec![Some(0), Some(1)]);
        // All lines removed: every file detached.
        assert_eq!(follow_lines(&old, &[]), vec![None, None]);
    }

    #[test]
    fn two_equal_lines_each_keep_their_place() {
        let old = [line("a", 100), line("a", 100)];
        let new = [line("a", 100), line("a", 100)];
        assert_eq!(follow_lines(&old, &new), vec![Some(0), Some(1)]);
    }
}
