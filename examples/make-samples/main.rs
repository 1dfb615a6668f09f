//! Rebuilds `sample-workbooks/` from the seed: `cargo run --example make-samples -- sample-workbooks`.
//!
//! Writes `lunan-2025/` (the department's submission), `lunan-2025-word/` (the seed document as
//! published, in Word), the `.xlsx` files of `layouts/`, and the
//! `broken/` files that need no outside tool. `sample-workbooks/make.sh` runs this, then adds the
//! `.xls`/`.ods` (LibreOffice) and the encrypted workbook (msoffcrypto-tool).

mod cases;
mod drift;
mod forms;
mod good;
mod seed;
mod selfeval;
mod sheet;
mod word;

use forms::Form;
use jxmb::check::{Code, Family};
use std::path::Path;

fn main() {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sample-workbooks".into());
    if let Err(e) = write_all(Path::new(&root)) {
        eprintln!("make-samples: {e}");
        std::process::exit(2);
    }
}

fn write_all(root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let lunan = root.join("lunan-2025");
    let layouts = root.join("layouts");
    let broken = root.join("broken");
    let defects = root.join("defects");
    let drifted = root.join("drift");
    let well_made = root.join("good");
    let published = root.join("lunan-2025-word");
    let evaluated = root.join("lunan-2025-selfeval");
    for dir in [
        &lunan, &layouts, &broken, &defects, &drifted, &well_made, &published, &evaluated,
    ] {
        std::fs::create_dir_all(dir)?;
    }
    let standard = Form::default();
    // Numbered like the seed's headings, so folder order is the seed's order.
    for (i, p) in seed::PROJECTS.iter().enumerate() {
        forms::one_per_workbook(p, &standard)?.save(lunan.join(format!(
            "{}.{}.xlsx",
            i + 1,
            p.name
        )))?;
    }
    let lines: Vec<_> = seed::PROJECTS
        .iter()
        .map(|p| (p.code, p.name, p.total))
        .collect();
    forms::budget_table(&lines)?.save(lunan.join("项目支出预算表.xlsx"))?;
    for (i, (p, report)) in selfeval::lunan_reports().iter().enumerate() {
        let s = selfeval::sheet(p, report, p.code, seed::UNIT_NAME);
        sheet::save(
            &evaluated,
            &format!("{}.{}自评表.xlsx", i + 1, p.name),
            &[&s],
        );
    }
    std::fs::write(
        published.join(WORD_DOCUMENT),
        word::docx(&word::seed_document(true, word::Tables::TwoPerProject)),
    )?;

    let seed_like = Form {
        numbered_titles: true,
        pad_rows: 0,
        ..Form::default()
    };
    forms::stacked(&seed::PROJECTS, &seed_like)?.save(layouts.join("合并一表.xlsx"))?;
    let per_sheet = Form {
        col0: 1,
        pad_rows: 2,
        merge_levels: true,
        ..Form::default()
    };
    forms::per_sheet(&seed::PROJECTS, &per_sheet)?.save(layouts.join("按项目分表.xlsx"))?;

    std::fs::write(broken.join("空文件.xlsx"), b"")?;
    std::fs::write(
        broken.join("文本改名.xlsx"),
        "项目编码,项目名称,预算数\n13020225P000039100011,电梯维保费,1.80\n",
    )?;
    let good = forms::one_per_workbook(&seed::PROJECTS[2], &standard)?.save_to_buffer()?;
    std::fs::write(broken.join("复制中断.xlsx"), &good[..good.len() / 2])?;
    forms::unrelated()?.save(broken.join("通讯录.xlsx"))?;
    // Excel's owner file: the user name, length-prefixed and space-padded, as Excel writes it.
    let mut lock = vec![4u8];
    lock.extend_from_slice(b"user");
    lock.resize(54, b' ');
    lock.extend(std::iter::repeat_n(0u8, 111));
    std::fs::write(broken.join("~$劳务费.xlsx"), lock)?;
    for (name, sheet) in good::workbooks() {
        sheet::save(&well_made, &name, &[&sheet]);
    }
    for d in drift::drifts() {
        let refs: Vec<&sheet::Sheet> = d.sheets.iter().collect();
        std::fs::write(drifted.join(d.file), sheet::book(&refs))?;
    }
    write_defects(&defects)
}

/// The seed document as the department published it, in `lunan-2025-word/`.
const WORD_DOCUMENT: &str = "2025年部门预算绩效目标.docx";

/// The reconciliation cases' own unit, so their budget lines stay out of the other families.
const RECONCILIATION_UNIT: &str = "438098唐山市路南区示例单位（对账）";

/// One workbook per rule family, one sheet per case where the rule fires.
fn write_defects(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    // The rule families of SPEC §4, each with its workbook (`3.绩效指标.xlsx`).
    for (n, family) in Family::ALL.into_iter().enumerate() {
        let file = format!("{}.{}.xlsx", n + 1, family.title());
        let mut book = Vec::new();
        for (k, case) in cases::cases()
            .into_iter()
            .enumerate()
            .filter(|(_, c)| Code::parse(c.code).map(Code::family) == Some(family))
        {
            // A case with 部门整体 prose is a Word document of its own, in a unit of its own
            // (its section would otherwise list the other cases' tables).
            if case.fires.iter().any(|s| s.name == sheet::PROSE) {
                let mut sheets = case.fires;
                let unit = format!("4380{}唐山市路南区示例单位（{}）", 90 + k % 10, case.code);
                for s in &mut sheets {
                    s.replace_text(cases::UNIT, &unit);
                    for n in 1..=3 {
                        s.replace_text(&cases::code(n), &cases::code(100 * (k as u32 + 1) + n));
                    }
                }
                let refs: Vec<&sheet::Sheet> = sheets.iter().collect();
                let file = format!("{}.{}-{}.docx", n + 1, family.title(), case.code);
                std::fs::write(dir.join(file), sheet::book(&refs))?;
                continue;
            }
            let many = case.fires.len() > 1;
            for (i, mut s) in case.fires.into_iter().enumerate() {
                // Codes are numbered per case, so two cases never share one by accident.
                for n in 1..=3 {
                    s.replace_text(&cases::code(n), &cases::code(100 * (k as u32 + 1) + n));
                }
                if family == Family::Reconciliation {
                    s.replace_text(cases::UNIT, RECONCILIATION_UNIT);
                }
                let name = if many {
                    format!("{}-{}", case.code, i + 1)
                } else {
                    case.code.to_string()
                };
                s.named(&name);
                book.push(s);
            }
        }
        let refs: Vec<&sheet::Sheet> = book.iter().collect();
        std::fs::write(dir.join(file), sheet::book(&refs))?;
    }
    Ok(())
}
