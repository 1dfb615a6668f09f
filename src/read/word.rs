//! A Word document's tables and prose into the model (SPEC §1.2): tables that follow each other
//! with only empty paragraphs between them are read as one sheet — the disclosure module
//! writes each project as two tables, 项目编码…绩效目标 and then the indicator table — and the
//! paragraphs give the 部门整体 section (`prose`).
//!
//! Where a finding points: `表3!B4` is row 4, column 2 of the document's 3rd table (Word's
//! 定位 › 表格 counts tables the same way); a pair read as one is named `表3、4`, its rows counted
//! on from the first table's into the second's. `第12段` is the 12th non-empty paragraph outside
//! the tables.

use super::docx::{self, Block};
use super::grid::Grid;
use super::prose::{self, Line};
use super::sheet::Sheet;
use super::{layout, limits, Limits, Unreadable};
use crate::model::{Unit, WorkbookContents};
use calamine::{Data, Range};

/// Reads a `.docx` held in memory.
pub fn read_word(
    bytes: Vec<u8>,
    shown: &str,
    limits: &Limits,
) -> Result<WorkbookContents, Unreadable> {
    let doc = docx::read(bytes, limits)?;
    let mut contents = WorkbookContents::default();
    let mut lines = Vec::new();
    let mut number = 0u32;
    let mut table_number = 0usize;
    let mut group: Option<Group> = None;
    for (position, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Paragraph(text) if text.trim().is_empty() => {}
            Block::Paragraph(text) => {
                number += 1;
                lines.push(Line::Paragraph {
                    text,
                    number,
                    position,
                });
                if let Some(g) = group.take() {
                    g.read(shown, limits, &mut contents)?;
                }
            }
            Block::Table(rows) => {
                table_number += 1;
                lines.push(Line::Table);
                let g = group.get_or_insert_with(|| Group {
                    first: table_number,
                    last: table_number,
                    position,
                    rows: Vec::new(),
                });
                g.last = table_number;
                g.rows.extend(rows.iter().map(|r| r.as_slice()));
            }
        }
    }
    if let Some(g) = group.take() {
        g.read(shown, limits, &mut contents)?;
    }
    if let Some(section) = prose::overall_section(&lines, shown) {
        let unit = only_unit(&contents);
        contents.overall.push((unit, section));
    }
    Ok(contents)
}

/// Tables read as one sheet: their numbers in the document, where the first sits, their rows.
struct Group<'d> {
    first: usize,
    last: usize,
    position: usize,
    rows: Vec<&'d [(u32, String)]>,
}

impl Group<'_> {
    fn name(&self) -> String {
        if self.first == self.last {
            format!("表{}", self.first)
        } else {
            format!("表{}、{}", self.first, self.last)
        }
    }

    fn read(
        self,
        shown: &str,
        limits: &Limits,
        out: &mut WorkbookContents,
    ) -> Result<(), Unreadable> {
        let Some(width) = self
            .rows
            .iter()
            .flat_map(|r| r.iter().map(|(c, _)| *c))
            .max()
        else {
            return Ok(());
        };
        let height = self.rows.len() as u32;
        limits::check_span((0, 0), (height - 1, width), limits)?;
        let mut range = Range::new((0, 0), (height - 1, width));
        for (r, row) in self.rows.iter().enumerate() {
            for (c, text) in row.iter() {
                range.set_value((r as u32, *c), Data::String(text.clone()));
            }
        }
        let sheet = Sheet::new(range);
        let grid = Grid::new(&sheet);
        let name = self.name();
        let info = layout::SheetInfo {
            file: shown,
            sheet: &name,
            index: self.position,
        };
        layout::read_sheet(&grid, &info, out);
        Ok(())
    }
}

/// The unit every project table of the document names, when they agree: the prose names none.
fn only_unit(contents: &WorkbookContents) -> Unit {
    let mut units = contents.projects.iter().map(|(u, _)| u);
    match units.next() {
        Some(first) if units.all(|u| u == first) => first.clone(),
        _ => Unit::default(),
    }
}
