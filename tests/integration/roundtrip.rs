//! SPEC §6.1: `read(write(model)) == model` for models the reader can produce — generated with
//! Chinese text, odd decimals, many indicators, formula-looking text, unreadable amounts and
//! 计量单位 columns — compared without their source locations.

use jxmb::model::{
    Budget, BudgetLine, Department, Framework, Indicator, IndicatorCells, IndicatorSource,
    LineSource, Model, PlanPoint, Project, ProjectSource, Target, UnreadableValue,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Characters that cannot spell any label the reader anchors on.
const ALPHABET: &[char] = &[
    '电', '梯', '维', '保', '费', '服', '务', '对', '象', '满', '意', '度', '工', '作', '质', '量',
    '效', '率', '提', '升', '障', '群', '众', '审', '批', '系', '统', '运', '经', '同', '进', '完',
    '成', '高', '长', '期', '使', '用', 'A', 'b', '7', '、', '，', '（', '）', '“', '”', ' ', '.',
    '%',
];

fn words(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 1..=max).prop_map(|chars| {
        let s: String = chars.into_iter().collect::<String>().trim().to_string();
        if s.is_empty() || s.starts_with('.') {
            "甲乙".to_string()
        } else {
            s
        }
    })
}

/// Text as users write it, including text a spreadsheet would take for a formula.
fn cell_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => words(14),
        1 => prop::sample::select(vec!["=SUM(A1:A3)", "+86 0315", "-保障", "@用户", "100%", "0.25", "12"]).prop_map(String::from),
    ]
}

fn target() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "≥95%",
            "100%",
            "24人",
            "3860元/月/人",
            "每月15日前",
            "保障工作顺利开展",
            "≤20万元",
            "＞＝９０％",
            "1.8万元",
            "按时完成",
            "=100%",
            "不低于90%",
            "95%以上",
            "**",
            "",
        ])
        .prop_map(String::from),
        (0u32..100_000, 0u32..3)
            .prop_map(|(n, scale)| format!("≥{}%", Decimal::new(i64::from(n), scale).normalize())),
        words(10),
    ]
}

/// An amount in 万元 with up to four decimals, as budgets are written.
fn amount() -> impl Strategy<Value = Option<Decimal>> {
    prop::option::weighted(
        0.85,
        (-1_000_000_000i64..100_000_000_000i64, 0u32..=4).prop_map(|(n, s)| Decimal::new(n, s)),
    )
}

fn level(names: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![3 => prop::sample::select(names).prop_map(String::from), 1 => words(8)]
}

fn indicator() -> impl Strategy<Value = Indicator> {
    (
        level(&["产出指标", "效益指标", "满意度指标", "成本指标"]),
        level(&[
            "数量指标",
            "质量指标",
            "时效指标",
            "社会效益指标",
            "服务对象满意度指标",
        ]),
        cell_text(),
        cell_text(),
        target(),
        words(6),
        prop::option::weighted(0.2, prop::sample::select(vec!["%", "人", "万元", "个"])),
    )
        .prop_map(
            |(level1, level2, level3, description, target, basis, unit)| {
                // The reader folds a 计量单位 into a bare number, so a bare number never comes with one.
                let unit = unit
                    .filter(|_| jxmb::model::amount::parse_decimal(&target).is_none())
                    .map(String::from);
                Indicator {
                    level1,
                    level2,
                    level3,
                    description,
                    target: Target::parse(&target),
                    basis,
                    unit_column: unit,
                    initial_target: None,
                    source: IndicatorSource {
                        sheet: String::new(),
                        cell: Default::default(),
                        cells: IndicatorCells::default(),
                    },
                }
            },
        )
}

fn plan() -> impl Strategy<Value = Vec<PlanPoint>> {
    let point = (
        prop::sample::select(vec![
            "3月底",
            "6月底",
            "9月底",
            "10月底",
            "12月底",
            "次年3月底",
        ]),
        prop::option::weighted(
            0.9,
            (0i64..=10_050, 0u32..=2).prop_map(|(n, s)| Decimal::new(n, s)),
        ),
    );
    prop::collection::vec(point, 0..=6).prop_map(|points| {
        points
            .into_iter()
            .map(|(by, percent)| PlanPoint {
                by: by.to_string(),
                percent,
                cell: None,
            })
            .collect()
    })
}

fn project() -> impl Strategy<Value = Project> {
    (
        prop_oneof![Just("13020225P000039100011".to_string()), words(12)],
        words(12),
        (amount(), amount(), amount()),
        prop_oneof![Just(String::new()), cell_text()],
        plan(),
        prop::collection::vec(words(20), 0..=3),
        prop::collection::vec(indicator(), 1..=15),
        any::<bool>(),
    )
        .prop_map(
            |(
                code,
                name,
                (total, fiscal, other),
                purpose,
                spending_plan,
                goals,
                indicators,
                unreadable,
            )| {
                let framework = if indicators.iter().any(|i| i.level1 == "成本指标") {
                    Framework::F101
                } else {
                    Framework::F88
                };
                let bad = total.is_none() && unreadable;
                Project {
                    code,
                    name,
                    budget: Budget {
                        total,
                        fiscal,
                        other,
                    },
                    purpose,
                    spending_plan,
                    goals,
                    framework,
                    indicators,
                    money_unit: Default::default(),
                    unreadable: if bad {
                        vec![UnreadableValue {
                            field: jxmb::model::AmountField::Total,
                            text: "约2万".into(),
                            cell: Default::default(),
                            formula: None,
                        }]
                    } else {
                        Vec::new()
                    },
                    notes: Vec::new(),
                    code_stored_as_number: false,
                    source: ProjectSource::default(),
                }
            },
        )
}

