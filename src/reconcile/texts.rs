//! JX219's bookkeeping: which texts of a department's projects are used by more than one.
//! Almost every text is used once; those are held as a fingerprint and a place (24 bytes), and
//! a text is kept in full only once a second project uses it. A province's batch has millions
//! of texts: keeping each one whole cost more than all the rest of the batch view.

use crate::model::{CellRef, ProjectText};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The most projects a repeated text keeps for its message.
pub const LISTED: usize = 6;

/// A text and the projects of a department that use it.
#[derive(Debug, Clone, PartialEq)]
pub struct Repeated {
    pub text: Box<str>,
    /// The project (index in `projects`) and cell where it first appears.
    pub first: (usize, Option<CellRef>),
    /// The distinct projects (by 项目编码, else name) that use it, up to [`LISTED`].
    pub projects: Vec<usize>,
    /// How many distinct projects use it.
    pub count: usize,
    /// Its place among the department's texts in the order they first appeared.
    order: u32,
}

/// A text seen in one project so far: where, and when among the department's texts.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Seen {
    project: u32,
    order: u32,
    /// The cell, `row << 32 | col`; `u64::MAX` for none.
    cell: u64,
}

impl Seen {
    fn cell(self) -> Option<CellRef> {
        (self.cell != u64::MAX).then(|| CellRef::new((self.cell >> 32) as u32, self.cell as u32))
    }
}

fn packed(cell: Option<CellRef>) -> u64 {
    cell.map_or(u64::MAX, |c| (u64::from(c.row) << 32) | u64::from(c.col))
}

/// A text's fingerprint: 64 bits of SipHash. Two different texts of one department share one
/// with odds of about one in 10^10 for a department of 100,000 texts; they would then be
/// reported as one repeated text.
fn fingerprint(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    h.write(text.as_bytes());
    h.finish()
}

/// The maps' keys are fingerprints already: used as their own hash.
#[derive(Default)]
struct AsIs(u64);

impl Hasher for AsIs {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type ByFingerprint<V> = HashMap<u64, V, BuildHasherDefault<AsIs>>;

/// The texts of one department's projects (JX219).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Texts {
    once: ByFingerprint<Seen>,
    repeated: ByFingerprint<Repeated>,
    seen: u32,
}

impl Texts {
    /// Notes that project `index` uses these texts; `identity` tells projects apart (the same
    /// project submitted twice, JX402, repeats nothing).
    pub fn add<'p>(
        &mut self,
        index: usize,
        texts: &[ProjectText],
        identity: impl Fn(usize) -> &'p str,
    ) {
        for t in texts {
            let key = fingerprint(&t.text);
            if let Some(r) = self.repeated.get_mut(&key) {
                let mine = identity(index);
                if r.projects.iter().any(|&k| identity(k) == mine) {
                    continue;
                }
                r.count += 1;
                if r.projects.len() < LISTED {
                    r.projects.push(index);
                }
                continue;
            }
            match self.once.get(&key).copied() {
                None => {
                    self.once.insert(
                        key,
                        Seen {
                            project: index as u32,
                            order: self.seen,
                            cell: packed(t.cell),
                        },
                    );
                    self.seen += 1;
                }
                Some(first) if identity(first.project as usize) == identity(index) => {}
                Some(first) => {
                    self.once.remove(&key);
                    let project = first.project as usize;
                    self.repeated.insert(
                        key,
                        Repeated {
                            text: t.text.clone(),
                            first: (project, first.cell()),
                            projects: vec![project, index],
                            count: 2,
                            order: first.order,
                        },
                    );
                }
            }
        }
    }

    /// The texts more than one project uses, in the order they first appeared.
    pub fn repeated(&self) -> Vec<&Repeated> {
        let mut out: Vec<&Repeated> = self.repeated.values().collect();
        out.sort_unstable_by_key(|r| r.order);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str, row: u32) -> ProjectText {
        ProjectText {
            text: s.into(),
            cell: Some(CellRef::new(row, 1)),
        }
    }

    #[test]
    fn a_text_counts_once_per_distinct_project_in_first_appearance_order() {
        // Projects 0 and 2 are one project submitted twice (same identity).
        let ids = ["A", "B", "A", "C"];
        let identity = |k: usize| ids[k];
        let mut texts = Texts::default();
        texts.add(
            0,
            &[text("保证工作顺利开展", 5), text("按时完成全年任务", 6)],
            identity,
        );
        texts.add(1, &[text("按时完成全年任务", 7)], identity);
        texts.add(2, &[text("保证工作顺利开展", 8)], identity);
        assert_eq!(
            texts.repeated().len(),
            1,
            "the same project twice repeats nothing"
        );
        texts.add(
            3,
            &[text("保证工作顺利开展", 9), text("只此一处的目标", 10)],
            identity,
        );
        let found: Vec<(&str, usize, Vec<usize>, usize)> = texts
            .repeated()
            .iter()
            .map(|r| (&*r.text, r.first.0, r.projects.clone(), r.count))
            .collect();
        assert_eq!(
            found,
            [
                ("保证工作顺利开展", 0, vec![0, 3], 2),
                ("按时完成全年任务", 0, vec![0, 1], 2),
            ]
        );
        assert_eq!(texts.repeated()[0].first.1, Some(CellRef::new(5, 1)));
    }

    #[test]
    fn a_text_without_a_cell_keeps_none() {
        let identity = |k: usize| ["A", "B"][k];
        let mut texts = Texts::default();
        let bare = ProjectText {
            text: "全年维护保养电梯".into(),
            cell: None,
        };
        texts.add(0, std::slice::from_ref(&bare), identity);
        texts.add(1, &[bare], identity);
        assert_eq!(texts.repeated()[0].first, (0, None));
    }
}
