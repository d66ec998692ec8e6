//! The command line in the lead's language: `--lang` parsing, `--help` and
//! argument errors. The language is chosen before clap parses (from `--lang`
//! in argv, else the locale; the config is not read for `--help`).
//!
//! English is clap's own rendering of the texts written on `Cli`. Chinese
//! walks the built command tree and gives every about and argument help its
//! text from [`HELP_TEXTS`] (keyed by the English, so a new argument without
//! a translation fails `tests/i18n_cli.rs`), puts clap's own words (headings,
//! `Print help`, default and possible values) in Chinese, and writes argument
//! errors from clap's error context.

use std::error::Error as _;
use std::ffi::OsString;
use std::fmt::Write as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command, CommandFactory, FromArgMatches};

use super::{Lang, Msg, t};
use crate::cli::Cli;
use crate::config::Lang as ConfigLang;

/// `--lang` values: `en`, `zh`, `auto`.
pub fn parse_lang(s: &str) -> Result<ConfigLang, String> {
    ConfigLang::from_name(s.trim()).ok_or_else(|| format!("expected en, zh or auto, got {s:?}"))
}

/// The `--lang` value given in argv (`--lang zh` or `--lang=zh`), if any.
pub fn argv_lang(args: &[OsString]) -> Option<ConfigLang> {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            return it.next().and_then(|v| parse_lang(&v).ok());
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return parse_lang(v).ok();
        }
    }
    None
}

/// Language of `--help` and of argument errors: argv, then the locale.
pub fn help_lang(args: &[OsString]) -> Lang {
    Lang::from(argv_lang(args).unwrap_or(ConfigLang::Auto))
}

