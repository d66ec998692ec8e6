//! The command line in the lead's language: `--lang` parsing, `--help` and
//! argument errors. The language is chosen before clap parses (from `--lang`
//! in argv, else the locale; the config is not read for `--help`).
//!
//! English is clap's own rendering of the texts written on the command line
//! parser (`crate::cli::Cli`). Chinese walks the built command tree and gives
//! every about and argument help its text from [`ARG_HELP`] and [`ABOUT`]
//! (keyed by command name and argument id, so a new argument without its
//! Chinese fails the tests), puts clap's own words (headings, `Print help`,
//! default and possible values) in Chinese, and writes argument errors from
//! clap's error context. This module knows clap, not the program's commands.

use std::error::Error as _;
use std::fmt::Write as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command};

use super::{Lang, Localize, Msg, t, tf};

/// A `--lang` value that is not a language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct BadLang(pub String);

impl Localize for BadLang {
    fn localize(&self, lang: Lang) -> String {
        tf(lang, Msg::ErrLangArg, &[&format!("{:?}", self.0)])
    }
}

crate::english_display!(BadLang);

/// The Chinese help of an argument, by the name of its command and the
/// argument's id; an empty command name stands for every command. The
/// English is the one written on the argument (`crate::cli::Cli`).
pub static ARG_HELP: &[(&str, &str, &str)] = &[
    (
        "",
        "files",
        "现场 NDJSON 数据文件；可重复指定多个，按顺序读取",
    ),
    (
        "shiftdeck",
        "files",
        "在控制台中打开的现场 NDJSON 数据文件；可重复指定多个（如历史 + 今天，后读取的行优先）",
    ),
    (
        "weekly",
        "files",
        "现场 NDJSON 数据文件；可重复指定多个，按顺序读取。数据需覆盖本周和上一周",
    ),
    (
        "",
        "crm",
        "轮询数据源或 CRM 而不是文件：feed+http://主机:端口（或直接 http(s)://…）、rt+https://rt.example.com、zendesk+https://acme.zendesk.com。令牌来自配置中的 [source] token_env / token_file",
    ),
    (
        "",
        "config",
        "配置文件（默认：用户配置目录，或 $SHIFTDECK_CONFIG）",
    ),
    (
        "",
        "data_dir",
        "shiftdeck 保存数据的目录（演示数据、班组长的录入）",
    ),
    (
        "shiftdeck",
        "huddle",
        "以晨会模式启动：大字指标、轮播面板、隐藏客户标识",
    ),
    ("demo", "huddle", "以晨会模式启动"),
    (
        "",
        "lang",
        "控制台和提示的语言：en、zh 或 auto（默认：配置 [display] lang，其次 LANG/LC_ALL）",
    ),
    ("", "help", "显示帮助"),
    ("shiftdeck", "help", "显示帮助（--help 显示更多）"),
    ("", "version", "显示版本"),
    ("demo", "speed", "每真实秒模拟的秒数（1 = 实时）"),
    ("sim", "speed", "配合 --serve：每真实秒模拟的秒数"),
    ("", "agents", "模拟现场的坐席人数"),
    ("demo", "days", "今天之前的历史天数"),
    ("sim", "days", "模拟的天数"),
    ("", "seed", "模拟的随机种子：种子相同，现场数据相同"),
    (
        "snapshot",
        "from",
        "时间窗起点：带时区偏移的 RFC 3339，或日期（当地零点）。默认：今天",
    ),
    (
        "export",
        "from",
        "起始日期（当地），YYYY-MM-DD（默认：今天）",
    ),
    (
        "snapshot",
        "to",
        "时间窗终点（不含）：RFC 3339，或日期（此时包含该日）",
    ),
    (
        "export",
        "to",
        "结束日期（当地，含当天）（默认：同 --from）",
    ),
    (
        "snapshot",
        "now",
        "实时数字、SLA 计时和超期判断所用的时钟（默认：系统时钟）",
    ),
    (
        "weekly",
        "now",
        "时钟：决定默认周，并截断占用率的计算（默认：系统时钟）",
    ),
    ("snapshot", "format", "输出：JSON 供程序读取，表格供人阅读"),
    (
        "snapshot",
        "no_cache",
        "配合 RT 或 Zendesk 的 --crm：读取 CRM 的完整状态，既不读也不写数据目录中的热启动缓存（同 [source] cache = false）。默认读取有效的缓存，只获取此后的变化",
    ),
    ("export", "format", "输出：CSV（每条录入一行）或 JSON"),
    (
        "weekly",
        "format",
        "输出：Markdown 供人阅读，CSV 供电子表格使用",
    ),
    ("sim", "out", "要写入的 NDJSON 文件（已存在则覆盖）"),
    ("weekly", "out", "把报告写入此文件，而不是标准输出"),
    (
        "agents",
        "from",
        "时间窗起点：带时区偏移的 RFC 3339，或日期（当地零点）。默认：今天",
    ),
    (
        "agents",
        "to",
        "时间窗终点（不含）：RFC 3339，或日期（此时包含该日）",
    ),
    (
        "agents",
        "now",
        "时钟：决定实时状态、休息时长和当日抽检（默认：系统时钟）",
    ),
    (
        "agents",
        "format",
        "输出：Markdown 供人阅读，CSV 供电子表格使用",
    ),
    ("agents", "out", "把报告写入此文件，而不是标准输出"),
    (
        "handover",
        "shift",
        "班次，当地时间：HH:MM-HH:MM（如 08:00-16:00；22:00-06:00 到次日结束）。取包含 --now 的班次，否则取此前最近开始的班次。默认：--now 所在的当地日期",
    ),
    (
        "handover",
        "from",
        "时间窗起点（代替 --shift）：带时区偏移的 RFC 3339，或日期（当地零点）",
    ),
    (
        "handover",
        "to",
        "时间窗终点（不含）：RFC 3339，或日期（此时包含该日）",
    ),
    (
        "handover",
        "now",
        "时钟：决定交接时间、未结客诉、剩余抽检和后续人力（默认：系统时钟）",
    ),
    (
        "handover",
        "format",
        "输出：Markdown 供人阅读，CSV 供电子表格使用",
    ),
    ("handover", "out", "把报告写入此文件，而不是标准输出"),
    ("", "start", "模拟的第一天（默认：使最后一天为今天）"),
    (
        "",
        "until",
        "在此时刻停止（RFC 3339）；默认：整天，若最后一天是今天则到现在",
    ),
    (
        "",
        "serve",
        "持续实时模拟写入 --out，并在 ADDR（如 127.0.0.1:8080）上作为 HTTP 现场数据源提供，直到 Ctrl-C；用 `shiftdeck --crm feed+http://127.0.0.1:8080` 打开",
    ),
    ("", "repeat", "指标计算的重复次数（报告中位数）"),
    ("completions", "shell", "要补全的 shell"),
    (
        "man",
        "dir",
        "改为把 shiftdeck.1 和每个子命令的手册页（shiftdeck-snapshot.1 等）写入 DIR",
    ),
    (
        "watch",
        "files",
        "要跟随的现场 NDJSON 数据文件；可重复指定多个，按顺序读取",
    ),
    (
        "watch",
        "serve",
        "同时在 ADDR（如 0.0.0.0:8080）上把所跟随的现场作为 HTTP 数据源提供；控制台用 --crm feed+http://主机:端口 跟随。非本机回环地址须有持有者令牌",
    ),
    (
        "watch",
        "token_env",
        "保存 --serve 跟随者须发送的持有者令牌的环境变量名",
    ),
    (
        "watch",
        "token_file",
        "保存 --serve 跟随者须发送的持有者令牌的文件",
    ),
    (
        "bench",
        "what",
        "测量内容：速度和内存（默认）；或 forecast：逐日回放数据文件，以 WAPE 对比预测与朴素预测的误差",
    ),
    ("", "what", "导出内容：抽检评分表，或客诉跟进记录"),
    ("import", "what", "文件内容：抽检评分表，或客诉跟进记录"),
    ("import", "files", "CSV 文件；可重复指定多个，按顺序导入"),
    (
        "",
        "week",
        "ISO 周（2026-W47）或该周内任一日期（2026-11-16）。默认：配置时区中最近一个完整周（周一至周日）",
    ),
];

