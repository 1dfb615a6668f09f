//! Damaged or oversized `.xls` records, made safe (or refused) before calamine parses them.
//!
//! calamine 0.38 trusts several BIFF8 record fields: it slices FORMULA tokens past the record,
//! reads short FilePass/CodePage/DateMode/BOF/BoundSheet8 records unchecked, reserves memory
//! for whatever cell count a DIMENSIONS record claims (an abort, not a panic), overflows on a
//! MULRK whose last column precedes its first, reads past a short MERGECELLS or SST, starts a
//! sheet wherever BoundSheet8 points, and lays every sheet out as one dense table as it opens
//! the file — before jxmb's limits could look. The fuzzer (`examples/fuzz-reader.rs`) found
//! each of these. jxmb needs none of the affected data beyond the cell values, so every record
//! is checked against what calamine will read from it:
//!
//! - records jxmb never uses and calamine parses unsafely (DIMENSIONS, Lbl, ExternSheet) are
//!   hidden (their type is changed to one calamine skips; lengths and offsets stay put);
//! - FORMULA token lengths are set to zero: jxmb reads the value Excel cached, never a formula;
//! - a record shorter than calamine reads, or a sheet that does not start on a BOF record (or
//!   starts where another already does), is hidden;
//! - a shared-string table that calamine would read out of bounds refuses the file (its text
//!   cannot be trusted), and so do too many sheets or cells, or cells spread over too large an
//!   area ([`Limits`]), with the same diagnostic an `.xlsx` gets.
//!
//! calamine then reads a fresh container holding only the checked stream. A sound workbook's
//! cells read exactly as before.

use super::limits::{self, Limits};
use super::sheet::Extras;
use super::xls_extras::XlsExtras;
use super::Unreadable;
use std::collections::{HashSet, VecDeque};
use std::io::{Cursor, Read, Write};

const FORMULA: u16 = 0x0006;
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUND_SHEET: u16 = 0x0085;
const MERGE_CELLS: u16 = 0x00E5;
const MUL_RK: u16 = 0x00BD;
const SST: u16 = 0x00FC;
const CONTINUE: u16 = 0x003C;
/// A record type calamine does not know, so it skips the record.
const IGNORED: u16 = 0x7FFF;
/// Offset of the token length (`cce`) in a BIFF8 FORMULA record.
const CCE: usize = 20;

/// Records jxmb never needs and calamine parses without bounds: DIMENSIONS (a reservation
/// hint), Lbl (defined names), ExternSheet (formula sheet references).
const HIDDEN: &[u16] = &[0x0200, 0x0018, 0x0017];

/// Records calamine reads without checking their length, and the length it reads.
const MIN_LEN: &[(u16, usize)] = &[
    (FORMULA, CCE + 2),
    (0x002F, 2), // FilePass
    (0x0042, 2), // CodePage
    (0x0022, 2), // DateMode
    (BOF, 2),
    (BOUND_SHEET, 6),
    (MERGE_CELLS, 2),
];

/// Cell records that start with their row and column (Number, Label, RString, BoolErr, RK,
/// LabelSst, Formula).
const ONE_CELL: &[u16] = &[0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, FORMULA];

/// Checks every record of the workbook stream (see the module comment) and returns a fresh
/// container holding only that stream, so calamine reads exactly the records checked here —
/// not its own reading of a damaged container, which can differ.
/// Also returns, per sheet in the workbook's order, what calamine does not give (`xls_extras`).
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<(Vec<u8>, Vec<Extras>), Unreadable> {
    let damaged = |what: &str, e: std::io::Error| Unreadable::Corrupt(format!("{what}：{e}"));
    let mut file =
        cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| damaged("复合文档结构损坏", e))?;
    let Some(name) = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find(|n| file.is_stream(n))
    else {
        return Err(Unreadable::NotAWorkbook("复合文档中没有工作簿数据"));
    };
    let mut stream = Vec::new();
    file.open_stream(name)
        .and_then(|mut s| s.read_to_end(&mut stream))
        .map_err(|e| damaged("工作簿数据流损坏", e))?;
    let extras = defuse(&mut stream, limits)?;
    let mut fresh =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
            .and_then(|mut out| {
                out.create_stream(name)?.write_all(&stream)?;
                out.flush()?;
                Ok(out)
            })
            .map_err(|e| damaged("无法重建工作簿", e))?;
    let _ = fresh.flush();
    Ok((fresh.into_inner().into_inner(), extras))
}

