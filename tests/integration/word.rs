//! Word documents (SPEC §1.2, §2.4): the seed document as published reads to the same projects
//! as its workbooks, plus the 部门整体 section; JX505–JX507 compare the two; hostile documents
//! are refused within the workbook limits.

use crate::common::word::{self, Block, Tables};
use crate::common::{assert_seed, check_book, findings, read_model, samples, seed, Targets};
use jxmb::model::{Model, Op};

fn read_document(blocks: &[Block]) -> Model {
    read_model(word::docx(blocks), "docx")
}

fn codes(diags: &[jxmb::diag::Diagnostic], code: &str) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d.code == code)
        .map(|d| format!("{}|{}", d.sheet.clone().unwrap_or_default(), d.message))
        .collect()
}

#[test]
fn the_seed_document_reads_to_the_seeds_projects_and_its_overall_section() {
    for tables in [Tables::TwoPerProject, Tables::OnePerProject] {
        let model = read_document(&word::seed_document(true, tables));
        assert_seed(&model, &seed::PROJECTS, Targets::Exact);
        let total: rust_decimal::Decimal =
            model.projects().filter_map(|(_, p)| p.budget.total).sum();
        assert_eq!(total.to_string(), seed::TOTAL);
        assert_eq!(
            model.departments.len(),
            1,
            "the prose joins the tables' unit"
        );
        let Some(overall) = &model.departments[0].overall else {
            panic!("no 部门整体 section");
        };
        assert!(overall.prose);
        assert_eq!(overall.goals.len(), 4, "总体绩效目标's four paragraphs");
        let items: Vec<&str> = overall.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            items,
            [
                "系统维护费",
                "工程建设项目",
                "“互联网+政务服务”平台运维护",
                "政府投资项目评审",
                "邮递专项经费",
                "招商引资专项业务费",
            ],
            "six items; 工作保障措施's numbered lines are not items"
        );
        let first = &overall.items[0];
        assert_eq!(first.goals, ["优化营商环境，提高服务质量。"]);
        let indicators: Vec<(&str, Op, String)> = first
            .indicators
            .iter()
            .map(|i| {
                (
                    i.name(),
                    i.target.op,
                    i.target.value.unwrap_or_default().to_string(),
                )
            })
            .collect();
        assert_eq!(
            indicators,
            [
                ("项目数量完成率比例", Op::Gt, "90".to_string()),
                ("正常使用率占比", Op::Gt, "90".to_string()),
                ("工作完成量", Op::Gt, "90".to_string()),
            ]
        );
    }
}

#[test]
fn the_shipped_document_reads_like_the_shipped_workbooks() {
    let read = |dir: &str| {
        let files = jxmb::batch::collect(&[samples().join(dir)]).expect("listed");
        let batch = jxmb::batch::read(&files, &Default::default(), &Default::default());
        batch.model.without_sources()
    };
    let (words, workbooks) = (read("lunan-2025-word"), read("lunan-2025"));
    let projects =
        |m: &Model| -> Vec<jxmb::model::Project> { m.projects().map(|(_, p)| p.clone()).collect() };
    assert_eq!(projects(&words), projects(&workbooks));
}

#[test]
fn a_document_of_tables_only_reads_the_same_projects() {
    let model = read_document(&word::seed_document(false, Tables::TwoPerProject));
    assert_seed(&model, &seed::PROJECTS, Targets::Exact);
    assert!(model.departments[0].overall.is_none());
    // Tables one after another, no heading between them: read as one sheet, stacked.
    let blocks: Vec<Block> = seed::PROJECTS
        .iter()
        .flat_map(|p| {
            [
                Block::Table(word::head_rows(p)),
                Block::Table(word::indicator_rows(p)),
            ]
        })
        .collect();
    assert_seed(&read_document(&blocks), &seed::PROJECTS, Targets::Exact);
}

