//! The edits found in an edited roll-up: what `jxmb apply` carries back into the model kept
//! inside it. Every row of 指标明细 and 项目汇总 is compared with the model; an edit that
//! cannot be placed (an unknown 项目编码, a malformed number, a deleted key column) is a
//! problem naming its cell, and any problem rejects the whole apply.

use super::{DETAILS, SUMMARY};
use crate::error::Error;
use crate::model::amount::{money_text, parse_decimal};
use crate::model::cell::quote_sheet_name;
use crate::model::{Column, Field, Model};
use crate::read::rollup::{read_rollup, Row, Rows};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One edit found in the roll-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub dept: usize,
    pub project: usize,
    pub field: Field,
    pub old: String,
    pub new: String,
}

/// The columns of 指标明细 a user may edit.
const EDITABLE: [(&str, Column); 6] = [
    ("一级指标", Column::Level1),
    ("二级指标", Column::Level2),
    ("三级指标", Column::Level3),
    ("绩效指标描述", Column::Description),
    ("指标值", Column::Target),
    ("指标值确定依据", Column::Basis),
];

/// A roll-up read back: the model kept in it, and the edits made to its sheets.
pub struct Edited {
    pub model: Model,
    pub changes: Vec<Change>,
}

/// Reads an edited roll-up: the model in its hidden sheet and every edit of 指标明细 (and its
/// continuations) and 项目汇总. One invalid edit refuses the whole file, listing every one.
pub fn read_edits(path: &Path) -> Result<Edited, Error> {
    let shown = path.display().to_string();
    let file = read_rollup(path, super::MODEL, &[DETAILS, SUMMARY])
        .map_err(|why| Error::Usage(format!("无法读取“{shown}”：{why}")))?;
    let json = file.model_json.ok_or_else(|| {
        Error::Usage(format!(
            "“{shown}”不是 jxmb 写出的汇总表（缺少隐藏的模型工作表 {}），无法写回",
            super::MODEL
        ))
    })?;
    let model = Model::from_json(&json)
        .map_err(|why| Error::Usage(format!("“{shown}”中的模型已损坏：{why}")))?;
    // 指标明细 and its continuations (指标明细（2）… on a list longer than a sheet holds).
    let details: Vec<(&str, &Rows)> = file
        .sheets
        .iter()
        .filter(|(n, _)| n == DETAILS || n.starts_with(&format!("{DETAILS}（")))
        .map(|(n, rows)| (n.as_str(), rows))
        .collect();
    let summary = file
        .sheets
        .iter()
        .find(|(n, _)| n == SUMMARY)
        .map(|(_, rows)| rows);
    let changes = edits(&model, &details, summary).map_err(|problems| {
        Error::Usage(format!(
            "汇总表中有 {} 处无效修改，未写出任何文件：\n{}",
            problems.len(),
            problems.join("\n")
        ))
    })?;
    Ok(Edited { model, changes })
}

impl Edited {
    /// Makes the edits in the model; returns one line per change
    /// (`  劳务费（13020225P00003810001B）指标 4 指标值：3860元/月/人 → 3888.89元/月/人`).
    pub fn apply(&mut self) -> Result<String, Error> {
        let mut text = String::new();
        for c in &self.changes {
            let p = &mut self.model.departments[c.dept].projects[c.project];
            text.push_str(&format!(
                "  {}（{}）{}：{} → {}\n",
                p.name.trim(),
                p.code,
                field_name(c.field),
                c.old,
                c.new
            ));
            p.set(c.field, &c.new).map_err(Error::Usage)?;
        }
        Ok(text)
    }
}

fn field_name(field: Field) -> String {
    match field {
        Field::Total => "预算数".into(),
        Field::Fiscal => "财政资金".into(),
        Field::Other => "其他资金".into(),
        Field::Indicator(i, c) => format!("指标 {} {}", i + 1, c.label()),
        other => format!("{other:?}"),
    }
}

