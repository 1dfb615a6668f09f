//! `jxmb.toml`: the thresholds of the rules and each rule's severity (or `off`).
//!
//! Every threshold is policy, not law (DOMAIN.md §2: no national figure was verified for most of
//! them), so each has a documented default and can be set per department or province:
//!
//! ```toml
//! [thresholds]
//! satisfaction_floor = 85        # JX209, percent
//! cost_tolerance = 0.005         # JX204, 万元
//! unit_cost_tolerance = 0.5      # JX205, percent of 预算数
//! allowed_basis = ["计划标准", "行业标准", "历史标准", "其他标准"]   # JX211
//! management_metrics = ["专款专用率", "资金到位率", "预算执行率"]   # JX215 (the defaults and more)
//!
//! [limits]                     # refused before parsing, as JX001
//! max_uncompressed_mb = 200      # a package's total uncompressed size
//! max_sheet_mb = 100             # one sheet's
//! max_sheets = 1000
//! max_cells = 1000000
//!
//! [rules]
//! JX211 = "off"
//! JX205 = "error"
//! ```

use crate::check::registry::Code;
use crate::diag::{Diagnostic, Severity};
use crate::error::Error;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name looked for in input folders.
pub const FILE_NAME: &str = "jxmb.toml";

/// Resolved settings the rules read.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// JX209: a 满意度 target below this percent is reported.
    pub satisfaction_floor: Decimal,
    /// JX204: the largest difference, in 万元, between the total-cost indicator and 预算数.
    pub cost_tolerance: Decimal,
    /// JX205: the largest difference, in percent of 预算数, for unit cost × count × period.
    pub unit_cost_tolerance: Decimal,
    /// JX211: the accepted 指标值确定依据.
    pub allowed_basis: Vec<String>,
    /// JX215: the fund-management measures that are not outputs or outcomes.
    pub management_metrics: Vec<String>,
    /// The safety limits checked before a workbook is parsed.
    pub limits: crate::read::Limits,
    /// Per-rule severity; `None` turns the rule off.
    pub severities: BTreeMap<Code, Option<Severity>>,
    /// Where the settings came from, for messages.
    pub source: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            satisfaction_floor: Decimal::from(85),
            cost_tolerance: Decimal::new(5, 3),
            unit_cost_tolerance: Decimal::new(5, 1),
            allowed_basis: ["计划标准", "行业标准", "历史标准", "其他标准"]
                .map(String::from)
                .to_vec(),
            management_metrics: [
                "专款专用率",
                "资金到位率",
                "预算执行率",
                "资金拨付率",
                "财政拨款保障率",
                "经费发放率",
                "资金使用率",
                "资金支付率",
            ]
            .map(String::from)
            .to_vec(),
            limits: crate::read::Limits::default(),
            severities: BTreeMap::new(),
            source: None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileForm {
    thresholds: Option<ThresholdsForm>,
    limits: Option<LimitsForm>,
    rules: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsForm {
    max_uncompressed_mb: Option<u64>,
    max_sheet_mb: Option<u64>,
    max_sheets: Option<usize>,
    max_cells: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdsForm {
    satisfaction_floor: Option<f64>,
    cost_tolerance: Option<f64>,
    unit_cost_tolerance: Option<f64>,
    allowed_basis: Option<Vec<String>>,
    management_metrics: Option<Vec<String>>,
}

impl Config {
    /// Reads a config file; any mistake is an error naming the line and the reason (exit 2).
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Input {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text)
            .map_err(|(line, why)| Error::Config {
                path: path.to_path_buf(),
                line,
                why,
            })
            .map(|mut c| {
                c.source = Some(path.to_path_buf());
                c
            })
    }

    /// The config for a run: `--config FILE` if given, else a `jxmb.toml` in the first input
    /// folder that has one, else the defaults.
    pub fn for_inputs(explicit: Option<&Path>, inputs: &[PathBuf]) -> Result<Config, Error> {
        if let Some(path) = explicit {
            return Config::load(path);
        }
        for input in inputs {
            let candidate = input.join(FILE_NAME);
            if input.is_dir() && candidate.is_file() {
                return Config::load(&candidate);
            }
        }
        Ok(Config::default())
    }

    /// Parses the TOML text; errors carry the 1-based line and a Chinese reason.
    pub fn parse(text: &str) -> Result<Config, (usize, String)> {
        let form: FileForm = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
            (line, e.message().trim().to_string())
        })?;
        let mut config = Config::default();
        let at = |key: &str| find_line(text, key);
        if let Some(t) = form.thresholds {
            let decimal = |key: &str, v: f64, max: f64| -> Result<Decimal, (usize, String)> {
                if !(0.0..=max).contains(&v) {
                    return Err((at(key), format!("{key} 应在 0 到 {max} 之间，实际为 {v}")));
                }
                crate::model::amount::decimal_from_cell_float(v)
                    .ok_or((at(key), format!("{key} 不是有效数字")))
            };
            if let Some(v) = t.satisfaction_floor {
                config.satisfaction_floor = decimal("satisfaction_floor", v, 100.0)?;
            }
            if let Some(v) = t.cost_tolerance {
                config.cost_tolerance = decimal("cost_tolerance", v, 1_000_000.0)?;
            }
            if let Some(v) = t.unit_cost_tolerance {
                config.unit_cost_tolerance = decimal("unit_cost_tolerance", v, 100.0)?;
            }
            if let Some(list) = t.allowed_basis {
                config.allowed_basis = list;
            }
            if let Some(list) = t.management_metrics {
                config.management_metrics = list;
            }
        }
        if let Some(l) = form.limits {
            let limits = &mut config.limits;
            limits.max_uncompressed = l
                .max_uncompressed_mb
                .map(|m| m << 20)
                .unwrap_or(limits.max_uncompressed);
            limits.max_part = l.max_sheet_mb.map(|m| m << 20).unwrap_or(limits.max_part);
            limits.max_sheets = l.max_sheets.unwrap_or(limits.max_sheets);
            limits.max_cells = l.max_cells.unwrap_or(limits.max_cells);
        }
        for (code, level) in form.rules.unwrap_or_default() {
            let Some(known) = Code::parse(&code) else {
                return Err((
                    at(&code),
                    format!("未知的规则“{code}”；运行 `jxmb rules` 查看全部规则"),
                ));
            };
            let severity = match level.to_ascii_lowercase().as_str() {
                "error" => Some(Severity::Error),
                "warning" => Some(Severity::Warning),
                "info" => Some(Severity::Info),
                "off" => None,
                _ => {
                    return Err((
                        at(&code),
                        format!(
                            "规则 {code} 的级别“{level}”无效，应为 error、warning、info 或 off"
                        ),
                    ))
                }
            };
            config.severities.insert(known, severity);
        }
        Ok(config)
    }

    /// The severity a rule's findings get: the configured one, else the rule's own (`default`).
    /// `None` when the rule is off.
    pub fn severity(&self, code: Code, default: Severity) -> Option<Severity> {
        match self.severities.get(&code) {
            Some(configured) => *configured,
            None => Some(default),
        }
    }

    /// Applies the configured severities to findings made elsewhere (the reader's JX001/JX002),
    /// dropping those of rules turned off.
    pub fn apply(&self, list: &mut Vec<Diagnostic>) {
        list.retain_mut(|d| match self.severities.get(&d.code) {
            Some(Some(s)) => {
                d.severity = *s;
                true
            }
            Some(None) => false,
            None => true,
        });
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].matches('\n').count() + 1
}

