//! Writes the seed as the department published it: a Word document (`.docx`) with the 部门整体
//! section as prose and the 8 project tables as Word tables, merged cells written the way Word
//! writes them (`w:gridSpan`, `w:vMerge`). Each project is either the seed's two tables under
//! its heading (项目编码…绩效目标, an empty paragraph, the indicator table) or one table.

#![allow(dead_code)] // the generator and the tests each use a different part

use super::seed::{SeedProject, BASIS, FISCAL_LABEL, PLAN, PROJECTS, UNIT_CODE, UNIT_NAME};
use super::sheet::{Sheet, C, INDICATOR_HEADER, PROSE};
use std::io::Write;

/// The seed's 第一部分 as published: 总体绩效目标, the six 分项 items (against eight tables),
/// and 工作保障措施, whose numbered lines are not items.
pub const OVERALL_SECTION: &[&str] = &[
    "第一部分",
    "部门整体绩效目标",
    "一、总体绩效目标",
    "按照应进必进的要求，负责确定进驻中心的部门和经政府批准的审批事项；负责优化窗口设置和审批服务流程，组织协调多个部门联合办理审批事项；负责制定各项制度，对进驻部门和个人进行管理、考核、监督、教育和培训；受理对窗口及工作人员的投诉；负责办事窗口信息数据的采集、统计、分析、上报；负责项目办理的咨询和代理工作；承办区政府和政府办公室交办的其他事项。",
    "扎实推进行政审批规范化建设、标准化建设、三级平台建设，按照省市区要求，提升审批大厅环境，全面实现服务标准化、流程程序化、管理规范化，进一步提高行政审批服务效率和水平。",
    "组织路南区范围内固定资产投资项目联合审批，协调市、区相关部门联合勘验、验收、召开联审会议。",
    "按照省、市、区要求，完成有关行政审批的其他各种活动。",
    "二、分项绩效目标",
    "1.系统维护费",
    "绩效目标:优化营商环境，提高服务质量。",
    "绩效指标：项目数量完成率比例大于90%；正常使用率占比大于90%；工作完成量大于90%",
    "2.工程建设项目",
    "绩效目标:工程建设项目联合审批。",
    "绩效指标：覆盖率比例大于90%；正常使用率占比大于90%；项目任务完成及时率大于90%",
    "3.“互联网+政务服务”平台运维护",
    "绩效目标:互联网+政务服务平台建设。",
    "绩效指标：完成项目的数量覆盖率比例大于90%；正常使用率占比大于90%；项目任务完成及时率大于90%。",
    "4.政府投资项目评审",
    "绩效目标：优化营商环境，提升服务质量。",
    "绩效指标：项目执行公开率比例大于90%；正常使用率占比大于90%；项目申请与立项按期完成率大于90%。",
    "5.邮递专项经费",
    "绩效目标：进一步推进行政审批事项，更好的优化我区营商环境工作。",
    "绩效指标：按规定数量完成大于90%；鉴定优秀等级项目数量占结项总数量的比例（百分比）大于90%；按时完成率占比大于90%。",
    "6.招商引资专项业务费",
    "绩效目标：用于招商引资，更好的优化我区营商环境工作。",
    "绩效指标：按规定数量完成大于90%；鉴定优秀等级项目数量占结项总数量的比例（百分比）大于90%；按时完成率占比大于90%。",
    "三、工作保障措施",
    "1.完善各项会议制度，规范会议程序，提高会议质量，提高协商水平。",
    "2.完善民主监督机制，畅通民主监督渠道，建立健全知情、沟通制度，将民监督寓于提案、视察、参与工作检查等活动中，提高民主监督质量和成效。",
    "3.发挥扩大社会各界有序参与的重要渠道作用，认真研究思想引领、凝聚共识的出发点、落脚点，探索开展活动的新方法、新途径，充分调动委员参政议政的积极性，向区委、区政府提出高质量的意见和建议。",
    "4.不断加强绩效管理，采取措施预做准备，控制偏差，保证绩效目标的实现。",
];

