//! The 部门整体 section written as prose in a Word document (SPEC §2.4): under a heading
//! `一、总体绩效目标` the department's goals, under `二、分项绩效目标` numbered items
//! (`1.系统维护费`) with their `绩效目标：` and `绩效指标：` lines. The section ends at the next
//! heading of its level (`三、工作保障措施`), a `第二部分`, or a table.
//!
//! Headings are found by their words, whatever their numbering (`一、`, `（一）`, `1.`) and
//! punctuation; each 绩效指标 line is split at `；` into indicators whose targets parse as §2.3.

use crate::model::text::label_key;
use crate::model::{
    paragraph_name, LineSource, OverallIndicator, OverallItem, OverallTable, ParagraphSource,
};

/// A body line of the document, in order.
#[derive(Debug, Clone, Copy)]
pub enum Line<'a> {
    /// A non-empty paragraph: its text, its number among the non-empty paragraphs (from 1) and
    /// its place among all paragraphs and tables.
    Paragraph {
        text: &'a str,
        number: u32,
        position: usize,
    },
    Table,
}

/// How a line is numbered.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Numbering {
    /// `一、`, `（一）`, `第二部分`: a heading of the document's outline.
    Chinese,
    /// `1.`, `1、`, `（1）`, `1）`: an item.
    Arabic,
    None,
}

const CHINESE_DIGITS: &str = "一二三四五六七八九十";

/// Splits the numbering off a line: `一、总体绩效目标` → (Chinese, `总体绩效目标`).
fn numbering(text: &str) -> (Numbering, &str) {
    let t = text.trim();
    let inner = t
        .strip_prefix(['（', '('])
        .map(|r| (r, [')', '）'].as_slice()))
        .unwrap_or((t, ['、', '.', '．', ')', '）', ' '].as_slice()));
    let (body, closers) = inner;
    let digits: usize = body
        .chars()
        .take_while(|c| CHINESE_DIGITS.contains(*c))
        .map(char::len_utf8)
        .sum();
    if digits > 0 {
        if let Some(rest) = body[digits..].strip_prefix(closers) {
            return (Numbering::Chinese, rest.trim_start());
        }
    }
    let digits: usize = body
        .chars()
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .map(char::len_utf8)
        .sum();
    if digits > 0 {
        if let Some(rest) = body[digits..].strip_prefix(closers) {
            return (Numbering::Arabic, rest.trim_start());
        }
    }
    if is_part_heading(t) {
        return (Numbering::Chinese, t);
    }
    (Numbering::None, t)
}

/// `第二部分`: a part of the published document.
fn is_part_heading(t: &str) -> bool {
    t.strip_prefix('第')
        .map(|r| r.trim_start_matches(|c| CHINESE_DIGITS.contains(c)))
        .is_some_and(|r| r.starts_with("部分"))
}

/// A short line naming a heading (`总体绩效目标`, `分项绩效目标：`), not a sentence using it.
fn is_heading(text: &str, words: &str) -> bool {
    let key = label_key(text);
    let key = key.trim_end_matches(':');
    key.contains(words) && key.chars().count() <= words.chars().count() + 6
}

/// `绩效目标：优化营商环境` → `优化营商环境` when the line starts with `label` and a colon.
fn after_label<'t>(text: &'t str, label: &str) -> Option<&'t str> {
    let rest = text.trim_start().strip_prefix(label)?.trim_start();
    rest.strip_prefix([':', '：']).map(str::trim)
}

/// A 项目编码 written in an item (`13020225P000039100011`): 21 letters and digits, the 9th a
/// letter.
fn code_in(text: &str) -> Option<&str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| w.len() == 21 && w.as_bytes()[8].is_ascii_alphabetic())
}

/// The section's place: the paragraph of its first heading.
fn heading_at(file: &str, number: u32, position: usize) -> LineSource {
    LineSource {
        file: file.to_string(),
        sheet: paragraph_name(number),
        sheet_index: position,
        cell: Default::default(),
    }
}

#[derive(PartialEq)]
enum State {
    Before,
    Goals,
    Items,
}

