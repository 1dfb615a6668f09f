//! Spill files: what a long batch's outputs need later (each fixed project, each file's
//! findings), written out once and read back when its output is written, so memory holds a
//! place per table instead of the table.
//!
//! A spill file has no name: it is created in the output folder and unlinked at once, so the
//! system removes it when the run ends in any way — finished, failed or killed. Should the run
//! be killed in the instant between creating and unlinking it, the name it had is jxmb's own
//! temporary name (`.spill-….jxmb-PID.tmp`), which the next run's clean-up removes.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Where a record sits in its spill file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    offset: u64,
    len: u32,
}

impl Span {
    /// The part of a record `from` bytes in, `len` long (a record made of several).
    pub fn part(self, from: u32, len: u32) -> Span {
        Span {
            offset: self.offset + u64::from(from),
            len: len.min(self.len.saturating_sub(from)),
        }
    }
}

/// An append-only file of records, each read back by its [`Span`].
pub struct Spill {
    writer: BufWriter<File>,
    /// A second handle on the same file, for reading (`read_at` needs no seeking, so readers
    /// on several threads share it).
    reader: File,
    end: u64,
}

impl Spill {
    /// A new, already unlinked spill file in `dir`.
    pub fn new_in(dir: &Path) -> io::Result<Spill> {
        std::fs::create_dir_all(dir)?;
        let file = tempfile::Builder::new()
            .prefix(".spill-")
            .suffix(&format!(".jxmb-{}.tmp", std::process::id()))
            .tempfile_in(dir)?
            .into_file();
        let reader = file.try_clone()?;
        Ok(Spill {
            writer: BufWriter::with_capacity(1 << 16, file),
            reader,
            end: 0,
        })
    }

    /// Appends `bytes` as one record.
    pub fn push(&mut self, bytes: &[u8]) -> io::Result<Span> {
        let len =
            u32::try_from(bytes.len()).map_err(|_| io::Error::other("a spill record over 4 GB"))?;
        self.writer.write_all(bytes)?;
        let span = Span {
            offset: self.end,
            len,
        };
        self.end += u64::from(len);
        Ok(span)
    }

    /// Appends `parts` one after the other, as one record (read back whole or by
    /// [`Span::part`]).
    pub fn push_all(&mut self, parts: &[&[u8]]) -> io::Result<Span> {
        let offset = self.end;
        let mut len: u32 = 0;
        for part in parts {
            let span = self.push(part)?;
            len = len
                .checked_add(span.len)
                .ok_or_else(|| io::Error::other("a spill record over 4 GB"))?;
        }
        Ok(Span { offset, len })
    }

    /// Done appending: what was written becomes readable.
    pub fn finish(&mut self) -> io::Result<()> {
        self.writer.flush()
    }

    /// A record's bytes (after [`Spill::finish`]).
    pub fn bytes(&self, span: Span) -> io::Result<Vec<u8>> {
        let mut buf = vec![0; span.len as usize];
        read_exact_at(&self.reader, &mut buf, span.offset)?;
        Ok(buf)
    }

    /// A record read back as the value it was serialized from ([`to_bytes`]).
    pub fn get<T: DeserializeOwned>(&self, span: Span) -> io::Result<T> {
        let bytes = self.bytes(span)?;
        serde_json::from_slice(&bytes).map_err(io::Error::other)
    }
}

/// A value as a spill record.
pub fn to_bytes<T: Serialize + ?Sized>(value: &T) -> io::Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(io::Error::other)
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_back_as_written_and_the_file_has_no_name() {
        let dir = tempfile::tempdir().expect("dir");
        let mut spill = Spill::new_in(dir.path()).expect("spill");
        let a = spill
            .push(&to_bytes(&vec!["劳务费", "系统维护费"]).unwrap())
            .unwrap();
        let b = spill.push(b"").unwrap();
        let c = spill.push(&to_bytes(&42u32).unwrap()).unwrap();
        spill.finish().unwrap();
        assert_eq!(
            spill.get::<Vec<String>>(a).unwrap(),
            ["劳务费", "系统维护费"]
        );
        assert_eq!(spill.bytes(b).unwrap(), b"");
        assert_eq!(spill.get::<u32>(c).unwrap(), 42);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(left.is_empty(), "the spill file is unlinked: {left:?}");
    }

    #[test]
    fn a_record_of_parts_comes_back_whole_and_by_part() {
        let dir = tempfile::tempdir().expect("dir");
        let mut spill = Spill::new_in(dir.path()).expect("spill");
        let before = spill.push(b"xyz").unwrap();
        let all = spill.push_all(&[b"ab", b"", b"cde"]).unwrap();
        let after = spill.push(b"!").unwrap();
        spill.finish().unwrap();
        assert_eq!(spill.bytes(all).unwrap(), b"abcde");
        assert_eq!(spill.bytes(all.part(0, 2)).unwrap(), b"ab");
        assert_eq!(spill.bytes(all.part(2, 0)).unwrap(), b"");
        assert_eq!(spill.bytes(all.part(2, 3)).unwrap(), b"cde");
        assert_eq!(
            spill.bytes(all.part(4, 9)).unwrap(),
            b"e",
            "a part ends with its record"
        );
        assert_eq!(spill.bytes(before).unwrap(), b"xyz");
        assert_eq!(spill.bytes(after).unwrap(), b"!");
    }
}