/// Help texts as written on `Cli` (clap's form: one line, no final full
/// stop) and clap's own, with their Chinese.
pub static HELP_TEXTS: &[(&str, &str)] = &[
    // The program.
    (
        "A terminal console for customer-service shift leads: live queues, KPIs against targets, the feedback-closure board and the day's spot checks.",
        "客服班组长终端控制台：实时队列、指标对比目标、客诉闭环看板和当日抽检。",
    ),
    (
        "A terminal console for customer-service shift leads: live queues, KPIs against\ntargets, the feedback-closure board and the day's spot checks, computed from a\nfloor-feed data file (NDJSON, see docs/data-format.md).\n\nWithout a subcommand shiftdeck opens the console on --file PATH (followed live).",
        "客服班组长终端控制台：实时队列、指标对比目标、客诉闭环看板和当日抽检，\n由现场数据文件（NDJSON，见 docs/data-format.md）计算得出。\n\n不带子命令时，shiftdeck 打开 --file PATH 指定文件的控制台（实时跟随）。",
    ),
    (
        "Floor-feed NDJSON file to open in the console; repeat for several (e.g. history + today; later lines win)",
        "在控制台中打开的现场 NDJSON 数据文件；可重复指定多个（如历史 + 今天，后读取的行优先）",
    ),
    (
        "Poll a feed or CRM instead of a file: feed+http://HOST:PORT (or plain http(s)://…), rt+https://rt.example.com, zendesk+https://acme.zendesk.com. The token comes from [source] token_env / token_file in the config",
        "轮询数据源或 CRM 而不是文件：feed+http://主机:端口（或直接 http(s)://…）、rt+https://rt.example.com、zendesk+https://acme.zendesk.com。令牌来自配置中的 [source] token_env / token_file",
    ),
    (
        "Config file (default: the user's config dir, or $SHIFTDECK_CONFIG)",
        "配置文件（默认：用户配置目录，或 $SHIFTDECK_CONFIG）",
    ),
    (
        "Where shiftdeck keeps its data (demo feed, the lead's entries)",
        "shiftdeck 保存数据的目录（演示数据、班组长的录入）",
    ),
    (
        "Start in huddle mode: big figures, rotating panes, customer ids masked",
        "以晨会模式启动：大字指标、轮播面板、隐藏客户标识",
    ),
    (
        "Language of the console and messages: en, zh or auto (default: the config's [display] lang, then LANG/LC_ALL)",
        "控制台和提示的语言：en、zh 或 auto（默认：配置 [display] lang，其次 LANG/LC_ALL）",
    ),
    // demo
    (
        "Run the simulator live into a file in the data dir and open the console on it",
        "在数据目录中实时运行模拟器并打开其控制台",
    ),
    (
        "Simulated seconds per real second (1 = real time)",
        "每真实秒模拟的秒数（1 = 实时）",
    ),
    ("Agents on the simulated floor", "模拟现场的坐席人数"),
    ("Days of history before today", "今天之前的历史天数"),
    (
        "Seed of the simulation: the same seed gives the same floor",
        "模拟的随机种子：种子相同，现场数据相同",
    ),
    ("Start in huddle mode", "以晨会模式启动"),
    // snapshot
    (
        "Print the KPIs, queues, SLA timers, feedback and spot checks once (JSON or a table)",
        "一次性输出指标、队列、SLA 计时、客诉反馈和抽检（JSON 或表格）",
    ),
    (
        "Floor-feed NDJSON file; repeat for several, loaded in order",
        "现场 NDJSON 数据文件；可重复指定多个，按顺序读取",
    ),
    (
        "Window start: RFC 3339 with offset, or a date (local midnight). Default: today",
        "时间窗起点：带时区偏移的 RFC 3339，或日期（当地零点）。默认：今天",
    ),
    (
        "Window end (exclusive): RFC 3339, or a date (the window then includes that date)",
        "时间窗终点（不含）：RFC 3339，或日期（此时包含该日）",
    ),
    (
        "The clock for live figures, SLA timers and overdue (default: the system clock)",
        "实时数字、SLA 计时和超期判断所用的时钟（默认：系统时钟）",
    ),
    (
        "Output: JSON for programs, a table for people",
        "输出：JSON 供程序读取，表格供人阅读",
    ),
    // sim
    (
        "Write a realistic simulated floor as NDJSON (demo and benchmark data)",
        "生成逼真的模拟现场 NDJSON 数据（演示和基准测试用）",
    ),
    (
        "The NDJSON file to write (replaced if it exists)",
        "要写入的 NDJSON 文件（已存在则覆盖）",
    ),
    ("Days to simulate", "模拟的天数"),
    (
        "First simulated day (default: so that the last day is today)",
        "模拟的第一天（默认：使最后一天为今天）",
    ),
    (
        "Stop at this instant (RFC 3339); default: whole days, or now when the last day is today",
        "在此时刻停止（RFC 3339）；默认：整天，若最后一天是今天则到现在",
    ),
    (
        "Keep simulating live into --out and serve it as the HTTP floor feed on ADDR (e.g. 127.0.0.1:8080), until Ctrl-C; open it with `shiftdeck --crm feed+http://127.0.0.1:8080`",
        "持续实时模拟写入 --out，并在 ADDR（如 127.0.0.1:8080）上作为 HTTP 现场数据源提供，直到 Ctrl-C；用 `shiftdeck --crm feed+http://127.0.0.1:8080` 打开",
    ),
    (
        "With --serve: simulated seconds per real second",
        "配合 --serve：每真实秒模拟的秒数",
    ),
    // config
    (
        "Where files live, and the effective configuration",
        "文件位置和生效的配置",
    ),
    (
        "Print the paths of the config file, data dir and state (log) dir",
        "显示配置文件、数据目录和状态（日志）目录的路径",
    ),
    (
        "Print the effective configuration as TOML, every key",
        "以 TOML 显示生效的配置，包括每个键",
    ),
    // bench
    (
        "Measure load, KPI and snapshot speed and memory on a data file",
        "测量数据文件的加载、指标和快照速度及内存",
    ),
    (
        "What to measure: speed and memory (default), or forecast: replay the file day by day and score the forecast against the naive one (WAPE)",
        "测量内容：速度和内存（默认）；或 forecast：逐日回放数据文件，以 WAPE 对比预测与朴素预测的误差",
    ),
    (
        "Repetitions of the KPI computation (the median is reported)",
        "指标计算的重复次数（报告中位数）",
    ),
    // export
    (
        "Export the lead's spot-check scores or feedback follow-up events (read-only)",
        "导出班组长的抽检评分或客诉跟进记录（只读）",
    ),
    (
        "What to export: the spot-check scorecards or the feedback follow-up events",
        "导出内容：抽检评分表，或客诉跟进记录",
    ),
    (
        "First local date, YYYY-MM-DD (default: today)",
        "起始日期（当地），YYYY-MM-DD（默认：今天）",
    ),
    (
        "Last local date, included (default: --from)",
        "结束日期（当地，含当天）（默认：同 --from）",
    ),
    (
        "Output: CSV (one row per entry) or JSON",
        "输出：CSV（每条录入一行）或 JSON",
    ),
    // report
    (
        "Reports from the floor and the lead's notes: `report weekly`",
        "基于现场数据和班组长备注的报告：`report weekly`",
    ),
    (
        "The weekly operations report: KPIs against targets and last week, with the lead's notes",
        "运营周报：指标对比目标和上周，附班组长的备注",
    ),
    (
        "Floor-feed NDJSON file; repeat for several, loaded in order. Give data covering the week and the week before it",
        "现场 NDJSON 数据文件；可重复指定多个，按顺序读取。数据需覆盖本周和上一周",
    ),
    (
        "ISO week (2026-W47) or any date in it (2026-11-16). Default: the last complete week (Monday–Sunday) in the configured zone",
        "ISO 周（2026-W47）或该周内任一日期（2026-11-16）。默认：配置时区中最近一个完整周（周一至周日）",
    ),
    (
        "The clock: decides the default week and clips occupancy (default: the system clock)",
        "时钟：决定默认周，并截断占用率的计算（默认：系统时钟）",
    ),
    (
        "Output: Markdown for people, CSV for a spreadsheet",
        "输出：Markdown 供人阅读，CSV 供电子表格使用",
    ),
    (
        "Write the report to this file instead of standard output",
        "把报告写入此文件，而不是标准输出",
    ),
    // clap's own.
    ("Print help", "显示帮助"),
    (
        "Print help (see a summary with '-h')",
        "显示帮助（-h 显示摘要）",
    ),
    (
        "Print help (see more with '--help')",
        "显示帮助（--help 显示更多）",
    ),
    ("Print version", "显示版本"),
    (
        "Print this message or the help of the given subcommand(s)",
        "显示此帮助，或指定子命令的帮助",
    ),
];