/// Rewrites the records of one BIFF stream in place; returns each sheet's extras.
fn defuse(stream: &mut [u8], limits: &Limits) -> Result<Vec<Extras>, Unreadable> {
    let sheet_starts: HashSet<usize> = record_starts(stream)
        .filter(|&at| record_at(stream, at).is_some_and(|(typ, _, _)| typ == BOF))
        .collect();
    let mut sheets_at = HashSet::new();
    let mut sheet_order = Vec::new();
    let mut extras = XlsExtras::default();
    let mut cells = Cells::default();
    let mut at = 0;
    while let Some((typ, data, end)) = record_at(stream, at) {
        let record = &stream[data..end];
        let hide = HIDDEN.contains(&typ)
            || MIN_LEN
                .iter()
                .any(|(t, min)| *t == typ && record.len() < *min)
            || (typ == BOUND_SHEET && {
                let pos = u32_at(record, 0) as usize;
                !sheet_starts.contains(&pos) || !sheets_at.insert(pos)
            })
            || (typ == MUL_RK
                && record.len() >= 6
                && u16_at(record, record.len() - 2) < u16_at(record, 2));
        if hide {
            stream[at..at + 2].copy_from_slice(&IGNORED.to_le_bytes());
            at = end;
            continue;
        }
        cells.see(typ, record, limits)?;
        extras.see(typ, record, at);
        if typ == BOUND_SHEET {
            sheet_order.push(u32_at(record, 0) as usize);
        }
        if typ == FORMULA {
            stream[data + CCE..data + CCE + 2].fill(0);
        } else if typ == MERGE_CELLS {
            let fits = ((record.len() - 2) / 8) as u16;
            if u16_at(record, 0) > fits {
                stream[data..data + 2].copy_from_slice(&fits.to_le_bytes());
            }
        } else if typ == SST && !sst_is_readable(&stream[data..end], continues(stream, end)) {
            return Err(Unreadable::Corrupt("共享字符串表（SST）损坏".into()));
        }
        at = end;
    }
    limits::check_sheets(sheets_at.len(), limits)?;
    Ok(extras.into_sheets(&sheet_order))
}

/// The cells calamine will lay out, counted per workbook and boxed per sheet. calamine walks a
/// sheet from the BOF its BoundSheet8 points at to the matching EOF, skipping the cells of
/// embedded substreams (charts), which a sheet pointing at their own BOF would read: so every
/// cell is read at most once, and boxing a sheet with its substreams is the stricter check.
#[derive(Default)]
struct Cells {
    in_sheet: bool,
    depth: usize,
    count: usize,
    span: Option<((u32, u32), (u32, u32))>,
}

impl Cells {
    fn see(&mut self, typ: u16, record: &[u8], limits: &Limits) -> Result<(), Unreadable> {
        match typ {
            BOF if self.in_sheet => self.depth += 1,
            BOF => {
                self.in_sheet = true;
                self.span = None;
            }
            EOF if self.depth > 0 => self.depth -= 1,
            EOF => self.in_sheet = false,
            _ if record.len() < 4 => {}
            _ if ONE_CELL.contains(&typ) => self.add(
                u16_at(record, 0),
                u16_at(record, 2),
                u16_at(record, 2),
                limits,
            )?,
            MUL_RK if record.len() >= 6 => self.add(
                u16_at(record, 0),
                u16_at(record, 2),
                u16_at(record, record.len() - 2),
                limits,
            )?,
            _ => {}
        }
        Ok(())
    }