/// A Word table cell: its text (lines are paragraphs), how many grid columns it spans, and
/// whether it starts or continues a vertical merge.
#[derive(Clone)]
pub struct Cell {
    pub text: String,
    pub span: u32,
    pub merge: Merge,
}

#[derive(Clone, Copy, PartialEq)]
pub enum Merge {
    None,
    Restart,
    Continue,
}

pub fn cell(text: &str) -> Cell {
    Cell {
        text: text.to_string(),
        span: 1,
        merge: Merge::None,
    }
}

pub fn wide(text: &str, span: u32) -> Cell {
    Cell { span, ..cell(text) }
}

fn merged(text: &str, merge: Merge) -> Cell {
    Cell {
        merge,
        ..cell(text)
    }
}

/// A body block of the document.
pub enum Block {
    Paragraph(String),
    Table(Vec<Vec<Cell>>),
}

/// The 项目编码…绩效目标 block of a project, 7 grid columns wide.
pub fn head_rows(p: &SeedProject) -> Vec<Vec<Cell>> {
    let mut plan_by = vec![merged("资金支出计划（%）", Merge::Restart)];
    let mut plan_pct = vec![merged("", Merge::Continue)];
    for (i, (by, pct)) in PLAN.iter().enumerate() {
        let span = if i == PLAN.len() - 1 { 3 } else { 1 };
        plan_by.push(wide(by, span));
        plan_pct.push(wide(pct, span));
    }
    vec![
        vec![
            wide(&format!("{UNIT_CODE}{UNIT_NAME}"), 6),
            cell("单位：万元"),
        ],
        vec![
            cell("项目编码"),
            wide(p.code, 2),
            cell("项目名称"),
            wide(p.name, 3),
        ],
        vec![
            merged("预算规模及资金用途", Merge::Restart),
            cell("预算数"),
            cell(p.total),
            cell(FISCAL_LABEL),
            cell(p.total),
            cell("其他资金"),
            cell(""),
        ],
        vec![merged("", Merge::Continue), wide(p.purpose, 6)],
        plan_by,
        plan_pct,
        vec![cell("绩效目标"), wide(p.goal, 6)],
    ]
}

/// The indicator table of a project: header and rows, 一级指标 merged down its group.
pub fn indicator_rows(p: &SeedProject) -> Vec<Vec<Cell>> {
    let mut rows = vec![INDICATOR_HEADER.iter().map(|h| cell(h)).collect::<Vec<_>>()];
    let mut previous = "";
    for ind in &p.indicators {
        let first = if ind[0] == previous {
            merged("", Merge::Continue)
        } else {
            merged(ind[0], Merge::Restart)
        };
        previous = ind[0];
        rows.push(vec![
            first,
            cell(ind[1]),
            cell(ind[2]),
            cell(ind[3]),
            cell(ind[4]),
            cell(BASIS),
        ]);
    }
    rows
}

/// How the projects are written.
#[derive(Clone, Copy, PartialEq)]
pub enum Tables {
    /// The seed's own: two tables per project under its heading.
    TwoPerProject,
    /// One table per project.
    OnePerProject,
}

