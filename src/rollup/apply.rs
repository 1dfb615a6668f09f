//! The edits found in an edited roll-up: what `jxmb apply` carries back into the model kept
//! inside it (SPEC §6.6). 指标明细's rows are the indicators — an edited cell changes one, a row
//! added (a new 序号, or none) adds one, a row deleted removes one; 项目汇总's rows carry each
//! project's 项目名称, amounts and spending plan. What cannot be carried out — an unknown or
//! changed 项目编码, a deleted project row, a malformed or negative amount, a formula with no
//! result, a repeated 序号 — is a problem naming its cell, and any problem refuses the whole
//! apply: nothing an edit asks for is dropped silently.

use super::{
    checkpoint_header, detail_columns, planned, summary_lead, Edit, CODE, DETAILS, NAME, NUMBER,
    SUMMARY,
};
use crate::error::Error;
use crate::model::amount::{money_text, number_text, parse_decimal};
use crate::model::cell::quote_sheet_name;
use crate::model::{Column, Field, Indicator, IndicatorCells, IndicatorSource, Model, Target};
use crate::read::rollup::{read_rollup, Row, Rows};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One edit carried into the model, as `apply` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `劳务费（13020225P00003810001B）`
    pub project: String,
    /// `指标 4 指标值`, `预算数`, `新增指标 8`
    pub what: String,
    pub old: String,
    pub new: String,
}

impl Change {
    /// `  劳务费（13020225P00003810001B）指标 4 指标值：3860元/月/人 → 3888.89元/月/人`
    pub fn line(&self) -> String {
        format!(
            "  {}{}：{} → {}\n",
            self.project, self.what, self.old, self.new
        )
    }
}

/// A roll-up read back: the model kept in it with the edits made, and the edits.
#[derive(Debug)]
pub struct Edited {
    pub model: Model,
    pub changes: Vec<Change>,
}

/// Reads an edited roll-up: the model in its hidden sheet with every edit of 指标明细 (and its
/// continuations) and 项目汇总 made. One edit that cannot be carried out refuses the whole file,
/// listing every one.
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
    edits(&model, &details, summary).map_err(|problems| {
        Error::Usage(format!(
            "汇总表中有 {} 处修改无法写回，未写出任何文件：\n{}",
            problems.len(),
            problems.join("\n")
        ))
    })
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

/// A sheet's header row (the first holding the most keys; titles may stand above it) and its
/// columns by name. Every key must be there.
fn columns(
    sheet: &str,
    rows: &Rows,
    keys: &[&str],
    problems: &mut Vec<String>,
) -> Option<(usize, BTreeMap<String, usize>)> {
    let held = |r: &Row| {
        keys.iter()
            .filter(|k| r.cells.iter().any(|c| c.trim() == **k))
            .count()
    };
    let most = rows.rows.iter().map(held).max().unwrap_or(0);
    let index = rows.rows.iter().position(|r| held(r) == most && most > 0);
    let map: BTreeMap<String, usize> = index
        .map(|i| {
            rows.rows[i]
                .cells
                .iter()
                .enumerate()
                .map(|(c, name)| (name.trim().to_string(), c))
                .collect()
        })
        .unwrap_or_default();
    let missing: Vec<String> = keys
        .iter()
        .filter(|k| !map.contains_key(**k))
        .map(|k| format!("“{k}”"))
        .collect();
    if !missing.is_empty() {
        problems.push(format!(
            "{sheet}：缺少关键列 {}（请不要删除或改名关键列）",
            missing.join("、")
        ));
        return None;
    }
    Some((index.unwrap_or(0), map))
}

/// A table of the model: (department, project).
type Table = (usize, usize);

fn label(model: &Model, (di, pi): Table) -> String {
    let p = &model.departments[di].projects[pi];
    format!("{}（{}）", p.name.trim(), p.code)
}

