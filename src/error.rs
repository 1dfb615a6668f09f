//! Errors that stop the tool from doing what was asked (exit code 2) — as opposed to findings
//! about the input, which are diagnostics.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug)]
pub enum Error {
    /// An input path given on the command line does not exist or cannot be listed.
    Input {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An output could not be written.
    Output {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A workbook could not be laid out (rust_xlsxwriter refused it); the file was not written.
    Write {
        path: PathBuf,
        source: rust_xlsxwriter::XlsxError,
    },
    /// `jxmb.toml` is invalid: which file, which line, why.
    Config {
        path: PathBuf,
        line: usize,
        why: String,
    },
    /// The command line asked for something impossible.
    Usage(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input { path, source } => {
                write!(f, "无法读取输入“{}”：{}", path.display(), io_reason(source))
            }
            Error::Output { path, source } => {
                write!(f, "无法写入“{}”：{}", path.display(), io_reason(source))
            }
            Error::Write { path, source } => {
                write!(f, "无法写出工作簿“{}”：{source}", path.display())
            }
            Error::Config { path, line, why } => {
                write!(f, "配置文件“{}”第 {line} 行：{why}", path.display())
            }
            Error::Usage(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Input { source, .. } | Error::Output { source, .. } => Some(source),
            Error::Write { source, .. } => Some(source),
            Error::Usage(_) | Error::Config { .. } => None,
        }
    }
}

/// The Chinese reason for the common I/O failures, the system's text for the rest.
fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "文件或文件夹不存在".into(),
        PermissionDenied => "没有权限".into(),
        AlreadyExists => "已存在".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        let e = Error::Input {
            path: "a/b".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        assert_eq!(e.to_string(), "无法读取输入“a/b”：文件或文件夹不存在");
        let e = Error::Write {
            path: "out/汇总.xlsx".into(),
            source: rust_xlsxwriter::XlsxError::RowColumnLimitError,
        };
        assert!(
            e.to_string().starts_with("无法写出工作簿“out/汇总.xlsx”："),
            "{e}"
        );
        assert!(std::error::Error::source(&e).is_some());
        assert_eq!(
            Error::Usage("未知的规则 JX999".into()).to_string(),
            "未知的规则 JX999"
        );
    }
}