/// The line on which a key is set, for errors found after parsing.
fn find_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| l.trim_start().trim_start_matches('"').starts_with(key))
        .map(|i| i + 1)
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let c = Config::parse("[thresholds]\nsatisfaction_floor = 90\ncost_tolerance = 0.01\n\n[rules]\nJX211 = \"off\"\njx205 = \"error\"\n").unwrap();
        assert_eq!(c.satisfaction_floor, Decimal::from(90));
        assert_eq!(c.cost_tolerance, Decimal::new(1, 2));
        assert_eq!(c.unit_cost_tolerance, Decimal::new(5, 1));
        assert_eq!(c.severity(Code::JX211, Severity::Info), None);
        assert_eq!(
            c.severity(Code::JX205, Severity::Warning),
            Some(Severity::Error)
        );
        assert_eq!(
            c.severity(Code::JX204, Severity::Error),
            Some(Severity::Error)
        );
    }

    #[test]
    fn limits_are_set_in_megabytes() {
        let c = Config::parse("[limits]\nmax_uncompressed_mb = 10\nmax_sheets = 5\n").unwrap();
        assert_eq!(c.limits.max_uncompressed, 10 << 20);
        assert_eq!(c.limits.max_sheets, 5);
        assert_eq!(c.limits.max_cells, 1_000_000);
        assert_eq!(Config::parse("[limits]\nmax_rows = 5\n").unwrap_err().0, 2);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            Config::parse("[rules]\nJX999 = \"off\"\n").unwrap_err().0,
            2
        );
        let (line, why) = Config::parse("[rules]\n\nJX205 = \"loud\"\n").unwrap_err();
        assert_eq!(line, 3);
        assert!(why.contains("loud"), "{why}");
        let (line, _) = Config::parse("[thresholds]\nsatisfaction_floor = \"high\"\n").unwrap_err();
        assert_eq!(line, 2);
        let (line, _) =
            Config::parse("[thresholds]\nsatisfaction_floor = 85\nnonsense = 1\n").unwrap_err();
        assert_eq!(line, 3);
        let (line, why) = Config::parse("[thresholds]\nsatisfaction_floor = 120\n").unwrap_err();
        assert_eq!(line, 2);
        assert!(why.contains("0 到 100"), "{why}");
        assert_eq!(Config::parse("[thresholds\n").unwrap_err().0, 1);
    }
}