/// Makes every edit in a copy of `model`; `Err` lists every one that cannot be carried out.
pub fn edits(
    model: &Model,
    details: &[(&str, &Rows)],
    summary: Option<&Rows>,
) -> Result<Edited, Vec<String>> {
    let mut by_code: BTreeMap<&str, Vec<Table>> = BTreeMap::new();
    for (di, d) in model.departments.iter().enumerate() {
        for (pi, p) in d.projects.iter().enumerate() {
            by_code.entry(p.code.as_str()).or_default().push((di, pi));
        }
    }
    let mut edited = Edited {
        model: model.clone(),
        changes: Vec::new(),
    };
    let mut problems = Vec::new();
    if details.is_empty() {
        problems.push(format!("缺少工作表“{DETAILS}”"));
    }
    let mut placed: BTreeMap<Table, Vec<Placed>> = BTreeMap::new();
    for (sheet, rows) in details {
        place_detail_rows(model, sheet, rows, &by_code, &mut placed, &mut problems);
    }
    for (di, d) in model.departments.iter().enumerate() {
        for pi in 0..d.projects.len() {
            let rows = placed.remove(&(di, pi)).unwrap_or_default();
            indicators_of(model, (di, pi), &rows, &by_code, &mut edited, &mut problems);
        }
    }
    match summary {
        Some(rows) => summary_edits(model, rows, &by_code, &mut edited, &mut problems),
        None => problems.push(format!("缺少工作表“{SUMMARY}”")),
    }
    if problems.is_empty() {
        Ok(edited)
    } else {
        Err(problems)
    }
}

fn unknown_code(place: String, code: &str) -> String {
    format!("{place}：项目编码“{code}”不在汇总表的项目中（项目编码不能修改；新增项目请在原工作簿中填报）")
}

/// The tables a row may be about: those with its 项目编码, narrowed to those with its 项目名称
/// too when the code is repeated (JX402) and the name tells them apart.
fn tables_of(model: &Model, tables: &[Table], name: Option<&str>) -> Vec<Table> {
    let named: Vec<Table> = match name {
        Some(name) if tables.len() > 1 => tables
            .iter()
            .copied()
            .filter(|&(di, pi)| model.departments[di].projects[pi].name.trim() == name)
            .collect(),
        _ => Vec::new(),
    };
    if named.is_empty() {
        tables.to_vec()
    } else {
        named
    }
}

/// One 指标明细 row placed on its table: the indicator it names (`None`: a new one), and where
/// its sheet keeps each editable column.
struct Placed<'r> {
    sheet: &'r str,
    row: &'r Row,
    number: Option<usize>,
    fields: std::rc::Rc<Vec<(Column, usize)>>,
}

impl Placed<'_> {
    /// The row's text for an indicator column; `None` when its sheet has no such column.
    fn text(&self, column: Column) -> Option<&str> {
        self.fields
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, i)| self.row.get(*i))
    }
}

/// The editable columns of 指标明细 and what each changes.
fn detail_edits() -> Vec<(&'static str, Column)> {
    detail_columns()
        .iter()
        .filter_map(|c| match c.edit {
            Edit::Indicator(column) => Some((c.header, column)),
            _ => None,
        })
        .collect()
}

/// A cell the user left as a formula never calculated: its value is unknown.
fn uncalculated(sheet: &str, row: &Row, cols: &BTreeMap<String, usize>) -> Option<String> {
    let col = row
        .uncalculated
        .iter()
        .find(|c| cols.values().any(|v| v == *c))?;
    Some(format!(
        "{}：单元格是公式，但没有计算结果，值未知；请在 Excel 或 WPS 中打开并保存汇总表后再写回",
        at(sheet, row, *col)
    ))
}