/// The seed document: `with_prose` puts the 部门整体 section first.
pub fn seed_document(with_prose: bool, tables: Tables) -> Vec<Block> {
    let mut out = Vec::new();
    if with_prose {
        out.extend(
            OVERALL_SECTION
                .iter()
                .map(|t| Block::Paragraph(t.to_string())),
        );
        out.push(Block::Paragraph(String::new()));
        out.push(Block::Paragraph("第二部分".into()));
        out.push(Block::Paragraph("预算项目绩效目标".into()));
    }
    for (i, p) in PROJECTS.iter().enumerate() {
        out.push(Block::Paragraph(format!("{}.{}绩效目标表", i + 1, p.name)));
        match tables {
            Tables::TwoPerProject => {
                out.push(Block::Table(head_rows(p)));
                out.push(Block::Paragraph(String::new()));
                out.push(Block::Table(indicator_rows(p)));
            }
            Tables::OnePerProject => {
                let mut rows = head_rows(p);
                rows.extend(indicator_rows(p));
                out.push(Block::Table(rows));
            }
        }
        out.push(Block::Paragraph(String::new()));
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A paragraph: runs of text, a tab as `w:tab`, lines of `text` as separate paragraphs.
fn paragraph(text: &str) -> String {
    if text.is_empty() {
        return "<w:p/>".into();
    }
    let runs: Vec<String> = text
        .split('\t')
        .map(|part| format!(r#"<w:t xml:space="preserve">{}</w:t>"#, escape(part)))
        .collect();
    format!("<w:p><w:r>{}</w:r></w:p>", runs.join("<w:tab/>"))
}

fn table(rows: &[Vec<Cell>]) -> String {
    let columns = rows
        .iter()
        .map(|r| r.iter().map(|c| c.span).sum::<u32>())
        .max()
        .unwrap_or(1);
    let width = 13_000 / columns;
    let mut xml = String::from(
        r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr><w:tblGrid>"#,
    );
    for _ in 0..columns {
        xml.push_str(&format!(r#"<w:gridCol w:w="{width}"/>"#));
    }
    xml.push_str("</w:tblGrid>");
    for row in rows {
        xml.push_str("<w:tr>");
        for c in row {
            xml.push_str("<w:tc><w:tcPr>");
            xml.push_str(&format!(
                r#"<w:tcW w:w="{}" w:type="dxa"/>"#,
                width * c.span
            ));
            if c.span > 1 {
                xml.push_str(&format!(r#"<w:gridSpan w:val="{}"/>"#, c.span));
            }
            match c.merge {
                Merge::Restart => xml.push_str(r#"<w:vMerge w:val="restart"/>"#),
                Merge::Continue => xml.push_str("<w:vMerge/>"),
                Merge::None => {}
            }
            xml.push_str("</w:tcPr>");
            let lines: Vec<&str> = c.text.split('\n').collect();
            for line in lines {
                xml.push_str(&paragraph(line));
            }
            xml.push_str("</w:tc>");
        }
        xml.push_str("</w:tr>");
    }
    xml.push_str("</w:tbl>");
    xml
}

/// The blocks as a `.docx` package.
pub fn docx(blocks: &[Block]) -> Vec<u8> {
    let mut body = String::new();
    for b in blocks {
        match b {
            Block::Paragraph(t) => body.push_str(&paragraph(t)),
            Block::Table(rows) => body.push_str(&table(rows)),
        }
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134"/></w:sectPr></w:body></w:document>"#
    );
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
        ),
        ("word/document.xml", document),
    ];
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (name, text) in parts {
            zip.start_file(name, options).expect("zip entry");
            zip.write_all(text.as_bytes()).expect("zip write");
        }
        zip.finish().expect("zip finished");
    }
    out.into_inner()
}

/// Sheets as a Word document: a sheet named [`PROSE`] gives a paragraph per row (its first
/// cell), every other sheet a heading paragraph and a table of its cells.
pub fn document_of(sheets: &[&Sheet]) -> Vec<u8> {
    let text = |c: &Option<C>| match c {
        Some(C::T(t)) => t.clone(),
        Some(C::N(n)) | Some(C::Formatted(n, _)) => n.to_string(),
        Some(C::Formula(_, r)) => r.clone().unwrap_or_default(),
        None => String::new(),
    };
    let mut blocks = Vec::new();
    for s in sheets {
        if s.name == PROSE {
            blocks.extend(
                s.rows
                    .iter()
                    .map(|r| Block::Paragraph(r.first().map(text).unwrap_or_default())),
            );
            continue;
        }
        blocks.push(Block::Paragraph(s.name.clone()));
        let width = s.rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let rows = s
            .rows
            .iter()
            .map(|r| {
                (0..width)
                    .map(|c| cell(&r.get(c).map(text).unwrap_or_default()))
                    .collect()
            })
            .collect();
        blocks.push(Block::Table(rows));
        blocks.push(Block::Paragraph(String::new()));
    }
    docx(&blocks)
}
