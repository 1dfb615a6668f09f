//! Safe output: files are written to a temporary name beside their target and renamed into
//! place; names built from cell text cannot escape the output folder or clash; outputs never go
//! into an input folder or over an input file.

use crate::error::Error;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Writes to a temporary file in the target's folder, then renames it into place, so an
/// interrupted run never leaves a half-written file under the final name.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_atomically_with(path, |w| w.write_all(bytes))
}

/// [`write_atomically`] for output produced piece by piece: `fill` writes into a buffered
/// temporary file, so a large document never has to be one string in memory.
pub fn write_atomically_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    write_atomically_to(path, |w| fill(w))
}

/// [`write_atomically_with`] into a writer that can also seek (a zip package is written so).
pub fn write_atomically_to(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> Result<(), Error> {
    let fail = |source| Error::Output {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    let temp = dir.join(format!(".{name}.jxmb-{}.tmp", std::process::id()));
    let written = std::fs::File::create(&temp).and_then(|file| {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
        fill(&mut w)?;
        w.flush()
    });
    written
        .and_then(|()| std::fs::rename(&temp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            fail(e)
        })
}

/// Removes temporary files that an interrupted run (killed, power lost) left in `dir`, before a
/// new run writes there: only jxmb's own `.name.jxmb-PID.tmp`, never this process's.
pub fn remove_stale_temps(dir: &Path) {
    let mine = format!(".jxmb-{}.tmp", std::process::id());
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        let name = entry.file_name().to_string_lossy();
        let stale = name.starts_with('.')
            && name.ends_with(".tmp")
            && name.contains(".jxmb-")
            && !name.ends_with(&mine);
        if stale && entry.file_type().is_file() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

const WINDOWS_RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A file name from cell text: no path separators, no characters Windows forbids, no control
/// characters, no `..`, not a reserved device name, at most 80 characters.
pub fn safe_file_stem(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut stem: String = cleaned
        .trim()
        .trim_matches('.')
        .trim()
        .chars()
        .take(80)
        .collect();
    if stem.is_empty() {
        stem = "未命名".into();
    }
    let upper = stem.to_ascii_uppercase();
    let device = upper.split('.').next().unwrap_or("");
    if WINDOWS_RESERVED.contains(&device) {
        stem = format!("_{stem}");
    }
    stem
}

/// A sheet name from cell text: at most 31 characters, none of `[ ] : * ? / \`, no leading or
/// trailing apostrophe, not blank (Excel's rules).
pub fn safe_sheet_name(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_control() || "[]:*?/\\".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let name: String = cleaned
        .trim()
        .trim_matches('\'')
        .trim()
        .chars()
        .take(31)
        .collect();
    if name.is_empty() || name.eq_ignore_ascii_case("history") {
        "表".into()
    } else {
        name
    }
}

/// Hands out names that are unique, case-insensitively, by adding `(2)`, `(3)`…
#[derive(Debug, Default)]
pub struct UniqueNames {
    used: BTreeSet<String>,
    max_chars: Option<usize>,
}

impl UniqueNames {
    /// For sheet names: suffixed names still fit in 31 characters.
    pub fn sheets() -> UniqueNames {
        UniqueNames {
            used: BTreeSet::new(),
            max_chars: Some(31),
        }
    }

    pub fn files() -> UniqueNames {
        UniqueNames::default()
    }

    pub fn claim(&mut self, wanted: &str) -> String {
        // Files keep their extension last: `劳务费(2).xlsx`.
        let (stem, ext) = match (self.max_chars, wanted.rfind('.')) {
            (None, Some(dot)) if dot > 0 && !wanted[dot..].contains(['/', '\\']) => {
                (&wanted[..dot], &wanted[dot..])
            }
            _ => (wanted, ""),
        };
        let fit = |s: &str, room: usize| -> String {
            match self.max_chars {
                Some(max) => s.chars().take(max.saturating_sub(room)).collect(),
                None => s.to_string(),
            }
        };
        let mut name = format!("{}{ext}", fit(stem, 0));
        let mut n = 2;
        while self.used.contains(&name.to_lowercase()) {
            let suffix = format!("({n})");
            name = format!("{}{suffix}{ext}", fit(stem, suffix.chars().count()));
            n += 1;
        }
        self.used.insert(name.to_lowercase());
        name
    }
}

/// A relative output path from text that may come from anywhere (a model JSON): only plain
/// components survive, each made a safe name, and the file ends in `.xlsx`.
pub fn safe_relative_xlsx(text: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for part in Path::new(text).components() {
        if let Component::Normal(name) = part {
            out.push(safe_file_stem(&name.to_string_lossy()));
        }
    }
    if out.as_os_str().is_empty() {
        out.push("未命名");
    }
    out.with_extension("xlsx")
}

/// The absolute, normalized form of a path that may not exist yet.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let base = std::env::current_dir().unwrap_or_default();
    let mut out = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => absolute(parent),
        None => base,
    };
    if let Some(name) = path.file_name() {
        out.push(name);
    }
    out.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// Refuses an output inside an input folder, or one that is an input file.
pub fn check_output_location(output: &Path, inputs: &[PathBuf]) -> Result<(), Error> {
    let out = absolute(output);
    for input in inputs {
        let inp = absolute(input);
        if out == inp || (inp.is_dir() && out.starts_with(&inp)) {
            return Err(Error::Usage(format!(
                "输出位置“{}”在输入“{}”之内：jxmb 不会写入输入文件夹，请用 -o 指定别的文件夹",
                output.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// The input files, each as a hash of its absolute path, for `is_input_file`: 8 bytes an
/// input, not its path (a province's batch names 100,000). Two paths of one hash both count as
/// inputs: that rare mistake refuses a write, it never makes one.
pub struct InputFiles(Vec<u64>);

fn path_hash(path: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    h.finish()
}

/// True when writing `path` would replace one of the input files.
pub fn is_input_file(path: &Path, input_files: &InputFiles) -> bool {
    input_files
        .0
        .binary_search(&path_hash(&absolute(path)))
        .is_ok()
}

/// The set of input files, absolute, for `is_input_file`.
pub fn input_file_set<'a>(paths: impl Iterator<Item = &'a Path>) -> InputFiles {
    let mut hashes: Vec<u64> = paths.map(|p| path_hash(&absolute(p))).collect();
    hashes.sort_unstable();
    hashes.dedup();
    InputFiles(hashes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_cannot_escape() {
        assert_eq!(safe_file_stem("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_file_stem("/abs/path"), "_abs_path");
        assert_eq!(safe_file_stem("con"), "_con");
        assert_eq!(safe_file_stem("LPT1.txt"), "_LPT1.txt");
        assert_eq!(safe_file_stem("a\u{0}b\tc"), "a_b_c");
        assert_eq!(safe_file_stem(".."), "未命名");
        assert_eq!(safe_file_stem("劳务费"), "劳务费");
    }

    #[test]
    fn relative_outputs_stay_inside() {
        assert_eq!(
            safe_relative_xlsx("../../etc/passwd"),
            PathBuf::from("etc/passwd.xlsx")
        );
        assert_eq!(
            safe_relative_xlsx("/abs/2025/劳务费.xls"),
            PathBuf::from("abs/2025/劳务费.xlsx")
        );
        assert_eq!(
            safe_relative_xlsx("a/CON.xlsx"),
            PathBuf::from("a/_CON.xlsx")
        );
        assert_eq!(safe_relative_xlsx(""), PathBuf::from("未命名.xlsx"));
    }

    #[test]
    fn sheet_names_follow_excel() {
        let long = "工程建设项目联合审批系统运维费".repeat(3);
        assert_eq!(safe_sheet_name(&long).chars().count(), 31);
        assert!(long.starts_with(&safe_sheet_name(&long)));
        assert_eq!(safe_sheet_name("a[b]:c*d?e/f\\g"), "a_b__c_d_e_f_g");
        assert_eq!(safe_sheet_name("'quoted'"), "quoted");
        assert_eq!(safe_sheet_name("  "), "表");
        assert_eq!(safe_sheet_name("History"), "表");
    }

    #[test]
    fn unique_names_stay_within_31() {
        let mut names = UniqueNames::sheets();
        let long = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一";
        assert_eq!(names.claim("劳务费"), "劳务费");
        assert_eq!(names.claim("劳务费"), "劳务费(2)");
        assert_eq!(names.claim(long).chars().count(), 31);
        let second = names.claim(long);
        assert!(
            second.ends_with("(2)") && second.chars().count() == 31,
            "{second}"
        );
        let mut files = UniqueNames::files();
        assert_eq!(files.claim("A.xlsx"), "A.xlsx");
        assert_eq!(files.claim("a.xlsx"), "a(2).xlsx");
        assert_eq!(files.claim("2025/劳务费.xlsx"), "2025/劳务费.xlsx");
        assert_eq!(files.claim("2025/劳务费.xlsx"), "2025/劳务费(2).xlsx");
    }

    #[test]
    fn outputs_stay_out_of_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir_all(&input).unwrap();
        assert!(check_output_location(&input.join("out"), std::slice::from_ref(&input)).is_err());
        assert!(check_output_location(&input, std::slice::from_ref(&input)).is_err());
        assert!(
            check_output_location(&dir.path().join("out"), std::slice::from_ref(&input)).is_ok()
        );
        assert!(
            check_output_location(&input.join("../in/x"), std::slice::from_ref(&input)).is_err()
        );
    }

    #[test]
    #[cfg(unix)]
    fn input_files_are_known_however_spelled() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in/a.xlsx");
        std::fs::create_dir_all(input.parent().unwrap()).unwrap();
        std::fs::write(&input, b"x").unwrap();
        let link = dir.path().join("link.xlsx");
        std::os::unix::fs::symlink(&input, &link).unwrap();
        let inputs = input_file_set(std::iter::once(input.as_path()));
        assert!(is_input_file(&input, &inputs));
        assert!(is_input_file(
            &dir.path().join("in/../in/./a.xlsx"),
            &inputs
        ));
        assert!(
            is_input_file(&link, &inputs),
            "a link to an input is the input"
        );
        assert!(!is_input_file(&dir.path().join("in/b.xlsx"), &inputs));
        assert!(!is_input_file(&dir.path().join("a.xlsx"), &inputs));
    }
}