/// The Chinese of a help text, if the table has it.
pub fn help_zh(en: &str) -> Option<&'static str> {
    HELP_TEXTS.iter().find(|(e, _)| *e == en).map(|(_, zh)| *zh)
}

/// The help layout with clap's headings in Chinese.
const ZH_TEMPLATE: &str =
    "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The clap command with its texts in the language. English keeps the
/// texts written on `Cli` itself.
pub fn command(lang: Lang) -> Command {
    let mut cmd = Cli::command();
    if lang == Lang::En {
        return cmd;
    }
    // Built first, so the global arguments, `--help` and the `help`
    // subcommand exist in every subcommand and can be translated there.
    cmd.build();
    localize(cmd).after_help(t(lang, Msg::CliExamples))
}

fn localize(mut cmd: Command) -> Command {
    cmd = cmd
        .help_template(ZH_TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令");
    if let Some(zh) = cmd.get_about().and_then(|a| help_zh(&a.to_string())) {
        cmd = cmd.about(zh);
    }
    if let Some(zh) = cmd.get_long_about().and_then(|a| help_zh(&a.to_string())) {
        cmd = cmd.long_about(zh);
    }
    let args: Vec<clap::Id> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    for id in args {
        cmd = cmd.mut_arg(id, localize_arg);
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        cmd = cmd.mut_subcommand(name, localize);
    }
    cmd
}

fn localize_arg(arg: Arg) -> Arg {
    let zh = |h: &clap::builder::StyledStr| {
        let en = h.to_string();
        help_zh(&en).map_or(en, str::to_string)
    };
    let mut help = arg.get_help().map(zh).unwrap_or_default();
    let long_help = arg.get_long_help().map(zh);
    // clap's "[default: …] [possible values: …]", said in Chinese.
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let possible: Vec<String> = if arg.is_hide_possible_values_set() {
        Vec::new()
    } else {
        arg.get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect()
    };
    // A flag's "false" is not worth saying.
    let takes_value = arg.get_action().takes_values();
    if takes_value && !defaults.is_empty() && !arg.is_hide_default_value_set() {
        let _ = write!(help, "［默认：{}］", defaults.join("、"));
    }
    if !possible.is_empty() {
        let _ = write!(help, "［可选：{}］", possible.join("、"));
    }
    let heading = if arg.is_positional() {
        "参数"
    } else {
        "选项"
    };
    let arg = match long_help {
        Some(long) => arg.long_help(long),
        None => arg,
    };
    arg.help(help)
        .hide_default_value(true)
        .hide_possible_values(true)
        .help_heading(heading)
}

/// Parses argv; `--help`, `--version` and argument errors print and exit,
/// as `Cli::parse` does (errors with status 2).
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Cli {
    let args: Vec<OsString> = args.into_iter().collect();
    let lang = help_lang(&args);
    let matches = match command(lang).try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => match lang {
            Lang::Zh
                if e.use_stderr()
                    && e.kind() != ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand =>
            {
                eprint!("{}", error_zh(&e));
                std::process::exit(2);
            }
            _ => e.exit(),
        },
    };
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// A clap argument error in Chinese, laid out as clap lays out its own:
/// the error, a tip when clap has one, the usage, where to get help.
pub fn error_zh(e: &clap::Error) -> String {
    let text = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join("、")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(v)) => Some(
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("、"),
        ),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    let value = text(ContextKind::InvalidValue).unwrap_or_default();
    let mut out = String::from("错误：");
    match e.kind() {
        ErrorKind::InvalidValue => {
            if value.is_empty() {
                let _ = write!(out, "参数 '{arg}' 需要一个值，但没有给出");
            } else {
                let _ = write!(out, "参数 '{arg}' 的值 '{value}' 无效");
            }
            if let Some(valid) = text(ContextKind::ValidValue) {
                let _ = write!(out, "\n  [可选：{valid}]");
            }
        }
        ErrorKind::ValueValidation => {
            let why = e
                .source()
                .map(|s| super::translate(Lang::Zh, &s.to_string()).into_owned())
                .unwrap_or_default();
            let _ = write!(out, "参数 '{arg}' 的值 '{value}' 无效：{why}");
        }
        ErrorKind::UnknownArgument => {
            let _ = write!(out, "无法识别的参数 '{arg}'");
        }
        ErrorKind::InvalidSubcommand => {
            let sub = text(ContextKind::InvalidSubcommand).unwrap_or_default();
            let _ = write!(out, "无法识别的子命令 '{sub}'");
        }
        ErrorKind::NoEquals => {
            let _ = write!(out, "参数 '{arg}' 的值必须用 '=' 连接");
        }
        ErrorKind::TooManyValues => {
            let _ = write!(out, "参数 '{arg}' 多了一个值 '{value}'");
        }
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            let want = text(ContextKind::ExpectedNumValues).unwrap_or_default();
            let got = text(ContextKind::ActualNumValues).unwrap_or_default();
            let _ = write!(out, "参数 '{arg}' 需要 {want} 个值，实际给了 {got} 个");
        }
        ErrorKind::ArgumentConflict => {
            let other = text(ContextKind::PriorArg).unwrap_or_default();
            let _ = write!(out, "参数 '{arg}' 不能与 '{other}' 同时使用");
        }
        ErrorKind::MissingRequiredArgument => {
            let _ = write!(out, "缺少必需的参数：{arg}");
        }
        ErrorKind::MissingSubcommand => {
            let sub = text(ContextKind::InvalidSubcommand).unwrap_or_default();
            let _ = write!(out, "'{sub}' 需要一个子命令");
        }
        ErrorKind::InvalidUtf8 => out.push_str("参数不是有效的 UTF-8"),
        _ => {
            // Kinds this program cannot reach (argument definitions are
            // fixed): clap's own text, its heading in Chinese.
            let own = e.render().to_string();
            out.push_str(
                own.trim_start_matches("error: ")
                    .lines()
                    .next()
                    .unwrap_or(""),
            );
        }
    }
    out.push('\n');
    if let Some(tip) = text(ContextKind::SuggestedArg).or(text(ContextKind::SuggestedSubcommand)) {
        let _ = write!(out, "\n  提示：是否要用 '{tip}'？\n");
    }
    if let Some(usage) = text(ContextKind::Usage) {
        let usage = usage.trim().trim_start_matches("Usage:").trim();
        let _ = write!(out, "\n用法：{usage}\n");
    }
    out.push_str("\n更多信息请运行 '--help'。\n");
    out
}
