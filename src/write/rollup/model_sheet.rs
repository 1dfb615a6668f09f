//! The model itself in a very hidden sheet of the roll-up, so `jxmb apply` needs nothing but
//! the roll-up to rebuild the corrected workbooks.

use super::{Source, CHUNK};
use crate::model::{Department, Model};
use rust_xlsxwriter::{Worksheet, XlsxError};
use std::io::Write;

/// The model's JSON in a very hidden sheet (kept through Excel, WPS and LibreOffice saves), a
/// cell of CHUNK characters per row. Serialized straight into the cells: the document (23 MB
/// for 1,000 workbooks) is never one string in memory.
pub(super) fn model_sheet(ws: &mut Worksheet, source: &impl Source) -> Result<(), XlsxError> {
    let mut row = 0;
    let mut cells = Cells::new(CHUNK, |text: &str| {
        ws.write_string(row, 0, text)?;
        row += 1;
        Ok(())
    });
    let written = write_model(&mut cells, source);
    if let Some(e) = cells.failed.take() {
        return Err(e);
    }
    written.map_err(XlsxError::IoError)?;
    cells.finish()?;
    ws.set_very_hidden(true);
    Ok(())
}

/// Writes the model's JSON exactly as `serde_json` writes the whole model, one project at a
/// time: each department is written as a shell (its projects left out) with its projects,
/// read back whole, put in their place.
fn write_model(w: &mut impl Write, source: &impl Source) -> std::io::Result<()> {
    let model = source.model();
    let shell = Model {
        format: model.format.clone(),
        version: model.version,
        departments: Vec::new(),
    };
    let (head, tail) = around(&shell, "\"departments\":[]")?;
    w.write_all(head.as_bytes())?;
    let mut projects = source.projects().peekable();
    for (i, d) in model.departments.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        let shell = Department {
            unit_code: d.unit_code.clone(),
            unit_name: d.unit_name.clone(),
            projects: Vec::new(),
            budget_lines: d.budget_lines.clone(),
            overall: d.overall.clone(),
            evaluations: d.evaluations.clone(),
        };
        let (head, tail) = around(&shell, "\"projects\":[]")?;
        w.write_all(head.as_bytes())?;
        // The projects come in the model's order: this department's are next.
        let mut first = true;
        while projects
            .peek()
            .is_some_and(|p| p.as_ref().is_ok_and(|(d, _)| *d == i) || p.is_err())
        {
            let (_, p) = projects.next().expect("peeked")?;
            if !first {
                w.write_all(b",")?;
            }
            first = false;
            serde_json::to_writer(&mut *w, &*p)?;
        }
        w.write_all(tail.as_bytes())?;
    }
    w.write_all(tail.as_bytes())
}

/// A value's JSON cut around its empty list `key` (`"projects":[]`): the text up to and with
/// `"projects":[`, and from its `]` on. (A key cannot be inside a string: its quotes would be
/// escaped there.)
fn around<T: serde::Serialize>(value: &T, key: &str) -> std::io::Result<(String, String)> {
    let json = serde_json::to_string(value)?;
    let at = json
        .find(key)
        .ok_or_else(|| std::io::Error::other(format!("no {key} in the model")))?;
    let cut = at + key.len() - 1;
    Ok((json[..cut].to_string(), json[cut..].to_string()))
}

/// Text written (as bytes, `io::Write`) into cells of `size` characters each, cut on character
/// boundaries, each handed to `cell` as soon as it is full.
pub(super) struct Cells<F: FnMut(&str) -> Result<(), XlsxError>> {
    size: usize,
    cell: F,
    /// Bytes not yet in a cell (fewer than `size` characters, but during a write).
    pending: Vec<u8>,
    /// Characters in `pending`, counted as bytes arrive (each byte that does not continue one).
    chars: usize,
    failed: Option<XlsxError>,
}

impl<F: FnMut(&str) -> Result<(), XlsxError>> Cells<F> {
    pub(super) fn new(size: usize, cell: F) -> Self {
        Cells {
            size,
            cell,
            pending: Vec::new(),
            chars: 0,
            failed: None,
        }
    }

    /// Hands out every full cell.
    fn full_cells(&mut self) -> Result<(), XlsxError> {
        while self.chars >= self.size {
            let text = match std::str::from_utf8(&self.pending) {
                Ok(text) => text,
                Err(e) => std::str::from_utf8(&self.pending[..e.valid_up_to()]).unwrap_or(""),
            };
            let Some((end, _)) = text.char_indices().nth(self.size) else {
                break; // the character after the cell's last is still arriving
            };
            (self.cell)(&text[..end])?;
            self.pending.drain(..end);
            self.chars -= self.size;
        }
        Ok(())
    }

    /// Hands out the rest: the last, shorter cell.
    pub(super) fn finish(mut self) -> Result<(), XlsxError> {
        self.full_cells()?;
        if !self.pending.is_empty() {
            (self.cell)(&String::from_utf8_lossy(&self.pending))?;
        }
        Ok(())
    }
}

impl<F: FnMut(&str) -> Result<(), XlsxError>> std::io::Write for Cells<F> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        self.chars += bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        if let Err(e) = self.full_cells() {
            let message = e.to_string();
            self.failed = Some(e);
            return Err(std::io::Error::other(message));
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cut_text_every_n_characters_even_mid_character() {
        let text = "预算ab数“x”万元，".repeat(7);
        for size in [1, 2, 3, 5, 70, 71, 500] {
            let mut out: Vec<String> = Vec::new();
            let mut cells = Cells::new(size, |t: &str| {
                out.push(t.to_string());
                Ok(())
            });
            // One byte at a time: every multi-byte character arrives in pieces.
            for b in text.as_bytes() {
                cells.write_all(std::slice::from_ref(b)).expect("written");
            }
            cells.finish().expect("finished");
            assert_eq!(out.concat(), text, "size {size}");
            let (last, full) = out.split_last().expect("a cell");
            assert!(
                full.iter().all(|c| c.chars().count() == size),
                "size {size}"
            );
            assert!((1..=size).contains(&last.chars().count()), "size {size}");
        }
    }
}
