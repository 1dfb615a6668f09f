//! 项目编码 rules (JX401–JX403): the code's shape, one table per code, and codes whose region or
//! year differ from the rest of their department.

use super::{Check, Findings, Fixable, RuleDoc, RuleInfo};
use crate::diag::Severity;
use crate::model::{Model, Project};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

pub const BAD_PROJECT_CODE: RuleInfo = RuleInfo {
    code: "JX401",
    name: "bad-project-code",
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "项目编码不是 6 位区划 + 2 位年度 + 1 位字母 + 12 位字符（共 21 位）",
    doc: RuleDoc {
        what: "项目编码应为 21 位：6 位财政区划代码、2 位年度、1 位字母、12 位数字或字母，例如 `13020225P000039100011`。",
        why: "预算管理一体化规范（财办〔2020〕13号）统一了项目编码；格式不对的编码无法与部门预算对账。校验位算法未知，不作检查。",
        fires: "`13020225P0000391`（16 位）；`130202-25-P000039100011`。",
        quiet: "`13020225P000039100011`、`13020225P00003410001L`。",
    },
    check: Check::Project(bad_project_code),
};

pub const DUPLICATE_PROJECT: RuleInfo = RuleInfo {
    code: "JX402",
    name: "duplicate-project",
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "同一项目编码出现在两张表中（同一文件或不同文件）",
    doc: RuleDoc {
        what:
            "同一个项目编码在本批文件中出现不止一次：同一张表提交了两次，或两个项目误用了同一编码。",
        why: "重复的表会让汇总金额重复计算；同一编码对应两个项目则无法对账。",
        fires: "`劳务费.xlsx` 和 `合并一表.xlsx` 中都有 `13020225P00003810001B`。",
        quiet: "每个项目编码只出现一次。",
    },
    check: Check::Model(duplicate_project),
};

pub const CODE_YEAR_MISMATCH: RuleInfo = RuleInfo {
    code: "JX403",
    name: "code-year-mismatch",
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "项目编码的区划或年度与本单位其他项目不同",
    doc: RuleDoc {
        what: "项目编码的前 6 位（区划）或第 7–8 位（年度）与同一单位多数项目不同。",
        why: "同一单位同一年度的项目应使用同一区划和年度；不同时多半是沿用了往年或别的单位的表（DOMAIN.md R16）。",
        fires: "本单位项目都是 `13020225…`，其中一个是 `13020224…`（2024 年）。",
        quiet: "所有项目都以 `13020225` 开头。",
    },
    check: Check::Batch(code_year_mismatch),
};

/// The code's shape: 6-digit region, 2-digit year, a letter, 12 letters or digits.
pub fn is_valid_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 21
        && b[..8].iter().all(u8::is_ascii_digit)
        && b[8].is_ascii_alphabetic()
        && b[9..].iter().all(u8::is_ascii_alphanumeric)
}

fn bad_project_code(p: &Project, f: &mut Findings) {
    if p.code.is_empty() || is_valid_code(&p.code) {
        return;
    }
    let n = p.code.chars().count();
    f.at(p, p.source.cells.code, format!("项目编码“{}”格式不对：应为 6 位区划 + 2 位年度 + 1 位字母 + 12 位数字或字母，共 21 位（实际 {n} 位）", p.code));
}

fn duplicate_project(model: &Model, f: &mut Findings) {
    let mut first: BTreeMap<&str, &Project> = BTreeMap::new();
    for (_, p) in model.projects().filter(|(_, p)| !p.code.is_empty()) {
        match first.get(p.code.as_str()) {
            None => {
                first.insert(&p.code, p);
            }
            Some(earlier) => report_duplicate(
                f,
                p,
                &earlier.source.file,
                &earlier.source.sheet,
                &earlier.name,
            ),
        }
    }
}

fn report_duplicate(f: &mut Findings, p: &Project, file: &str, sheet: &str, name: &str) {
    let at = format!("{file}:{}", crate::model::cell::quote_sheet_name(sheet));
    f.at(
        p,
        p.source.cells.code,
        format!(
            "项目编码 {} 与 {at} 的“{}”重复（同一张表提交了两次？）",
            p.code,
            name.trim()
        ),
    );
}

/// JX402 across the files of a streamed batch: where each code was first seen, as an index into
/// the batch view (duplicates within one file are found with the file's own rules). Codes are
/// kept as hashes, the view holding the text: a few bytes per project however long the batch.
#[derive(Debug)]
pub struct SeenCodes {
    hash: fn(&str) -> u64,
    first: HashMap<u64, (u32, u32)>,
    /// The rare code whose hash an earlier, different code already has.
    collided: HashMap<Box<str>, (u32, u32)>,
}

fn code_hash(code: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    code.hash(&mut h);
    h.finish()
}

impl Default for SeenCodes {
    fn default() -> SeenCodes {
        SeenCodes {
            hash: code_hash,
            first: HashMap::new(),
            collided: HashMap::new(),
        }
    }
}

impl SeenCodes {
    /// Where `code` was first seen, if it was.
    fn find(&self, view: &crate::reconcile::BatchView, code: &str) -> Option<(usize, usize)> {
        let at = |&(d, i): &(u32, u32)| (d as usize, i as usize);
        let (d, i) = at(self.first.get(&(self.hash)(code))?);
        if *view.departments[d].projects[i].code == *code {
            return Some((d, i));
        }
        self.collided.get(code).map(at)
    }

