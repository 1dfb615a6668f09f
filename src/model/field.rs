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

/// An amount cell that should hold a number: which one, as its label names it. Kept with a
/// value the reader could not take as a number, so rules and writers match it by kind, not by
/// its Chinese label; the model's JSON still shows the label (`"field": "预算数"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AmountField {
    /// A project's 预算数.
    Total,
    /// A project's 其中：财政资金.
    Fiscal,
    /// 其他资金, of a project or a budget line.
    Other,
    /// A project's spending plan at a checkpoint (`3月底`).
    Plan(String),
    /// A budget line's 合计.
    LineTotal,
    /// A budget line's 财政拨款.
    LineFiscal,
    /// A 部门整体 table's 年度预算.
    DepartmentBudget,
    /// A 部门整体 table's 项目支出.
    ProjectSpending,
}

impl AmountField {
    /// The label the user sees: `预算数`, `其中：财政资金`, `资金支出计划（3月底）`.
    pub fn label(&self) -> std::borrow::Cow<'static, str> {
        match self {
            AmountField::Total => "预算数".into(),
            AmountField::Fiscal => "其中：财政资金".into(),
            AmountField::Other => "其他资金".into(),
            AmountField::Plan(by) => format!("{PLAN_LABEL}（{by}）").into(),
            AmountField::LineTotal => "合计".into(),
            AmountField::LineFiscal => "财政拨款".into(),
            AmountField::DepartmentBudget => "年度预算".into(),
            AmountField::ProjectSpending => "项目支出".into(),
        }
    }

    /// The field a label names (the inverse of [`AmountField::label`]).
    pub fn from_label(label: &str) -> Option<AmountField> {
        let fixed = [
            AmountField::Total,
            AmountField::Fiscal,
            AmountField::Other,
            AmountField::LineTotal,
            AmountField::LineFiscal,
            AmountField::DepartmentBudget,
            AmountField::ProjectSpending,
        ];
        if let Some(f) = fixed.into_iter().find(|f| f.label() == label) {
            return Some(f);
        }
        let by = label
            .strip_prefix(PLAN_LABEL)?
            .strip_prefix('（')?
            .strip_suffix('）')?;
        Some(AmountField::Plan(by.to_string()))
    }

    /// A percent (the spending plan), not money.
    pub fn is_percent(&self) -> bool {
        matches!(self, AmountField::Plan(_))
    }
}

const PLAN_LABEL: &str = "资金支出计划";

impl std::fmt::Display for AmountField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

impl serde::Serialize for AmountField {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.label())
    }
}

impl<'de> serde::Deserialize<'de> for AmountField {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let label = String::deserialize(d)?;
        AmountField::from_label(&label)
            .ok_or_else(|| serde::de::Error::custom(format!("未知的金额栏“{label}”")))
    }
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

#[cfg(test)]
mod amount_field_tests {
    use super::AmountField;

    #[test]
    fn labels_read_back_as_their_field() {
        for f in [
            AmountField::Total,
            AmountField::Fiscal,
            AmountField::Other,
            AmountField::Plan("3月底".into()),
            AmountField::LineTotal,
            AmountField::LineFiscal,
            AmountField::DepartmentBudget,
            AmountField::ProjectSpending,
        ] {
            assert_eq!(AmountField::from_label(&f.label()), Some(f.clone()));
            let json = serde_json::to_string(&f).expect("json");
            assert_eq!(json, format!("\"{}\"", f.label()));
        }
        assert_eq!(AmountField::from_label("资金支出计划"), None);
        assert_eq!(AmountField::from_label("金额"), None);
    }
}
