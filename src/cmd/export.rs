//! `jxmb export PATH… [--format json|csv|自评csv]`: the model as JSON, one CSV row per indicator,
//! or one CSV row per 自评表 indicator with its claimed and computed score.

use super::{print, Outcome};
use crate::cli::{ExportArgs, ExportFormat};
use crate::error::Error;
use crate::model::amount::{money_text, number_text};
use crate::model::evaluation::INDICATOR_HEADER;
use crate::model::Model;

pub fn run(args: &ExportArgs) -> Result<Outcome, Error> {
    let batch = crate::pipeline::read(&args.input.resolve(false)?)?;
    for d in &batch.diagnostics {
        eprintln!("{}", crate::diag::render::line(d, false));
    }
    let text = match args.format {
        ExportFormat::Json => serde_json::to_string_pretty(&batch.model).unwrap_or_default() + "\n",
        ExportFormat::Csv => csv(&batch.model),
        ExportFormat::EvaluationCsv => evaluation_csv(&batch.model),
    };
    match &args.output {
        Some(path) => crate::output::write_atomically(path, text.as_bytes())?,
        None => print(&text)?,
    }
    Ok(if batch.diagnostics.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

const CSV_HEADER: &[&str] = &[
    "文件",
    "工作表",
    "单位编码",
    "单位名称",
    "项目编码",
    "项目名称",
    "预算数（万元）",
    "一级指标",
    "二级指标",
    "三级指标",
    "绩效指标描述",
    "指标值",
    "比较符",
    "数值",
    "单位",
    "类型",
    "指标值确定依据",
    "单元格",
];

/// One row per indicator, UTF-8 with a BOM so Excel opens the Chinese text correctly.
pub fn csv(model: &Model) -> String {
    let mut out = String::from("\u{feff}");
    push_row(&mut out, CSV_HEADER.iter().map(|s| s.to_string()));
    for (dept, p) in model.projects() {
        for i in &p.indicators {
            let kind = serde_json::to_value(i.target.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            push_row(
                &mut out,
                [
                    p.source.file.clone(),
                    i.source.sheet.clone(),
                    dept.unit_code.clone().unwrap_or_default(),
                    dept.unit_name.clone().unwrap_or_default(),
                    p.code.clone(),
                    p.name.clone(),
                    p.budget.total.as_ref().map(money_text).unwrap_or_default(),
                    i.level1.clone(),
                    i.level2.clone(),
                    i.level3.clone(),
                    i.description.clone(),
                    i.target.text.clone(),
                    i.target.op.symbol().to_string(),
                    i.target.value.as_ref().map(number_text).unwrap_or_default(),
                    i.target.unit.clone(),
                    kind,
                    i.basis.clone(),
                    i.source.cell.to_string(),
                ]
                .into_iter(),
            );
        }
    }
    out
}

/// `自评csv`'s header: where, which project, then the template's indicator columns up to 分值
/// (spelled once, in [`INDICATOR_HEADER`]), the claimed and computed scores, the reason given.
fn evaluation_header() -> Vec<&'static str> {
    let mut header = vec!["文件", "工作表", "项目编码", "项目名称"];
    header.extend(&INDICATOR_HEADER[..6]);
    header.extend([
        "自评得分",
        "核算得分",
        "核算说明",
        INDICATOR_HEADER[7],
        "单元格",
    ]);
    header
}

/// One row per 自评表 indicator: target, actual, claimed and computed score, and how the
/// computed one was reached.
pub fn evaluation_csv(model: &Model) -> String {
    let mut out = String::from("\u{feff}");
    push_row(
        &mut out,
        evaluation_header().into_iter().map(str::to_string),
    );
    let number = |d: Option<rust_decimal::Decimal>| {
        d.map(|d| number_text(&d.normalize())).unwrap_or_default()
    };
    for e in model.departments.iter().flat_map(|d| &d.evaluations) {
        for (i, computed) in e.indicators.iter().zip(&e.computed.rows) {
            push_row(
                &mut out,
                [
                    e.source.file.clone(),
                    e.source.sheet.clone(),
                    e.code.clone(),
                    e.name.clone(),
                    i.level1.clone(),
                    i.level2.clone(),
                    i.level3.clone(),
                    i.target.text.clone(),
                    i.actual.text.clone(),
                    number(computed.weight),
                    number(i.score),
                    number(computed.score),
                    computed.why.clone(),
                    i.deviation.clone(),
                    i.source.score.map(|c| c.to_string()).unwrap_or_default(),
                ]
                .into_iter(),
            );
        }
    }
    out
}

/// RFC 4180 quoting; a field that starts like a formula gets a leading `'` so Excel shows it
/// as text instead of running it.
fn push_row(out: &mut String, fields: impl Iterator<Item = String>) {
    let mut first = true;
    for field in fields {
        if !first {
            out.push(',');
        }
        first = false;
        let field = if field.starts_with(['=', '+', '-', '@']) {
            format!("'{field}")
        } else {
            field
        };
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        let mut out = String::new();
        push_row(
            &mut out,
            [
                "a,b".to_string(),
                "say \"hi\"".into(),
                "=SUM(A1)".into(),
                "plain".into(),
            ]
            .into_iter(),
        );
        assert_eq!(out, "\"a,b\",\"say \"\"hi\"\"\",'=SUM(A1),plain\r\n");
    }
}
