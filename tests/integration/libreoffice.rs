//! SPEC §6.3: what jxmb writes survives a save by a real spreadsheet program. Each workbook is
//! re-saved by headless LibreOffice and read back. Where LibreOffice is not installed the tests
//! say so and pass — except in CI (`CI` set), where `.ci/run` installs it and they must run.

use crate::common::{assert_seed, jxmb, samples, seed, stdout, Targets};
use crate::convert::read_folder;
use jxmb::model::Field;
use std::path::{Path, PathBuf};
use std::process::Command;

fn soffice() -> Option<PathBuf> {
    let found = ["soffice", "libreoffice"].iter().find_map(|name| {
        std::env::var_os("PATH")?
            .to_str()?
            .split(':')
            .map(|d| Path::new(d).join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "LibreOffice is required in CI: .ci/run installs libreoffice-calc-nogui"
        );
        eprintln!("LibreOffice (soffice) is not installed: skipping the re-save test");
    }
    found
}

/// Opens `file` in LibreOffice and saves it as .xlsx into `dir` (its own profile, so tests can
/// run side by side).
fn resave(soffice: &Path, file: &Path, dir: &Path) -> PathBuf {
    save_as(soffice, file, dir, "xlsx:Calc MS Excel 2007 XML")
}

/// Opens `file` in LibreOffice and saves it into `dir` through `filter` (`xls:MS Excel 97`).
fn save_as(soffice: &Path, file: &Path, dir: &Path, filter: &str) -> PathBuf {
    let profile = tempfile::tempdir().expect("profile dir");
    let status = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            filter,
            "--outdir",
        ])
        .arg(dir)
        .arg(file)
        .output()
        .expect("soffice runs");
    let ext = filter.split(':').next().unwrap_or("xlsx");
    let out = dir
        .join(file.file_name().expect("file name"))
        .with_extension(ext);
    assert!(
        out.is_file(),
        "LibreOffice wrote {}: {}",
        out.display(),
        String::from_utf8_lossy(&status.stderr)
    );
    out
}

#[test]
fn an_edited_corrected_workbook_reads_back_after_a_libreoffice_save() {
    let Some(soffice) = soffice() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut model = read_folder(&samples().join("lunan-2025"));
    // The edit a user makes: a new 指标值 and a new 预算数 on 劳务费.
    let labour = &mut model.departments[0].projects[2];
    labour
        .set(
            Field::Indicator(3, jxmb::model::Column::Target),
            "3888.89元/月/人",
        )
        .expect("set");
    labour.set(Field::Total, "111.98").expect("set");
    let written = dir.path().join("written");
    jxmb::write::corrected::write_all(
        &jxmb::write::Whole::new(&model, &[], []),
        &written,
        |s| {
            Path::new(s)
                .file_name()
                .map(PathBuf::from)
                .unwrap_or_default()
        },
        |_| false,
        || {},
    )
    .expect("written");
    let saved = dir.path().join("saved");
    std::fs::create_dir(&saved).expect("dir");
    for entry in std::fs::read_dir(&written).expect("written/") {
        resave(&soffice, &entry.expect("entry").path(), &saved);
    }
    let back = read_folder(&saved);
    assert_eq!(
        back.without_sources(),
        model.without_sources(),
        "the edit, and nothing else changed"
    );
    assert_eq!(
        back.departments[0].projects[2].budget.total,
        Some(crate::common::dec("111.98"))
    );
}

