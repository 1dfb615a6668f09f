//! `jxmb rules [CODE]`: the rule catalog, or one rule's documentation; with `--config`, each
//! rule's severity as that file sets it.

use super::{print, Outcome};
use crate::check::{self, Fixable, RuleInfo};
use crate::cli::RulesArgs;
use crate::config::Config;
use crate::error::Error;

pub fn run(args: &RulesArgs) -> Result<Outcome, Error> {
    let config = match &args.config {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    // 错误 / 警告 / 提示, or 关闭 for a rule a config turns `off`.
    let severity = |r: &RuleInfo| match config.severity(r.code, r.severity) {
        Some(s) => s.chinese(),
        None => "关闭",
    };
    let text = match &args.code {
        None => check::rules()
            .iter()
            .map(|r| {
                format!(
                    "{}  {:<4} {:<28} {}：{}\n",
                    r.code,
                    severity(r),
                    r.name(),
                    r.code.title(),
                    r.summary
                )
            })
            .collect(),
        Some(code) => match check::rule_named(code) {
            Some(rule) => document(rule),
            None => {
                return Err(Error::Usage(format!(
                    "未知的规则“{code}”；运行 `jxmb rules` 查看全部规则"
                )))
            }
        },
    };
    print(&text)?;
    Ok(Outcome::Clean)
}

/// One rule's documentation: what it checks, why, an example that fires and one that does not.
pub fn document(r: &RuleInfo) -> String {
    let fix = match r.fixable {
        Fixable::No => "否".to_string(),
        Fixable::Yes => "是（convert 会自动修正）".to_string(),
        Fixable::Sometimes(when) => format!("部分：{when}"),
    };
    format!(
        "{} {} {}（默认级别：{}，可自动修正：{fix}）\n{}\n\n检查什么\n  {}\n\n为什么\n  {}\n\n会报告的例子\n  {}\n\n不会报告的例子\n  {}\n",
        r.code,
        r.name(),
        r.code.title(),
        r.severity.chinese(),
        r.summary,
        r.doc.what,
        r.doc.why,
        r.doc.fires,
        r.doc.quiet
    )
}
