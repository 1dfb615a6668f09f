//! The command line: one `Args` struct per subcommand; the doc comments are the help text.

use crate::diag::Severity;
use crate::error::Error;
use crate::pipeline::Inputs;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// jxmb — 绩效目标表检查工具：读取文件夹中的项目支出绩效目标表，按规则检查并与部门预算对账，
/// 写出修正后的工作簿和部门汇总表。
#[derive(Debug, Parser)]
#[command(name = "jxmb", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the command line with the help in Chinese (clap's own words replaced); exits
    /// with the help, the version or the error, as clap does.
    pub fn parse_localized() -> Cli {
        use clap::{CommandFactory, FromArgMatches};
        let command = localized(Cli::command(), true);
        Cli::from_arg_matches(&command.get_matches()).unwrap_or_else(|e| e.exit())
    }

    /// The command line as `parse_localized` sees it (for tests of the help).
    pub fn localized_command() -> clap::Command {
        use clap::CommandFactory;
        localized(Cli::command(), true)
    }
}

/// A command with its help in Chinese: headings, usage, and the help and version flags.
fn localized(command: clap::Command, root: bool) -> clap::Command {
    use clap::{Arg, ArgAction};
    let about = if root {
        "jxmb — 绩效目标表检查工具：读取文件夹中的项目支出绩效目标表，按规则检查并与部门预算对账，\
         写出修正后的工作簿和部门汇总表。"
            .to_string()
    } else {
        command
            .get_about()
            .map(|a| a.to_string())
            .unwrap_or_default()
    };
    let mut command = command
        .about(about)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .mut_args(|a| {
            // Defaults and choices are said in each option's own (Chinese) help.
            if a.get_action().takes_values() {
                a.hide_default_value(true).hide_possible_values(true)
            } else {
                a
            }
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示本帮助"),
        );
    if root {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本号"),
        );
    }
    let name = command.get_name().to_string();
    let bin = if root {
        name.clone()
    } else {
        format!("jxmb {name}")
    };
    let usage = command
        .clone()
        .bin_name(&bin)
        .render_usage()
        .to_string()
        .replace("Usage: ", "")
        .replace("[OPTIONS]", "[选项]")
        .replace("<COMMAND>", "<命令>");
    let mut template = String::from("{about}\n\n用法：{usage}\n");
    if command.has_subcommands() {
        template.push_str("\n命令：\n{subcommands}\n");
    }
    if command.get_positionals().next().is_some() {
        template.push_str("\n参数：\n{positionals}\n");
    }
    template.push_str("\n选项：\n{options}{after-help}");
    command = command.override_usage(usage).help_template(template);
    command.mut_subcommands(|sub| localized(sub, false))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 检查工作簿和 Word 文档（文件夹递归读取），列出每个问题所在的文件、工作表和单元格
    #[command(
        after_help = "示例：\n  jxmb check sample-workbooks/lunan-2025\n  jxmb check 2025/ --format json > report.json\n  jxmb check 劳务费.xlsx --fail-on warning"
    )]
    Check(CheckArgs),
    /// 主任务：检查并写出修正后的工作簿、部门汇总表 汇总.xlsx 和 report.json
    #[command(
        after_help = "示例：\n  jxmb convert sample-workbooks/lunan-2025 -o out\n  jxmb convert 2025/ -o 审核结果 --budget 项目支出预算表.xlsx"
    )]
    Convert(ConvertArgs),
    /// 只写出部门汇总表（汇总.xlsx）
    #[command(after_help = "示例：\n  jxmb rollup sample-workbooks/lunan-2025 -o 汇总.xlsx")]
    Rollup(RollupArgs),
    /// 把在 汇总.xlsx 中做的修改（指标明细、项目汇总中的金额）写回修正后的工作簿
    #[command(after_help = "示例：\n  jxmb apply out/汇总.xlsx -o out2")]
    Apply(ApplyArgs),
    /// 由模型 JSON（jxmb export 的输出）生成标准格式的工作簿
    #[command(
        after_help = "示例：\n  jxmb export 2025/ > model.json\n  jxmb build model.json -o 重建"
    )]
    Build(BuildArgs),
    /// 监视文件夹：放入、修改或删除的工作簿一到齐就处理，随时更新其中的 _jxmb/（报告、修正后的工作簿、汇总.xlsx）
    #[command(
        after_help = "示例：\n  jxmb watch 收件箱/\n  jxmb watch //server/share/2025 --poll 5\n按 Ctrl-C 停止。"
    )]
    Watch(WatchArgs),
    /// 把读取到的模型导出为 JSON（或每个指标一行的 CSV）
    #[command(
        after_help = "示例：\n  jxmb export sample-workbooks/lunan-2025 > model.json\n  jxmb export sample-workbooks/lunan-2025 --format csv -o 指标.csv"
    )]
    Export(ExportArgs),
    /// 列出全部规则，或显示一条规则的说明
    #[command(after_help = "示例：\n  jxmb rules\n  jxmb rules JX004")]
    Rules(RulesArgs),
}