/// The Chinese long help (`--help`) where it differs from the short one.
pub static ARG_LONG_HELP: &[(&str, &str, &str)] = &[("", "help", "显示帮助（-h 显示摘要）")];

/// The Chinese about of a command, by its name.
pub static ABOUT: &[(&str, &str)] = &[
    (
        "shiftdeck",
        "客服班组长终端控制台：实时队列、指标对比目标、客诉闭环看板和当日抽检。",
    ),
    ("demo", "在数据目录中实时运行模拟器并打开其控制台"),
    (
        "snapshot",
        "一次性输出指标、队列、SLA 计时、客诉反馈和抽检（JSON 或表格）",
    ),
    ("sim", "生成逼真的模拟现场 NDJSON 数据（演示和基准测试用）"),
    ("config", "文件位置和生效的配置"),
    (
        "watch",
        "无终端地跟随数据源并评估告警规则：每次告警触发或恢复输出一行 JSON，推送 Webhook；配合 --serve 向团队的控制台提供所跟随的现场",
    ),
    ("path", "显示配置文件、数据目录和状态（日志）目录的路径"),
    ("show", "以 TOML 显示生效的配置，包括每个键"),
    ("help", "显示此帮助，或指定子命令的帮助"),
    ("bench", "测量数据文件的加载、指标和快照速度及内存"),
    (
        "export",
        "导出班组长的抽检评分，或客诉跟进的变更记录及每张反馈单的当前状态（只读）",
    ),
    (
        "import",
        "从 export 格式的 CSV 文件（中文或英文表头，如在电子表格中评分）导入抽检评分表或客诉跟进记录",
    ),
    (
        "report",
        "基于现场数据和班组长备注的报告：`report weekly`、`report agents`、`report handover`",
    ),
    ("weekly", "运营周报：指标对比目标和上周，附班组长的备注"),
    ("agents", "每位坐席一行：本期指标、班组长的抽检和标记"),
    (
        "handover",
        "交接班报告：指标、告警、未结客诉、抽检、后续人力和备注，供接班组长阅读",
    ),
    (
        "store",
        "班组长的数据库（数据目录中的 SQLite 文件，或 [store] url）：迁移到本 shiftdeck 的结构，或检查它",
    ),
    (
        "migrate",
        "把数据库迁移到本 shiftdeck 的结构版本（控制台以写入方式打开时也会迁移）",
    ),
    (
        "check",
        "数据库在哪里、能否连接、结构版本和完整性；有问题时退出状态为 1",
    ),
    (
        "completions",
        "向标准输出打印 shell 补全脚本（bash、zsh、fish、elvish、powershell）",
    ),
    (
        "man",
        "向标准输出打印手册页（roff）：`shiftdeck man > shiftdeck.1; man ./shiftdeck.1`",
    ),
];