/// The folder all sources share, so outputs keep their relative places.
pub fn common_folder(model: &Model) -> PathBuf {
    let mut common: Option<PathBuf> = None;
    for (_, p) in model.projects() {
        let parent = Path::new(&p.source.file)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        common = Some(match common {
            None => parent,
            Some(c) => c
                .components()
                .zip(parent.components())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect(),
        });
    }
    common.unwrap_or_default()
}

fn at(sheet: &str, row: &Row, col: usize) -> String {
    format!("{}!{}", quote_sheet_name(sheet), row.cell(col))
}

/// The columns of a header row by name; the keys must be there.
fn columns(
    sheet: &str,
    rows: &Rows,
    keys: &[&str],
    problems: &mut Vec<String>,
) -> Option<BTreeMap<String, usize>> {
    let header = rows.rows.first()?;
    let map: BTreeMap<String, usize> = header
        .cells
        .iter()
        .enumerate()
        .map(|(i, name)| (name.trim().to_string(), i))
        .collect();
    let missing: Vec<&&str> = keys.iter().filter(|k| !map.contains_key(**k)).collect();
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|k| format!("“{k}”")).collect();
        problems.push(format!(
            "{sheet}：缺少关键列 {}（请不要删除或改名关键列）",
            names.join("、")
        ));
        return None;
    }
    Some(map)
}

/// Finds every edit; `Err` lists every invalid one with its cell.
pub fn edits(
    model: &Model,
    details: &[(&str, &Rows)],
    summary: Option<&Rows>,
) -> Result<Vec<Change>, Vec<String>> {
    let mut by_code: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for (di, d) in model.departments.iter().enumerate() {
        for (pi, p) in d.projects.iter().enumerate() {
            by_code.entry(p.code.as_str()).or_default().push((di, pi));
        }
    }
    let mut problems = Vec::new();
    let mut changes = Vec::new();
    if details.is_empty() {
        problems.push(format!("缺少工作表“{}”", DETAILS));
    }
    for (sheet, rows) in details {
        detail_edits(model, sheet, rows, &by_code, &mut changes, &mut problems);
    }
    match summary {
        Some(rows) => summary_edits(model, rows, &by_code, &mut changes, &mut problems),
        None => problems.push(format!("缺少工作表“{}”", SUMMARY)),
    }
    if problems.is_empty() {
        Ok(changes)
    } else {
        Err(problems)
    }
}

fn project_of<'a>(
    by_code: &'a BTreeMap<&str, Vec<(usize, usize)>>,
    code: &str,
    place: String,
    problems: &mut Vec<String>,
) -> Option<&'a [(usize, usize)]> {
    match by_code.get(code) {
        Some(list) => Some(list),
        None => {
            problems.push(format!("{place}：项目编码“{code}”不在汇总表的项目中"));
            None
        }
    }
}

/// The tables a row may be about: those with its 项目编码 (`projects`), narrowed to those with
/// its 项目名称 too when the code is repeated (JX402: two different tables under one code) and
/// the name tells them apart.
fn tables_of(
    model: &Model,
    projects: &[(usize, usize)],
    name: Option<&str>,
) -> Vec<(usize, usize)> {
    let named: Vec<(usize, usize)> = match name {
        Some(name) if projects.len() > 1 => projects
            .iter()
            .copied()
            .filter(|&(di, pi)| model.departments[di].projects[pi].name.trim() == name)
            .collect(),
        _ => Vec::new(),
    };
    if named.is_empty() {
        projects.to_vec()
    } else {
        named
    }
}

/// What a row changes, given the changes it would make to each table it may be about: none
/// when it reads exactly as one of them (not edited: a repeated code alone is no reason to
/// refuse), the one table's changes, or a problem when an edit cannot be placed.
fn settle(
    mut per_table: Vec<Vec<Change>>,
    code: &str,
    place: String,
    changes: &mut Vec<Change>,
    problems: &mut Vec<String>,
) {
    if per_table.iter().any(Vec::is_empty) {
        return;
    }
    if per_table.len() > 1 {
        problems.push(format!(
            "{place}：项目编码“{code}”对应 {} 张表（编码重复），无法确定修改哪一张",
            per_table.len()
        ));
        return;
    }
    changes.extend(per_table.pop().unwrap_or_default());
}

