//! The 部门整体 section's items matched with the department's project tables (JX505–JX507 and
//! the roll-up's 部门整体 sheet read the same matching).
//!
//! An item matches a table by 项目编码 when it gives one; else by name: the same name, else one
//! name containing the other (the shorter at least three characters), both compared after
//! removing white space, quotes and the words that names add or drop freely — 经费, 费用, 费,
//! 项目, 专项, 资金 (`政府投资项目评审` is `政府投资项目评审费`; `工程建设项目` is contained in
//! `工程建设项目联合审批系统运维费`). An item's indicator matches a table indicator the same way,
//! by its 三级指标, after removing 比例, 占比, 百分比 and 的.

use super::{DepartmentView, ProjectRef};
use crate::model::text::label_key;
use crate::model::{measures_of, OverallIndicator, OverallItem, Target};

/// Words a project's name gains or loses between the prose and its table.
const NAME_NOISE: &[&str] = &["经费", "费用", "费", "项目", "专项", "资金"];

/// Words an indicator's name gains or loses (`正常使用率占比` is `正常使用率`).
const INDICATOR_NOISE: &[&str] = &["百分比", "比例", "占比", "的"];

/// The shortest name that may match by being contained in another.
const MIN_CONTAINED: usize = 3;

fn key(text: &str, noise: &[&str]) -> String {
    let mut k: String = label_key(text)
        .chars()
        .filter(|c| !"“”\"'‘’《》()（）".contains(*c))
        .collect();
    for word in noise {
        k = k.replace(word, "");
    }
    k
}

/// Equal, or one contains the other and the shorter is long enough to mean something.
fn names_match(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    short.chars().count() >= MIN_CONTAINED && long.contains(short)
}

/// The department's project tables (indices into `dept.projects`) each item matches, in item
/// order.
pub fn match_items(dept: &DepartmentView) -> Vec<Vec<usize>> {
    let Some(overall) = &dept.overall else {
        return Vec::new();
    };
    let keys: Vec<String> = dept
        .projects
        .iter()
        .map(|p| key(&p.name, NAME_NOISE))
        .collect();
    overall
        .items
        .iter()
        .map(|item| matches_of(item, &dept.projects, &keys))
        .collect()
}

fn matches_of(item: &OverallItem, projects: &[ProjectRef], keys: &[String]) -> Vec<usize> {
    let all = |keep: &dyn Fn(usize) -> bool| -> Vec<usize> {
        (0..projects.len()).filter(|&i| keep(i)).collect()
    };
    if let Some(code) = &item.code {
        let found = all(&|i| *projects[i].code == **code);
        if !found.is_empty() {
            return found;
        }
    }
    let mine = key(&item.name, NAME_NOISE);
    let exact = all(&|i| !mine.is_empty() && keys[i] == mine);
    if !exact.is_empty() {
        return exact;
    }
    all(&|i| names_match(&keys[i], &mine))
}

/// How an item's indicator compares with its table.
#[derive(Debug, Clone, PartialEq)]
pub enum IndicatorCheck<'a> {
    /// The table has it, with the same target (or the item states none).
    Same,
    /// The table has no indicator of that name.
    Missing,
    /// The table has it with another target: its 三级指标 and 指标值.
    Differs { level3: &'a str, target: &'a str },
}

/// Compares an item's indicator with a table's indicators, its `measures` (`None` when they
/// were not kept: nothing is said then).
pub fn compare<'a>(
    indicator: &OverallIndicator,
    measures: Option<&'a str>,
) -> Option<IndicatorCheck<'a>> {
    let mine = key(indicator.name(), INDICATOR_NOISE);
    let mut found = None;
    for (level3, target) in measures_of(measures?) {
        if names_match(&key(level3, INDICATOR_NOISE), &mine) {
            if same_target(&indicator.target, target) {
                return Some(IndicatorCheck::Same);
            }
            found.get_or_insert(IndicatorCheck::Differs { level3, target });
        }
    }
    Some(found.unwrap_or(IndicatorCheck::Missing))
}

/// The item's target says what the table's does: the same comparator, number and unit; an
/// item that states no number agrees with any.
fn same_target(item: &Target, table: &str) -> bool {
    if !item.is_measured() {
        return true;
    }
    let table = Target::parse(table);
    item.op == table.op
        && item.value == table.value
        && item.value_max == table.value_max
        && item.unit == table.unit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_after_the_words_they_add_or_drop() {
        let k = |t| key(t, NAME_NOISE);
        assert_eq!(k("政府投资项目评审"), k("政府投资项目评审费"));
        assert!(names_match(
            &k("工程建设项目联合审批系统运维费"),
            &k("工程建设项目")
        ));
        assert!(!names_match(&k("优化营商环境项目经费"), &k("邮递专项经费")));
        assert!(!names_match(
            &k("“互联网+政务服务”平台运维护"),
            &k("工程建设项目联合审批系统运维费")
        ));
        // Too short to be contained by chance: `运维` is in many names.
        assert!(!names_match(&k("系统运维费"), &k("运维费")));
    }
}
