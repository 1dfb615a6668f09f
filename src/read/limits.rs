//! Limits checked before a workbook is parsed, so a hostile file — a zip bomb, a sheet that
//! claims `A1:XFD1048576`, ten thousand sheets — ends as one diagnostic in bounded time and
//! memory instead of taking the whole batch down. Generous for real tables; `[limits]` in
//! jxmb.toml changes them.

use super::Unreadable;
use calamine::{Cell, Data, DataRef, Range};
use std::io::Cursor;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The package's total uncompressed size (all zip entries), in bytes.
    pub max_uncompressed: u64,
    /// One part's uncompressed size (a sheet's XML), in bytes.
    pub max_part: u64,
    pub max_sheets: usize,
    /// Cells in the whole workbook, and the area a sheet's cells may span.
    pub max_cells: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_uncompressed: 200 << 20,
            max_part: 100 << 20,
            max_sheets: 1000,
            max_cells: 1_000_000,
        }
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / (1 << 20) as f64)
}

/// Reads a zip package's central directory (no decompression) and refuses one that would
/// inflate beyond the limits. A zip reader stops at an entry's declared size, so the declared
/// sizes bound what parsing can produce.
pub fn check_package(bytes: &[u8], limits: &Limits) -> Result<(), Unreadable> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // calamine will say what is wrong with it
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else {
            continue;
        };
        let size = entry.size();
        total = total.saturating_add(size);
        if size > limits.max_part {
            let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
            return Err(Unreadable::TooLarge(format!(
                "其中“{name}”解压后 {}，超过单个部件上限 {}，可能是压缩炸弹",
                mb(size),
                mb(limits.max_part)
            )));
        }
        if total > limits.max_uncompressed {
            return Err(Unreadable::TooLarge(format!(
                "解压后超过 {}（上限），可能是压缩炸弹",
                mb(limits.max_uncompressed)
            )));
        }
    }
    Ok(())
}

/// Refuses a workbook with too many sheets.
pub fn check_sheets(count: usize, limits: &Limits) -> Result<(), Unreadable> {
    if count > limits.max_sheets {
        return Err(Unreadable::TooLarge(format!(
            "有 {count} 个工作表，超过上限 {}",
            limits.max_sheets
        )));
    }
    Ok(())
}

/// Refuses a workbook with more cells than the limit.
pub fn check_cell_count(cells: usize, limits: &Limits) -> Result<(), Unreadable> {
    if cells > limits.max_cells {
        return Err(Unreadable::TooLarge(format!(
            "单元格超过 {} 个（上限）",
            limits.max_cells
        )));
    }
    Ok(())
}

/// Refuses a sheet whose cells, from `min` to `max` (row, column), span an area over four
/// times the cell limit: calamine lays a sheet out as one dense table of that area.
pub fn check_span(min: (u32, u32), max: (u32, u32), limits: &Limits) -> Result<(), Unreadable> {
    let area = (u64::from(max.0 - min.0) + 1) * (u64::from(max.1 - min.1) + 1);
    if area > 4 * limits.max_cells as u64 {
        let span = format!(
            "{}:{}",
            crate::model::CellRef::new(min.0, min.1),
            crate::model::CellRef::new(max.0, max.1)
        );
        return Err(Unreadable::TooLarge(format!(
            "工作表的单元格分布在 {span}，范围超过上限（{} 个单元格）",
            4 * limits.max_cells
        )));
    }
    Ok(())
}

/// Collects a sheet's cells as they stream out of the parser, refusing before any dense
/// allocation a sheet whose cells are too many or span too large an area (two cells at A1 and
/// XFD1048576 would otherwise make a table of 17 billion cells). `used` counts the workbook's
/// cells so far.
pub fn collect_cells<'a, E>(
    mut next: impl FnMut() -> Result<Option<Cell<DataRef<'a>>>, E>,
    on_error: impl Fn(E) -> Unreadable,
    limits: &Limits,
    used: &mut usize,
) -> Result<Range<Data>, Unreadable> {
    let mut cells: Vec<Cell<Data>> = Vec::new();
    let (mut min, mut max) = ((u32::MAX, u32::MAX), (0u32, 0u32));
    while let Some(cell) = next().map_err(&on_error)? {
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        *used += 1;
        check_cell_count(*used, limits)?;
        let (r, c) = cell.get_position();
        min = (min.0.min(r), min.1.min(c));
        max = (max.0.max(r), max.1.max(c));
        check_span(min, max, limits)?;
        let value = Data::from(cell.get_value().clone());
        cells.push(Cell::new((r, c), value));
    }
    Ok(Range::from_sparse(cells))
}
