//! SPEC §6.6, issue 13: `convert` → edit 汇总.xlsx the way a spreadsheet program saves it
//! (numbers in formatted cells, formulas with and without results, rows inserted and deleted)
//! → `apply` → the workbooks hold exactly the edit, and nothing an edit asks for is dropped
//! or guessed without a word.

use crate::common::{dec, jxmb, stdout};
use crate::convert::read_folder;
use jxmb::model::{Model, Target};
use std::path::PathBuf;

/// A converted lunan-2025 and its roll-up, ready to edit.
struct Trip {
    dir: tempfile::TempDir,
    rollup: PathBuf,
    /// The model of the corrected workbooks convert wrote: what apply starts from.
    before: Model,
}

impl Trip {
    fn new() -> Trip {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("out");
        let done = jxmb(&[
            "convert",
            "sample-workbooks/lunan-2025",
            "-o",
            out.to_str().expect("utf-8"),
        ]);
        assert!(done.status.code().is_some_and(|c| c <= 1), "{done:?}");
        let before = read_folder(&out.join("corrected"));
        Trip {
            rollup: out.join("汇总.xlsx"),
            dir,
            before,
        }
    }

    /// The cell of `header` on `sheet` in the row whose 项目编码 is `code` (and, on 指标明细,
    /// whose 序号 is `number`), as `D4`.
    fn cell(&self, sheet: &str, code: &str, number: Option<usize>, header: &str) -> String {
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&self.rollup).expect("opens");
        let range = book.worksheet_range(sheet).expect("sheet");
        let text =
            |r: usize, c: usize| range.get((r, c)).map(|v| v.to_string()).unwrap_or_default();
        // The header row: the one holding 项目编码 (a title stands above it).
        let head = (0..range.height())
            .find(|r| (0..range.width()).any(|c| text(*r, c) == "项目编码"))
            .unwrap_or_else(|| panic!("a header on {sheet}"));
        let col = |name: &str| {
            (0..range.width())
                .find(|c| text(head, *c) == name)
                .unwrap_or_else(|| panic!("{name} on {sheet}"))
        };
        let (code_col, want) = (col("项目编码"), col(header));
        let row = (head + 1..range.height())
            .find(|r| {
                text(*r, code_col) == code
                    && number.is_none_or(|n| text(*r, col("序号")) == n.to_string())
            })
            .unwrap_or_else(|| panic!("{code} {number:?} on {sheet}"));
        let (r0, c0) = range.start().expect("start");
        format!(
            "{}{}",
            jxmb::model::cell::column_letters(c0 + want as u32),
            r0 as usize + row + 1
        )
    }

    /// Rewrites the roll-up's parts through `edit(part name, xml)`, as a program saving it.
    fn edit(&self, edit: impl Fn(&str, String) -> String) {
        crate::convert::edit_package(&self.rollup, edit);
    }

    /// A project's 预算数 on 项目汇总 typed over with `value` (returns the cell).
    fn set_total(&self, code: &str, value: &str) -> String {
        let total = self.cell("项目汇总", code, None, "预算数");
        self.edit(|part, xml| match part {
            SUMMARY_XML => replace_cell(
                &xml,
                &total,
                &format!(r#"<c r="{total}" s="3"><v>{value}</v></c>"#),
            ),
            _ => xml,
        });
        total
    }

    fn apply(&self) -> (Option<i32>, String, String, PathBuf) {
        let out = self.dir.path().join("applied");
        let result = jxmb(&[
            "apply",
            self.rollup.to_str().expect("utf-8"),
            "-o",
            out.to_str().expect("utf-8"),
        ]);
        (
            result.status.code(),
            stdout(&result),
            String::from_utf8_lossy(&result.stderr).into_owned(),
            out,
        )
    }

    /// Applies and requires success; returns what was printed and the corrected workbooks'
    /// model.
    fn applied(&self) -> (String, Model, Option<i32>) {
        let (code, out, err, dir) = self.apply();
        assert!(code.is_some_and(|c| c <= 1), "{err}");
        assert!(
            dir.join("report.json").is_file(),
            "apply writes report.json"
        );
        assert!(dir.join("汇总.xlsx").is_file());
        (out, read_folder(&dir.join("corrected")), code)
    }

    fn refused(&self, expect: &[&str]) {
        let (code, _, err, dir) = self.apply();
        assert_eq!(code, Some(2), "{err}");
        for part in expect {
            assert!(err.contains(part), "{part} in {err}");
        }
        assert!(!dir.exists(), "nothing is written");
    }
}

