//! Every crash `examples/fuzz-reader.rs` found, rebuilt from the sample `.xls` and named after
//! what it was: each must read as the sound workbook does, or as one damaged-file diagnostic.

use crate::common::samples;
use jxmb::read::{read_bytes, Unreadable};
use std::io::{Cursor, Read, Write};

const SAMPLE: &str = "layouts/合并一表.xls";
const BOF: u16 = 0x0809;
const BOUND_SHEET: u16 = 0x0085;
const CONTINUE: u16 = 0x003C;

/// The records of a BIFF stream: type, offset of the header, data length.
fn records(stream: &[u8]) -> Vec<(u16, usize, usize)> {
    let mut found = Vec::new();
    let mut at = 0;
    while at + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = u16::from_le_bytes([stream[at + 2], stream[at + 3]]) as usize;
        found.push((typ, at, len));
        at += 4 + len;
    }
    found
}

fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut bytes = typ.to_le_bytes().to_vec();
    bytes.extend((data.len() as u16).to_le_bytes());
    bytes.extend(data);
    bytes
}

/// The sample with its Workbook stream rewritten by `edit`.
fn sample_with(edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let bytes = std::fs::read(samples().join(SAMPLE)).expect("sample");
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).expect("container");
    let mut stream = Vec::new();
    file.open_stream("/Workbook")
        .and_then(|mut s| s.read_to_end(&mut stream))
        .expect("stream");
    edit(&mut stream);
    let mut out = file.create_stream("/Workbook").expect("rewritten");
    out.write_all(&stream).expect("written");
    drop(out);
    file.flush().expect("flushed");
    file.into_inner().into_inner()
}

/// Inserts records into the workbook globals right after their BOF, moving every sheet's
/// offset in BoundSheet8 to match.
fn in_globals(extra: &[u8]) -> impl FnOnce(&mut Vec<u8>) + '_ {
    move |stream| {
        let shift = extra.len() as u32;
        for (typ, at, _) in records(stream) {
            if typ == BOUND_SHEET {
                let pos = u32::from_le_bytes(stream[at + 4..at + 8].try_into().expect("4"));
                stream[at + 4..at + 8].copy_from_slice(&(pos + shift).to_le_bytes());
            }
        }
        let (_, at, len) = records(stream)[0];
        let after_bof = at + 4 + len;
        stream.splice(after_bof..after_bof, extra.iter().copied());
    }
}

/// Inserts records into the (only) sheet right after its BOF.
fn in_sheet(extra: &[u8]) -> impl FnOnce(&mut Vec<u8>) + '_ {
    move |stream| {
        let (_, at, len) = records(stream)
            .into_iter()
            .filter(|r| r.0 == BOF)
            .nth(1)
            .expect("sheet BOF");
        let after_bof = at + 4 + len;
        stream.splice(after_bof..after_bof, extra.iter().copied());
    }
}

/// Overwrites bytes of the first record of a type, at an offset into its data.
fn patch(typ: u16, offset: usize, bytes: &[u8]) -> impl FnOnce(&mut Vec<u8>) + '_ {
    move |stream| {
        let (_, at, _) = records(stream)
            .into_iter()
            .find(|r| r.0 == typ)
            .expect("record");
        let start = at + 4 + offset;
        stream[start..start + bytes.len()].copy_from_slice(bytes);
    }
}

fn projects(bytes: Vec<u8>) -> Result<usize, Unreadable> {
    read_bytes(bytes, "xls", "模糊.xls").map(|c| c.projects.len())
}

fn sound() -> usize {
    projects(std::fs::read(samples().join(SAMPLE)).expect("sample")).expect("sample reads")
}

#[track_caller]
fn reads_as_sound(edit: impl FnOnce(&mut Vec<u8>)) {
    let expected = sound();
    assert!(expected > 0);
    assert_eq!(projects(sample_with(edit)), Ok(expected));
}

#[track_caller]
fn reads_as_damaged(edit: impl FnOnce(&mut Vec<u8>), says: &str) {
    match projects(sample_with(edit)) {
        Err(Unreadable::Corrupt(why)) => assert!(why.contains(says), "{why}"),
        other => panic!("expected a damaged-file diagnostic, got {other:?}"),
    }
}

#[test]
fn the_rewritten_sample_itself_reads_as_sound() {
    // Guards the helpers: a no-op edit must not change anything.
    reads_as_sound(|_| {});
}

#[test]
fn a_formula_whose_tokens_run_past_the_record() {
    // Row 200, column 0, cached number 1.0, then a token length of 0xFFFF with 2 token bytes.
    let mut data = vec![200, 0, 0, 0, 15, 0];
    data.extend(1.0f64.to_le_bytes());
    data.extend([0; 6]);
    data.extend([0xFF, 0xFF, 0x1E, 0x01]);
    reads_as_sound(in_sheet(&record(0x0006, &data)));
}

#[test]
fn a_formula_too_short_for_its_token_length() {
    reads_as_sound(in_sheet(&record(0x0006, &[0; 21])));
}

#[test]
fn empty_filepass_codepage_and_datemode_records() {
    for typ in [0x002F, 0x0042, 0x0022] {
        reads_as_sound(in_globals(&record(typ, &[])));
    }
}

#[test]
fn an_empty_bof_among_the_workbook_records() {
    reads_as_sound(in_globals(&record(BOF, &[])));
}

#[test]
fn a_boundsheet_too_short_for_its_offset() {
    reads_as_sound(in_globals(&record(BOUND_SHEET, &[1, 2, 3])));
}

#[test]
fn a_boundsheet_pointing_past_the_stream() {
    let data = [0xFF, 0xFF, 0xFF, 0x00, 0, 0, 1, 0, b'x'];
    reads_as_sound(in_globals(&record(BOUND_SHEET, &data)));
}