/// The 部门整体 section of a document's body, when it has one.
pub fn overall_section(lines: &[Line], file: &str) -> Option<OverallTable> {
    let mut state = State::Before;
    let mut table = OverallTable {
        prose: true,
        ..OverallTable::default()
    };
    let mut found = false;
    // The last line of an item was its goal (a goal may run on over several paragraphs).
    let mut in_goal = false;
    for line in lines {
        let Line::Paragraph {
            text,
            number,
            position,
        } = *line
        else {
            if state != State::Before {
                break;
            }
            continue;
        };
        let (numbered, body) = numbering(text);
        if is_heading(body, "总体绩效目标") {
            state = State::Goals;
            if !found {
                table.source = heading_at(file, number, position);
            }
            found = true;
            continue;
        }
        if is_heading(body, "分项绩效目标") {
            if !found {
                table.source = heading_at(file, number, position);
            }
            found = true;
            state = State::Items;
            continue;
        }
        if state != State::Before && numbered == Numbering::Chinese {
            break; // `三、工作保障措施`, `第二部分`
        }
        match state {
            State::Before => {}
            State::Goals => table.goals.push(text.trim().to_string()),
            State::Items => {
                if let Some(goal) = after_label(body, "绩效目标") {
                    if let Some(item) = table.items.last_mut() {
                        if !goal.is_empty() {
                            item.goals.push(goal.to_string());
                        }
                        in_goal = true;
                    }
                } else if let Some(list) = after_label(body, "绩效指标") {
                    if let Some(item) = table.items.last_mut() {
                        item.indicators.extend(
                            list.split(['；', ';'])
                                .map(|s| s.trim().trim_end_matches(['。', '.']).trim())
                                .filter(|s| !s.is_empty())
                                .map(OverallIndicator::parse),
                        );
                    }
                    in_goal = false;
                } else if numbered == Numbering::Arabic {
                    let name = body.trim().trim_end_matches([':', '：']).trim();
                    let code = code_in(name).map(str::to_string);
                    let name = match &code {
                        Some(c) => name.replace(c.as_str(), ""),
                        None => name.to_string(),
                    };
                    table.items.push(OverallItem {
                        name: name
                            .trim()
                            .trim_matches(['（', '）', '(', ')', ' '])
                            .to_string(),
                        code,
                        goals: Vec::new(),
                        indicators: Vec::new(),
                        source: ParagraphSource {
                            file: file.to_string(),
                            paragraph: number,
                            position,
                        },
                    });
                    in_goal = false;
                } else if in_goal {
                    if let Some(item) = table.items.last_mut() {
                        item.goals.push(text.trim().to_string());
                    }
                }
            }
        }
    }
    (found && !(table.goals.is_empty() && table.items.is_empty())).then_some(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Op;

    fn lines(texts: &[&'static str]) -> Vec<Line<'static>> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                if *t == "<表>" {
                    Line::Table
                } else {
                    Line::Paragraph {
                        text: t,
                        number: i as u32 + 1,
                        position: i,
                    }
                }
            })
            .collect()
    }

    #[test]
    fn the_seeds_section_reads_to_goals_and_items() {
        let doc = lines(&[
            "第一部分",
            "部门整体绩效目标",
            "一、总体绩效目标",
            "按照应进必进的要求，负责确定进驻中心的部门。",
            "扎实推进行政审批规范化建设。",
            "二、分项绩效目标",
            "1.系统维护费",
            "绩效目标:优化营商环境，提高服务质量。",
            "绩效指标：项目数量完成率比例大于90%；正常使用率占比大于90%；工作完成量大于90%",
            "2.工程建设项目",
            "绩效目标：工程建设项目联合审批。",
            "绩效指标：覆盖率比例大于90%。",
            "三、工作保障措施",
            "1.完善各项会议制度，规范会议程序。",
            "<表>",
        ]);
        let Some(o) = overall_section(&doc, "a.docx") else {
            panic!("no section");
        };
        assert_eq!(o.goals.len(), 2);
        assert_eq!(o.source.sheet, "第3段");
        let names: Vec<&str> = o.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["系统维护费", "工程建设项目"]);
        let first = &o.items[0];
        assert_eq!(first.goals, ["优化营商环境，提高服务质量。"]);
        assert_eq!(first.source.paragraph, 7);
        let indicators: Vec<(&str, &str, Op)> = first
            .indicators
            .iter()
            .map(|i| (i.name(), i.target.text.as_str(), i.target.op))
            .collect();
        assert_eq!(
            indicators,
            [
                ("项目数量完成率比例", "大于90%", Op::Gt),
                ("正常使用率占比", "大于90%", Op::Gt),
                ("工作完成量", "大于90%", Op::Gt),
            ]
        );
        assert_eq!(o.items[1].indicators[0].text, "覆盖率比例大于90%");
    }

    #[test]
    fn numbering_and_punctuation_vary() {
        let doc = lines(&[
            "（一）总体绩效目标：",
            "提升服务。",
            "（二）分项绩效目标",
            "（1）13020225P000039100011 电梯维保费：",
            "绩效目标：保障电梯安全运行",
            "全年无事故",
            "<表>",
            "3.不是分项",
        ]);
        let Some(o) = overall_section(&doc, "a.docx") else {
            panic!("no section");
        };
        assert_eq!(o.items.len(), 1);
        let item = &o.items[0];
        assert_eq!(item.name, "电梯维保费");
        assert_eq!(item.code.as_deref(), Some("13020225P000039100011"));
        assert_eq!(item.goals, ["保障电梯安全运行", "全年无事故"]);
    }

    #[test]
    fn a_document_without_the_headings_has_no_section() {
        let doc = lines(&["1.电梯维保费绩效目标表", "<表>", "绩效目标：无"]);
        assert!(overall_section(&doc, "a.docx").is_none());
    }
}
