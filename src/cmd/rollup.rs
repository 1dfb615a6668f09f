//! `jxmb rollup PATH… -o FILE.xlsx`: only the department roll-up, of the inputs as they are.

use super::{print, Outcome};
use crate::cli::RollupArgs;
use crate::error::Error;
use crate::output;
use crate::pipeline;
use crate::write;

pub fn run(args: &RollupArgs) -> Result<Outcome, Error> {
    output::check_output_location(&args.output, &args.input.paths)?;
    let batch = pipeline::load(&args.input.resolve(false)?)?;
    let inputs = output::input_file_set(batch.inputs.iter().map(|f| f.path.as_path()));
    if output::is_input_file(&args.output, &inputs) {
        return Err(Error::Usage(format!(
            "不会覆盖输入文件“{}”",
            args.output.display()
        )));
    }
    write::rollup::save(
        &write::Whole::new(&batch.model, &batch.diagnostics, []),
        &args.output,
    )?;
    let total: rust_decimal::Decimal = batch
        .model
        .projects()
        .filter_map(|(_, p)| p.budget.total)
        .sum();
    print(&format!(
        "已写出 {} · {} 个项目 · 预算数合计 {}万元\n",
        args.output.display(),
        batch.model.projects().count(),
        crate::model::amount::money_text(&total)
    ))?;
    Ok(Outcome::Clean)
}