    /// Reports the next file's projects whose code an earlier file had (each code once per
    /// file). `view` holds the earlier files.
    pub fn check_file<'p>(
        &self,
        projects: impl Iterator<Item = &'p Project>,
        view: &crate::reconcile::BatchView,
        config: &crate::config::Config,
        out: &mut Vec<crate::diag::Diagnostic>,
    ) {
        let Some(mut f) = super::findings(DUPLICATE_PROJECT.code, config, out) else {
            return;
        };
        let mut reported: Vec<&str> = Vec::new();
        for p in projects.filter(|p| !p.code.is_empty()) {
            let Some((d, i)) = self.find(view, &p.code) else {
                continue;
            };
            if reported.contains(&p.code.as_str()) {
                continue;
            }
            reported.push(&p.code);
            let earlier = &view.departments[d].projects[i];
            report_duplicate(
                &mut f,
                p,
                &earlier.at.file,
                &earlier.at.sheet,
                &earlier.name,
            );
        }
    }

    /// Remembers the codes of a file just added to the view at `placed`.
    pub fn remember(&mut self, view: &crate::reconcile::BatchView, placed: &[(usize, usize)]) {
        for &(d, i) in placed {
            let code = &view.departments[d].projects[i].code;
            if code.is_empty() || self.find(view, code).is_some() {
                continue;
            }
            let at = (d as u32, i as u32);
            match self.first.entry((self.hash)(code)) {
                Entry::Vacant(e) => {
                    e.insert(at);
                }
                Entry::Occupied(_) => {
                    self.collided.insert((**code).into(), at);
                }
            }
        }
    }
}

fn code_year_mismatch(model: &crate::reconcile::BatchView, f: &mut Findings) {
    for dept in &model.departments {
        let prefixes: Vec<&str> = dept
            .projects
            .iter()
            .filter(|p| is_valid_code(&p.code))
            .map(|p| &p.code[..8])
            .collect();
        // Count each region+year, remembering where it first appeared.
        let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for (i, prefix) in prefixes.iter().enumerate() {
            counts.entry(prefix).or_insert((0, i)).0 += 1;
        }
        // The most common one; ties go to the first seen, so the result is stable.
        let Some((usual, _)) = counts
            .iter()
            .max_by_key(|(_, (n, first))| (*n, std::cmp::Reverse(*first)))
        else {
            continue;
        };
        let usual: &str = usual;
        if counts[usual].0 * 2 <= prefixes.len() {
            continue;
        }
        for p in dept
            .projects
            .iter()
            .filter(|p| is_valid_code(&p.code) && &p.code[..8] != usual)
        {
            let (region, year) = (&p.code[..6], &p.code[6..8]);
            let what = match (region != &usual[..6], year != &usual[6..8]) {
                (true, true) => "区划和年度",
                (true, false) => "区划",
                _ => "年度",
            };
            f.at_ref(
                p,
                p.at.code_cell,
                format!(
                    "项目编码的{what}（{region}/{year}）与本单位其他项目（{}/{}）不一致",
                    &usual[..6],
                    &usual[6..8]
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_shape() {
        for ok in [
            "13020225P000039100011",
            "13020225P00003410001L",
            "13020225P00003510001A",
        ] {
            assert!(is_valid_code(ok), "{ok}");
        }
        for bad in [
            "13020225P0000391",
            "130202-25-P000039100",
            "1302022XP000039100011",
            "130202251000039100011",
            "13020225P00003910001１",
        ] {
            assert!(!is_valid_code(bad), "{bad}");
        }
    }

    /// Streams files through a view and `SeenCodes` as `check` does; the JX402 messages.
    fn duplicates_streamed(seen: &mut SeenCodes, files: &[&[&str]]) -> Vec<String> {
        let config = crate::config::Config::default();
        let mut view = crate::reconcile::BatchView::default();
        let mut out = Vec::new();
        for (n, codes) in files.iter().enumerate() {
            let mut contents = crate::model::WorkbookContents::default();
            for (k, code) in codes.iter().enumerate() {
                let mut p = Project {
                    code: code.to_string(),
                    name: format!("项目{n}-{k}"),
                    ..Project::default()
                };
                p.source.file = format!("{n}.xlsx");
                p.source.sheet = format!("表{k}");
                contents.projects.push((crate::model::Unit::default(), p));
            }
            seen.check_file(
                contents.projects.iter().map(|(_, p)| p),
                &view,
                &config,
                &mut out,
            );
            let placed = view.add_file(&contents);
            seen.remember(&view, &placed);
        }
        out.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn seen_codes_find_earlier_files_codes_even_when_hashes_collide() {
        let files: &[&[&str]] = &[
            &["13020225P000000000001", "13020225P000000000002"],
            &["13020225P000000000003", "13020225P000000000002"],
            &["13020225P000000000001", "13020225P000000000004"],
        ];
        let mut hashed = SeenCodes::default();
        let normal = duplicates_streamed(&mut hashed, files);
        assert_eq!(normal.len(), 2, "{normal:?}");
        assert!(normal[0].contains("13020225P000000000002") && normal[0].contains("项目0-1"));
        assert!(normal[1].contains("13020225P000000000001") && normal[1].contains("项目0-0"));
        // Every code with one hash: the collided table must give the same answers.
        let mut colliding = SeenCodes {
            hash: |_| 7,
            ..SeenCodes::default()
        };
        assert_eq!(duplicates_streamed(&mut colliding, files), normal);
        assert_eq!(colliding.collided.len(), 3);
    }
}