/// The inputs every reading command takes.
#[derive(Debug, Clone, clap::Args)]
pub struct InputArgs {
    /// 工作簿、Word 文档（.docx）或文件夹（文件夹按名称顺序递归读取）
    #[arg(required = true, value_name = "路径")]
    pub paths: Vec<PathBuf>,
    /// 部门预算（项目支出预算表）：工作簿或 CSV；不指定时使用输入中找到的预算表
    #[arg(long, value_name = "文件")]
    pub budget: Option<PathBuf>,
    /// 配置文件（阈值、规则级别）；不指定时使用输入文件夹中的 jxmb.toml
    #[arg(long, value_name = "文件")]
    pub config: Option<PathBuf>,
}

impl InputArgs {
    /// The inputs resolved once: the config read, the paths kept; `quiet` hides the progress.
    pub fn resolve(&self, quiet: bool) -> Result<Inputs, Error> {
        Inputs::new(
            self.paths.clone(),
            self.budget.clone(),
            self.config.as_deref(),
            quiet,
        )
    }
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// 输出格式：text（默认，每个问题一行）、json（报告文档）或 jsonl（每行一个问题）
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Text, value_name = "格式")]
    pub format: DiagnosticFormat,
    /// 达到此级别的问题使退出码为 1：error（默认，错误）或 warning（警告及以上）
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "级别")]
    pub fail_on: FailOn,
    /// 只输出问题，不输出汇总行
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// 输出文件夹（写入 corrected/、汇总.xlsx、report.json）；不能在输入文件夹之内
    #[arg(short, long, value_name = "文件夹")]
    pub output: PathBuf,
    /// 修正后仍存在、达到此级别的问题使退出码为 1：error（默认）或 warning
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "级别")]
    pub fail_on: FailOn,
    /// 不逐个列出文件，只输出汇总行
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct RollupArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// 汇总表文件名（.xlsx）
    #[arg(short, long, value_name = "文件")]
    pub output: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ApplyArgs {
    /// jxmb 写出的 汇总.xlsx（可在 Excel、WPS 或 LibreOffice 中修改后保存）
    #[arg(value_name = "汇总表")]
    pub rollup: PathBuf,
    /// 写出更新后的工作簿的文件夹
    #[arg(short, long, value_name = "文件夹")]
    pub output: PathBuf,
    /// 配置文件（阈值、规则级别）；不指定时使用汇总表所在文件夹中的 jxmb.toml
    #[arg(long, value_name = "文件")]
    pub config: Option<PathBuf>,
    /// 写出的工作簿中达到此级别的问题使退出码为 1：error（默认）或 warning（与 convert 相同）
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "级别")]
    pub fail_on: FailOn,
    /// 不显示进度条
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// 要监视的文件夹（含子文件夹）；结果写在其中的 _jxmb/
    #[arg(value_name = "文件夹")]
    pub dir: PathBuf,
    /// 每隔这么多秒轮询一次，而不依赖文件系统事件（网络共享盘上事件常常收不到）
    #[arg(long, value_name = "秒")]
    pub poll: Option<f64>,
    /// 文件大小和修改时间保持不变多少秒后才处理（默认 1 秒；复制未完成的文件不会被读取）
    #[arg(long, value_name = "秒", default_value_t = 1.0)]
    pub settle: f64,
    /// 部门预算（项目支出预算表）：工作簿或 CSV
    #[arg(long, value_name = "文件")]
    pub budget: Option<PathBuf>,
    /// 配置文件；不指定时使用所监视文件夹中的 jxmb.toml
    #[arg(long, value_name = "文件")]
    pub config: Option<PathBuf>,
    /// 不输出每个事件
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// 模型 JSON 文件（jxmb export 的输出）
    #[arg(value_name = "模型")]
    pub model: PathBuf,
    /// 输出文件夹
    #[arg(short, long, value_name = "文件夹")]
    pub output: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// 导出格式：json（默认，完整模型，含自评表及核算得分）、csv（绩效目标表每个指标一行，UTF-8 带 BOM，Excel 可直接打开）或 自评csv（自评表每个指标一行：指标值、实际完成值、自评得分、核算得分及算法）
    #[arg(long, value_enum, default_value_t = ExportFormat::Json, value_name = "格式")]
    pub format: ExportFormat,
    /// 写入此文件（默认输出到标准输出）
    #[arg(short, long, value_name = "文件")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// 规则编号，如 JX004
    #[arg(value_name = "规则")]
    pub code: Option<String>,
    /// 配置文件：按其中设定的级别列出规则（设为 off 的规则注明“关闭”）
    #[arg(long, value_name = "文件")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    Text,
    Json,
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    #[value(name = "自评csv")]
    EvaluationCsv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

impl FailOn {
    /// The lowest severity that makes the run exit 1.
    pub fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
        }
    }
}
