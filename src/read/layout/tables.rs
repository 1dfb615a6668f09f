//! The tables a sheet holds, built from their heads and indicator rows: 项目支出绩效目标表,
//! 部门整体支出绩效目标表 and 项目支出预算表.

use super::super::grid::{Grid, Value};
use super::super::labels::{money_unit_of, Label};
use super::fields::{key, read_fields, Fields, LabelKey};
use super::indicators::read_indicators;
use super::notes::notes_of;
use super::values::{money, percent};
use super::{is_title_row, parse_unit_line, read_head, SheetInfo};
use crate::model::amount::decimal_from_cell_float;
use crate::model::text::label_key;
use crate::model::{
    AmountField, Budget, BudgetLine, CellRange, CellRef, Framework, LineSource, MoneyUnit,
    OverallTable, PlanPoint, Project, ProjectCells, ProjectSource, Unit, UnreadableValue,
    WorkbookContents,
};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Records a money field of the head, or the cell that should have been a number.
pub(super) fn money_field(
    f: &Fields,
    label: Label,
    field: AmountField,
    unit: MoneyUnit,
    bad: &mut Vec<UnreadableValue>,
) -> Option<Decimal> {
    let (cell, v) = f.value(label)?;
    number_or_note(v, cell, field, |v| money(v, unit), bad)
}

/// A cell read as a number by `parse`, or noted in `bad` as the text that is not a number or
/// the formula that was never calculated: never read as blank or 0.
fn number_or_note(
    v: Value,
    cell: CellRef,
    field: AmountField,
    parse: impl FnOnce(Value) -> Result<Option<Decimal>, String>,
    bad: &mut Vec<UnreadableValue>,
) -> Option<Decimal> {
    if let Value::Formula(formula) = v {
        bad.push(UnreadableValue {
            field,
            text: String::new(),
            cell,
            formula: Some(formula.to_string()),
        });
        return None;
    }
    parse(v).unwrap_or_else(|text| {
        bad.push(UnreadableValue {
            field,
            text,
            cell,
            formula: None,
        });
        None
    })
}