fn detail_edits(
    model: &Model,
    sheet: &str,
    rows: &Rows,
    by_code: &BTreeMap<&str, Vec<(usize, usize)>>,
    changes: &mut Vec<Change>,
    problems: &mut Vec<String>,
) {
    let Some(cols) = columns(sheet, rows, &["项目编码", "序号"], problems) else {
        return;
    };
    let (code_col, seq_col) = (cols["项目编码"], cols["序号"]);
    let name_col = cols.get("项目名称").copied();
    for row in rows
        .rows
        .iter()
        .skip(1)
        .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
    {
        let code = row.get(code_col).trim();
        let Some(projects) = project_of(by_code, code, at(sheet, row, code_col), problems) else {
            continue;
        };
        let Some(seq) = row
            .get(seq_col)
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
        else {
            problems.push(format!(
                "{}：序号“{}”不是有效的数字",
                at(sheet, row, seq_col),
                row.get(seq_col)
            ));
            continue;
        };
        let tables = tables_of(model, projects, name_col.map(|c| row.get(c).trim()));
        let mut per_table = Vec::new();
        for &(di, pi) in &tables {
            let p = &model.departments[di].projects[pi];
            let Some(ind) = p.indicators.get(seq - 1) else {
                continue;
            };
            let mut found = Vec::new();
            for (name, column) in EDITABLE {
                let Some(&c) = cols.get(name) else { continue };
                let new = row.get(c);
                if new != ind.text(column) {
                    found.push(Change {
                        dept: di,
                        project: pi,
                        field: Field::Indicator(seq - 1, column),
                        old: ind.text(column).to_string(),
                        new: new.to_string(),
                    });
                }
            }
            per_table.push(found);
        }
        if per_table.is_empty() {
            let (di, pi) = tables[0];
            let p = &model.departments[di].projects[pi];
            problems.push(format!(
                "{}：序号 {seq} 超出项目“{}”的指标数（{}）",
                at(sheet, row, seq_col),
                p.name.trim(),
                p.indicators.len()
            ));
            continue;
        }
        settle(per_table, code, at(sheet, row, code_col), changes, problems);
    }
}

