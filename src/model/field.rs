//! Naming one field of a project (`Field::Indicator(3, Column::Target)`), finding its cell, and
//! setting its text: how a fix reaches the model and how a finding reaches its cell in a
//! workbook written anew.

use super::amount::parse_decimal;
use super::{CellRef, Indicator, Project, Target};
use rust_decimal::Decimal;

/// A column of the indicator table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    Level1,
    Level2,
    Level3,
    Description,
    Target,
    Basis,
}

/// A field of a project table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Code,
    Name,
    Total,
    Fiscal,
    Other,
    Purpose,
    /// One line of 绩效目标.
    Goal(usize),
    /// One cell of the indicator table: (indicator index, column).
    Indicator(usize, Column),
}

impl Column {
    pub const ALL: [Column; 6] = [
        Column::Level1,
        Column::Level2,
        Column::Level3,
        Column::Description,
        Column::Target,
        Column::Basis,
    ];

    /// The column's header as users see it.
    pub fn label(self) -> &'static str {
        match self {
            Column::Level1 => "一级指标",
            Column::Level2 => "二级指标",
            Column::Level3 => "三级指标",
            Column::Description => "绩效指标描述",
            Column::Target => "指标值",
            Column::Basis => "指标值确定依据",
        }
    }
}

impl Indicator {
    pub fn cell(&self, column: Column) -> Option<CellRef> {
        let c = &self.source.cells;
        match column {
            Column::Level1 => c.level1,
            Column::Level2 => c.level2,
            Column::Level3 => c.level3,
            Column::Description => c.description,
            Column::Target => c.target,
            Column::Basis => c.basis,
        }
    }

    pub fn text(&self, column: Column) -> &str {
        match column {
            Column::Level1 => &self.level1,
            Column::Level2 => &self.level2,
            Column::Level3 => &self.level3,
            Column::Description => &self.description,
            Column::Target => &self.target.text,
            Column::Basis => &self.basis,
        }
    }

    /// Sets a column's text; a new 指标值 is parsed again.
    pub fn set(&mut self, column: Column, text: &str) {
        let text = text.to_string();
        match column {
            Column::Level1 => self.level1 = text,
            Column::Level2 => self.level2 = text,
            Column::Level3 => self.level3 = text,
            Column::Description => self.description = text,
            Column::Target => self.target = Target::parse(&text),
            Column::Basis => self.basis = text,
        }
    }
}

impl Project {
    /// The cell a field was read from.
    pub fn cell_of(&self, field: Field) -> Option<CellRef> {
        let c = &self.source.cells;
        match field {
            Field::Code => c.code,
            Field::Name => c.name,
            Field::Total => c.total,
            Field::Fiscal => c.fiscal,
            Field::Other => c.other,
            Field::Purpose => c.purpose,
            Field::Goal(_) => c.goals,
            Field::Indicator(i, column) => self.indicators.get(i).and_then(|ind| ind.cell(column)),
        }
    }

    /// The field read from a cell, if any (the first, for a 绩效目标 cell of several lines).
    pub fn field_at(&self, cell: CellRef) -> Option<Field> {
        let head = [
            Field::Code,
            Field::Name,
            Field::Total,
            Field::Fiscal,
            Field::Other,
            Field::Purpose,
            Field::Goal(0),
        ];
        if let Some(f) = head.into_iter().find(|f| self.cell_of(*f) == Some(cell)) {
            return Some(f);
        }
        self.indicators.iter().enumerate().find_map(|(i, ind)| {
            Column::ALL
                .into_iter()
                .find(|col| ind.cell(*col) == Some(cell))
                .map(|col| Field::Indicator(i, col))
        })
    }

    /// Sets a field from text as a user would type it. Amounts are in 万元; an empty text
    /// clears them. `Err` says why the text does not fit.
    pub fn set(&mut self, field: Field, text: &str) -> Result<(), String> {
        let amount = |t: &str| -> Result<Option<Decimal>, String> {
            if t.trim().is_empty() {
                Ok(None)
            } else {
                parse_decimal(t)
                    .map(Some)
                    .ok_or_else(|| format!("“{t}”不是数字"))
            }
        };
        match field {
            Field::Code => self.code = text.trim().to_string(),
            Field::Name => self.name = text.to_string(),
            Field::Total => self.budget.total = amount(text)?,
            Field::Fiscal => self.budget.fiscal = amount(text)?,
            Field::Other => self.budget.other = amount(text)?,
            Field::Purpose => self.purpose = text.to_string(),
            Field::Goal(i) => match self.goals.get_mut(i) {
                Some(goal) => *goal = text.to_string(),
                None => self.goals.push(text.to_string()),
            },
            Field::Indicator(i, column) => match self.indicators.get_mut(i) {
                Some(ind) => ind.set(column, text),
                None => return Err(format!("没有第 {} 个指标", i + 1)),
            },
        }
        Ok(())
    }
}