/// What a model says, source places aside: one line per project.
fn content(model: &Model) -> Vec<String> {
    let mut out: Vec<String> = model
        .projects()
        .map(|(_, p)| {
            let indicators: Vec<String> = p
                .indicators
                .iter()
                .map(|i| {
                    format!(
                        "{}|{}|{}|{}|{}|{}",
                        i.level1, i.level2, i.level3, i.description, i.target.text, i.basis
                    )
                })
                .collect();
            let plan: Vec<String> = p
                .spending_plan
                .iter()
                .map(|s| format!("{}={:?}", s.by, s.percent.map(|d| d.normalize())))
                .collect();
            format!(
                "{} {} {:?} {:?} {:?} {:?} {:?} {:?}",
                p.code,
                p.name,
                p.budget.total,
                p.budget.fiscal,
                p.budget.other,
                plan,
                p.goals,
                indicators
            )
        })
        .collect();
    out.sort();
    out
}

fn project_mut<'m>(model: &'m mut Model, name: &str) -> &'m mut jxmb::model::Project {
    model
        .departments
        .iter_mut()
        .flat_map(|d| d.projects.iter_mut())
        .find(|p| p.name == name)
        .expect("project")
}

const LABOUR: &str = "13020225P00003810001B";
const LIFT: &str = "13020225P000039100011";
/// 指标明细 is sheet2 and 项目汇总 sheet1 in the roll-up.
const DETAILS_XML: &str = "xl/worksheets/sheet2.xml";
const SUMMARY_XML: &str = "xl/worksheets/sheet1.xml";

/// The XML of one cell replaced by `new` (a whole `<c>` element).
fn replace_cell(xml: &str, cell: &str, new: &str) -> String {
    let start = xml
        .find(&format!("<c r=\"{cell}\""))
        .unwrap_or_else(|| panic!("{cell} in sheet"));
    let rest = &xml[start..];
    let end = start
        + match (rest.find("/>"), rest.find("</c>")) {
            (Some(a), Some(b)) if a < b && !rest[..a].contains('>') => a + 2,
            (_, Some(b)) => b + 4,
            (Some(a), None) => a + 2,
            _ => panic!("cell end"),
        };
    format!("{}{new}{}", &xml[..start], &xml[end..])
}

/// Adds a cell style with Excel's built-in percent format (id 9); returns the styles XML and
/// the new style's index, as Excel does when 98% is typed into a General cell.
fn with_percent_style(styles: &str) -> (String, usize) {
    let start = styles.find("<cellXfs count=\"").expect("cellXfs") + "<cellXfs count=\"".len();
    let len = styles[start..].find('"').expect("count end");
    let count: usize = styles[start..start + len].parse().expect("count");
    let xml = format!(
        "{}{}{}",
        &styles[..start],
        count + 1,
        &styles[start + len..]
    )
    .replacen(
        "</cellXfs>",
        r#"<xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#,
        1,
    );
    (xml, count)
}

/// A row removed, as a spreadsheet program deletes it (the rows below keep their numbers
/// here; the reader goes by what each row holds).
fn remove_row(xml: &str, row: u32) -> String {
    let start = xml
        .find(&format!("<row r=\"{row}\""))
        .unwrap_or_else(|| panic!("row {row}"));
    let end = start + xml[start..].find("</row>").expect("row end") + "</row>".len();
    format!("{}{}", &xml[..start], &xml[end..])
}