fn line() -> impl Strategy<Value = BudgetLine> {
    (words(12), words(12), amount(), amount(), amount()).prop_map(
        |(code, name, total, fiscal, other)| BudgetLine {
            code,
            name,
            total,
            fiscal,
            other,
            unreadable: Vec::new(),
            unit_not_declared: None,
            hidden: false,
            source: LineSource::default(),
        },
    )
}

fn model() -> impl Strategy<Value = Model> {
    // A unit's name starts with a character, as real ones do: `438001、…` or `1.…` is how a
    // numbered title looks, and the reader rightly does not take it for a unit line.
    let unit_name = words(10).prop_map(|w| format!("路南{w}"));
    let department = (
        unit_name,
        prop::collection::vec(project(), 1..=3),
        prop::collection::vec(line(), 0..=4),
    );
    prop::collection::vec(department, 1..=2).prop_map(|depts| {
        let mut model = Model::default();
        let mut n = 0;
        for (d, (name, projects, lines)) in depts.into_iter().enumerate() {
            let mut dept = Department {
                unit_code: Some(format!("43800{d}")),
                unit_name: Some(name),
                ..Department::default()
            };
            // One workbook per project, named so the folder's order is the model's order.
            for mut p in projects {
                p.source.file = format!("p{n:03}.xlsx");
                n += 1;
                dept.projects.push(p);
            }
            for mut l in lines {
                l.source.file = format!("z{d}.xlsx");
                dept.budget_lines.push(l);
            }
            model.departments.push(dept);
        }
        model
    })
}

/// Writes the model as corrected workbooks into a folder and reads the folder back.
pub fn write_then_read(model: &Model) -> Model {
    let dir = tempfile::tempdir().expect("temp dir");
    jxmb::write::corrected::write_all(
        &jxmb::write::Whole::new(model, &[], []),
        dir.path(),
        |s| s.into(),
        |_| false,
        || {},
    )
    .expect("written");
    let files = jxmb::batch::collect(&[dir.path().to_path_buf()]).expect("listed");
    let batch = jxmb::batch::read(&files, &Default::default(), &Default::default());
    assert!(
        batch.diagnostics.is_empty(),
        "every written workbook reads: {:?}",
        batch.diagnostics
    );
    batch.model
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn read_of_write_is_the_model(model in model()) {
        let back = write_then_read(&model);
        prop_assert_eq!(back.without_sources(), model.without_sources());
    }
}

#[test]
fn the_seed_survives_write_and_read() {
    let dir = crate::common::samples().join("lunan-2025");
    let files = jxmb::batch::collect(&[dir]).expect("listed");
    let model = jxmb::batch::read(&files, &Default::default(), &Default::default()).model;
    assert_eq!(
        write_then_read(&model).without_sources(),
        model.without_sources()
    );
}

#[test]
fn formula_looking_text_is_written_as_text() {
    let mut model = Model::default();
    let mut p = Project {
        code: "=HYPERLINK(\"x\")".into(),
        name: "+cmd".into(),
        ..Project::default()
    };
    p.indicators.push(Indicator {
        level1: "产出指标".into(),
        level2: "@数量".into(),
        level3: "=1+1".into(),
        description: "-2".into(),
        target: Target::parse("=SUM(A1:A2)"),
        basis: "=A1".into(),
        unit_column: None,
        initial_target: None,
        source: IndicatorSource {
            sheet: String::new(),
            cell: Default::default(),
            cells: IndicatorCells::default(),
        },
    });
    p.source.file = "a.xlsx".into();
    model.departments.push(Department {
        unit_code: Some("438001".into()),
        unit_name: Some("单位".into()),
        projects: vec![p],
        ..Default::default()
    });
    let dir = tempfile::tempdir().expect("temp dir");
    jxmb::write::corrected::write_all(
        &jxmb::write::Whole::new(&model, &[], []),
        dir.path(),
        |s| s.into(),
        |_| false,
        || {},
    )
    .expect("written");
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(dir.path().join("a.xlsx")).expect("opens");
    let sheet = book.sheet_names()[0].clone();
    let formulas = book.worksheet_formula(&sheet).expect("formulas");
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no cell became a formula"
    );
    let values = book.worksheet_range(&sheet).expect("values");
    let texts: Vec<String> = values.used_cells().map(|(_, _, v)| v.to_string()).collect();
    for t in [
        "=HYPERLINK(\"x\")",
        "+cmd",
        "=1+1",
        "-2",
        "=SUM(A1:A2)",
        "=A1",
        "@数量",
    ] {
        assert!(texts.iter().any(|x| x == t), "{t} kept as text");
    }
}