/// Reads a project table anchored at its 项目编码/项目名称 row; returns its last row, or `None`
/// when the label turns out not to open a table.
pub(super) fn read_project(
    grid: &Grid,
    info: &SheetInfo,
    head_start: u32,
    anchor: u32,
    out: &mut WorkbookContents,
) -> Option<u32> {
    let f = read_fields(grid, anchor, &[Label::ProjectCode, Label::ProjectName]);
    if !f.is_table() {
        return None;
    }
    if f.is_evaluation() {
        // A 自评表: read as an evaluation, never as a project.
        return Some(super::evaluation::read_evaluation(
            grid, info, head_start, anchor, out,
        ));
    }
    let (mut unit, head_money, top) = read_head(grid, head_start, anchor);
    let unit_declared = f.money.or(head_money).is_some();
    let money_unit = f.money.or(head_money).unwrap_or_default();
    let mut unreadable = Vec::new();
    let budget = Budget {
        total: money_field(
            &f,
            Label::Total,
            AmountField::Total,
            money_unit,
            &mut unreadable,
        ),
        fiscal: money_field(
            &f,
            Label::Fiscal,
            AmountField::Fiscal,
            money_unit,
            &mut unreadable,
        ),
        other: money_field(
            &f,
            Label::Other,
            AmountField::Other,
            money_unit,
            &mut unreadable,
        ),
    };
    // `0.25 | 0.5 | 0.75 | 1`: fractions (compared after the one rounding, so noise is gone).
    let fraction = !f.plan.is_empty()
        && f.plan.iter().all(|(_, v, _)| match v {
            Value::Number(n) => decimal_from_cell_float(*n).is_some_and(|d| d <= Decimal::ONE),
            _ => false,
        });
    let spending_plan = f
        .plan
        .iter()
        .map(|(by, v, cell)| PlanPoint {
            by: by.clone(),
            percent: number_or_note(
                *v,
                *cell,
                AmountField::Plan(by.clone()),
                |v| percent(v, fraction),
                &mut unreadable,
            ),
            cell: Some(*cell),
        })
        .collect();
    let (indicators, end) = match &f.header {
        Some((row, cols)) => {
            let (list, end) = read_indicators(grid, info, *row, cols);
            (list, end.max(*row))
        }
        None => (Vec::new(), f.end),
    };
    if unit.name.is_none() {
        unit.name = Some(f.text(Label::UnitName)).filter(|n| !n.trim().is_empty());
    }
    let purpose = f
        .value(Label::Purpose)
        .map(|(c, v)| (c, v.text().into_owned()))
        .or(f.purpose.clone());
    let goals = f
        .text(Label::Goals)
        .split('\n')
        .map(|g| g.trim_end_matches('\r'))
        .filter(|g| !g.trim().is_empty())
        .map(str::to_string)
        .collect();
    let framework = if indicators
        .iter()
        .any(|i| label_key(&i.level1) == "成本指标")
    {
        Framework::F101
    } else {
        Framework::F88
    };
    let max_col = (top..=end)
        .flat_map(|r| grid.row_cells(r).map(|(c, _)| c).last())
        .max()
        .unwrap_or(grid.first_col());
    let code_stored_as_number = matches!(f.value(Label::ProjectCode), Some((_, Value::Number(_))));
    let mut project = Project {
        code: f.text(Label::ProjectCode).trim().to_string(),
        name: f.text(Label::ProjectName),
        budget,
        purpose: purpose.as_ref().map(|(_, p)| p.clone()).unwrap_or_default(),
        spending_plan,
        goals,
        framework,
        indicators,
        money_unit,
        unreadable,
        notes: Vec::new(),
        code_stored_as_number,
        source: ProjectSource {
            file: info.file.to_string(),
            sheet: info.sheet.to_string(),
            sheet_index: info.index,
            range: CellRange {
                start: CellRef::new(top, grid.first_col()),
                end: CellRef::new(end, max_col),
            },
            cells: ProjectCells {
                code: f.cell(Label::ProjectCode),
                name: f.cell(Label::ProjectName),
                total: f.cell(Label::Total),
                fiscal: f.cell(Label::Fiscal),
                other: f.cell(Label::Other),
                purpose: purpose.map(|(c, _)| c),
                plan: f.plan_cell,
                goals: f.cell(Label::Goals),
                indicator_header: f
                    .header
                    .as_ref()
                    .map(|(r, c)| CellRef::new(*r, c.level1.or(c.level2).unwrap_or(0))),
            },
        },
    };
    project.notes = notes_of(
        grid,
        &project,
        f.header.as_ref().map(|(r, c)| (*r, c)),
        unit_declared,
    );
    out.projects.push((unit, project));
    Some(end)
}

pub(super) fn read_overall(
    grid: &Grid,
    info: &SheetInfo,
    head_start: u32,
    anchor: u32,
    out: &mut WorkbookContents,
) -> Option<u32> {
    let f = read_fields(grid, anchor, &[Label::DepartmentName]);
    if !f.is_table() {
        return None;
    }
    let (head_unit, head_money, _) = read_head(grid, head_start, anchor);
    let unit_money = f.money.or(head_money).unwrap_or_default();
    let name = f.text(Label::DepartmentName);
    let parsed = parse_unit_line(&name);
    let unit = Unit {
        code: parsed
            .as_ref()
            .and_then(|u| u.code.clone())
            .or(head_unit.code),
        name: parsed
            .and_then(|u| u.name)
            .or(Some(name.trim().to_string())),
    };
    let mut bad = Vec::new();
    let (indicators, end) = match &f.header {
        Some((row, cols)) => read_indicators(grid, info, *row, cols),
        None => (Vec::new(), f.end),
    };
    let table = OverallTable {
        goals: f
            .text(Label::Goals)
            .split('\n')
            .filter(|g| !g.trim().is_empty())
            .map(str::to_string)
            .collect(),
        total_budget: money_field(
            &f,
            Label::DepartmentBudget,
            AmountField::DepartmentBudget,
            unit_money,
            &mut bad,
        ),
        project_spending: money_field(
            &f,
            Label::ProjectSpending,
            AmountField::ProjectSpending,
            unit_money,
            &mut bad,
        ),
        indicators,
        items: Vec::new(),
        prose: false,
        source: LineSource {
            file: info.file.to_string(),
            sheet: info.sheet.to_string(),
            sheet_index: info.index,
            cell: CellRef::new(anchor, grid.first_col()),
        },
    };
    out.overall.push((unit, table));
    Some(end.max(f.end))
}