    fn add(&mut self, row: u16, first: u16, last: u16, limits: &Limits) -> Result<(), Unreadable> {
        self.count += usize::from(last - first) + 1;
        limits::check_cell_count(self.count, limits)?;
        let (row, first, last) = (u32::from(row), u32::from(first), u32::from(last));
        let (min, max) = self.span.unwrap_or(((row, first), (row, last)));
        let span = (
            (min.0.min(row), min.1.min(first)),
            (max.0.max(row), max.1.max(last)),
        );
        self.span = Some(span);
        limits::check_span(span.0, span.1, limits)
    }
}

/// Where every record of the stream starts, walking from the first.
fn record_starts(stream: &[u8]) -> impl Iterator<Item = usize> + '_ {
    std::iter::successors(Some(0), |&at| record_at(stream, at).map(|(_, _, end)| end))
        .take_while(|&at| record_at(stream, at).is_some())
}

/// The record starting at `at`: its type, where its data starts and where it ends.
fn record_at(stream: &[u8], at: usize) -> Option<(u16, usize, usize)> {
    if at + 4 > stream.len() {
        return None;
    }
    let end = at + 4 + u16_at(stream, at + 2) as usize;
    (end <= stream.len()).then(|| (u16_at(stream, at), at + 4, end))
}

/// The CONTINUE records that follow a record ending at `at`, as calamine gathers them.
fn continues(stream: &[u8], mut at: usize) -> VecDeque<&[u8]> {
    let mut pieces = VecDeque::new();
    // calamine only looks for a CONTINUE when more than a record header is left.
    while stream.len() > at + 4 {
        match record_at(stream, at) {
            Some((CONTINUE, data, end)) => {
                pieces.push_back(&stream[data..end]);
                at = end;
            }
            _ => break,
        }
    }
    pieces
}

/// Walks an SST the way calamine's `parse_sst` does and says whether it stays in bounds.
fn sst_is_readable(record: &[u8], mut pieces: VecDeque<&[u8]>) -> bool {
    if record.len() < 8 {
        return true; // calamine reports this one itself
    }
    let mut data = &record[8..];
    loop {
        if data.is_empty() {
            match pieces.pop_front() {
                Some(next) => {
                    data = next;
                    continue;
                }
                None => return true,
            }
        }
        if data.len() < 3 {
            return true; // calamine reports this one itself
        }
        let mut chars = u16_at(data, 0) as usize;
        let flags = data[2];
        data = &data[3..];
        let mut skip = 0usize;
        for (flag, width) in [(0x8, 2), (0x4, 4)] {
            if flags & flag != 0 {
                let Some(rest) = data.get(width..) else {
                    return false;
                };
                skip = skip.saturating_add(if width == 2 {
                    4 * u16_at(data, 0) as usize // formatting runs, 4 bytes each
                } else {
                    i32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize
                });
                data = rest;
            }
        }
        let mut wide = flags & 0x1 != 0;
        loop {
            let taken = if wide {
                (data.len() / 2).min(chars)
            } else {
                data.len().min(chars)
            };
            data = &data[if wide { 2 * taken } else { taken }..];
            chars -= taken;
            if chars == 0 {
                break;
            }
            match pieces.pop_front() {
                Some([first, rest @ ..]) => {
                    wide = first & 0x1 != 0;
                    data = rest;
                }
                Some([]) => return false,
                None => return true, // calamine reports the early end itself
            }
        }
        // The formatting runs and the phonetic block are skipped across CONTINUE records.
        while skip > 0 {
            if data.is_empty() {
                match pieces.pop_front() {
                    Some(next) => data = next,
                    None => return true, // calamine reports the early end itself
                }
            }
            let step = skip.min(data.len());
            data = &data[step..];
            skip -= step;
        }
    }
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}
