//! JX219's bookkeeping: which texts of a department's projects are used by more than one.
//! Almost every text is used once; those are held as a fingerprint and a place (16 bytes), and
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
    /// Its place among the texts of the project where it first appears.
    nth: u32,
}

/// A text seen in one project so far: the project (index in `projects`), the text's place
/// among that project's texts, and its cell.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Seen {
    project: u32,
    nth: u32,
    cell: Option<CellRef>,
}

/// A [`Seen`] packed in 8 bytes: project (24 bits), place (8), row (20), column (12), with
/// the last cell of that range standing for no cell. One that does not fit (a department of
/// 16 million projects, a table past column 4,096) is kept whole beside them.
const ROW_NONE: u32 = (1 << 20) - 1;
const COL_NONE: u32 = (1 << 12) - 1;

impl Seen {
    fn pack(self) -> Option<u64> {
        let (row, col) = self.cell.map_or((ROW_NONE, COL_NONE), |c| (c.row, c.col));
        let no_cell = (row, col) == (ROW_NONE, COL_NONE);
        let fits = self.project < 1 << 24
            && self.nth < 1 << 8
            && row <= ROW_NONE
            && col <= COL_NONE
            && no_cell == self.cell.is_none();
        fits.then(|| {
            (u64::from(self.project) << 40)
                | (u64::from(self.nth) << 32)
                | (u64::from(row) << 12)
                | u64::from(col)
        })
    }

    fn unpack(v: u64) -> Seen {
        let (row, col) = (((v >> 12) & 0xF_FFFF) as u32, (v & 0xFFF) as u32);
        Seen {
            project: (v >> 40) as u32,
            nth: ((v >> 32) & 0xFF) as u32,
            cell: ((row, col) != (ROW_NONE, COL_NONE)).then(|| CellRef::new(row, col)),
        }
    }
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
    /// Texts seen in one project, packed ([`Seen::pack`]); those that do not pack in `wide`.
    once: ByFingerprint<u64>,
    wide: ByFingerprint<Seen>,
    repeated: ByFingerprint<Repeated>,
}

impl Texts {
    /// Notes that project `index` uses these texts (in the order it lists them); `identity`
    /// tells projects apart (the same project submitted twice, JX402, repeats nothing).
    pub fn add<'p>(
        &mut self,
        index: usize,
        texts: &[ProjectText],
        identity: impl Fn(usize) -> &'p str,
    ) {
        for (nth, t) in texts.iter().enumerate() {
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
            let seen = match self.once.get(&key) {
                Some(&packed) => Some(Seen::unpack(packed)),
                None if self.wide.is_empty() => None,
                None => self.wide.get(&key).copied(),
            };
            match seen {
                None => {
                    let seen = Seen {
                        project: index as u32,
                        nth: nth as u32,
                        cell: t.cell,
                    };
                    if let Some(packed) = seen.pack() {
                        self.once.insert(key, packed);
                    } else {
                        self.wide.insert(key, seen);
                    }
                }
                Some(first) if identity(first.project as usize) == identity(index) => {}
                Some(first) => {
                    self.once.remove(&key);
                    self.wide.remove(&key);
                    let project = first.project as usize;
                    self.repeated.insert(
                        key,
                        Repeated {
                            text: t.text.clone(),
                            first: (project, first.cell),
                            projects: vec![project, index],
                            count: 2,
                            nth: first.nth,
                        },
                    );
                }
            }
        }
    }

    /// The texts more than one project uses, in the order they first appeared.
    pub fn repeated(&self) -> Vec<&Repeated> {
        let mut out: Vec<&Repeated> = self.repeated.values().collect();
        out.sort_unstable_by_key(|r| (r.first.0, r.nth));
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

    #[test]
    fn a_place_packs_into_8_bytes_or_is_kept_whole() {
        let seen = |project, nth, cell| Seen { project, nth, cell };
        for fits in [
            seen(0, 0, None),
            seen(0, 0, Some(CellRef::new(0, 0))),
            seen(
                (1 << 24) - 1,
                255,
                Some(CellRef::new(ROW_NONE - 1, COL_NONE)),
            ),
            seen(7, 3, Some(CellRef::new(ROW_NONE, COL_NONE - 1))),
        ] {
            let packed = fits.pack().expect("fits");
            assert_eq!(Seen::unpack(packed), fits);
        }
        for wide in [
            seen(1 << 24, 0, None),
            seen(0, 256, None),
            seen(0, 0, Some(CellRef::new(0, 4096))),
            seen(0, 0, Some(CellRef::new(ROW_NONE, COL_NONE))),
        ] {
            assert_eq!(wide.pack(), None, "{wide:?}");
        }
    }

    #[test]
    fn a_place_too_wide_to_pack_is_found_all_the_same() {
        let identity = |k: usize| if k == 1 << 24 { "far" } else { "near" };
        let mut texts = Texts::default();
        let far = ProjectText {
            text: "全年维护保养电梯".into(),
            cell: Some(CellRef::new(9, 5000)),
        };
        texts.add(1 << 24, std::slice::from_ref(&far), identity);
        texts.add(1 << 24 | 1, &[far], identity);
        let found = texts.repeated();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].first, (1 << 24, Some(CellRef::new(9, 5000))));
        assert_eq!(found[0].projects, [1 << 24, 1 << 24 | 1]);
    }
}