/// Reads a 项目支出预算表 from its header row; returns the table's last row.
pub(super) fn read_budget_table(
    grid: &Grid,
    info: &SheetInfo,
    head_start: u32,
    header: u32,
    out: &mut WorkbookContents,
) -> u32 {
    let (head_unit, head_money, _) = read_head(grid, head_start, header);
    let mut cols: HashMap<LabelKey, u32> = HashMap::new();
    let mut money_unit = head_money;
    for (c, l) in grid.row_labels(header) {
        let l = if l == Label::Total {
            Label::AmountColumn
        } else {
            l
        };
        cols.entry(key(l)).or_insert(c);
        if let Value::Text(t) = grid.value(header, c) {
            money_unit = money_unit.or(money_unit_of(t));
        }
    }
    let declared = money_unit.is_some();
    let money_unit = money_unit.unwrap_or_default();
    let col = |l: Label| cols.get(&key(l)).copied();
    let first_line = out.budget_lines.len();
    let last = *grid.rows().end();
    let mut end = header;
    for row in header + 1..=last {
        if grid.row_is_blank(row)
            || is_title_row(grid, row)
            || grid.row_labels(row).any(|(_, l)| l == Label::ProjectCode)
        {
            break;
        }
        end = row;
        let text = |l: Label| {
            col(l)
                .map(|c| grid.value(row, c).text().trim().to_string())
                .unwrap_or_default()
        };
        let (code, name) = (text(Label::ProjectCode), text(Label::ProjectName));
        let first = grid
            .row_cells(row)
            .next()
            .map(|(_, v)| label_key(&v.text()))
            .unwrap_or_default();
        let is_total = ["合计", "总计", "小计"]
            .iter()
            .any(|t| label_key(&code) == *t || label_key(&name) == *t || first == *t);
        if is_total || (code.is_empty() && name.is_empty()) {
            continue;
        }
        let mut unreadable = Vec::new();
        let mut amount = |l: Label, field: AmountField| {
            let c = col(l)?;
            number_or_note(
                grid.value(row, c),
                CellRef::new(row, c),
                field,
                |v| money(v, money_unit),
                &mut unreadable,
            )
        };
        let total = amount(Label::AmountColumn, AmountField::LineTotal);
        let fiscal = amount(Label::Fiscal, AmountField::LineFiscal);
        let other = amount(Label::Other, AmountField::Other);
        let unit = match (text(Label::UnitCode), text(Label::UnitName)) {
            (c, n) if c.is_empty() && n.is_empty() => head_unit.clone(),
            (c, n) => Unit {
                code: Some(c).filter(|c| !c.is_empty()),
                name: Some(n).filter(|n| !n.is_empty()),
            },
        };
        let line = BudgetLine {
            code,
            name,
            total,
            fiscal,
            other,
            unreadable,
            unit_not_declared: None,
            hidden: [Label::ProjectCode, Label::ProjectName, Label::AmountColumn]
                .into_iter()
                .filter_map(col)
                .any(|c| grid.is_hidden(row, c) && !grid.value(row, c).is_blank()),
            source: LineSource {
                file: info.file.to_string(),
                sheet: info.sheet.to_string(),
                sheet_index: info.index,
                cell: CellRef::new(row, col(Label::AmountColumn).unwrap_or(grid.first_col())),
            },
        };
        out.budget_lines.push((unit, line));
    }
    if !declared {
        let largest = out.budget_lines[first_line..]
            .iter()
            .filter_map(|(_, l)| l.total)
            .max()
            .unwrap_or_default();
        if let Some((_, first)) = out.budget_lines.get_mut(first_line) {
            first.unit_not_declared = Some(largest);
        }
    }
    end
}