fn place_detail_rows<'r>(
    model: &Model,
    sheet: &'r str,
    rows: &'r Rows,
    by_code: &BTreeMap<&str, Vec<Table>>,
    placed: &mut BTreeMap<Table, Vec<Placed<'r>>>,
    problems: &mut Vec<String>,
) {
    let Some((header, cols)) = columns(sheet, rows, &[CODE, NUMBER], problems) else {
        return;
    };
    let (code_col, number_col) = (cols[CODE], cols[NUMBER]);
    let name_col = cols.get(NAME).copied();
    let fields = std::rc::Rc::new(
        detail_edits()
            .into_iter()
            .filter_map(|(name, column)| cols.get(name).map(|c| (column, *c)))
            .collect::<Vec<_>>(),
    );
    for row in rows
        .rows
        .iter()
        .skip(header + 1)
        .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
    {
        if let Some(problem) = uncalculated(sheet, row, &cols) {
            problems.push(problem);
            continue;
        }
        let code = row.get(code_col).trim();
        let Some(tables) = by_code.get(code) else {
            problems.push(unknown_code(at(sheet, row, code_col), code));
            continue;
        };
        let number_text = row.get(number_col).trim();
        let number = if number_text.is_empty() {
            None
        } else {
            match number_text.parse::<usize>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    problems.push(format!(
                        "{}：序号“{number_text}”不是有效的数字",
                        at(sheet, row, number_col)
                    ));
                    continue;
                }
            }
        };
        let here = Placed {
            sheet,
            row,
            number,
            fields: fields.clone(),
        };
        let tables = tables_of(model, tables, name_col.map(|c| row.get(c).trim()));
        if let [table] = tables[..] {
            placed.entry(table).or_default().push(here);
            continue;
        }
        // One code and name, several tables: a row that reads exactly as one of them is that
        // table's, unedited; an edit cannot be placed.
        let same = |&(di, pi): &Table| {
            let p = &model.departments[di].projects[pi];
            number
                .and_then(|n| p.indicators.get(n - 1))
                .is_some_and(|ind| {
                    fields
                        .iter()
                        .all(|(column, c)| row.get(*c) == ind.text(*column))
                })
        };
        let matching: Vec<Table> = tables.iter().copied().filter(same).collect();
        if matching.is_empty() {
            problems.push(format!(
                "{}：项目编码“{code}”对应 {} 张表（编码重复），无法确定修改哪一张",
                at(sheet, row, code_col),
                tables.len()
            ));
        }
        for table in matching {
            placed.entry(table).or_default().push(Placed {
                sheet,
                row,
                number,
                fields: fields.clone(),
            });
        }
    }
}

/// `产出指标/数量指标/发放人数 = 24人`: an indicator in one line, for the list of changes.
fn summary_of(i: &Indicator) -> String {
    format!(
        "{}/{}/{} = {}",
        i.level1.trim(),
        i.level2.trim(),
        i.level3.trim(),
        i.target.text.trim()
    )
}