#[test]
fn findings_point_at_the_table_and_the_paragraph() {
    let (_, diags) = check_book(word::docx(&word::seed_document(
        true,
        Tables::TwoPerProject,
    )));
    // The seed's own findings, located in Word's terms: table pair 1、2 is 电梯维保费.
    let jx211 = findings(&diags, "JX211");
    assert_eq!(jx211.len(), 8);
    let first = diags.iter().find(|d| d.code == "JX211").expect("a JX211");
    assert_eq!(first.sheet.as_deref(), Some("表1、2"));
    assert_eq!(first.cell.map(|c| c.to_string()).as_deref(), Some("F9"));

    let missing = codes(&diags, "JX505");
    assert_eq!(missing.len(), 2, "{missing:#?}");
    assert!(
        missing[0].starts_with("第15段|") && missing[0].contains("“互联网+政务服务”平台运维护")
    );
    assert!(missing[1].starts_with("第21段|") && missing[1].contains("邮递专项经费"));

    let unlisted: Vec<String> = diags
        .iter()
        .filter(|d| d.code == "JX506")
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(unlisted.len(), 4, "{unlisted:#?}");
    for (m, name) in unlisted.iter().zip([
        "电梯维保费",
        "劳务费",
        "社会信用体系建设工作经费",
        "优化营商环境项目经费",
    ]) {
        assert!(m.contains(&format!("项目“{name}”")), "{m}");
    }

    let mismatched = codes(&diags, "JX507");
    let maintenance = mismatched
        .iter()
        .find(|m| m.contains("分项“系统维护费”"))
        .expect("JX507 on 系统维护费");
    assert!(maintenance.starts_with("第9段|"), "{maintenance}");
    assert!(
        maintenance.contains("表中没有“正常使用率占比大于90%”"),
        "{maintenance}"
    );
    assert!(
        maintenance.contains("“项目数量完成率比例大于90%”（表中“完成率”为“≥95%”）"),
        "{maintenance}"
    );
}

#[test]
fn a_section_that_lists_every_table_with_its_indicators_raises_none_of_the_three() {
    let mut blocks = vec![Block::Paragraph("二、分项绩效目标".into())];
    for (i, p) in seed::PROJECTS.iter().enumerate() {
        blocks.push(Block::Paragraph(format!("{}.{}", i + 1, p.name)));
        blocks.push(Block::Paragraph(format!("绩效目标：{}", p.goal)));
        let indicators: Vec<String> = p
            .indicators
            .iter()
            .map(|ind| format!("{}{}", ind[2], ind[4]))
            .collect();
        blocks.push(Block::Paragraph(format!(
            "绩效指标：{}",
            indicators.join("；")
        )));
    }
    blocks.push(Block::Paragraph("三、工作保障措施".into()));
    blocks.extend(word::seed_document(false, Tables::TwoPerProject));
    let (model, diags) = check_book(word::docx(&blocks));
    let overall = model.departments[0].overall.as_ref().expect("a section");
    assert_eq!(overall.items.len(), 8);
    for code in ["JX505", "JX506", "JX507"] {
        assert!(
            codes(&diags, code).is_empty(),
            "{code}: {:#?}",
            codes(&diags, code)
        );
    }
}

