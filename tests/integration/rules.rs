//! Every rule fires on its case and stays quiet on the near miss; the rendered findings are
//! pinned as snapshots, so a change in what users read shows up in review.

use crate::common::cases::{self, Case};
use crate::common::check_book;
use crate::common::sheet::{book, Sheet};
use jxmb::diag::render;

fn rendered(sheets: &[Sheet], code: &str) -> String {
    let refs: Vec<&Sheet> = sheets.iter().collect();
    let (_, diags) = check_book(book(&refs));
    diags
        .iter()
        .filter(|d| d.code == code)
        .map(|d| render::line(d, false) + "\n")
        .collect()
}

#[test]
fn the_clean_project_has_no_finding_at_all() {
    let (model, diags) = check_book(book(&[&cases::clean(1, "表1")]));
    assert_eq!(model.projects().count(), 1);
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn every_table_rule_has_a_case() {
    let covered: Vec<&str> = cases::cases().iter().map(|c| c.code).collect();
    for rule in jxmb::check::rules() {
        if !rule.is_reader() {
            assert!(
                covered.contains(&rule.code.as_str()),
                "{} has no case",
                rule.code
            );
        }
    }
}

#[test]
fn each_rule_fires_on_its_case_and_not_on_the_near_miss() {
    for Case { code, fires, quiet } in cases::cases() {
        let found = rendered(&fires, code);
        assert!(!found.is_empty(), "{code} did not fire");
        insta::assert_snapshot!(code, found);
        let noise = rendered(&quiet, code);
        assert!(noise.is_empty(), "{code} fired on its quiet case:\n{noise}");
    }
}

#[test]
fn fixable_findings_carry_their_replacement() {
    let fixes: Vec<(String, Option<String>)> = cases::cases()
        .into_iter()
        .filter(|c| {
            jxmb::check::rule_named(c.code).is_some_and(|r| r.fixable != jxmb::check::Fixable::No)
        })
        .flat_map(|c| {
            let refs: Vec<&Sheet> = c.fires.iter().collect();
            let (_, diags) = check_book(book(&refs));
            diags
                .into_iter()
                .filter(move |d| d.code == c.code)
                .map(|d| (d.code.to_string(), d.fix.map(|f| f.text)))
        })
        .collect();
    let get = |code: &str| {
        fixes
            .iter()
            .filter(|(c, _)| c == code)
            .map(|(_, f)| f.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(get("JX101"), [Some("1.80".to_string())]);
    assert_eq!(
        get("JX203"),
        [
            Some("数量指标".to_string()),
            Some("社会效益指标".to_string()),
            None
        ]
    );
    assert_eq!(get("JX207"), [Some("=100%".to_string())]);
    assert_eq!(
        get("JX301"),
        [
            Some("全年维护保养的电梯台数".to_string()),
            Some("维保后电梯，正常安全运行".to_string())
        ]
    );
    assert_eq!(get("JX302"), [Some("电梯“维保”经费".to_string())]);
    assert_eq!(
        get("JX303"),
        [Some("≥95%".to_string()), Some("≥90%".to_string())]
    );
    assert_eq!(get("JX304"), [Some("≥95%".to_string())]);
    assert_eq!(get("JX305"), [Some("办事群众满意度".to_string())]);
}

/// Issue 13: `>=９５％ ` draws JX301, JX303 and JX304, and each proposes what convert writes
/// there — all three fixes together — never a text another fix undoes.
#[test]
fn a_cell_gets_one_proposed_text() {
    let mut s = cases::clean(1, "表1");
    s.text("E11", ">=９５％ ");
    let (_, diags) = check_book(book(&[&s]));
    let proposed: Vec<(&str, Option<&str>)> = diags
        .iter()
        .filter(|d| d.cell.map(|c| c.to_string()).as_deref() == Some("E11"))
        .map(|d| (d.code.as_str(), d.fix.as_ref().map(|f| f.text.as_str())))
        .collect();
    assert_eq!(
        proposed,
        [
            ("JX301", Some("≥95%")),
            ("JX303", Some("≥95%")),
            ("JX304", Some("≥95%"))
        ]
    );
}

/// Issue 13: a table submitted twice is one JX402; its code is in the budget, so no JX503.
#[test]
fn a_code_in_the_budget_is_budgeted_however_many_tables_carry_it() {
    use crate::common::sheet::budget_sheet;
    let first = cases::clean(1, "表1");
    let mut again = cases::clean(1, "表2");
    again.text("A1", "电梯维保费（修改版）绩效目标表");
    let budget = budget_sheet(cases::UNIT, &[(&cases::code(1), "电梯维保费", 1.8)]);
    let (_, diags) = check_book(book(&[&first, &again, &budget]));
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["JX402"], "{diags:#?}");
}