/// A table's indicators as 指标明细 now lists them: kept (and edited), added, removed.
fn indicators_of(
    model: &Model,
    table: Table,
    rows: &[Placed],
    by_code: &BTreeMap<&str, Vec<Table>>,
    edited: &mut Edited,
    problems: &mut Vec<String>,
) {
    let (di, pi) = table;
    let p = &model.departments[di].projects[pi];
    // A code two tables share under one name: only unedited rows were placed, and nothing is
    // added or removed, since no row can say which of them it belongs to.
    let shared = by_code.get(p.code.as_str()).is_some_and(|t| {
        t.iter()
            .filter(|&&(d, q)| model.departments[d].projects[q].name.trim() == p.name.trim())
            .count()
            > 1
    });
    if shared {
        return;
    }
    let project = label(model, table);
    let existing = p.indicators.len();
    let mut seen: BTreeMap<usize, &Placed> = BTreeMap::new();
    // New indicators, each after the existing one whose row came before it (`None`: first).
    let mut added: Vec<(Option<usize>, &Placed)> = Vec::new();
    let mut last = None;
    for placed in rows {
        match placed.number.filter(|n| *n <= existing) {
            Some(n) => {
                if let Some(first) = seen.get(&n) {
                    problems.push(format!(
                        "{}：项目“{}”的序号 {n} 与 {} 重复；新增的指标请用新的序号或留空",
                        at(placed.sheet, placed.row, 1),
                        p.name.trim(),
                        at(first.sheet, first.row, 1)
                    ));
                    continue;
                }
                seen.insert(n, placed);
                last = Some(n - 1);
            }
            None => added.push((last, placed)),
        }
    }
    let new_indicator = |placed: &Placed| {
        let text = |c: Column| placed.text(c).unwrap_or("").to_string();
        Indicator {
            level1: text(Column::Level1),
            level2: text(Column::Level2),
            level3: text(Column::Level3),
            description: text(Column::Description),
            target: Target::parse(&text(Column::Target)),
            basis: text(Column::Basis),
            unit_column: None,
            initial_target: None,
            source: IndicatorSource {
                sheet: p.source.sheet.clone(),
                cell: Default::default(),
                cells: IndicatorCells::default(),
            },
        }
    };
    let mut list: Vec<Indicator> = Vec::new();
    let mut changes = Vec::new();
    let push_added =
        |after: Option<usize>, list: &mut Vec<Indicator>, changes: &mut Vec<Change>| {
            for (_, placed) in added.iter().filter(|(a, _)| *a == after) {
                let ind = new_indicator(placed);
                changes.push(Change {
                    project: project.clone(),
                    what: format!("新增指标（第 {} 个）", list.len() + 1),
                    old: "（无）".into(),
                    new: summary_of(&ind),
                });
                list.push(ind);
            }
        };
    push_added(None, &mut list, &mut changes);
    for (i, ind) in p.indicators.iter().enumerate() {
        match seen.get(&(i + 1)) {
            None => changes.push(Change {
                project: project.clone(),
                what: format!("删除指标 {}", i + 1),
                old: summary_of(ind),
                new: "（删除）".into(),
            }),
            Some(placed) => {
                let mut ind = ind.clone();
                for (column, _) in placed.fields.iter() {
                    let new = placed.text(*column).unwrap_or("");
                    if new != ind.text(*column) {
                        changes.push(Change {
                            project: project.clone(),
                            what: format!("指标 {} {}", i + 1, column.label()),
                            old: ind.text(*column).to_string(),
                            new: new.to_string(),
                        });
                        ind.set(*column, new);
                    }
                }
                list.push(ind);
            }
        }
        push_added(Some(i), &mut list, &mut changes);
    }
    if !changes.is_empty() {
        edited.model.departments[di].projects[pi].indicators = list;
        edited.changes.extend(changes);
    }
}

/// Money as 项目汇总 shows it, or （空）.
fn money_or_blank(v: Option<Decimal>) -> String {
    v.map(|v| money_text(&v)).unwrap_or_else(|| "（空）".into())
}

/// Half of the last digit 项目汇总 shows (0.00万元): a plan amount within it of what was
/// written is the one written, whatever float noise a spreadsheet added.
const SHOWN_HALF_CENT: Decimal = Decimal::from_parts(5, 0, 0, false, 3);

/// What one 项目汇总 row would change in one table: the changes to list and the amounts to set.
struct RowEdit {
    table: Table,
    changes: Vec<Change>,
    sets: Vec<(Field, Option<Decimal>)>,
}