#[test]
fn a_rollup_saved_by_libreoffice_reads_back_identical() {
    let Some(soffice) = soffice() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    jxmb(&[
        "convert",
        "sample-workbooks/lunan-2025",
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    let saved_dir = dir.path().join("saved");
    std::fs::create_dir(&saved_dir).expect("dir");
    let saved = resave(&soffice, &out.join("汇总.xlsx"), &saved_dir);
    let applied = dir.path().join("applied");
    let result = jxmb(&[
        "apply",
        saved.to_str().expect("utf-8"),
        "-o",
        applied.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let text = stdout(&result);
    assert!(
        text.contains("没有发现修改"),
        "a save without edits changes nothing: {text}"
    );
    assert_eq!(
        read_folder(&applied).without_sources(),
        read_folder(&out.join("corrected")).without_sources()
    );
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&saved).expect("opens");
    let summary = book.worksheet_range("项目汇总").expect("项目汇总");
    let total = summary
        .rows()
        .find(|r| {
            r.first()
                .is_some_and(|c| *c == calamine::Data::String("合计".into()))
        })
        .and_then(|r| r.get(3).cloned());
    assert_eq!(
        total,
        Some(calamine::Data::Float(273.52)),
        "LibreOffice's recalculated 合计"
    );
}

/// What a drift workbook reads as: per project its budget and targets, and every finding's
/// (code, sheet, cell).
fn drift_reading(path: &Path) -> (Vec<String>, Vec<(String, String, String)>) {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("xlsx");
    let bytes = std::fs::read(path).expect("drift workbook");
    let contents = jxmb::read::read_bytes(bytes, ext, "drift").expect("reads");
    let model = jxmb::model::Model::from_workbooks(vec![contents]);
    let mut diags = Vec::new();
    jxmb::check::run(&model, &jxmb::config::Config::default(), &mut diags);
    jxmb::diag::sort(&mut diags);
    let projects = model
        .projects()
        .map(|(_, p)| {
            let targets: Vec<&str> = p
                .indicators
                .iter()
                .map(|i| i.target.text.as_str())
                .collect();
            format!("{} {:?} {:?}", p.name, p.budget.total, targets)
        })
        .collect();
    let found = diags
        .iter()
        .map(|d| {
            (
                d.code.as_str().to_string(),
                d.sheet.clone().unwrap_or_default(),
                d.cell.map(|c| c.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    (projects, found)
}

#[test]
fn drift_reads_the_same_from_xls_and_ods_as_from_xlsx() {
    // Hidden columns and rows, formatted numbers and formulas are each format's own records:
    // LibreOffice writes the .xlsx drift workbooks as .xls and .ods, and they must read alike.
    let Some(soffice) = soffice() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    for file in [
        "01.隐藏列.xlsx",
        "02.隐藏行与隐藏表.xlsx",
        "03.日期与百分比格式.xlsx",
        "08.未计算公式.xlsx",
    ] {
        let xlsx = samples().join("drift").join(file);
        let expected = drift_reading(&xlsx);
        assert!(!expected.0.is_empty(), "{file}");
        for filter in ["xls:MS Excel 97", "ods:calc8"] {
            let converted = save_as(&soffice, &xlsx, dir.path(), filter);
            assert_eq!(
                drift_reading(&converted),
                expected,
                "{}",
                converted.display()
            );
        }
    }
}

/// The median height of the words on each page of a PDF, by `pdftotext -bbox`.
fn text_heights(pdf: &Path) -> Option<Vec<f64>> {
    let out = Command::new("pdftotext")
        .args(["-bbox"])
        .arg(pdf)
        .arg("-")
        .output();
    let out = match out {
        Ok(out) if out.status.success() => out,
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "pdftotext is required in CI: .ci/run installs poppler-utils"
            );
            eprintln!("pdftotext (poppler-utils) is not installed: skipping the print test");
            return None;
        }
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let mut pages: Vec<Vec<f64>> = Vec::new();
    for line in text.lines() {
        if line.contains("<page ") {
            pages.push(Vec::new());
        }
        let attr = |name: &str| -> Option<f64> {
            let at = line.find(&format!("{name}=\""))? + name.len() + 2;
            line[at..].split('"').next()?.parse().ok()
        };
        if let (Some(top), Some(bottom), Some(page)) =
            (attr("yMin"), attr("yMax"), pages.last_mut())
        {
            page.push(bottom - top);
        }
    }
    Some(
        pages
            .into_iter()
            .map(|mut words| {
                words.sort_by(f64::total_cmp);
                words.get(words.len() / 2).copied().unwrap_or(0.0)
            })
            .collect(),
    )
}

/// Issue 14: the roll-up is a document a reviewer hands on — printed by LibreOffice, every
/// page's text is 9 pt or more (the median word height), no sheet squeezed onto one page.
#[test]
fn the_rollup_prints_legibly_on_every_page() {
    let Some(soffice) = soffice() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    for input in ["lunan-2025", "defects"] {
        let converted = jxmb(&[
            "convert",
            samples().join(input).to_str().expect("utf-8"),
            "-o",
            out.to_str().expect("utf-8"),
            "-q",
        ]);
        assert!(
            converted.status.code().is_some_and(|c| c <= 1),
            "{converted:?}"
        );
        let printed = dir.path().join(format!("print-{input}"));
        std::fs::create_dir_all(&printed).expect("dir");
        let pdf = save_as(
            &soffice,
            &out.join("汇总.xlsx"),
            &printed,
            "pdf:calc_pdf_Export",
        );
        let Some(heights) = text_heights(&pdf) else {
            return;
        };
        assert!(heights.len() >= 6, "{input}: {} pages", heights.len());
        for (page, height) in heights.iter().enumerate() {
            assert!(
                *height >= 9.0,
                "{input}: page {} prints its text at {height:.1} pt: {heights:?}",
                page + 1
            );
        }
        std::fs::remove_dir_all(&out).expect("cleared");
    }
}

#[test]
fn the_seed_document_reads_the_same_after_libreoffice_saves_it() {
    let Some(soffice) = soffice() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let original = samples().join("lunan-2025-word/2025年部门预算绩效目标.docx");
    let saved = save_as(&soffice, &original, dir.path(), "docx:MS Word 2007 XML");
    let read = |path: &Path| {
        let contents = crate::common::read_path(path);
        jxmb::model::Model::from_workbooks(vec![contents])
    };
    let (before, after) = (read(&original), read(&saved));
    assert_seed(&after, &seed::PROJECTS, Targets::Exact);
    assert_eq!(
        after.without_sources(),
        before.without_sources(),
        "the same projects and 部门整体 section after LibreOffice rewrote the XML"
    );
    let items = after.departments[0]
        .overall
        .as_ref()
        .map_or(0, |o| o.items.len());
    assert_eq!(items, 6);
}

#[test]
fn evaluations_read_the_same_from_xls_and_ods() {
    let Some(soffice) = soffice() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let (p, report) = &crate::common::selfeval::lunan_reports()[2];
    let sheet = crate::common::selfeval::sheet(p, report, p.code, seed::UNIT_NAME);
    let xlsx = crate::common::sheet::save(dir.path(), "劳务费自评表.xlsx", &[&sheet]);
    let read = |path: &Path| {
        let m = jxmb::model::Model::from_workbooks(vec![crate::common::read_path(path)])
            .without_sources();
        m.departments
            .into_iter()
            .flat_map(|d| d.evaluations)
            .collect::<Vec<_>>()
    };
    let original = read(&xlsx);
    assert_eq!(original.len(), 1);
    for filter in ["xls:MS Excel 97", "ods:calc8"] {
        let converted = save_as(&soffice, &xlsx, dir.path(), filter);
        assert_eq!(read(&converted), original, "{filter}");
    }
}