/// The Chinese long about (`--help`), by the command's name.
pub static LONG_ABOUT: &[(&str, &str)] = &[
    (
        "shiftdeck",
        "客服班组长终端控制台：实时队列、指标对比目标、客诉闭环看板和当日抽检，\n由现场数据文件（NDJSON，见 docs/data-format.md）计算得出。\n\n不带子命令时，shiftdeck 打开 --file PATH 指定文件的控制台（实时跟随）。",
    ),
    (
        "snapshot",
        "一次性输出指标、队列、SLA 计时、客诉反馈和抽检（JSON 或表格）。\n\n退出状态：0 已输出；1 出错（文件无法读取、配置有误）；2 参数有误；3 文件中没有任何有效记录（乱码或文件不对），便于定时任务察觉。",
    ),
    (
        "import",
        "从 export 格式的 CSV 文件（中文或英文表头，如在电子表格中评分）导入抽检评分表或客诉跟进记录。\n\n按表头找列，顺序不限；总分和满分由程序重新计算，不读取。抽检需要日期、会话、坐席和 [scorecard] 的每个维度，其余列可选（录入人为空即为你，保存时间为空即为导入时间）。客诉跟进需要时间、反馈单、变更和值。\n\n可重复运行：库中已有的条目（评分、备注、评分人和时间都相同）不会再写入，因此同一文件导入两次，或中断后再次导入，每条仍只有一份。错误行以 文件:行号: 原因 报告并跳过，其余行照常保存，每行要么完整写入，要么不写。每条导入的记录都记下导入人。\n\n退出状态：0 全部导入或已存在；4 有错误行（其余已保存）；1 文件、表头或数据库出错。",
    ),
    (
        "completions",
        "向标准输出打印 shell 补全脚本（bash、zsh、fish、elvish、powershell）。\n\nbash：`shiftdeck completions bash > ~/.local/share/bash-completion/completions/shiftdeck`；\nzsh：`shiftdeck completions zsh > ~/.zfunc/_shiftdeck`（~/.zfunc 需在 fpath 中）；\nfish：`shiftdeck completions fish > ~/.config/fish/completions/shiftdeck.fish`。",
    ),
];