fn summary_edits(
    model: &Model,
    rows: &Rows,
    by_code: &BTreeMap<&str, Vec<Table>>,
    edited: &mut Edited,
    problems: &mut Vec<String>,
) {
    let sheet = SUMMARY;
    let Some((header, cols)) = columns(sheet, rows, &[CODE], problems) else {
        return;
    };
    let code_col = cols[CODE];
    let name_col = cols.get(NAME).copied();
    let amounts: Vec<(&str, Field, usize)> = summary_lead()
        .iter()
        .filter_map(|c| match c.edit {
            Edit::Amount(field) => cols.get(c.header).map(|i| (c.header, field, *i)),
            _ => None,
        })
        .collect();
    let mut listed: BTreeSet<Table> = BTreeSet::new();
    for row in rows.rows.iter().skip(header + 1) {
        if row.get(0).trim() == "合计" || row.get(code_col).trim() == "合计" {
            break;
        }
        let code = row.get(code_col).trim();
        if code.is_empty() {
            continue;
        }
        if let Some(problem) = uncalculated(sheet, row, &cols) {
            problems.push(problem);
            continue;
        }
        let Some(all) = by_code.get(code) else {
            problems.push(unknown_code(at(sheet, row, code_col), code));
            continue;
        };
        // The row's amounts: not a number, or below zero, cannot be a budget.
        let mut written = Vec::new();
        for &(name, field, c) in &amounts {
            let text = row.get(c).trim();
            if text.is_empty() {
                written.push((name, field, None));
                continue;
            }
            match parse_decimal(text) {
                Some(v) if v.is_sign_negative() && !v.is_zero() => problems.push(format!(
                    "{}：{name}“{text}”是负数，金额不能小于 0",
                    at(sheet, row, c)
                )),
                Some(v) => written.push((name, field, Some(v))),
                None => problems.push(format!("{}：{name}“{text}”不是数字", at(sheet, row, c))),
            }
        }
        let name = name_col.map(|c| row.get(c).trim());
        let tables = tables_of(model, all, name);
        let unique = all.len() == 1;
        let renamed = name.is_some_and(|n| {
            !tables
                .iter()
                .any(|&(di, pi)| model.departments[di].projects[pi].name.trim() == n)
        });
        if !unique && renamed {
            problems.push(format!(
                "{}：项目编码“{code}”对应 {} 张表（编码重复），不能在汇总表中修改它们的项目名称",
                at(sheet, row, name_col.unwrap_or(code_col)),
                all.len()
            ));
            continue;
        }
        let mut per_table: Vec<RowEdit> = Vec::new();
        for &table in &tables {
            let (di, pi) = table;
            let p = &model.departments[di].projects[pi];
            let project = label(model, table);
            let mut changes = Vec::new();
            let mut sets = Vec::new();
            for &(label, field, new) in &written {
                let old = match field {
                    Field::Total => p.budget.total,
                    Field::Fiscal => p.budget.fiscal,
                    _ => p.budget.other,
                };
                if old != new {
                    changes.push(Change {
                        project: project.clone(),
                        what: label.to_string(),
                        old: money_or_blank(old),
                        new: money_or_blank(new),
                    });
                    sets.push((field, new));
                }
            }
            if let (Some(name), true) = (name, unique) {
                if name != p.name.trim() && !name.is_empty() {
                    changes.push(Change {
                        project: project.clone(),
                        what: NAME.to_string(),
                        old: p.name.trim().to_string(),
                        new: name.to_string(),
                    });
                }
            }
            per_table.push(RowEdit {
                table,
                changes,
                sets,
            });
        }
        if per_table.iter().any(|e| e.changes.is_empty()) {
            // Reads exactly as one of the tables: that one, unedited.
            if let Some(e) = per_table.iter().find(|e| e.changes.is_empty()) {
                listed.insert(e.table);
            }
            plan_edits(model, row, &cols, &tables, edited, problems);
            continue;
        }
        if per_table.len() > 1 {
            problems.push(format!(
                "{}：项目编码“{code}”对应 {} 张表（编码重复），无法确定修改哪一张",
                at(sheet, row, code_col),
                per_table.len()
            ));
            continue;
        }
        let RowEdit {
            table,
            changes,
            sets,
        } = per_table.remove(0);
        listed.insert(table);
        let p = &mut edited.model.departments[table.0].projects[table.1];
        for (field, value) in sets {
            match field {
                Field::Total => p.budget.total = value,
                Field::Fiscal => p.budget.fiscal = value,
                _ => p.budget.other = value,
            }
        }
        if let (Some(name), true) = (name, unique) {
            if !name.is_empty() && name != p.name.trim() {
                p.name = name.to_string();
            }
        }
        edited.changes.extend(changes);
        plan_edits(model, row, &cols, &[table], edited, problems);
    }
    // Tables that share a code are listed by any of their rows.
    for (code, tables) in by_code {
        if tables.iter().any(|t| listed.contains(t)) && tables.len() > 1 {
            listed.extend(tables.iter().copied());
        }
        for &table in tables {
            if !listed.contains(&table) {
                problems.push(format!(
                    "{sheet}：项目“{}”（{code}）的行被删除了；apply 不删除项目，请恢复这一行（不报送的项目，请删除它的工作簿后重新 convert）",
                    model.departments[table.0].projects[table.1].name.trim()
                ));
            }
        }
    }
}