#[test]
fn convert_writes_the_tables_as_a_workbook_and_the_section_in_the_rollup() {
    let out = tempfile::tempdir().expect("temp dir");
    let status = crate::common::jxmb(&[
        "convert",
        "sample-workbooks/lunan-2025-word",
        "-o",
        out.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(status.status.code(), Some(0), "warnings only");
    let corrected = out.path().join("corrected/2025年部门预算绩效目标.xlsx");
    let again = crate::common::read_path(&corrected);
    assert_eq!(again.projects.len(), 8, "the corrected workbook reads back");
    assert!(
        again.overall.is_empty(),
        "the prose is not a table to correct"
    );
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(out.path().join("汇总.xlsx")).expect("opens");
    use calamine::Reader;
    let range = book.worksheet_range("部门整体").expect("a 部门整体 sheet");
    let column = |c: u32| -> Vec<String> {
        (2..range.height() as u32)
            .map(|r| {
                range
                    .get_value((r, c))
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            })
            .collect()
    };
    let tables = column(5);
    assert_eq!(tables.len(), 10, "6 items and the 4 tables no item names");
    assert_eq!(tables[0], "系统维护费");
    assert_eq!(tables[1], "工程建设项目联合审批系统运维费");
    assert_eq!(tables[2], "（没有）");
    assert!(column(7)[0].contains("正常使用率"), "JX507 beside its item");
    assert_eq!(column(2)[6], "（未列入）");
    assert_eq!(tables[6], "电梯维保费");
}

#[test]
fn hostile_documents_are_refused_within_the_workbook_limits() {
    let limits = jxmb::read::Limits::default();
    let refused = |blocks_xml: String| {
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut out);
            let opts = zip::write::SimpleFileOptions::default();
            zip.start_file("word/document.xml", opts).expect("entry");
            std::io::Write::write_all(
                &mut zip,
                format!(r#"<w:document xmlns:w="w"><w:body>{blocks_xml}</w:body></w:document>"#)
                    .as_bytes(),
            )
            .expect("written");
            zip.finish().expect("finished");
        }
        jxmb::read::read_bytes_within(out.into_inner(), "docx", "x.docx", &limits)
    };
    let deep = "<w:tbl><w:tr><w:tc>".repeat(200) + &"</w:tc></w:tr></w:tbl>".repeat(200);
    assert!(
        matches!(refused(deep), Err(jxmb::read::Unreadable::TooLarge(m)) if m.contains("嵌套")),
        "deep nesting"
    );
    let row = format!("<w:tr>{}</w:tr>", "<w:tc/>".repeat(11));
    let long = format!("<w:tbl>{}</w:tbl>", row.repeat(100_000));
    assert!(
        matches!(refused(long), Err(jxmb::read::Unreadable::TooLarge(m)) if m.contains("单元格")),
        "a 100,000-row table of 1.1 million cells"
    );
    let wide = r#"<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="999999999"/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
    // A span past any real table is capped, never laid out to its stated width.
    assert!(refused(wide.repeat(2000)).is_ok());
    // A zip bomb: a part declared far larger than the limit is refused before it is inflated.
    let small = jxmb::read::Limits {
        max_part: 1 << 20,
        ..limits
    };
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", opts).expect("entry");
        std::io::Write::write_all(&mut zip, &vec![b' '; 4 << 20]).expect("written");
        zip.finish().expect("finished");
    }
    assert!(matches!(
        jxmb::read::read_bytes_within(out.into_inner(), "docx", "x.docx", &small),
        Err(jxmb::read::Unreadable::TooLarge(_))
    ));
}

#[test]
fn a_section_whose_unit_has_no_table_is_said_once_not_per_item() {
    let dir = tempfile::tempdir().expect("temp dir");
    let prose: Vec<Block> = word::OVERALL_SECTION
        .iter()
        .map(|t| Block::Paragraph(t.to_string()))
        .collect();
    std::fs::write(dir.path().join("部门整体.docx"), word::docx(&prose)).expect("written");
    // Two units' tables: the prose, naming no unit, belongs to neither.
    for (name, unit) in [
        ("a.xlsx", crate::common::cases::UNIT),
        ("b.xlsx", "438002另一个单位"),
    ] {
        let mut s = crate::common::cases::clean(1, "表1");
        s.replace_text(crate::common::cases::UNIT, unit);
        crate::common::sheet::save(dir.path(), name, &[&s]);
    }
    let files = jxmb::batch::collect(&[dir.path().to_path_buf()]).expect("listed");
    let batch = jxmb::batch::read(&files, &Default::default(), &Default::default());
    let mut diags = batch.diagnostics;
    jxmb::check::run(&batch.model, &Default::default(), &mut diags);
    let found = codes(&diags, "JX505");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("列出 6 项分项") && found[0].contains("没有核对"),
        "{}",
        found[0]
    );
}