#[test]
fn a_dimensions_record_claiming_four_billion_rows() {
    // First row 10, last row + 1 = 5: calamine's row count wraps and it reserves memory for
    // billions of cells, which aborts the process.
    let mut data = 10u32.to_le_bytes().to_vec();
    data.extend(5u32.to_le_bytes());
    data.extend([0, 0, 0xFF, 0, 0, 0]);
    reads_as_sound(patch(0x0200, 0, &data));
}

#[test]
fn a_mulrk_whose_last_column_precedes_its_first() {
    let mut data = vec![200, 0, 5, 0];
    data.extend([0x0F, 0, 0, 0, 0xF0, 0x3F]);
    data.extend([2, 0]);
    reads_as_sound(in_sheet(&record(0x00BD, &data)));
}

#[test]
fn a_mergecells_claiming_more_ranges_than_it_holds() {
    reads_as_sound(patch(0x00E5, 0, &[0xFF, 0xFF]));
}

#[test]
fn a_defined_name_whose_formula_is_longer_than_the_record() {
    let mut data = vec![0, 0, 0, 1, 0xFF, 0x00];
    data.extend([0; 8]);
    data.extend([0, b'n']);
    reads_as_sound(in_globals(&record(0x0018, &data)));
}

#[test]
fn an_empty_externsheet_and_defined_name() {
    let mut extra = record(0x0017, &[]);
    extra.extend(record(0x0018, &[]));
    reads_as_sound(in_globals(&extra));
}

#[test]
fn a_rich_string_cut_short_in_the_string_table() {
    // One string flagged rich (formatting-run count follows) with only one byte left.
    let sst = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0x08, 7];
    reads_as_damaged(in_globals(&record(0x00FC, &sst)), "SST");
}

#[test]
fn a_string_continued_into_an_empty_continue_record() {
    let sst = [1, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, b'a', b'b'];
    let mut extra = record(0x00FC, &sst);
    extra.extend(record(CONTINUE, &[]));
    extra.extend(record(0x7FFE, &[0, 0, 0, 0]));
    reads_as_damaged(in_globals(&extra), "SST");
}

#[test]
fn a_boundsheet_pointing_into_the_middle_of_a_record() {
    // calamine would start the sheet there and read whatever the bytes happen to say.
    let data = [0x10, 0x00, 0x00, 0x00, 0, 0, 1, 0, b'x'];
    reads_as_sound(in_globals(&record(BOUND_SHEET, &data)));
}

#[test]
fn two_boundsheets_pointing_at_one_sheet() {
    // calamine would read the sheet twice; a thousand of them would read it a thousand times.
    reads_as_sound(|stream: &mut Vec<u8>| {
        let (_, at, _) = records(stream)
            .into_iter()
            .find(|r| r.0 == BOUND_SHEET)
            .expect("sheet");
        let pos = u32::from_le_bytes(stream[at + 4..at + 8].try_into().expect("4"));
        let mut data = (pos + 13).to_le_bytes().to_vec();
        data.extend([0, 0, 1, 0, b'x']);
        in_globals(&record(BOUND_SHEET, &data))(stream);
    });
}

#[test]
fn a_cell_far_from_the_others_spreads_the_sheet_over_millions() {
    // A NUMBER at row 60,001, column 201: calamine lays the sheet out densely from A1, 12
    // million cells, as it opens the file. The fuzzer's case asked for 9 GB this way.
    let mut data = vec![0x60, 0xEA, 200, 0, 15, 0];
    data.extend(1.0f64.to_le_bytes());
    match projects(sample_with(in_sheet(&record(0x0203, &data)))) {
        Err(Unreadable::TooLarge(why)) => assert!(why.contains("范围超过上限"), "{why}"),
        other => panic!("expected the area limit, got {other:?}"),
    }
}

#[test]
fn a_container_directory_only_calamine_would_still_read() {
    // The Workbook entry's name length says 65,320 bytes. calamine's own container reader
    // shrugs and goes on, seeing records the checks never saw; the fuzzer's case then asked
    // for 24 GB. A container the checks cannot read is refused instead.
    let mut bytes = std::fs::read(samples().join(SAMPLE)).expect("sample");
    let directory = u32::from_le_bytes(bytes[0x30..0x34].try_into().expect("4")) as usize;
    let workbook_entry = (directory + 1) * 512 + 128;
    let name: Vec<u8> = "Workbook"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(
        &bytes[workbook_entry..workbook_entry + name.len()],
        &name[..]
    );
    bytes[workbook_entry + 64..workbook_entry + 66].copy_from_slice(&65_320u16.to_le_bytes());
    match projects(bytes) {
        Err(Unreadable::Corrupt(why)) => assert!(why.contains("复合文档结构损坏"), "{why}"),
        other => panic!("expected a damaged container, got {other:?}"),
    }
}

/// Found by `fuzz-reader --seed 2026` (case 255566): a formula stored as 0 whose text runs on
/// into Chinese (`E4+G4一级指标`) was sliced inside a character while its references were
/// looked for. It reads, and the formula is named (JX007).
#[test]
fn a_stored_zero_formula_with_chinese_after_its_references() {
    let mut s = crate::common::cases::clean(1, "表1");
    s.formula("C4", "=E4+G4一级指标", None);
    let bytes = crate::common::sheet::book(&[&s]);
    let contents = read_bytes(bytes, "xlsx", "模糊.xlsx").expect("reads");
    assert_eq!(contents.projects.len(), 1);
    let (_, p) = &contents.projects[0];
    assert_eq!(p.budget.total, None);
    assert_eq!(
        p.unreadable.first().and_then(|u| u.formula.as_deref()),
        Some("E4+G4一级指标")
    );
}