fn lookup3(table: &[(&str, &str, &'static str)], command: &str, id: &str) -> Option<&'static str> {
    let find = |c: &str| {
        table
            .iter()
            .find(|(tc, ti, _)| *tc == c && *ti == id)
            .map(|(_, _, zh)| *zh)
    };
    find(command).or_else(|| find(""))
}

fn lookup2(table: &[(&str, &'static str)], command: &str) -> Option<&'static str> {
    table.iter().find(|(c, _)| *c == command).map(|(_, zh)| *zh)
}

/// The Chinese help of argument `id` of the command named `command`.
pub fn arg_help_zh(command: &str, id: &str) -> Option<&'static str> {
    lookup3(ARG_HELP, command, id)
}

/// The help layout with clap's headings in Chinese.
const ZH_TEMPLATE: &str =
    "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// A command tree with its texts in Chinese. `cmd` is the program's
/// command as clap builds it from its English texts.
pub fn chinese(mut cmd: Command) -> Command {
    // Built first, so the global arguments, `--help` and the `help`
    // subcommand exist in every subcommand and can be translated there.
    cmd.build();
    localize(cmd).after_help(t(Lang::Zh, Msg::CliExamples))
}

fn localize(mut cmd: Command) -> Command {
    cmd = cmd
        .help_template(ZH_TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令");
    let name = cmd.get_name().to_owned();
    if let Some(zh) = lookup2(ABOUT, &name) {
        cmd = cmd.about(zh);
    }
    if cmd.get_long_about().is_some()
        && let Some(zh) = lookup2(LONG_ABOUT, &name)
    {
        cmd = cmd.long_about(zh);
    }
    let args: Vec<clap::Id> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    for id in args {
        cmd = cmd.mut_arg(id, |arg| localize_arg(&name, arg));
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

fn localize_arg(command: &str, arg: Arg) -> Arg {
    let id = arg.get_id().as_str().to_owned();
    let english = |h: Option<&clap::builder::StyledStr>| h.map(|h| h.to_string());
    let mut help = lookup3(ARG_HELP, command, &id)
        .map(str::to_owned)
        .or_else(|| english(arg.get_help()))
        .unwrap_or_default();
    let long_help = arg
        .get_long_help()
        .map(|h| lookup3(ARG_LONG_HELP, command, &id).map_or_else(|| h.to_string(), str::to_owned));
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

/// Why a value parser refused a value, by the type of its error: `--lang`'s
/// own, or std's for numbers and addresses.
fn value_error(e: &(dyn std::error::Error + 'static)) -> String {
    use std::num::IntErrorKind as K;
    let zh = |m: Msg| t(Lang::Zh, m).to_owned();
    if let Some(b) = e.downcast_ref::<BadLang>() {
        b.localize(Lang::Zh)
    } else if let Some(i) = e.downcast_ref::<std::num::ParseIntError>() {
        zh(match i.kind() {
            K::Empty => Msg::ArgNumberEmpty,
            K::PosOverflow => Msg::ArgNumberTooLarge,
            K::NegOverflow => Msg::ArgNumberTooSmall,
            _ => Msg::ArgNotWholeNumber,
        })
    } else if e.is::<std::num::ParseFloatError>() {
        zh(Msg::ArgNotNumber)
    } else if e.is::<std::net::AddrParseError>() {
        zh(Msg::ArgNotAddress)
    } else {
        zh(Msg::ArgBadValue)
    }
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
            let why = e.source().map(value_error).unwrap_or_default();
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