/// The spending plan of a 项目汇总 row: a checkpoint amount changed (beyond what 0.00 shows)
/// sets that checkpoint's percent to amount ÷ 预算数 (the new one when it changed too).
fn plan_edits(
    model: &Model,
    row: &Row,
    cols: &BTreeMap<String, usize>,
    tables: &[Table],
    edited: &mut Edited,
    problems: &mut Vec<String>,
) {
    let [table] = tables[..] else { return };
    let (di, pi) = table;
    let old = &model.departments[di].projects[pi];
    for (k, point) in old.spending_plan.iter().enumerate() {
        let Some(&c) = cols.get(&checkpoint_header(&point.by)) else {
            continue;
        };
        let text = row.get(c).trim();
        let shown = planned(old, &point.by);
        let new = if text.is_empty() {
            None
        } else {
            match parse_decimal(text) {
                Some(v) => Some(v),
                None => {
                    problems.push(format!(
                        "{}：{}“{text}”不是数字",
                        at(SUMMARY, row, c),
                        checkpoint_header(&point.by)
                    ));
                    continue;
                }
            }
        };
        let unchanged = match (new, shown) {
            (Some(a), Some(b)) => (a - b).abs() < SHOWN_HALF_CENT,
            (None, None) => true,
            _ => false,
        };
        if unchanged {
            continue;
        }
        let p = &mut edited.model.departments[di].projects[pi];
        let percent = match (new, p.budget.total) {
            (None, _) => None,
            (Some(amount), Some(total)) if !total.is_zero() => Some(
                (amount / total * Decimal::ONE_HUNDRED)
                    .round_dp(2)
                    .normalize(),
            ),
            _ => {
                problems.push(format!(
                    "{}：项目没有预算数，无法把支出计划金额换算为百分比",
                    at(SUMMARY, row, c)
                ));
                continue;
            }
        };
        let show = |v: Option<Decimal>| {
            v.map(|v| format!("{}%", number_text(&v)))
                .unwrap_or_else(|| "（空）".into())
        };
        edited.changes.push(Change {
            project: label(model, table),
            what: format!("资金支出计划（{}）", point.by),
            old: show(point.percent),
            new: show(percent),
        });
        p.spending_plan[k].percent = percent;
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
            ..Row::default()
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
                    ..Row::default()
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
            ..Row::default()
        }];
        for (_, p) in model.projects() {
            let cells = vec![p.code.clone(), p.name.clone()];
            rows.push(Row {
                row: rows.len() as u32,
                cells,
                ..Row::default()
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
            edits(&model, &[(DETAILS, &same)], Some(&sum)).map(|e| e.changes.len()),
            Ok(0)
        );
        // An edit on the second table's row is its own, found by its name.
        let edited = details(&model, |cells| {
            if cells[2] == "劳务费（二）" && cells[1] == "1" {
                cells[7] = "≥31人".into();
            }
        });
        let done = edits(&model, &[(DETAILS, &edited)], Some(&sum)).expect("valid");
        assert_eq!(done.changes.len(), 1);
        assert_eq!(done.changes[0].new, "≥31人");
        let second = &done.model.departments[0].projects[1];
        assert_eq!(second.indicators[0].target.text, "≥31人");
        assert_eq!(
            done.model.departments[0].projects[0].indicators[0]
                .target
                .text,
            "24人"
        );
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