fn summary_edits(
    model: &Model,
    rows: &Rows,
    by_code: &BTreeMap<&str, Vec<(usize, usize)>>,
    changes: &mut Vec<Change>,
    problems: &mut Vec<String>,
) {
    let sheet = SUMMARY;
    let Some(cols) = columns(sheet, rows, &["项目编码"], problems) else {
        return;
    };
    let code_col = cols["项目编码"];
    let name_col = cols.get("项目名称").copied();
    let amounts = [
        ("预算数", Field::Total),
        ("财政资金", Field::Fiscal),
        ("其他资金", Field::Other),
    ];
    for row in rows.rows.iter().skip(1) {
        if row.get(0).trim() == "合计" {
            break;
        }
        let code = row.get(code_col).trim();
        if code.is_empty() {
            continue;
        }
        let Some(projects) = project_of(by_code, code, at(sheet, row, code_col), problems) else {
            continue;
        };
        // The row's amounts; one that is not a number is a problem of its own.
        let mut written = Vec::new();
        for (name, field) in amounts {
            let Some(&c) = cols.get(name) else { continue };
            let text = row.get(c).trim();
            if text.is_empty() {
                written.push((field, None));
                continue;
            }
            match parse_decimal(text) {
                Some(v) => written.push((field, Some(v))),
                None => problems.push(format!("{}：{name}“{text}”不是数字", at(sheet, row, c))),
            }
        }
        let tables = tables_of(model, projects, name_col.map(|c| row.get(c).trim()));
        let show = |v: Option<rust_decimal::Decimal>| {
            v.map(|v| money_text(&v)).unwrap_or_else(|| "（空）".into())
        };
        let per_table = tables
            .iter()
            .map(|&(di, pi)| {
                let p = &model.departments[di].projects[pi];
                written
                    .iter()
                    .filter_map(|&(field, new)| {
                        let old = match field {
                            Field::Total => p.budget.total,
                            Field::Fiscal => p.budget.fiscal,
                            _ => p.budget.other,
                        };
                        (old != new).then(|| Change {
                            dept: di,
                            project: pi,
                            field,
                            old: show(old),
                            new: new.map(|v| v.to_string()).unwrap_or_default(),
                        })
                    })
                    .collect()
            })
            .collect();
        settle(per_table, code, at(sheet, row, code_col), changes, problems);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 劳务费 twice under one 项目编码 (JX402), the second renamed and with another 指标值.
    fn repeated_code(second_name: &str) -> Model {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample-workbooks/lunan-2025/3.劳务费.xlsx");
        let contents = crate::read::read_file(&path, "3.劳务费.xlsx").expect("read");
        let mut model = Model::from_workbooks(vec![contents]);
        let mut second = model.departments[0].projects[0].clone();
        second.name = second_name.into();
        second.indicators[0].set(Column::Target, "≥30人");
        model.departments[0].projects.push(second);
        model
    }

    /// 指标明细 as the roll-up writes it, with `edit` applied to each row's cells.
    fn details(model: &Model, edit: impl Fn(&mut Vec<String>)) -> Rows {
        let mut rows = vec![Row {
            row: 0,
            cells: crate::rollup::headers(&crate::rollup::detail_columns())
                .iter()
                .map(|c| c.to_string())
                .collect(),
        }];
        for (_, p) in model.projects() {
            for (n, i) in p.indicators.iter().enumerate() {
                let mut cells = vec![p.code.clone(), (n + 1).to_string(), p.name.clone()];
                cells.extend([&i.level1, &i.level2, &i.level3, &i.description].map(|s| s.clone()));
                cells.push(i.target.text.clone());
                cells.push(i.unit_column.clone().unwrap_or_default());
                cells.push(i.basis.clone());
                edit(&mut cells);
                rows.push(Row {
                    row: rows.len() as u32,
                    cells,
                });
            }
        }
        Rows { rows }
    }

    fn summary(model: &Model) -> Rows {
        let header = ["项目编码", "项目名称"].map(String::from).to_vec();
        let mut rows = vec![Row {
            row: 0,
            cells: header,
        }];
        for (_, p) in model.projects() {
            let cells = vec![p.code.clone(), p.name.clone()];
            rows.push(Row {
                row: rows.len() as u32,
                cells,
            });
        }
        Rows { rows }
    }

    #[test]
    fn a_repeated_code_is_told_apart_by_name_and_unedited_rows_are_not_edits() {
        let model = repeated_code("劳务费（二）");
        let sum = summary(&model);
        // Unedited: both tables' rows read as they are, though they share the code.
        let same = details(&model, |_| {});
        assert_eq!(
            edits(&model, &[(DETAILS, &same)], Some(&sum)).map(|c| c.len()),
            Ok(0)
        );
        // An edit on the second table's row is its own, found by its name.
        let edited = details(&model, |cells| {
            if cells[2] == "劳务费（二）" && cells[1] == "1" {
                cells[7] = "≥31人".into();
            }
        });
        let changes = edits(&model, &[(DETAILS, &edited)], Some(&sum)).expect("valid");
        assert_eq!(changes.len(), 1);
        assert_eq!((changes[0].project, changes[0].new.as_str()), (1, "≥31人"));
    }

    #[test]
    fn an_edit_under_a_code_and_name_two_tables_share_is_refused() {
        let model = repeated_code("劳务费");
        let sum = summary(&model);
        let edited = details(&model, |cells| {
            if cells[1] == "2" {
                cells[7] = "≥96%".into();
            }
        });
        let problems = edits(&model, &[(DETAILS, &edited)], Some(&sum)).expect_err("refused");
        assert!(
            problems
                .iter()
                .all(|p| p.contains("对应 2 张表（编码重复）")),
            "{problems:?}"
        );
        assert_eq!(problems.len(), 2, "one per edited row: {problems:?}");
    }
}
