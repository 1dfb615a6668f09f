//! 项目编码 rules (JX401–JX403): the code's shape, one table per code, and codes whose region or
//! year differ from the rest of their department.

use super::{Check, Code, Findings, Fixable, RuleDoc, RuleInfo};
use crate::diag::Severity;
use crate::model::Project;
use crate::reconcile::{BatchView, ProjectRef};
use std::collections::BTreeMap;

/// This family's rules, in code order.
pub(super) const RULES: &[RuleInfo] = &[BAD_PROJECT_CODE, DUPLICATE_PROJECT, CODE_YEAR_MISMATCH];

pub const BAD_PROJECT_CODE: RuleInfo = RuleInfo {
    code: Code::JX401,
    severity: Severity::Error,
    fixable: Fixable::No,
    summary: "项目编码不是 6 位区划 + 2 位年度 + 1 位字母 + 12 位字符（共 21 位）",
    doc: RuleDoc {
        what: "项目编码应为 21 位：6 位财政区划代码、2 位年度、1 位字母、12 位数字或字母，例如 `13020225P000039100011`。",
        why: "预算管理一体化规范（财办〔2020〕13号）统一了项目编码；格式不对的编码无法与部门预算对账。校验位算法未知，不作检查。",
        fires: "`13020225P0000391`（16 位）；`130202-25-P000039100011`。",
        quiet: "`13020225P000039100011`、`13020225P00003410001L`。",
    },
    checks: &[Check::Project(bad_project_code)],
};

pub const DUPLICATE_PROJECT: RuleInfo = RuleInfo {
    code: Code::JX402,
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
    checks: &[Check::Batch(duplicate_project)],
};

pub const CODE_YEAR_MISMATCH: RuleInfo = RuleInfo {
    code: Code::JX403,
    severity: Severity::Warning,
    fixable: Fixable::No,
    summary: "项目编码的区划或年度与本单位其他项目不同",
    doc: RuleDoc {
        what: "项目编码的前 6 位（区划）或第 7–8 位（年度）与同一单位多数项目不同。",
        why: "同一单位同一年度的项目应使用同一区划和年度；不同时多半是沿用了往年或别的单位的表（编码规则见财办〔2020〕13号《预算管理一体化规范（试行）》：财政区划 + 年度 + 项目类别 + 顺序号）。",
        fires: "本单位项目都是 `13020225…`，其中一个是 `13020224…`（2024 年）。",
        quiet: "所有项目都以 `13020225` 开头。",
    },
    checks: &[Check::Batch(code_year_mismatch)],
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
    if p.code_stored_as_number && p.code.len() > 15 {
        let digits = p.code.chars().filter(char::is_ascii_digit).count();
        f.at(p, p.source.cells.code, format!("项目编码所在单元格是数字格式：Excel 只保留 15 位有效数字，{digits} 位的编码末尾几位已变成 0（读到 {}），不是填报人输入的编码；请把单元格设为文本格式后重新输入完整编码", p.code));
        return;
    }
    if p.code.is_empty() || is_valid_code(&p.code) {
        return;
    }
    let n = p.code.chars().count();
    f.at(p, p.source.cells.code, format!("项目编码“{}”格式不对：应为 6 位区划 + 2 位年度 + 1 位字母 + 12 位数字或字母，共 21 位（实际 {n} 位）", p.code));
}

/// Every table after the first with its code, told where the first one is. In batch order:
/// a streamed `check` and `convert` name the same first place.
fn duplicate_project(view: &BatchView, f: &mut Findings) {
    // The tables with a code, in batch order, sorted by code (ties by place): a province's
    // batch has hundreds of thousands, and a list of their places is a tenth of a map's size.
    let all: Vec<&ProjectRef> = view
        .departments
        .iter()
        .flat_map(|d| &d.projects)
        .filter(|p| !p.code.is_empty())
        .collect();
    let mut by_code: Vec<u32> = (0..all.len() as u32).collect();
    by_code.sort_unstable_by(|&a, &b| {
        all[a as usize]
            .code
            .cmp(&all[b as usize].code)
            .then(a.cmp(&b))
    });
    // Each later table with the first of its code, told in batch order.
    let mut later: Vec<(u32, u32)> = Vec::new();
    for group in by_code.chunk_by(|&a, &b| all[a as usize].code == all[b as usize].code) {
        later.extend(group[1..].iter().map(|&k| (k, group[0])));
    }
    later.sort_unstable();
    for (k, first) in later {
        let (p, earlier) = (all[k as usize], all[first as usize]);
        let at = format!(
            "{}:{}",
            earlier.at.file,
            crate::model::cell::quote_sheet_name(&earlier.at.sheet)
        );
        f.at_ref(
            p,
            p.at.code_cell,
            format!(
                "项目编码 {} 与 {at} 的“{}”重复（同一张表提交了两次？）",
                p.code,
                earlier.name.trim()
            ),
        );
    }
}

fn code_year_mismatch(model: &BatchView, f: &mut Findings) {
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

    /// JX402's messages on a view of files holding these codes (file n, table k).
    fn duplicates(files: &[&[&str]]) -> Vec<String> {
        let mut view = BatchView::default();
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
            view.add_file(&contents);
        }
        let mut out = Vec::new();
        crate::check::run_batch(&view, &crate::config::Config::default(), &mut out);
        out.into_iter()
            .filter(|d| d.code == Code::JX402)
            .map(|d| format!("{}:{} {}", d.file, d.sheet.unwrap_or_default(), d.message))
            .collect()
    }

    #[test]
    fn every_later_table_with_a_code_is_told_where_the_first_is() {
        let found = duplicates(&[
            &["13020225P000000000001", "13020225P000000000002"],
            &["13020225P000000000003", "13020225P000000000002", ""],
            &["13020225P000000000001", "13020225P000000000002", ""],
        ]);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].starts_with("1.xlsx:表1 ") && found[0].contains("0.xlsx:表1 的“项目0-1”"));
        assert!(found[1].starts_with("2.xlsx:表0 ") && found[1].contains("0.xlsx:表0 的“项目0-0”"));
        assert!(found[2].starts_with("2.xlsx:表1 ") && found[2].contains("0.xlsx:表1 的“项目0-1”"));
        assert!(duplicates(&[&["13020225P000000000001"], &["13020225P000000000002"]]).is_empty());
    }
}