/// A row of text cells added after the last one.
fn append_row(xml: &str, row: u32, cells: &[(&str, &str)]) -> String {
    let cells: String = cells
        .iter()
        .map(|(col, text)| format!(r#"<c r="{col}{row}" t="inlineStr"><is><t>{text}</t></is></c>"#))
        .collect();
    xml.replacen(
        "</sheetData>",
        &format!(r#"<row r="{row}">{cells}</row></sheetData>"#),
        1,
    )
}

fn row_of(cell: &str) -> u32 {
    cell.trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .expect("row")
}

#[test]
fn a_percent_typed_into_a_general_cell_is_applied_as_shown() {
    let trip = Trip::new();
    let cell = trip.cell("指标明细", LABOUR, Some(2), "指标值");
    // Typing 98% stores 0.98 in a cell given Excel's percent format.
    let style = std::cell::Cell::new(0);
    trip.edit(|name, xml| match name {
        "xl/styles.xml" => {
            let (xml, index) = with_percent_style(&xml);
            style.set(index);
            xml
        }
        _ => xml,
    });
    let pct = style.get();
    trip.edit(|name, xml| match name {
        DETAILS_XML => replace_cell(
            &xml,
            &cell,
            &format!(r#"<c r="{cell}" s="{pct}"><v>0.98</v></c>"#),
        ),
        _ => xml,
    });
    let (printed, after, _) = trip.applied();
    assert!(printed.contains("指标 2 指标值："), "{printed}");
    assert!(printed.contains("→ 98%"), "{printed}");
    let mut expected = trip.before.clone();
    project_mut(&mut expected, "劳务费").indicators[1].target = Target::parse("98%");
    assert_eq!(content(&after), content(&expected));
}

#[test]
fn a_formula_is_its_result_and_one_without_a_result_is_refused() {
    let trip = Trip::new();
    let cell = trip.cell("指标明细", LABOUR, Some(2), "指标值");
    trip.edit(|name, xml| match name {
        // `=100%` typed in, saved by a program that does not calculate: no result stored.
        DETAILS_XML => replace_cell(&xml, &cell, &format!(r#"<c r="{cell}"><f>100%</f></c>"#)),
        _ => xml,
    });
    trip.refused(&[&format!("指标明细!{cell}"), "公式", "没有计算结果"]);

    let trip = Trip::new();
    trip.edit(|name, xml| match name {
        // The same after Excel or LibreOffice calculated it: its result, shown as text here.
        DETAILS_XML => replace_cell(
            &xml,
            &cell,
            &format!(r#"<c r="{cell}" t="str"><f>"≥"&amp;"98%"</f><v>≥98%</v></c>"#),
        ),
        _ => xml,
    });
    let (_, after, _) = trip.applied();
    let mut expected = trip.before.clone();
    project_mut(&mut expected, "劳务费").indicators[1].target = Target::parse("≥98%");
    assert_eq!(content(&after), content(&expected));
}

#[test]
fn indicator_rows_added_and_deleted_add_and_remove_indicators() {
    let trip = Trip::new();
    let gone = row_of(&trip.cell("指标明细", LABOUR, Some(5), "指标值"));
    trip.edit(|name, xml| match name {
        DETAILS_XML => {
            let xml = remove_row(&xml, gone);
            append_row(
                &xml,
                200,
                &[
                    ("A", LABOUR),
                    ("B", "8"),
                    ("C", "劳务费"),
                    ("D", "产出指标"),
                    ("E", "数量指标"),
                    ("F", "培训人次"),
                    ("G", "全年组织业务培训的人次"),
                    ("H", "≥48人次"),
                    ("J", "计划标准"),
                ],
            )
        }
        _ => xml,
    });
    let (printed, after, _) = trip.applied();
    assert!(printed.contains("删除指标 5"), "{printed}");
    assert!(printed.contains("新增指标"), "{printed}");
    assert!(printed.contains("培训人次 = ≥48人次"), "{printed}");
    let mut expected = trip.before.clone();
    let labour = project_mut(&mut expected, "劳务费");
    let removed = labour.indicators.remove(4);
    let mut added = removed.clone();
    added.level1 = "产出指标".into();
    added.level2 = "数量指标".into();
    added.level3 = "培训人次".into();
    added.description = "全年组织业务培训的人次".into();
    added.target = Target::parse("≥48人次");
    added.basis = "计划标准".into();
    labour.indicators.push(added);
    assert_eq!(content(&after), content(&expected));
}

#[test]
fn a_repeated_number_is_refused_naming_both_rows() {
    let trip = Trip::new();
    trip.edit(|name, xml| match name {
        DETAILS_XML => append_row(
            &xml,
            200,
            &[("A", LABOUR), ("B", "2"), ("C", "劳务费"), ("H", "≥99%")],
        ),
        _ => xml,
    });
    trip.refused(&["指标明细!B200", "序号 2", "重复"]);
}

#[test]
fn the_project_name_and_the_spending_plan_are_applied() {
    let trip = Trip::new();
    let name = trip.cell("项目汇总", LABOUR, None, "项目名称");
    let march = trip.cell("项目汇总", LABOUR, None, "3月底累计");
    trip.edit(|part, xml| match part {
        SUMMARY_XML => {
            let xml = replace_cell(
                &xml,
                &name,
                &format!(r#"<c r="{name}" t="inlineStr"><is><t>劳务派遣费</t></is></c>"#),
            );
            // 112 × 25% = 28 → 33.6: the plan at 3月底 becomes 30%.
            replace_cell(
                &xml,
                &march,
                &format!(r#"<c r="{march}" s="3"><v>33.6</v></c>"#),
            )
        }
        _ => xml,
    });
    let (printed, after, _) = trip.applied();
    assert!(
        printed.contains("项目名称：劳务费 → 劳务派遣费"),
        "{printed}"
    );
    assert!(
        printed.contains("资金支出计划（3月底）：25% → 30%"),
        "{printed}"
    );
    let mut expected = trip.before.clone();
    let labour = project_mut(&mut expected, "劳务费");
    labour.name = "劳务派遣费".into();
    labour.spending_plan[0].percent = Some(dec("30"));
    assert_eq!(content(&after), content(&expected));
}

#[test]
fn a_deleted_project_row_or_a_changed_code_is_refused() {
    let trip = Trip::new();
    let row = row_of(&trip.cell("项目汇总", LABOUR, None, "项目编码"));
    trip.edit(|part, xml| match part {
        SUMMARY_XML => remove_row(&xml, row),
        _ => xml,
    });
    trip.refused(&["劳务费", LABOUR, "行被删除了"]);

    let trip = Trip::new();
    let code = trip.cell("项目汇总", LABOUR, None, "项目编码");
    trip.edit(|part, xml| match part {
        SUMMARY_XML => replace_cell(
            &xml,
            &code,
            &format!(r#"<c r="{code}" t="inlineStr"><is><t>13020225P00003810009Z</t></is></c>"#),
        ),
        _ => xml,
    });
    trip.refused(&[&format!("项目汇总!{code}"), "项目编码不能修改"]);
}

#[test]
fn a_new_budget_is_printed_as_money_and_its_new_errors_are_said() {
    let trip = Trip::new();
    trip.set_total(LIFT, "2");
    let (printed, after, code) = trip.applied();
    assert!(printed.contains("预算数：1.80 → 2.00"), "{printed}");
    // 2.00 ≠ 部门预算 1.80 (JX501) and ≠ 财政资金 1.80 (JX101): said, and the exit code is 1.
    assert_eq!(code, Some(1), "{printed}");
    assert!(!printed.contains(" 0 错误"), "{printed}");
    let mut expected = trip.before.clone();
    project_mut(&mut expected, "电梯维保费").budget.total = Some(dec("2"));
    assert_eq!(content(&after), content(&expected));
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(trip.dir.path().join("applied/report.json")).expect("report"),
    )
    .expect("json");
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(
        codes.contains(&"JX501") && codes.contains(&"JX101"),
        "{codes:?}"
    );
}

#[test]
fn a_negative_amount_is_refused() {
    let trip = Trip::new();
    let total = trip.set_total(LIFT, "-5");
    trip.refused(&[&format!("项目汇总!{total}"), "负数"]);
}

#[test]
fn a_changed_budget_is_not_balanced_by_a_guess() {
    let trip = Trip::new();
    trip.set_total(LABOUR, "115");
    let (_, after, _) = trip.applied();
    let labour = after
        .projects()
        .map(|(_, p)| p)
        .find(|p| p.name == "劳务费")
        .expect("劳务费");
    assert_eq!(labour.budget.total, Some(dec("115")));
    // convert again: JX101 stays a finding; 其他资金 is not made up as 3.00.
    let again = trip.dir.path().join("again");
    let out = jxmb(&[
        "convert",
        trip.dir
            .path()
            .join("applied/corrected")
            .to_str()
            .expect("utf-8"),
        "-o",
        again.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let converted = read_folder(&again.join("corrected"));
    let labour = converted
        .projects()
        .map(|(_, p)| p)
        .find(|p| p.name == "劳务费")
        .expect("劳务费");
    assert_eq!(
        (
            labour.budget.total,
            labour.budget.fiscal,
            labour.budget.other
        ),
        (Some(dec("115")), Some(dec("112")), None)
    );
    let report = std::fs::read_to_string(again.join("report.json")).expect("report");
    assert!(report.contains("\"JX101\""), "{report}");
}
