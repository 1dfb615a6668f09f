//! Every layout variant of DOMAIN.md §1, built in code with rust_xlsxwriter, reads back to the
//! seed's model.

use crate::common::forms::{self, Form};
use crate::common::{assert_seed, read_model, seed, Targets};

fn stacked(form: &Form) -> jxmb::model::Model {
    let bytes = forms::stacked(&seed::PROJECTS, form)
        .and_then(|mut wb| wb.save_to_buffer())
        .expect("written");
    read_model(bytes, "xlsx")
}

#[test]
fn standard_form_one_per_workbook() {
    for p in &seed::PROJECTS {
        let bytes = forms::one_per_workbook(p, &Form::default())
            .and_then(|mut wb| wb.save_to_buffer())
            .expect("written");
        let model = read_model(bytes, "xlsx");
        assert_seed(&model, std::slice::from_ref(p), Targets::Exact);
        let project = &model.departments[0].projects[0];
        assert_eq!(project.source.sheet, "Sheet1");
        assert_eq!(project.source.range.start.to_string(), "A1");
        assert_eq!(project.indicators[0].source.cell.to_string(), "E10");
        assert_eq!(
            project.source.cells.total.map(|c| c.to_string()).as_deref(),
            Some("C4")
        );
    }
}

#[test]
fn stacked_down_one_sheet_like_the_seed() {
    assert_seed(
        &stacked(&Form {
            numbered_titles: true,
            ..Form::default()
        }),
        &seed::PROJECTS,
        Targets::Exact,
    );
}

#[test]
fn tables_that_start_anywhere_with_padding_rows() {
    let model = stacked(&Form {
        col0: 3,
        pad_rows: 4,
        numbered_titles: true,
        ..Form::default()
    });
    assert_seed(&model, &seed::PROJECTS, Targets::Exact);
    let first = &model.departments[0].projects[0];
    assert_eq!(
        first.indicators[0].source.cell.to_string(),
        "H14",
        "E10 moved 3 columns right and 4 rows down"
    );
}

#[test]
fn one_table_per_sheet_after_an_index_sheet() {
    let form = Form {
        col0: 1,
        pad_rows: 2,
        ..Form::default()
    };
    let bytes = forms::per_sheet(&seed::PROJECTS, &form)
        .and_then(|mut wb| wb.save_to_buffer())
        .expect("written");
    let model = read_model(bytes, "xlsx");
    assert_seed(&model, &seed::PROJECTS, Targets::Exact);
    let sheets: Vec<_> = model
        .projects()
        .map(|(_, p)| p.source.sheet.as_str())
        .collect();
    let names: Vec<_> = seed::PROJECTS.iter().map(|p| p.name).collect();
    assert_eq!(sheets, names, "the 目录 sheet holds no table");
}

#[test]
fn label_cells_merged_in_pairs() {
    assert_seed(
        &stacked(&Form {
            pair_merge: true,
            col0: 1,
            ..Form::default()
        }),
        &seed::PROJECTS,
        Targets::Exact,
    );
}

#[test]
fn vertically_merged_level_columns() {
    assert_seed(
        &stacked(&Form {
            merge_levels: true,
            ..Form::default()
        }),
        &seed::PROJECTS,
        Targets::Exact,
    );
}

#[test]
fn a_merged_level2_run_is_inherited() {
    let mut p = seed::SeedProject {
        ..copy(&seed::PROJECTS[2])
    };
    p.indicators[1] = ["产出指标", "数量指标", "发放月数", "全年按月发放", "12个月"];
    let form = Form {
        merge_levels: true,
        ..Form::default()
    };
    let bytes = forms::one_per_workbook(&p, &form)
        .and_then(|mut wb| wb.save_to_buffer())
        .expect("written");
    let model = read_model(bytes, "xlsx");
    let inds = &model.departments[0].projects[0].indicators;
    assert_eq!(
        inds[1].level2, "数量指标",
        "the second row of the merged 二级 inherits it"
    );
    assert_eq!(inds[1].level1, "产出指标");
    assert_eq!(inds[2].level2, "时效指标");
    assert_eq!(inds[1].target.value, Some(crate::common::dec("12")));
    assert_eq!(inds[1].target.unit, "个月");
}

fn copy(p: &seed::SeedProject) -> seed::SeedProject {
    seed::SeedProject {
        code: p.code,
        name: p.name,
        total: p.total,
        purpose: p.purpose,
        goal: p.goal,
        indicators: p.indicators,
    }
}

#[test]
fn extra_and_reordered_columns_with_a_split_target() {
    let model = stacked(&Form {
        extra_columns: true,
        ..Form::default()
    });
    assert_seed(&model, &seed::PROJECTS, Targets::Exact);
    let labour = model.projects().nth(2).map(|(_, p)| p).expect("劳务费");
    assert_eq!(labour.indicators[0].unit_column.as_deref(), Some("人"));
    assert_eq!(
        labour.indicators[1].target.text, "≥95%",
        "计算符号 + 指标值 + 计量单位 folded together"
    );
}

#[test]
fn money_in_yuan_is_converted_to_wan() {
    let model = stacked(&Form {
        yuan: true,
        ..Form::default()
    });
    assert_seed(&model, &seed::PROJECTS, Targets::Exact);
    assert!(model
        .projects()
        .all(|(_, p)| p.money_unit == jxmb::model::MoneyUnit::Yuan));
}

#[test]
fn numbers_in_percent_formatted_cells() {
    let model = stacked(&Form {
        numeric_percent: true,
        ..Form::default()
    });
    assert_seed(&model, &seed::PROJECTS, Targets::Exact);
}

#[test]
fn full_width_text_and_ascii_brackets() {
    assert_seed(
        &stacked(&Form {
            fullwidth: true,
            ..Form::default()
        }),
        &seed::PROJECTS,
        Targets::Parsed,
    );
    assert_seed(
        &stacked(&Form {
            fullwidth: true,
            yuan: true,
            ..Form::default()
        }),
        &seed::PROJECTS,
        Targets::Parsed,
    );
}

#[test]
fn float_noise_disappears() {
    let model = stacked(&Form {
        float_noise: true,
        numeric_percent: true,
        ..Form::default()
    });
    assert_seed(&model, &seed::PROJECTS, Targets::Exact);
    let yuan = stacked(&Form {
        float_noise: true,
        yuan: true,
        ..Form::default()
    });
    assert_seed(&yuan, &seed::PROJECTS, Targets::Exact);
}

#[test]
fn everything_at_once() {
    let form = Form {
        col0: 2,
        pad_rows: 3,
        pair_merge: true,
        merge_levels: true,
        extra_columns: true,
        yuan: true,
        numeric_percent: true,
        float_noise: true,
        numbered_titles: true,
        ..Form::default()
    };
    assert_seed(&stacked(&form), &seed::PROJECTS, Targets::Exact);
    let bytes = forms::per_sheet(&seed::PROJECTS, &form)
        .and_then(|mut wb| wb.save_to_buffer())
        .expect("written");
    assert_seed(&read_model(bytes, "xlsx"), &seed::PROJECTS, Targets::Exact);
}

#[test]
fn an_xlsm_or_misnamed_file_is_read_by_its_content() {
    let bytes = forms::stacked(&seed::PROJECTS, &Form::default())
        .and_then(|mut wb| wb.save_to_buffer())
        .expect("written");
    assert_seed(
        &read_model(bytes.clone(), "xlsm"),
        &seed::PROJECTS,
        Targets::Exact,
    );
    assert_seed(&read_model(bytes, "xls"), &seed::PROJECTS, Targets::Exact);
}
