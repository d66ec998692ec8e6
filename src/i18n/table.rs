//! The catalogue: every message once, English and Simplified Chinese side by
//! side. The macro builds the `Msg` enum, its `ALL` list and one exhaustive
//! `match` per language, so a message cannot exist without both texts.
//! `{}` marks a value filled in order by `i18n::fill`; both texts of a
//! message hold the same number of them (tested).
//!
//! Wording: KPI names as Chinese service centres say them (客户满意度 CSAT,
//! 一次解决率 FCR, 平均处理时长 AHT …); feedback stages 新建 / 处理中 /
//! 已解决 / 回访 / 已关闭. Short forms (`Kpi*Short`) fit the 11-column KPI
//! name cell (display width, a CJK character counts 2).

macro_rules! catalogue {
    ($( $name:ident => $en:literal, $zh:literal; )*) => {
        /// A user-facing message; `i18n::t` gives its text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg { $($name),* }

        impl Msg {
            /// Every message, for the completeness tests.
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];

            pub const fn en(self) -> &'static str {
                match self { $(Msg::$name => $en),* }
            }

            pub const fn zh(self) -> &'static str {
                match self { $(Msg::$name => $zh),* }
            }
        }
    };
}

catalogue! {
    // Product, start and fallback screens.
    ProductName => "shiftdeck", "shiftdeck";
    StartTitle => "shiftdeck · the shift lead's console", "shiftdeck · 班组长值班控制台";
    StartNoSource => "No data source yet. Start it one of these ways:", "还没有数据源。可用以下任一方式启动：";
    StartDemoHelp => "      a simulated floor that keeps running live (faster: --speed 10)", "      持续实时运行的模拟现场（加速：--speed 10）";
    StartFileHelp => "      follow an NDJSON floor file as it grows (format: docs/)", "      跟随不断增长的 NDJSON 现场数据文件（格式见 docs/）";
    StartCrmHelp => "      a CRM (RT, Zendesk) or an HTTP feed, polled live", "      轮询 CRM（RT、Zendesk）或 HTTP 数据源";
    StartConfigHint => "Or name the file once in the config, [source] file = \"PATH\":", "或在配置文件中指定一次，[source] file = \"PATH\"：";
    StartNoConfig => "(no config file location)", "（无配置文件位置）";
    StartQuit => "q quit", "q 退出";
    TooSmall => "terminal too small", "终端窗口太小";
    TooSmallSize => "{}×{} here, {}×{} needed", "当前 {}×{}，至少需要 {}×{}";
    TooSmallHint => "enlarge the window, or q to quit", "请放大窗口，或按 q 退出";
    Loading => "loading {} … {} lines read", "正在加载 {} … 已读 {} 行";
    WaitingForData => "waiting for data…", "等待数据…";

    // Header.
    HeaderLoading => "loading… {} lines", "加载中… {} 行";
    HeaderNoData => "no data yet", "尚无数据";
    HeaderLive => "● live", "● 实时";
    HeaderUpdated => "updated {} ago", "{}前更新";
    HeaderStale => "STALE {}", "数据过期 {}";
    HeaderQuiet => "no new data for {}", "{}无新数据";
    HeaderCached => "cached {} ago, refreshing", "缓存于{}前，正在刷新";
    HeaderHuddle => " HUDDLE ", " 晨会 ";
    HeaderLastRead => " (last read {})", "（上次读取 {}）";
    HeaderFrozen => " ❄ FROZEN{} ", " ❄ 已冻结{} ";
    HeaderNewDataWaiting => " (new data waiting)", "（有新数据待显示）";
    HeaderBadLines => " {} bad lines ", " {} 行无效 ";
    WindowShift => "shift {}–{}", "本班 {}–{}";
    WindowWeekOf => "week of {}", "{} 起的一周";

    // Windows (`w`).
    WinToday => "today", "今天";
    WinShift => "shift", "本班";
    WinYesterday => "yesterday", "昨天";
    WinRolling24h => "last 24 h", "近 24 小时";
    WinThisWeek => "this week", "本周";

    // Panes.
    PaneQueues => "Queues", "队列";
    PaneKpis => "KPIs", "指标";
    PaneFeedback => "Feedback", "客诉反馈";
    PaneSpot => "Spot checks", "抽检";

    // Queues pane.
    ColQueue => "Queue", "队列";
    ColWait => "Wait", "排队";
    ColLongest => "Longst", "最长";
    ColSl => "SL", "服务";
    ColNeed => "Need", "需人";
    ColAgents => "Av/Bu/Wr/Br", "闲/忙/整/休";
    ColAband => "Aband", "放弃";
    ColArt => "ART", "ART";
    ColAht => "AHT", "AHT";
    ColChan => "Chan", "渠道";
    ColLate => "Late", "超时";
    NoSlaMatchHidden => "the filter hides all {} SLA timers: {}", "筛选隐藏了全部 {} 个 SLA 计时：{}";
    ColDue => "Due", "时限";
    ColPrio => "Prio", "优先";
    ColContact => "Contact", "联系";
    ColOwes => "Owes", "待办";
    ColCustomer => "Customer", "客户";
    SlaLeft => "{} left", "剩{}";
    SlaOver => "‼{} over", "‼超{}";
    NoQueues => "no queues in the data yet", "数据中还没有队列";
    NoQueueMatch => "no queue matches the filter", "没有符合筛选的队列";
    MoreRows => "+{} more", "另有 {} 行";
    InProgress => "◔ {}%", "◔ 已{}%";
    LegendInProgress => "in progress: share of the window's time gone by (per agent-day)", "进行中：时间窗已过去的比例（人均服务量）";
    FilterHidesAll => "the filter /{} hides all {} rows", "筛选 /{} 隐藏了全部 {} 行";
    NotByQueue => "not by queue", "未按队列筛选";
    NotByAgent => "queue rows: whole floor", "队列行：全现场";
    HuddleAssigned => "assigned", "已指派";
    HeaderMasked => " ids masked ", " 编号已遮蔽 ";
    HuddleGap => "gap {} · target {}", "差距 {} · 目标 {}";
    HuddleAlsoOff => "also off target ({}): {}", "另有未达标（{}）：{}";
    HuddleGapOnly => "gap {}", "差距 {}";
    HuddleAllOk => "every KPI on target today", "今天所有指标均达标";
    MoreRowsSym => "+N more", "另有 N 行";
    CoverageWord => "Coverage", "覆盖";
    MoreOffTarget => "{} off target", "{} 项未达标";
    NoQueueMatchHidden => "the filter hides all {} queues: {}", "筛选隐藏了全部 {} 个队列：{}";
    SlaTimers => "SLA timers {} ", "SLA 计时 {} ";
    SlaBreached => "‼ {} BREACHED", "‼ {} 已超时";
    NoSlaOwed => "no contact owes a response", "没有待响应的会话";
    OwesResolution => "resol", "解决";
    OwesFirst => "1st", "首响";

    // KPIs pane.
    ColKpi => "KPI", "KPI";
    ColValue => "Value", "数值";
    ColOfTarget => "of tgt", "达成";
    ColStatus => "Status", "状态";
    ColGap => "Gap", "差距";
    ColTarget => "Target", "目标";
    ColVsLastWeek => "vs last wk", "较上周";
    ColByHour => "by hour", "按小时";
    HourChart => "{} by hour from {} · scale 0–{}", "{} 按小时（自 {}）· 刻度 0–{}";
    AlertLine => "▲ ALERT  {}", "▲ 告警  {}";
    AlertAbove => "above", "高于";
    AlertBelow => "below", "低于";
    TrendSame => "= same", "= 持平";
    StatusOk => "✓ ok", "✓ 达标";
    StatusWarn => "! warn", "! 预警";
    StatusAlert => "▲ ALERT", "▲ 告警";
    StatusNa => "· n/a", "· 无";

    // KPI names: short (KPI table, tiles) and full (definitions).
    KpiCsatShort => "CSAT", "客户满意度";
    KpiNpsShort => "NPS", "净推荐值";
    KpiFcrShort => "FCR", "一次解决率";
    KpiAhtShort => "AHT", "处理时长";
    KpiArtShort => "ART", "响应时长";
    KpiSlShort => "Service lvl", "服务水平";
    KpiAbandonShort => "Abandon", "放弃率";
    KpiTransferShort => "Transfer", "转接率";
    KpiRepeatShort => "Repeat", "重复咨询率";
    KpiPerAgentShort => "Per agent", "人均服务量";
    KpiOccupancyShort => "Occupancy", "占用率";
    KpiCsat => "Customer satisfaction (CSAT)", "客户满意度 CSAT";
    KpiNps => "Net promoter score (NPS)", "净推荐值 NPS";
    KpiFcr => "First contact resolution (FCR)", "一次解决率 FCR";
    KpiAht => "Average handling time (AHT)", "平均处理时长 AHT";
    KpiArt => "Average response time (ART)", "平均响应时长 ART";
    KpiSl => "Service level", "服务水平";
    KpiAbandon => "Abandon rate", "放弃率";
    KpiTransfer => "Transfer rate", "转接率";
    KpiRepeat => "Repeat contact rate", "重复咨询率";
    KpiPerAgent => "Contacts per agent-day", "人均日有效服务量";
    KpiOccupancy => "Occupancy", "占用率";

    // Feedback board.
    StageNew => "new", "新建";
    StageHandling => "handling", "处理中";
    StageResolved => "resolved", "已解决";
    StageCallback => "callback", "回访";
    StageClosed => "closed", "已关闭";
    StageHandlingShort => "hdl", "处理";
    StageResolvedShort => "res", "解决";
    StageCallbackShort => "cb", "回访";
    StageClosedShort => "cls", "关闭";
    StageAll => "all {}", "全部 {}";
    Overdue => "‼ {} OVERDUE", "‼ {} 项逾期";
    NoFeedback => "no feedback items", "没有客诉反馈";
    NoFeedbackMatch => "no item in this stage / filter", "此阶段 / 筛选下没有条目";
    DueClosed => "closed", "已关闭";
    DueOver => "‼{} over", "‼超{}";
    DueIn => "in {}", "{}后";
    DueNone => "no due", "无期限";
    Unassigned => "unassigned", "未分配";

    // Scorecard dimensions (QA scoring of a spot check).
    DimTimeliness => "Timeliness", "响应及时性";
    DimAttitude => "Service attitude", "服务态度";
    DimExpertise => "Expertise", "专业能力";
    DimResolution => "Problem solved", "问题解决";

    // Spot checks.
    SpotTitle => " 4 Spot checks · {} · seed {} ", " 4 抽检 · {} · 种子 {} ";
    SpotRandom => "Random {}", "随机 {}";
    SpotTargeted => "Targeted {}", "定向 {}";
    SpotCoverage => "Coverage {}", "覆盖 {}";
    CoverageNote => "checked: not recorded yet (QA scoring comes later) · sampled/required shown", "已检：尚未记录（质检评分后续提供）· 显示已抽 / 应抽";
    NoTargeted => "no flagged contact outside the random sample", "随机样本之外没有被标记的会话";
    NoHandledToday => "no handled contact today yet", "今天还没有已处理的会话";
    ColAgent => "Agent", "坐席";
    ColHandled => "handled", "已处理";
    ColRequired => "required", "应抽";
    ColSampled => "sampled", "已抽";
    CoverageMet => "✓ met", "✓ 达到";
    CoverageShort => "! short", "! 不足";
    ColChecked => "checked", "已检";
    SpotAccuracy => "accuracy: cust {} · bus {} · compl {}", "准确率：客户 {} · 业务 {} · 合规 {}";
    NoteScoreSaved => "saved: {} {}", "已保存：{} {}";
    ScoreVoidOne => "{}/{} (void: 1 critical error, raw {}/{})", "{}/{}（作废：1 项致命错误，原始分 {}/{}）";
    ScoreVoidMany => "{}/{} (void: {} critical errors, raw {}/{})", "{}/{}（作废：{} 项致命错误，原始分 {}/{}）";
    ScoreVoidShort => "{}/{} void ({}✗ raw {})", "{}/{} 作废（{}✗ 原{}）";
    HeaderWriteBackFailing => " ⚠ {} not yet in RT: {} ", " ⚠ {} 条尚未写回 RT：{} ";
    HeaderWriteBackWaiting => " ↑ {} waiting to be written back to RT ", " ↑ {} 条等待写回 RT ";
    HeaderReadOnly => "⚠ read-only: {}", "⚠ 只读：{}";
    HeaderConfigNotApplied => " ⚠ config not applied, still running the previous one: {} (fix it, then press r) ", " ⚠ 配置未生效，仍用之前的配置：{}（改好后按 r） ";
    FlagRepeat48h => "repeat<48h", "48h内重复";
    FlagIvrOver120s => "IVR>120s", "IVR超120秒";
    FlagTransfers2Plus => "2+ transfers", "转接≥2次";
    FlagCallbackLate => "late callback", "回访超时";
    FlagRedLine => "RED LINE", "红线";
    FlagLowCsat => "low CSAT", "低满意度";
    FlagSlaBreached => "SLA breached", "SLA超时";

    // Huddle.
    HuddleTitle => " Huddle ", " 晨会 ";
    HuddleCaption => " {}/{} {} · next in {} s · ←/→ turn · customer ids masked ", " {}/{} {} · {} 秒后切换 · ←/→ 翻页 · 客户标识已隐藏 ";
    HuddleNoTarget => "no target", "无目标";
    HuddleTarget => "target {}", "目标 {}";
    HuddleTodaySoFar => "today so far", "今日至今";
    HuddleYesterday => "yesterday", "昨日";
    HuddleToday => "today", "今日";
    HuddleYday => "yday", "昨日";

    // Footer and help.
    FilterInputHints => "  Enter apply · Esc cancel · Ctrl-U clear · q:QUEUE a:AGENT words", "  Enter 应用 · Esc 取消 · Ctrl-U 清空 · q:队列 a:坐席 关键词";
    HelpTitle => " Keys · Esc or ? to close ", " 按键 · Esc 或 ? 关闭 ";
    HelpMore => " ↓ more (j) ", " ↓ 更多 (j) ";
    HelpFilterHead => "Filter (/)", "筛选 (/)";
    HelpFilterQueue => "  q:NAME   one queue (id or name): KPIs are recomputed for it", "  q:名称   单个队列（编号或名称）：指标按该队列重算";
    HelpFilterAgent => "  a:NAME   one agent (id or name): KPIs are recomputed for them", "  a:名称   单个坐席（编号或姓名）：指标按该坐席重算";
    HelpFilterWords => "  words    rows holding every word (id, name, summary, flags)", "  关键词   包含全部关键词的行（编号、名称、摘要、标记）";
    HelpWindowsHead => "Windows (w)", "时间窗 (w)";
    HelpWindows1 => "  today, current shift (starts 00:00, 08:00, 16:00 local),", "  今天、本班（本地 00:00、08:00、16:00 开始），";
    HelpWindows2 => "  yesterday, last 24 h, this week (from Monday 00:00)", "  昨天、近 24 小时、本周（周一 00:00 起）";
    HelpWindows3 => "  vs last wk: same part of the window 7 days earlier", "  较上周：7 天前时间窗的同一时段";
    HelpFreshHead => "Freshness", "数据新鲜度";
    LegendHead => "Symbols and abbreviations", "符号与缩写";
    LegendStatus => "ok · warn · ALERT against the KPI's thresholds", "达标 · 预警 · 告警（对照指标阈值）";
    LegendPastDue => "past due: SLA timer breached, feedback overdue", "已逾期：SLA 超时、反馈逾期";
    LegendTrend => "up / down vs last week; green better, amber worse", "较上周升 / 降；绿色更好，琥珀色更差";
    LegendNeedShort => "fewer agents staffed than Erlang C needs", "在岗坐席少于 Erlang C 所需";
    LegendMore => "rows cut for room: ↑↓ scroll, z zooms", "因空间省略的行：↑↓ 滚动，z 放大";
    LegendWait => "waiting now, longest: amber past SL threshold, red 3× or SLA breach", "排队数、最长等待：超服务阈值琥珀色，超 3 倍或 SLA 超时红色";
    LegendSl => "answered within the queue's sl_seconds (20 s) ÷ answered+abandoned", "队列 sl_seconds（默认 20 秒）内接起 ÷（接起+放弃）";
    LegendLate => "the queue's SLA timers past due now (by priority)", "该队列当前已超时的 SLA 计时（按优先级）";
    LegendNeed => "agents needed now (Erlang C, 80 % within threshold)", "当前所需坐席（Erlang C，80% 在阈值内）";
    LegendAgents => "agents available / busy / wrap-up / break", "坐席 空闲 / 忙碌 / 整理 / 休息";
    LegendRates => "abandon rate · avg response time · avg handle time", "放弃率 · 平均响应时间 · 平均处理时长";
    LegendStages => "feedback stages: handling, resolved, callback, closed", "反馈阶段：处理中、已解决、回访、已关闭";
    LegendOwes => "an SLA timer owes first response / resolution", "SLA 计时待办：首次响应 / 解决";
    LegendCoverage => "per agent: handled, required, sampled, checked", "每位坐席：已处理、应抽、已抽、已检";
    LegendSeed => "the sample's seed: same seed and day, same sample", "抽样种子：相同种子与日期，相同样本";
    LegendPt => "percentage points (gap between two rates)", "百分点（两个比率之差）";
    LegendChart => "chart: ┈ the target, · no data that hour", "图表：┈ 为目标，· 该小时无数据";
    LegendDayChart => "queue day chart: ━ so far, ┄ forecast, ◆ now", "队列日图：━ 已发生，┄ 预测，◆ 现在";
    LegendDur => "durations: 42s, 4m12s, 1h05m, 2d03h", "时长：42s、4m12s、1h05m、2d03h";
    HelpFresh => "  live: data written ≤ {} s ago · STALE: source silent {} min", "  实时：数据写入不超过 {} 秒 · 过期：数据源 {} 分钟无响应";
    HelpQuiet => "  no new data: the source answers, nothing new for {} min", "  无新数据：数据源可读取，但 {} 分钟没有新数据";
    CtxFilter => "Typing a filter", "输入筛选时";
    CtxDetail => "Detail", "详情";
    CtxHelp => "This help", "本帮助";
    CtxHuddle => "Huddle mode", "晨会模式";
    CtxPanes => "Panes", "面板";
    CtxGlobal => "Everywhere", "全局";
    CtxFeedback => "Feedback board", "反馈看板";
    KeyAssignOwner => "assign an owner", "指派负责人";
    KeyStageNext => "move the item to the next stage", "推进到下一阶段";
    KeyStagePrev => "move the item back a stage", "退回上一阶段";
    KeyCycleCallback => "callback result: satisfied/unsatisfied/unreached", "回访结果：满意/不满意/未接通";
    KeyCycleRootCause => "root cause: agent/process/system/product", "根因：坐席/流程/系统/产品";
    KeyCycleAction => "action: coaching/process change/tool fix/product", "改进措施：辅导/流程改进/工具修复/产品";
    KeyEditResult => "record the result", "记录处理结果";
    FuOwnerPrompt => " owner: ", " 负责人：";
    FuResultPrompt => " result: ", " 处理结果：";
    FuSaved => "{}: {} saved", "{}：已保存{}";
    FuCleared => "{}: cleared", "{}：已清除";
    FuNotSaved => "{}: '{}' not saved: {}", "{}：'{}' 未保存：{}";
    FuNoItem => "no feedback item selected", "未选中反馈条目";
    FuStale => "STALE", "停滞";
    CtxKpis => "KPIs", "指标";
    KeyNote => "note", "备注";
    KeyKpiNote => "note this week's cause and action", "记录本周的原因和措施";
    KnCausePrompt => " cause: ", " 原因：";
    KnActionPrompt => " action: ", " 措施：";
    KnSaved => "{}: note saved", "{}：备注已保存";
    KnNotSaved => "{}: note not saved: {} (cause: {} · action: {})", "{}：备注未保存：{}（原因：{} · 措施：{}）";
    LblCause => "cause", "原因";

    // Key table: footer hints and help sentences (`app::keymap::BINDINGS`).
    KeyApply => "apply", "应用";
    KeyApplyFilter => "apply the filter", "应用筛选";
    KeyCancel => "cancel", "取消";
    KeyLeaveFilter => "leave the filter unchanged", "不修改筛选";
    KeyDeleteChar => "delete a character", "删除一个字符";
    KeyClear => "clear", "清空";
    KeyClearInput => "clear the input", "清空输入";
    KeyQuit => "quit", "退出";
    KeyClose => "close", "关闭";
    KeyCloseHelp => "close this help", "关闭本帮助";
    KeyScrollUp => "scroll up", "向上滚动";
    KeyScrollDown => "scroll down", "向下滚动";
    KeyCloseDetail => "close the detail", "关闭详情";
    KeyLeaveHuddle => "leave huddle", "退出晨会";
    KeyLeaveHuddleMode => "leave huddle mode", "退出晨会模式";
    KeyNextPaneHint => "next pane", "下一面板";
    KeyNextPaneNow => "show the next pane now", "立即显示下一面板";
    KeyPrevPaneShow => "show the previous pane", "显示上一面板";
    KeyPane => "pane", "面板";
    KeyPrevPane => "previous pane", "上一面板";
    KeyQueuesPane => "Queues pane", "队列面板";
    KeyKpisPane => "KPIs pane", "指标面板";
    KeyFeedbackPane => "Feedback pane", "客诉反馈面板";
    KeySpotPane => "Spot-checks pane", "抽检面板";
    KeyMove => "move", "移动";
    KeyPrevRow => "previous row", "上一行";
    KeyNextRow => "next row", "下一行";
    KeyPrevSection => "previous section (stage, list)", "上一分区（阶段、列表）";
    KeyNextSection => "next section (stage, list)", "下一分区（阶段、列表）";
    KeyPageUp => "page up", "上一页";
    KeyPageDown => "page down", "下一页";
    KeyFirstRow => "first row", "第一行";
    KeyLastRow => "last row", "最后一行";
    KeyOpen => "open", "打开";
    KeyOpenItem => "open the item / the KPI's definition", "打开条目 / 指标定义";
    KeyBack => "back: unzoom, then clear the filter", "返回：先取消放大，再清除筛选";
    KeyZoom => "zoom", "放大";
    KeyZoomPane => "zoom the pane / back to four", "放大面板 / 恢复四格";
    KeyFilter => "filter", "筛选";
    KeyFilterHelp => "filter: q:QUEUE a:AGENT or words", "筛选：q:队列 a:坐席 或关键词";
    KeyWindow => "window", "时间窗";
    KeyWindowHelp => "cycle today/shift/yesterday/24 h/week", "切换 今天/本班/昨天/24 小时/本周";
    KeyFreeze => "freeze", "冻结";
    KeyFreezeHelp => "freeze / unfreeze the data", "冻结 / 解冻数据";
    KeyReload => "reload", "重载";
    KeyReloadHelp => "re-read the source and config now", "立即重新读取数据源和配置";
    KeyTheme => "theme", "主题";
    KeyThemeHelp => "cycle default/high-contrast/mono", "切换 默认/高对比/单色";
    KeyHuddle => "huddle", "晨会";
    KeyHuddleHelp => "huddle mode (projector, masked)", "晨会模式（投影，隐藏客户信息）";
    KeyHelp => "help", "帮助";
    KeyThisHelp => "this help", "本帮助";
    NoteReloading => "reloading the source and config", "正在重新读取数据源和配置";
    NoteNoColor => "NO_COLOR is set: colour stays off", "已设置 NO_COLOR：保持无颜色";

    // Detail overlays.
    DetailTitle => " Detail ", " 详情 ";
    DetailGone => "this item is gone from the data", "该条目已不在数据中";
    DetailDefinition => " {} · definition ", " {} · 定义 ";
    LblFormula => "formula", "公式";
    LblWindow => "window", "时间窗";
    LblScope => "scope", "范围";
    LblValue => "value", "数值";
    LblTarget => "target", "目标";
    LblAlertAt => "alert at", "告警线";
    LblGap => "gap", "差距";
    LblStatus => "status", "状态";
    LblLastWeek => "last week", "上周";
    LblChange => "change", "变化";
    LblByHour => "by hour", "按小时";
    HigherBetter => "higher is better", "越高越好";
    LowerBetter => "lower is better", "越低越好";
    NoneConfigured => "none configured", "未配置";
    HintArtAht => "ART / AHT", "ART / AHT";

    // Command line (`--help`); the English texts live on `cli::Cli`.
    CliExamples => "Examples: shiftdeck demo · shiftdeck --file floor.ndjson · press ? in the console for the keys", "示例：\n  shiftdeck demo                           基于模拟数据的实时控制台（从这里开始）\n  shiftdeck --file floor.ndjson            打开数据文件的控制台，随文件增长实时更新\n  shiftdeck --file floor.ndjson --huddle   晨会大字模式，不显示客户标识\n  shiftdeck snapshot --file floor.ndjson --format table\n  shiftdeck sim --out floor.ndjson --days 7 --agents 40 --seed 1\n  shiftdeck config show                    显示生效的全部配置\n  shiftdeck --lang zh                      中文界面（或设置 LANG=zh_CN.UTF-8）\n\n控制台中按 ? 查看全部按键。\n文件位置：`shiftdeck config path` 显示配置、数据和日志所在位置。";

    // KPI definitions (the detail overlay); English as in `ui::detail::definition`.
    DefCsat => "surveys in the window with csat ≥ 4 ÷ surveys in the window with a csat score", "时间窗内 csat ≥ 4 的问卷数 ÷ 时间窗内有 csat 评分的问卷数";
    NCsat => "surveys with a CSAT score", "有 CSAT 评分的问卷";
    DefNps => "100 × (surveys with nps ≥ 9 − surveys with nps ≤ 6) ÷ surveys with an nps score", "100 × (nps ≥ 9 的问卷数 − nps ≤ 6 的问卷数) ÷ 有 nps 评分的问卷数";
    NNps => "surveys with an NPS score", "有 NPS 评分的问卷";
    DefFcr => "handled contacts with resolved ≠ false and no contact of the same customer within fcr_window_h after it (may lie after the window) ÷ handled", "resolved ≠ false 且之后 fcr_window_h 小时内同一客户无再次联系（可在时间窗之后）的已处理会话数 ÷ 已处理会话数";
    NHandled => "handled contacts (answered and ended)", "已处理会话（已接起且已结束）";
    DefAht => "mean of talk + hold + wrap seconds over handled contacts", "已处理会话的 通话 + 保持 + 整理 秒数的平均值";
    DefArt => "mean of answered_at − arrived_at over answered contacts", "已接起会话的 answered_at − arrived_at 的平均值";
    NAnswered => "answered contacts", "已接起会话";
    DefSl => "answered within the queue's sl_seconds (20 s if unknown) ÷ (answered + abandoned)", "在队列 sl_seconds 内接起的会话数（未知时为 20 秒）÷ (接起 + 放弃)";
    NOfferedSl => "answered + abandoned contacts", "接起 + 放弃的会话";
    DefAbandon => "abandoned (no answered_at) ÷ (answered + abandoned)", "放弃数（无 answered_at）÷ (接起 + 放弃)";
    DefTransfer => "handled contacts with transfers ≥ 1 ÷ handled", "转接次数 ≥ 1 的已处理会话数 ÷ 已处理会话数";
    DefRepeat => "offered contacts whose customer had an earlier contact within fcr_window_h (also before the window) ÷ offered", "客户在 fcr_window_h 小时内（含时间窗之前）有过联系的进线会话数 ÷ 进线会话数";
    NOffered => "offered contacts (arrived in the window)", "进线会话（在时间窗内到达）";
    DefPerAgent => "handled ÷ distinct agents of the handled contacts ÷ window length in days (not clipped to now)", "已处理会话数 ÷ 处理这些会话的不同坐席数 ÷ 时间窗天数（不截止到当前）";
    NAgents => "distinct agents", "不同坐席数";
    DefOccupancy => "(busy + wrap seconds) ÷ (available + busy + wrap seconds) of all agents, clipped to [from, min(to, now))", "所有坐席 (忙碌 + 整理 秒数) ÷ (空闲 + 忙碌 + 整理 秒数)，截取到 [from, min(to, now))";
    NStaffed => "staffed seconds", "在岗秒数";
    LastWeekOver => "{}  over {} → {}", "{}  时段 {} → {}";

    // Dates and ages (`ui::fmt::*_in`). English dates keep chrono's `%a %d %b`.
    DateMonthDay => "{}/{}", "{}月{}日";
    WdMon => "Mon", "周一";
    WdTue => "Tue", "周二";
    WdWed => "Wed", "周三";
    WdThu => "Thu", "周四";
    WdFri => "Fri", "周五";
    WdSat => "Sat", "周六";
    WdSun => "Sun", "周日";
    AgeSecs => "{} s", "{} 秒";
    AgeMins => "{} min", "{} 分钟";
    AgeHours => "{} h", "{} 小时";
    AgeDays => "{} d", "{} 天";
    DueAgo => "{} ago", "{}前";
    WindowSpan => "{} → {}  ({}, {})", "{} 至 {}（{}，{}）";

    // Filter scope (`app::filter::Scope::describe_in`).
    ScopeQueue => "queue {}", "队列 {}";
    ScopeAgent => "agent {}", "坐席 {}";
    ScopeNoMatch => "no match for {}", "无匹配：{}";

    // Detail overlays: queue, SLA timer, feedback item, spot check.
    DetailQueue => " Queue {} ", " 队列 {} ";
    DetailSla => " SLA · contact {} ", " SLA · 会话 {} ";
    DetailFeedback => " Feedback {} ", " 客诉反馈 {} ";
    LblName => "name", "名称";
    LblChannel => "channel", "渠道";
    LblWaiting => "waiting", "排队";
    LblAgents => "agents", "坐席";
    LblServiceLevel => "service level", "服务水平";
    LblAbandonRate => "abandon rate", "放弃率";
    LblLastHour => "last hour", "近一小时";
    LblAgentsNeeded => "agents needed", "需要坐席";
    LblLiveSource => "live source", "实时来源";
    LblPriority => "priority", "优先级";
    LblOwes => "owes", "待办";
    LblDue => "due", "期限";
    LblRemaining => "remaining", "剩余";
    LblQueue => "queue", "队列";
    LblAgent => "agent", "坐席";
    LblCustomer => "customer", "客户";
    LblStage => "stage", "阶段";
    LblOwner => "owner", "负责人";
    LblReceived => "received", "接收";
    LblSource => "source", "来源";
    LblCategory => "category", "类别";
    LblSummary => "summary", "摘要";
    LblResult => "result", "处理结果";
    LblCallback => "callback", "回访结果";
    LblRootCause => "root cause", "根因";
    LblAction => "action", "改进措施";
    LblList => "list", "列表";
    LblFlags => "flags", "标记";
    QueueWaiting => "{} (longest {})", "{}（最长 {}）";
    QueueAgents => "available {} · busy {} · wrap {} · break {} · offline {}", "空闲 {} · 忙碌 {} · 整理 {} · 休息 {} · 离线 {}";
    QueueWindow => "offered {} · answered {} · abandoned {}", "进线 {} · 接起 {} · 放弃 {}";
    QueueSlWithin => "{} within {} s", "{}（{} 秒内）";
    QueueLastHour => "{} arrivals · AHT {}", "进线 {} · AHT {}";
    QueueNeedErlang => "{} (Erlang C: last hour's arrivals and AHT, the SL target within {} s)", "{}（Erlang C：近一小时进线量和 AHT，{} 秒内服务水平目标）";
    QueueNeedNone => "— (no handled contact in the last hour, or target unreachable)", "—（近一小时无已处理会话，或目标无法达到）";
    SourceQueueStats => "queue_stats record", "queue_stats 记录";
    SourceContacts => "contacts and agent states", "会话和坐席状态";
    LblNextShort => "next short", "下个缺口";
    LblStaffed => "staffed", "在岗";
    LblForecast => "forecast", "预测";
    QueueShortAt => "short {} at {}", "缺 {} 人，{} 起";
    QueueNoShort => "none to the end of the day", "今日剩余时段无缺口";
    QueueStaffedScheduled => "{} staffed now · {} scheduled now", "当前在岗 {} · 当前排班 {}";
    BasisWeeks => "same weekday of the last {} weeks (weights 4:3:2:1), at today's level", "近 {} 周同一星期几（权重 4:3:2:1），按今日水平调整";
    BasisDays => "the last {} days, at today's level", "近 {} 天，按今日水平调整";
    BasisLastHour => "the last hour's rate (no history yet)", "近一小时的速率（尚无历史）";
    ChartArrivals => "arrivals / 30 min   ━ so far  ┄ forecast  ◆ now", "每 30 分钟进线   ━ 已发生  ┄ 预测  ◆ 现在";
    ChartAgents => "agents needed (bars) against staffed now ─   ! short", "需要坐席（柱）对比当前在岗 ─   ! 缺人";
    ChartAgentsScheduled => "agents needed (bars) against staffed, then scheduled ─   ! short", "需要坐席（柱）对比在岗、之后按排班 ─   ! 缺人";
    ChartModel => "Erlang C, no abandons (callers wait), Poisson arrivals; {} in {} s", "Erlang C：不计放弃（客户一直等待），泊松到达；{} 在 {} 秒内";
    QueuesShortAhead => "! short ahead: {}", "! 将缺人：{}";
    OwesResolutionLong => "resolution", "解决";
    OwesFirstLong => "first response", "首次响应";
    SlaBreachedAgo => "‼ BREACHED {} ago", "‼ 已超时 {}";
    OverdueSince => "‼ OVERDUE since {}", "‼ 逾期，自 {}";

    // `snapshot --format table` (`cli::table::render_in`).
    TblTitle => "shiftdeck snapshot  window {} → {} ({})  now {}", "shiftdeck 快照  时间窗 {} → {}（{}）  当前 {}";
    TblKpi => "KPI", "指标";
    TblN => "n", "样本数";
    TblLongest => "longest", "最长等待";
    TblAgents => "avl/busy/wrap/brk", "闲/忙/整/休";
    TblOffered => "offered", "进线";
    TblSl => "SL", "服务水平";
    TblAbandon => "abandon", "放弃率";
    TblSlaHead => "SLA timers: {} open, {} breached (most urgent first)", "SLA 计时：{} 个进行中，{} 个已超时（最紧急在前）";
    TblContact => "contact", "会话";
    TblBreached => "BREACHED", "已超时";
    TblFeedbackHead => "Feedback: {} items, {} overdue", "客诉反馈：{} 项，{} 项逾期";
    TblNoStage => "(none)", "（无阶段）";
    TblItem => "item", "条目";
    TblOverdue => "OVERDUE", "逾期";
    TblSpotHead => "Spot checks {} (seed {}): {} random, {} targeted", "抽检 {}（种子 {}）：随机 {} 条，定向 {} 条";
    TblRandom => "random", "随机";
    TblTargeted => "targeted", "定向";
    TblOk => "ok", "达标";
    TblWarn => "! warn", "! 预警";
    TblAlert => "▲ ALERT", "▲ 告警";

    // Scorecard form (`app::form`, `ui::form`).
    FormTitle => " Score {} · {} ", " 质检评分 {} · {} ";
    FormCritical => "critical {}", "{}致命错误";
    FormCritCustomer => "customer", "客户";
    FormCritBusiness => "business", "业务";
    FormCritCompliance => "compliance", "合规";
    FormErrorFound => "[x] error found", "[x] 有错误";
    FormNoError => "[ ] none", "[ ] 无";
    FormRootCause => "root cause", "根因";
    FormCauseAgent => "agent", "坐席";
    FormCauseProcess => "process", "流程";
    FormCauseSystem => "system", "系统";
    FormCauseProduct => "product", "产品";
    FormComment => "comment", "备注";
    FormSave => "[ Save ]", "[ 保存 ]";
    FormSaving => "[ Saving… ]", "[ 保存中… ]";
    FormTotal => "   total {}", "   总分 {}";
    FormErrRange => "scores run from 1 to {}", "评分范围为 1 到 {}";
    FormErrFirst => "score {} first", "请先为“{}”评分";
    FormErrNotSaved => "not saved: {}", "未保存：{}";
    FormKeyDigit => "digit", "数字";
    FormKeyText => "text", "文字";
    FormHelpPrev => "previous field", "上一个字段";
    FormHelpNext => "next field", "下一个字段";
    FormHelpDigit => "on a dimension: its score (the cursor stays; ↓ goes on)", "在评分项上：给出分数（光标不动；↓ 到下一项）";
    FormHelpLeft => "score one lower; toggle an error; previous root cause", "分数减一；切换致命错误；上一个根因";
    FormHelpRight => "score one higher; toggle an error; next root cause", "分数加一；切换致命错误；下一个根因";
    FormHelpToggle => "toggle a critical error; next root cause", "切换致命错误；下一个根因";
    FormHelpEnter => "next field; on Save: save", "下一个字段；在“保存”上：保存";
    FormHelpText => "on the comment: typed (letters, digits, Space)", "在备注上：输入文字（字母、数字、空格）";
    FormHelpBackspace => "delete the comment's last character", "删除备注的最后一个字符";
    FormHelpSave => "save from any field", "在任意字段保存";
    FormHelpCancel => "close without saving", "不保存并关闭";
    FormKeySpace => "Space", "空格";
    FormHintField => "field", "字段";
    FormHintScore => "score", "评分";
    FormHintToggle => "toggle", "切换";
    FormHintSave => "save", "保存";
    FormHintCancel => "cancel", "取消";
    FormHelpHead => "Scorecard form", "质检评分表";

    // `report weekly` Markdown (CSV column names stay English).
    RptTitle => "# Weekly operations report {} ({} – {})\n", "# 运营周报 {}（{} – {}）\n";
    RptIntro => "KPIs for Monday {} to Sunday {}, against targets and against {}.\n", "{}（周一）至 {}（周日）的指标，对比目标及 {}。\n";
    RptSource => "Source: {} (the lead's notes and scores shown are the ones entered for it).\n", "数据源：{}（所列组长备注和评分均为针对该数据源录入的）。\n";
    RptHeader => "| KPI | This week | Target | Gap | Status | Last week | Change | n | Cause | Action |", "| 指标 | 本周 | 目标 | 差距 | 状态 | 上周 | 变化 | 样本数 | 原因 | 措施 |";
    RptAttention => "\n## Needs attention\n", "\n## 需要关注\n";
    RptAllMet => "Every KPI with a value met its target.", "所有有数值的指标均已达标。";
    RptItem => "- **{}** {}: {} against {} (gap {}).", "- **{}** {}：{}，目标 {}（差距 {}）。";
    RptCause => "  - Cause: {}", "  - 原因：{}";
    RptAction => "  - Action: {}", "  - 措施：{}";
    RptNoNote => "  - No cause or action noted yet.", "  - 尚未记录原因或措施。";
    RptBetter => "better", "改善";
    RptWorse => "worse", "变差";
    RptPartial => "**Partial week:** the data holds {} of {} days ({}). Contacts per agent-day is per day with data; the other KPIs are ratios and means over those days. Statuses and changes marked partial stand on part of a week.", "**本周数据不完整：**数据只有 {} 天（共 {} 天：{}）。人均日有效服务量按有数据的天数折算；其他指标为这些天内的比率和均值。标注“部分”的状态和变化只基于一周中的部分天数。";
    RptNoData => "**No data for this week** in the source: no KPI to judge.", "**数据源中没有本周的数据**：没有可评判的指标。";
    RptPrevPartial => "The week before ({}) is partial too: {} of {} days ({}); its contacts per agent-day is per day with data.", "上一周（{}）的数据也不完整：只有 {} 天（共 {} 天：{}）；其人均日有效服务量按有数据的天数折算。";
    RptPrevNoData => "No data for the week before ({}) in the source: no change to show.", "数据源中没有上一周（{}）的数据：无法显示变化。";
    RptPartialDays => "partial {}/{} d", "部分 {}/{} 天";
    RptPartialChange => "(partial)", "（部分）";

    // QA block of `snapshot --format table`.
    QaHead => "\nQA (spot-check scorecards, today)\n", "\n质检（抽检评分表，今日）\n";
    QaSource => "  Lead's entries of the source {}\n", "  组长记录所属数据源：{}\n";
    QaCoverage => "QA coverage", "质检覆盖率";
    QaAccCustomer => "Critical accuracy, customer", "客户致命错误准确率";
    QaAccBusiness => "Critical accuracy, business", "业务致命错误准确率";
    QaAccCompliance => "Critical accuracy, compliance", "合规致命错误准确率";

    // ── Errors. Each error the program makes is a typed value that picks
    // its words here (`Localize`); what another crate or a server says in its
    // own words is only quoted, in “ ” in Chinese. File and URL references
    // (`FILE:LINE: …`, `URL: …`) keep their ASCII `: ` so editors and grep
    // still find them; within a Chinese sentence the full-width `：`.
    AtPlace => "{}: {}", "{}: {}";

    // The operating system, by `io::ErrorKind`; the number kept for support.
    IoWithCode => "{} (os error {})", "{}（系统错误 {}）";
    IoOtherCode => "os error {}", "系统错误 {}";
    IoOther => "system error: {}", "系统错误：“{}”";
    IoNotFound => "no such file or directory", "文件或目录不存在";
    IoPermissionDenied => "permission denied", "没有权限";
    IoConnectionRefused => "connection refused", "连接被拒绝";
    IoConnectionReset => "connection reset by peer", "连接被对方重置";
    IoConnectionAborted => "connection aborted", "连接被中止";
    IoNotConnected => "not connected", "未连接";
    IoHostUnreachable => "host unreachable", "主机不可达";
    IoNetworkUnreachable => "network unreachable", "网络不可达";
    IoNetworkDown => "network down", "网络已断开";
    IoAddrInUse => "address in use", "地址已被占用";
    IoAddrNotAvailable => "address not available", "无法使用所请求的地址";
    IoBrokenPipe => "broken pipe", "管道已断开";
    IoAlreadyExists => "already exists", "已存在";
    IoWouldBlock => "operation would block", "操作会阻塞";
    IoNotADirectory => "not a directory", "不是目录";
    IoIsADirectory => "is a directory", "这是一个目录";
    IoDirectoryNotEmpty => "directory not empty", "目录不为空";
    IoReadOnlyFilesystem => "read-only file system", "只读文件系统";
    IoStaleHandle => "stale network file handle", "网络文件句柄已失效";
    IoInvalidInput => "invalid input", "输入无效";
    IoInvalidData => "invalid data (not UTF-8 text?)", "数据无效（不是 UTF-8 文本？）";
    IoTimedOut => "timed out", "超时";
    IoWriteZero => "could not write everything", "未能全部写入";
    IoStorageFull => "no space left on device", "磁盘空间不足";
    IoQuotaExceeded => "disk quota exceeded", "超出磁盘配额";
    IoFileTooLarge => "file too large", "文件太大";
    IoResourceBusy => "resource busy", "资源正忙";
    IoDeadlock => "deadlock", "死锁";
    IoCrossesDevices => "cannot move across devices", "不能跨设备移动";
    IoTooManyLinks => "too many links", "链接过多";
    IoInvalidFilename => "invalid file name", "文件名无效";
    IoArgumentListTooLong => "argument list too long", "参数列表过长";
    IoInterrupted => "interrupted", "操作被中断";
    IoUnsupported => "not supported here", "此处不支持该操作";
    IoUnexpectedEof => "unexpected end of file", "文件意外结束";
    IoOutOfMemory => "out of memory", "内存不足";

    // JSON, by serde_json's category and position.
    JsonTruncatedCol => "truncated JSON at column {}: {}", "JSON 不完整（行被截断？），第 {} 列：“{}”";
    JsonSyntaxCol => "not valid JSON at column {}: {}", "不是有效的 JSON，第 {} 列：“{}”";
    JsonDataCol => "a value of the wrong type at column {}: {}", "值的类型或取值不对，第 {} 列：“{}”";
    JsonTruncatedAt => "truncated JSON at line {} column {}: {}", "JSON 不完整，第 {} 行第 {} 列：“{}”";
    JsonSyntaxAt => "not valid JSON at line {} column {}: {}", "不是有效的 JSON，第 {} 行第 {} 列：“{}”";
    JsonDataAt => "unexpected JSON at line {} column {}: {}", "JSON 内容不符合预期，第 {} 行第 {} 列：“{}”";
    JsonData => "unexpected JSON: {}", "JSON 内容不符合预期：“{}”";
    JsonIo => "the JSON could not be read: {}", "JSON 读取失败：“{}”";

    // Timestamps (`domain::time::TsError`).
    TsSyntax => "not an RFC 3339 timestamp", "不是 RFC 3339 时间戳";
    TsNoOffset => "timestamp without an offset", "时间戳缺少时区偏移";
    TsOutOfRange => "timestamp out of range", "时间戳超出范围";

    // The loader: why a line of the floor feed was skipped (docs/data-format.md).
    LineNotObject => "not a JSON object", "不是 JSON 对象";
    LineMissing => "no `{}` field", "缺少 `{}` 字段";
    LineEmpty => "empty `{}`", "`{}` 为空";
    LineBadTime => "`{}`: {}: \"{}\"", "`{}` 的时间有误：{}：\"{}\"";
    LineNegative => "`{}` must be ≥ 0, got {}", "`{}` 必须 ≥ 0，实为 {}";
    LineTooLong => "`{}` must be at most {} s (366 days), got {}", "`{}` 不得超过 {} 秒（366 天），实为 {}";
    LineNotWhole => "`{}` must be a whole number ≥ 0, got {}", "`{}` 必须是 ≥ 0 的整数，实为 {}";
    LineOutOfRange => "`{}` must be between {} and {}, got {}", "`{}` 必须在 {} 到 {} 之间，实为 {}";
    LineStateWithout => "agent_state without `{}`", "agent_state 缺少 `{}`";
    LineShiftWithout => "shift without `{}`", "班次记录 `shift` 缺少 `{}`";
    LineShiftLength => "a shift must end after its start and last at most 24 h, got {} h", "班次必须在开始之后结束且不超过 24 小时，实为 {} 小时";
    LoadOpen => "cannot open {}: {}", "无法打开 {}：{}";
    LoadRead => "cannot read {}: {}", "无法读取 {}：{}";
    LineTicketNoId => "ticket without a numeric id", "工单没有数字编号";
    LineTicketNoQueue => "ticket {} without a Queue", "工单 {} 没有所属队列（Queue）";

    // Sources: HTTP feeds and CRM connectors.
    SrcTimeout => "no answer within {} s (timeout)", "{} 秒内无响应（超时）";
    SrcConnect => "cannot connect: {}", "无法连接：{}";
    SrcAuth => "authentication refused (HTTP {}); check the token", "认证被拒绝（HTTP {}）；请检查令牌";
    SrcRateLimited => "rate limited (HTTP 429)", "请求过于频繁（HTTP 429）";
    SrcRateLimitedRetry => "rate limited (HTTP 429), retry after {} s", "请求过于频繁（HTTP 429），{} 秒后重试";
    SrcStatus => "HTTP {} ({})", "服务器返回 HTTP {}（{}）";
    SrcStatusSays => "HTTP {} ({}): {}", "服务器返回 HTTP {}（{}）：“{}”";
    SrcTooLarge => "the response is larger than the {} MB limit; refused without buffering it", "响应超过 {} MB 上限，已拒绝（未缓存）";
    SrcContentType => "expected JSON but got `{}`", "应为 JSON，收到的却是 `{}`";
    SrcContentTypeLogin => "expected JSON but got `{}` (an HTML login page: the token was not accepted, or a proxy wants a login)", "应为 JSON，收到的却是 `{}`（HTML 登录页：令牌未被接受，或代理要求登录）";
    SrcContentTypeHtml => "expected JSON but got `{}` (an HTML page: a proxy or the wrong URL?)", "应为 JSON，收到的却是 `{}`（HTML 页面：代理拦截，或地址有误？）";
    SrcBody => "the connection broke while reading the response: {}", "读取响应时连接中断：{}";
    SrcJson => "the response is not the expected JSON: {}", "响应不是预期的 JSON：{}";
    SrcNoList => "the response has no `{}` list", "响应中没有 `{}` 列表";
    SrcRedirect => "redirected to {} ({}); credentials never follow a redirect to another origin", "被重定向到 {}（{}）；凭据绝不会随重定向发往其他源";
    SrcRedirectScheme => "the scheme changes from {} to {}", "协议由 {} 变为 {}";
    SrcRedirectHost => "the host changes from {} to {}", "主机由 {} 变为 {}";
    SrcRedirectPort => "the port changes from {} to {}", "端口由 {} 变为 {}";
    SrcRedirectUnknown => "to an unreadable location", "目标地址无法识别";
    SrcTooManyPages => "more than {} pages in one poll", "一次轮询超过 {} 页";
    SrcOtherHost => "{}: not the configured host; credentials are only sent to {}", "{}: 不是配置的主机；凭据只会发往 {}";
    SrcTokenEnvEmpty => "the token environment variable {} is empty", "令牌环境变量 {} 为空";
    SrcTokenEnvUnset => "the token environment variable {} is not set", "令牌环境变量 {} 未设置";
    SrcTokenFileUnreadable => "cannot read the token file {}: {}", "无法读取令牌文件 {}：{}";
    SrcTokenFileEmpty => "the token file {} is empty", "令牌文件 {} 为空";
    SrcTokenNotHeader => "the token holds characters not allowed in a header", "令牌中含有请求头不允许的字符";
    SrcPlainHttp => "refusing to send credentials over plain http to {}; use https", "拒绝通过明文 http 向 {} 发送凭据；请使用 https";
    SrcScheme => "unsupported URL scheme `{}` (http or https)", "不支持的地址协议 `{}`（应为 http 或 https）";
    SrcTlsNotLoopback => "TLS verification can only be relaxed for loopback hosts, not {}", "{} 不是本机回环地址，不能放宽 TLS 校验";
    SrcClient => "cannot build the HTTP client: {}", "无法创建 HTTP 客户端：“{}”";
    SrcEncode => "cannot encode the request: {}", "无法编码请求：{}";
    SrcUrl => "{} URL: {}", "{} 地址有误：{}";
    SrcRtNeedsToken => "RT needs a token: set [source] token_env or token_file (an RT auth token)", "RT 需要令牌：请设置 [source] token_env 或 token_file（RT 认证令牌）";
    SrcZendeskNeedsToken => "Zendesk needs an API token: set [source] token_env or token_file", "Zendesk 需要 API 令牌：请设置 [source] token_env 或 token_file";
    SrcZendeskNeedsEmail => "Zendesk needs the API user's email: `?email=` in the URL, or a token of the form EMAIL/token:TOKEN", "Zendesk 需要 API 用户的邮箱：在地址中加 `?email=`，或使用 EMAIL/token:TOKEN 形式的令牌";
    SrcCrm => "--crm `{}`: {}", "--crm `{}` 无法使用：{}";
    SrcWriteBackNotTicket => "write-back: `{}` is not an RT ticket number", "回写：`{}` 不是 RT 工单号";
    SrcWriteBackNeedsToken => "write-back to RT needs the RT token", "回写 RT 需要 RT 令牌";
    SrcThread => "cannot start the source thread: {}", "无法启动数据源线程：{}";
    NetTls => "the secure connection (TLS) failed: {}", "安全连接（TLS）失败，多为证书未通过校验：“{}”";
    NetOther => "{}", "网络错误：“{}”";
    UrlEmptyHost => "the URL has no host", "地址中没有主机名";
    UrlInvalidPort => "invalid port number", "端口号无效";
    UrlInvalidHost => "invalid host name or address", "主机名或 IP 地址无效";
    UrlRelative => "not a full URL (scheme://host/…)", "不是完整地址（协议://主机/…）";
    UrlOther => "not a valid URL: {}", "不是有效的地址：“{}”";
    CrmCredentials => "credentials do not belong in the URL; use token_env or token_file", "凭据不应写在地址里；请使用 token_env 或 token_file";
    CrmNotLocalPath => "not a local file path", "不是本地文件路径";
    CrmNotHttp => "the URL must be http:// or https://", "地址必须是 http:// 或 https://";
    CrmUnknownKind => "unknown source kind `{}` (feed, rt, zendesk)", "未知数据源类型 `{}`（feed、rt、zendesk）";
    CrmDays => "days: not a number: '{}'", "days：不是数字：'{}'";
    CrmSlSeconds => "sl_seconds: not a number ≥ 0: '{}'", "sl_seconds：不是 ≥ 0 的数字：'{}'";
    CrmPerPage => "per_page: 1 to {}, got {}", "per_page：应为 1 到 {}，实为 {}";
    CrmRtOption => "unknown option `{}` (queues, days, sl_seconds, per_page)", "未知选项 `{}`（queues、days、sl_seconds、per_page）";
    CrmZendeskOption => "unknown option `{}` (email, days)", "未知选项 `{}`（email、days）";

    // HTTP statuses, by code.
    HttpBadRequest => "bad request", "请求无效";
    HttpUnauthorized => "unauthorized", "未授权";
    HttpForbidden => "forbidden", "禁止访问";
    HttpNotFound => "not found", "不存在";
    HttpMethodNotAllowed => "method not allowed", "不允许此请求方法";
    HttpRequestTimeout => "request timeout", "请求超时";
    HttpConflict => "conflict", "冲突";
    HttpGone => "gone", "已不存在";
    HttpTooLarge => "request too large", "请求过大";
    HttpUnprocessable => "unprocessable request", "请求内容无法处理";
    HttpTooManyRequests => "too many requests", "请求过于频繁";
    HttpServerError => "server error", "服务器内部错误";
    HttpBadGateway => "bad gateway", "网关错误";
    HttpUnavailable => "service unavailable", "服务暂不可用";
    HttpGatewayTimeout => "gateway timeout", "网关超时";
    HttpRedirection => "redirection", "重定向";
    HttpClientError => "request refused", "请求被拒绝";
    HttpServerSide => "server failure", "服务器出错";
    HttpUnexpected => "unexpected status", "意外的状态码";

    // The store (SQLite), by result code.
    StoreLocked => "the database {} is locked by another program (another shiftdeck?)", "数据库 {} 被其他程序锁定（另一个 shiftdeck？）";
    StoreCorrupt => "the database {} is damaged ({}); move it aside to start a new one", "数据库 {} 已损坏（“{}”）；请将其移走以新建一个";
    StoreTooNew => "the database is at schema version {}, newer than this shiftdeck knows ({}); upgrade shiftdeck", "数据库结构版本为 {}，比本 shiftdeck 支持的（{}）更新；请升级 shiftdeck";
    StoreNeedsMigrate => "the store is at schema version {}, older than this shiftdeck's ({}); run shiftdeck store migrate", "数据库结构版本为 {}，比本 shiftdeck 的（{}）更旧；请运行 shiftdeck store migrate";
    StoreReadOnly => "the store is open read-only: {}", "本地数据库以只读方式打开：{}";
    StoreOpenedReadOnly => "opened read-only", "以只读方式打开";
    StoreDir => "cannot create the data dir {}: {}", "无法创建数据目录 {}：{}";
    StoreSql => "database error: {}", "数据库错误：{}";
    StoreNoticeReadOnly => "{}; entries are read-only this session", "{}；本次运行只能查看，不能录入";
    StoreNoticeNoSaving => "{}; entries cannot be saved this session", "{}；本次运行无法保存录入";
    StoreReadOnlyShort => "read-only: {}", "只读：{}";
    StoreNoneThisSession => "no store this session", "本次运行没有本地数据库，录入无法保存";
    EngineStopped => "the data engine stopped (see the log)", "数据引擎已停止（见日志）";
    FileGoneKeeping => "file not found (keeping the last data)", "文件不存在（保留上次读到的数据）";
    FileNeverFound => "file not found: check the path given with --file (waiting for it)", "文件不存在：请检查 --file 给出的路径（正在等待该文件）";
    StoreNoticeNoHome => "no home folder: entries cannot be saved", "没有主目录：录入无法保存";
    NoteScorecardTaken => "{} is being scored by {} (claimed until {}): not opened", "{} 正由 {} 评分（占用至 {}）：未打开";
    StoreNoticeDown => "{}; read-only until the store answers again", "{}；在数据库恢复之前只能查看";
    StoreUnreachable => "the PostgreSQL store {} cannot be reached: {}", "无法连接 PostgreSQL 数据库 {}：“{}”";
    StorePasswordEnv => "the store password variable {} (store.password_env) is not set", "数据库密码环境变量 {}（store.password_env）未设置";
    StorePasswordFile => "cannot read the store password file {}: {}", "无法读取数据库密码文件 {}：{}";
    StoreUnsound => "the store {} fails its check: {}", "数据库 {} 未通过检查：“{}”";
    CliStoreAt => "store: {} {}", "数据库：{} {}";
    CliStoreNoFile => "store: no file yet at {} (nothing entered; the first entry creates it)", "数据库：{} 尚无文件（还没有录入；第一次录入时创建）";
    CliStoreReachable => "reachable: yes", "可连接：是";
    CliStoreVersion => "schema version: {} (this shiftdeck: {})", "结构版本：{}（本 shiftdeck：{}）";
    CliStoreIntegrity => "integrity: {}", "完整性：{}";
    CliStoreUpToDate => "store: {} {} is at schema version {}; nothing to do", "数据库：{} {} 已是结构版本 {}，无需迁移";
    CliStoreMigrated => "store: {} {} migrated from schema version {} to {}", "数据库：{} {} 已从结构版本 {} 迁移到 {}";
    SqlBusy => "database is locked", "数据库被锁定";
    SqlCorrupt => "the file is damaged or not a database", "文件已损坏或不是数据库";
    SqlReadOnly => "attempt to write a read-only database", "试图写入只读数据库";
    SqlIo => "disk I/O error", "磁盘读写错误";
    SqlFull => "database or disk is full", "数据库或磁盘已满";
    SqlCannotOpen => "unable to open the database file", "无法打开数据库文件";
    SqlPermission => "no permission to use the database file", "没有权限使用数据库文件";
    SqlNoMemory => "out of memory", "内存不足";
    SqlConstraint => "an entry conflicts with one already stored", "录入与已保存的内容冲突";
    SqlSchemaChanged => "the database changed under the query; try again", "查询期间数据库结构已变化，请重试";
    SqlTooBig => "a value is too large for the database", "数值太大，数据库无法保存";
    SqlMismatch => "a stored value has the wrong type", "保存的数值类型不对";
    SqlLockProtocol => "the database's locking failed (a network drive?)", "数据库加锁失败（网络盘？）";
    SqlInterrupted => "the database operation was interrupted", "数据库操作被中断";
    SqlOther => "the database refused the operation", "数据库拒绝了该操作";
    SqlBadValue => "a stored value cannot be read: {}", "无法读取保存的数值：“{}”";
    SqlOtherDetail => "database failure: {}", "数据库故障：“{}”";

    // Command-line errors (`cli::CliError`).
    ErrDate => "{} {}: expected a date YYYY-MM-DD ({})", "{} {}：应为日期 YYYY-MM-DD（{}）";
    ErrDateOutOfRange => "a value is out of range", "数值超出范围";
    ErrDateForm => "not written as a date", "不是日期的写法";
    ErrToBeforeFrom => "--to {} is before --from {}", "--to {} 早于 --from {}";
    ErrInstant => "{} {}: {} (use RFC 3339 like 2026-11-22T09:00:00+08:00, or a date like 2026-11-22)", "{} {}：{}（请用 RFC 3339，如 2026-11-22T09:00:00+08:00，或日期，如 2026-11-22）";
    ErrEmptyWindow => "the window is empty: --to ({}) must be after --from ({})", "时间窗为空：--to（{}）必须晚于 --from（{}）";
    ErrWeek => "--week {}: expected an ISO week like 2026-W47 or a date like 2026-11-16", "--week {}：应为 ISO 周（如 2026-W47）或日期（如 2026-11-16）";
    ErrGiveFile => "give --file PATH (or --crm URL)", "请指定 --file PATH（或 --crm URL）";
    ErrWriting => "writing {}: {}", "写入 {} 失败：{}";
    ErrWritingReport => "writing the report: {}", "写入报告失败：{}";
    ErrWritingExport => "writing the export: {}", "写入导出失败：{}";
    ErrWritingStdout => "writing to standard output: {}", "写入标准输出失败：{}";
    RunSourceThread => "starting the source thread: {}", "无法启动数据源线程：{}";
    RunEngine => "starting the data engine: {}", "无法启动数据引擎：{}";
    RunTerminal => "setting up the terminal: {}", "无法设置终端：{}";
    RunEventLoop => "starting the event loop: {}", "无法启动事件循环：{}";
    RunEvents => "reading terminal events: {}", "读取终端事件失败：{}";
    RunDraw => "drawing the screen: {}", "绘制屏幕失败：{}";
    ErrWritingSnapshot => "writing the snapshot: {}", "写入快照失败：{}";
    ErrCannotCreate => "cannot create {}: {}", "无法创建 {}：{}";
    ErrReadingNotes => "reading the notes of {}: {}", "读取 {} 的备注失败：{}";
    ErrReadingSample => "reading the stored sample: {}", "读取已保存的抽检样本失败：{}";
    ErrReadingScores => "reading the scorecards: {}", "读取质检评分失败：{}";
    ErrEncoding => "encoding the snapshot: {}", "快照编码失败：{}";
    ErrSpeed => "--speed must be between 0 and 10000 (got {})", "--speed 必须在 0 到 10000 之间（实为 {}）";
    ErrDaysAgents => "--days and --agents must be at least 1", "--days 和 --agents 至少为 1";
    ErrStart => "--start '{}': expected a date like 2026-11-16 ({})", "--start '{}'：应为日期，如 2026-11-16（{}）";
    ErrStartSimulator => "starting the simulator: {}", "无法启动模拟器：{}";
    ErrServe => "serving the feed on {}: {}", "无法在 {} 上提供数据：{}";
    ErrNothingToMeasure => "no contacts with arrived_at in the data: nothing to measure", "数据中没有带 arrived_at 的会话：没有可测量的内容";
    ErrFetch => "reading {}: {}", "读取 {} 失败：{}";
    ErrConfig => "config: {}", "配置：{}";
    ErrLangArg => "expected en, zh or auto, got {}", "应为 en、zh 或 auto，实为 {}";
    ArgNumberEmpty => "the number is empty", "数字为空";
    ArgNumberTooLarge => "the number is too large", "数字太大";
    ArgNumberTooSmall => "the number is too small", "数字太小";
    ArgNotWholeNumber => "not a whole number", "不是整数";
    ArgNotNumber => "not a number", "不是有效的数字";
    ArgNotAddress => "not an address like 127.0.0.1:8080", "不是有效的地址（如 127.0.0.1:8080）";
    ArgBadValue => "not a valid value", "不是有效的值";
    CliStoreLeftOut => "shiftdeck: {}; the lead's entries are left out", "shiftdeck：{}；班组长的录入未包含在内";

    // Refusals of hostile or broken input (issue 17).
    TblMore => "… and {} more", "… 另有 {} 项";
    ErrNoValidRecord => "no valid record in {} ({} lines read): nothing to report", "{} 中没有有效记录（已读 {} 行）：无可报告";

    // CSV headers and the words shiftdeck writes into CSV cells. English is
    // the stable machine form; Chinese is for a lead's spreadsheet.
    CsvDay => "day", "日期";
    CsvContact => "contact", "会话";
    CsvAgent => "agent", "坐席";
    CsvTotal => "total", "总分";
    CsvMax => "max", "满分";
    CsvScale => "scale", "评分上限";
    CsvCriticalCustomer => "critical_customer", "客户致命错误";
    CsvCriticalBusiness => "critical_business", "业务致命错误";
    CsvCriticalCompliance => "critical_compliance", "合规致命错误";
    CsvRootCause => "root_cause", "根因";
    CsvComment => "comment", "备注";
    CsvAuthor => "author", "录入人";
    CsvSavedAt => "saved_at", "保存时间";
    CsvYes => "yes", "是";
    CsvNo => "no", "否";
    CsvAt => "at", "时间";
    CsvItem => "item", "反馈单";
    CsvChange => "change", "变更";
    CsvValue => "value", "值";
    CsvSource => "source", "数据源";
    CsvChangeOwner => "owner", "负责人";
    CsvChangeStage => "stage", "阶段";
    CsvChangeResult => "result", "处理结果";
    CsvChangeCallback => "callback_result", "回访结果";
    CsvChangeAction => "action", "措施类型";
    ImportDone => "{}: {} imported, {} already there, {} bad rows skipped", "{}：导入 {} 条，已存在 {} 条，跳过错误行 {} 条";
    ImportBadRows => "{} bad rows in {} were skipped; the other rows are in the store (fix them and import the file again: rows already there are left out)", "{} 行有误，已跳过（文件：{}）；其余行已存入（修正后可再次导入同一文件：已存在的行不会重复）";
    ImportFieldTooLong => "a field is longer than {} bytes", "有字段超过 {} 字节";
    ImportNotUtf8 => "not UTF-8 text (save the CSV as UTF-8)", "不是 UTF-8 文本（请将 CSV 另存为 UTF-8）";
    ImportUnterminated => "the file ends inside a quoted field (cut short?)", "文件在引号字段中结束（文件不完整？）";
    ImportColumns => "{} fields, the header has {}", "有 {} 个字段，表头有 {} 个";
    ImportEmptyFile => "no header row: the file is empty", "没有表头行：文件为空";
    ImportMissingColumn => "the header has no column {}", "表头缺少列 {}";
    ImportDuplicateColumn => "the header has column {} twice", "表头中列 {} 重复";
    ImportUnknownDimension => "unknown dimension {} (the scorecard's dimensions: {})", "未知评分维度 {}（评分表的维度：{}）";
    ImportScore => "{}: score {} is not a whole number from 1 to {}", "{}：评分 {} 不是 1 到 {} 之间的整数";
    ImportNoScore => "{}: no score", "{}：缺少评分";
    ImportScale => "scale {} is not a whole number from 2 to 10", "评分上限 {} 不是 2 到 10 之间的整数";
    ImportDay => "{}: {} is not a date (YYYY-MM-DD)", "{}：{} 不是日期（YYYY-MM-DD）";
    ImportTime => "{}: {} is not a time (2026-11-20T09:30:00+08:00, or 2026-11-20 09:30 in the configured time zone)", "{}：{} 不是时间（2026-11-20T09:30:00+08:00，或按配置时区的 2026-11-20 09:30）";
    ImportYesNo => "{}: {} is neither yes nor no", "{}：{} 既不是“是”也不是“否”";
    ImportRootCause => "root cause {} is not one of agent, process, system, product", "根因 {} 不是 agent、process、system、product 之一";
    ImportEmpty => "{} is empty", "{} 为空";
    ImportControl => "{} holds a control character or terminal escape ({}); not imported", "{} 含有控制字符或终端转义序列（{}），未导入";
    ImportTooLong => "{} is longer than {} characters", "{} 超过 {} 个字符";
    ImportChange => "change {} is not one of owner, stage, result, callback_result, root_cause, action", "变更类型 {} 不是负责人、阶段、处理结果、回访结果、根因、措施类型之一";
    ImportStage => "stage {} is not one of new, handling, resolved, callback, closed", "阶段 {} 不是新建、处理中、已解决、回访、已关闭之一";
    ImportRead => "cannot read {}: {}", "无法读取 {}：{}";
    ImportStoreFailed => "{}: saving failed after {} rows (those are in the store; import the same file again to finish): {}", "{}：保存 {} 行后失败（这些行已存入；再次导入同一文件即可完成）：{}";
    CsvDue => "due", "截止时间";
    CsvLastChange => "last_change", "最后变更时间";
    CsvWeek => "week", "周";
    CsvKpi => "kpi", "指标";
    CsvDaysWithData => "days_with_data", "有数据天数";
    CsvLastWeekDays => "last_week_days_with_data", "上周有数据天数";
    CsvTarget => "target", "目标";
    CsvGap => "gap", "差距";
    CsvStatus => "status", "状态";
    CsvLastWeek => "last_week", "上周";
    CsvWeekChange => "change", "变化";
    CsvN => "n", "样本数";
    CsvCause => "cause", "原因";
    CsvAction => "action", "措施";
    CsvOk => "ok", "正常";
    CsvWarn => "warn", "预警";
    CsvAlert => "alert", "告警";

    // The feed's own words (docs/data-format.md): channels, priorities,
    // categories, feedback sources, callback results and root causes.
    ValPhone => "phone", "电话";
    ValChat => "chat", "在线";
    ValEmail => "email", "邮件";
    ValTicket => "ticket", "工单";
    ValSocial => "social", "社交媒体";
    ValUrgent => "urgent", "紧急";
    ValHigh => "high", "高";
    ValMedium => "medium", "中";
    ValLow => "low", "低";
    ValConsult => "consult", "咨询";
    ValComplaint => "complaint", "投诉";
    ValTech => "tech", "技术";
    ValSuggestion => "suggestion", "建议";
    ValPhoneComplaint => "phone_complaint", "电话投诉";
    ValSurvey => "survey", "满意度调查";
    ValAttitude => "attitude", "服务态度";
    ValExpertise => "expertise", "专业能力";
    ValProcess => "process", "流程";
    ValSystem => "system", "系统";
    ValProduct => "product", "产品";
    ValAgent => "agent", "坐席";
    ValSatisfied => "satisfied", "满意";
    ValUnsatisfied => "unsatisfied", "不满意";
    ValUnreached => "unreached", "未联系上";

    // What the command line says while it works.
    CliLoadingPct => "loading {}: {}% ({} records)", "正在加载 {}：{}%（{} 条记录）";
    CliSkippedMalformed => "shiftdeck: skipped {} malformed line(s) of {}", "shiftdeck：跳过了 {} 行格式错误的数据（共 {} 行）";
    CliFirstShown => " (first {} shown)", "（仅显示前 {} 条）";
    CliSkippedUnknown => "shiftdeck: skipped {} record(s) of unknown type '{}'", "shiftdeck：跳过了 {} 条未知类型 '{}' 的记录";
    CliSkippedRecords => "shiftdeck: skipped {} malformed record(s)", "shiftdeck：跳过了 {} 条格式错误的记录";
    CliSimWrote => "wrote {}: {} lines, {} contacts, {} surveys, {} feedback items, {} agent states in {} s", "已写入 {}：{} 行，{} 条会话、{} 份调查、{} 条客诉反馈、{} 条坐席状态，用时 {} 秒";
    CliServing => "simulating into {} and serving the floor feed on http://{}/feed (Ctrl-C stops)", "正在模拟写入 {}，并在 http://{}/feed 提供现场数据（Ctrl-C 停止）";
    CliSimStopped => "shiftdeck: the simulator stopped: {}", "shiftdeck：模拟器已停止：{}";
    CliPathConfig => "config file: {}", "配置文件：{}";
    CliPathData => "data dir:    {}", "数据目录：{}";
    CliPathState => "state dir:   {} (logs)", "状态目录：{}（日志）";
    CliShowFrom => "# effective configuration (from {})", "# 生效的配置（来自 {}）";
    CliShowDefaults => "# effective configuration (built-in defaults; no config file)", "# 生效的配置（内置默认值；没有配置文件）";

    // Agents (spec section 8): the snapshot's table, `report agents` and the Agents pane.
    AgTblHead => "Agents: {} listed, {} flagged (flagged first)", "坐席：共 {} 人，{} 人有标记（有标记的在前）";
    AgColId => "id", "工号";
    AgColTeam => "team", "班组";
    AgColState => "state", "状态";
    AgColInState => "in state", "持续";
    AgColHandled => "handled", "已处理";
    AgColQaAvg => "QA avg", "质检均分";
    AgColQaChecked => "QA checked", "已质检";
    AgColSpotLeft => "spot left", "待抽检";
    AgColCritical => "critical", "致命差错";
    AgFlagBreakOver => "long break", "休息超时";
    AgFlagAhtOver => "AHT high", "处理时长偏高";
    AgFlagFcrUnder => "FCR low", "一次解决率偏低";
    AgFlagCsatUnder => "CSAT low", "满意度偏低";
    AgFlagCriticalError => "critical error", "致命差错";
    AgFlagQaLow => "QA low", "质检分偏低";
    AgStateAvailable => "available", "空闲";
    AgStateBusy => "busy", "忙碌";
    AgStateWrap => "wrap", "整理";
    AgStateBreak => "break", "休息";
    AgStateOffline => "offline", "离线";
    AgRptTitle => "# Agents {} – {} ({})\n", "# 坐席表现 {} – {}（{}）\n";
    AgRptIntro => "One row per agent: the period's figures of the agent's own contacts, the lead's spot checks of them and the flags to look at. Flagged agents first, then by team and name.\n", "每位坐席一行：本期该坐席本人会话的指标、班组长对这些会话的抽检，以及需要关注的标记。有标记的坐席在前，其余按班组和姓名排列。\n";
    AgRptHeader => "| Agent | Id | Team | Handled | AHT | FCR | Transfer | CSAT | NPS | Occupancy | QA checked | QA avg | Critical errors | Flags |", "| 坐席 | 工号 | 班组 | 已处理 | 平均处理时长 | 一次解决率 | 转接率 | 客户满意度 | 净推荐值 | 占用率 | 已质检 | 质检均分 | 致命差错 | 标记 |";
    AgRptNone => "No agents in this period.", "本期没有坐席数据。";
    AgRptFlagsHead => "\n## Flags\n", "\n## 标记说明\n";
    AgRptFlagsText => "- long break: on break longer than {} min now; AHT high / FCR low / CSAT low: the figure beyond its KPI's alert threshold with n ≥ {}; critical error: any in the period's spot checks; QA low: QA average below {} of 20.", "- 休息超时：当前休息超过 {} 分钟；处理时长偏高 / 一次解决率偏低 / 满意度偏低：样本数 ≥ {} 且该指标越过告警线；致命差错：本期抽检中出现任何致命差错；质检分偏低：质检均分低于 {} 分（满分 20）。";
    AgCsvOccupancy => "occupancy", "占用率";
    AgCsvTransfer => "transfer_rate", "转接率";
    AgCsvFlags => "flags", "标记";
    AgCsvName => "name", "姓名";
    AgCsvTeam => "team", "班组";
    AgCsvHandled => "handled", "已处理";
    AgCsvQaChecked => "qa_checked", "已质检";
    AgCsvQaAvg => "qa_avg", "质检均分";
    AgCsvCsatN => "csat_n", "满意度样本数";
    // `report handover`.
    HoTitle => "# Shift handover {} – {} ({})\n", "# 交接班报告 {} – {}（{}）\n";
    HoIntro => "Written at {} for the incoming lead: the shift's KPIs against target, the alerts that fired, open feedback, spot checks, staffing ahead and the lead's notes.\n", "生成于 {}，供接班组长阅读：本班指标对比目标、触发的告警、未结客诉、抽检、后续人力和组长备注。\n";
    HoKpiHead => "## KPIs against target\n", "## 指标对比目标\n";
    HoKpiHeader => "| KPI | Value | Target | Gap | Status | n |", "| 指标 | 数值 | 目标 | 差距 | 状态 | 样本数 |";
    HoAlertsHead => "\n## Alerts that fired\n", "\n## 触发的告警\n";
    HoAlertsNone => "No alert fired in this shift.", "本班没有触发告警。";
    HoAlertsHeader => "| Alert | Severity | Fired | Cleared | Acknowledged | Message |", "| 告警 | 级别 | 触发 | 解除 | 确认 | 内容 |";
    HoStillOpen => "still open", "仍未解除";
    HoAckBy => "{} at {}", "{}于 {} 确认";
    HoNotAcked => "not acknowledged", "未确认";
    HoFeedbackHead => "\n## Open feedback ({} open, {} overdue)\n", "\n## 未结客诉（未结 {} 条，逾期 {} 条）\n";
    HoFeedbackNone => "No open feedback.", "没有未结客诉。";
    HoFeedbackHeader => "| Item | Stage | Owner | Due | |", "| 条目 | 阶段 | 负责人 | 期限 | |";
    HoNoOwner => "unassigned", "未分配";
    HoSpotHead => "\n## Spot checks\n", "\n## 抽检\n";
    HoSpotText => "{}: {} scored; {} left of the {} contacts on the day's list ({} random, {} targeted).", "{}：已评分 {} 条；剩余 {} 条（当日名单共 {} 条：随机 {} 条，定向 {} 条）。";
    HoStaffHead => "\n## Staffing ahead\n", "\n## 后续人力\n";
    HoStaffHeader => "| Queue | Needed now | Staffed now | Next short interval | Short by | Intervals short / ahead | Most short |", "| 队列 | 当前需要 | 当前在岗 | 下一个缺人时段 | 缺人数 | 缺人时段 / 后续时段 | 最大缺口 |";
    HoStaffNone => "No queue on the floor.", "现场没有队列。";
    HoNoShort => "none ahead", "后续无";
    HoNotesHead => "\n## The lead's notes ({})\n", "\n## 组长备注（{}）\n";
    HoNotesNone => "No KPI notes for this week.", "本周没有指标备注。";
    HoNote => "- **{}** cause: {}; action: {} ({}, {})", "- **{}** 原因：{}；措施：{}（{}，{}）";
    HoCsvSection => "section", "部分";
    HoCsvItem => "item", "条目";
    HoCsvWho => "who", "人员";
    HoCsvAt => "at", "时间";
    HoCsvUntil => "until", "截止";
    HoCsvDetail => "detail", "说明";
    HoCsvOverdue => "overdue", "逾期";
    HoSecKpi => "kpi", "指标";
    HoSecAlert => "alert", "告警";
    HoSecFeedback => "feedback", "客诉";
    HoSecSpot => "spot_check", "抽检";
    HoSecStaffing => "staffing", "人力";
    HoSecNote => "note", "备注";
    ErrShift => "--shift {}: expected local times like 08:00-16:00", "--shift {}：应为当地时间段（如 08:00-16:00）";
    HoAckedLine => "Acknowledged by {} at {}.\n", "接班组长 {} 已于 {} 确认。\n";
    HoNotAckedLine => "Not acknowledged by the incoming lead yet.\n", "接班组长尚未确认。\n";
    HoSecAck => "acknowledged", "确认";
    // The console's handover view (key O).
    HoViewTitle => " Handover {} – {} ", " 交接班 {} – {} ";
    HoViewWaiting => "Putting the handover together…", "正在生成交接班内容…";
    HoViewAcked => "✓ acknowledged by {} at {}", "✓ 已由 {} 于 {} 确认接班";
    HoViewNotAcked => "not acknowledged yet: Enter acknowledges it as {}", "尚未确认：按 Enter 以 {} 的名义确认接班";
    HoViewHint => "↑↓ scroll · Enter acknowledge · Esc close", "↑↓ 滚动 · Enter 确认接班 · Esc 关闭";
    HoViewSpot => "{} scored, {} left of {} on the list ({} random, {} targeted)", "已评分 {} 条，剩余 {} 条（名单共 {} 条：随机 {}，定向 {}）";
    HoViewStaff => "{}: needed {}, staffed {}; next short {} by {}; {}/{} short ahead", "{}：需要 {}，在岗 {}；下一个缺人时段 {} 缺 {} 人；后续 {}/{} 个时段缺人";
    HoViewStaffOk => "{}: needed {}, staffed {}; none short ahead", "{}：需要 {}，在岗 {}；后续无缺人时段";
    HoAckSaved => "handover acknowledged (saved)", "已确认接班（已保存）";
    HoAckEarlier => "handover already acknowledged by {} at {}", "交接班已由 {} 于 {} 确认";
    HoAckFailed => "handover acknowledgement not saved: {}", "接班确认未保存：{}";
    HoAckNotReady => "the handover is not ready yet", "交接班内容尚未就绪";
    HoAckSaving => "saving the acknowledgement…", "正在保存确认…";
    CtxHandover => "Handover", "交接班";
    KeyAckHandoverHelp => "acknowledge the handover (saved with your name and the time)", "确认接班（连同你的名字和时间保存）";
    KeyCloseHandover => "close the handover", "关闭交接班";
    HelpHandover => "the shift handover (today); acknowledge it", "交接班（今日），可确认接班";
    // The console's Agents pane (key 5) and its legend in `?`.
    PaneAgents => "Agents", "坐席";
    AgPaneTitle => " 5 Agents · {} flagged · {} ", " 5 坐席 · {} 人有标记 · {} ";
    AgPaneState => "state", "状态";
    AgPaneInState => "in state", "持续";
    AgPaneQueue => "queue", "队列";
    AgPaneTeam => "team", "班组";
    AgPaneHandled => "hdl", "处理";
    AgPaneAht => "AHT", "时长";
    AgPaneFcr => "FCR", "一解";
    AgPaneTransfer => "xfer", "转接";
    AgPaneCsat => "CSAT", "满意";
    AgPaneQa => "QA", "质检";
    AgPaneSpot => "spot", "待检";
    AgPaneFlags => "flags", "标记";
    AgPaneNone => "No agent on the floor yet.", "现场还没有坐席。";
    AgPaneNoneFiltered => "No agent matches the filter ({}).", "没有符合筛选条件（{}）的坐席。";
    HelpAgentsHead => "Agents pane: flags (symbol, colour) and columns", "坐席面板：标记（符号、颜色）与各列";
    HelpAgBreakOver => "  {}  long break: on break over [agents] break_max_min (15 min)", "  {}  休息超时：休息超过 [agents] break_max_min（15 分钟）";
    HelpAgAhtOver => "  {}  AHT high: beyond its alert line, n ≥ [agents] min_n", "  {}  处理时长偏高：越过告警线，样本 ≥ [agents] min_n";
    HelpAgFcrUnder => "  {}  FCR low: beyond its alert line, n ≥ [agents] min_n", "  {}  一次解决率偏低：越过告警线，样本 ≥ [agents] min_n";
    HelpAgCsatUnder => "  {}  CSAT low: beyond its alert line, n ≥ [agents] min_n", "  {}  满意度偏低：越过告警线，样本 ≥ [agents] min_n";
    HelpAgCritical => "  {}  critical error in the window's spot checks (red)", "  {}  致命差错：本时段抽检中出现（红色）";
    HelpAgQaLow => "  {}  QA low: QA average under [agents] qa_min (14 of 20, red)", "  {}  质检分偏低：均分低于 [agents] qa_min（14/20，红色）";
    HelpAgColumns => "  hdl handled · xfer transfers · QA avg of 20 · spot left today", "  处理 已处理 · 转接 转接率 · 质检 均分/20 · 待检 今日未评";
    KeyAgentsPane => "Agents pane (takes the Spot checks' place)", "坐席面板（占用抽检的位置）";
    CtxAgents => "Agents pane", "坐席面板";
    KeySort => "sort", "排序";
    KeySortHelp => "sort by the next column", "按下一列排序";
    KeySortReverse => "reverse the sort", "反转排序";
    KeyFlaggedFirst => "flagged first", "标记优先";
    KeyFlaggedFirstHelp => "flagged agents first (on/off)", "有标记的坐席排在前面（开/关）";
    HuddleAgTitle => " Agents: figures on target ", " 坐席：达标的指标 ";
    HuddleAgNote => "A to Z, figures on target only; no ranking", "按姓名排列，只列达标的指标，不做排名";
    HuddleAgNone => "No agent figure on target yet.", "还没有达标的坐席指标。";
    CtxCoach => "Coaching view", "辅导视图";
    KeyCloseCoach => "close the coaching view", "关闭辅导视图";
    KeyCoachPrev => "previous contact of today's sample", "今日抽样的上一条会话";
    KeyCoachNext => "next contact of today's sample", "今日抽样的下一条会话";
    KeyCoachScore => "score the contact (the scorecard form)", "为该会话评分（评分表）";
    KeyScore => "score", "评分";
    KeyScroll => "scroll", "滚动";
    // The coaching view (Enter on an agent).
    CoTitle => " {} · coaching · Esc to close ", " {} · 辅导 · Esc 关闭 ";
    CoHead => "{} · team {} · {} {} · queue {}", "{} · 班组 {} · {} {} · 队列 {}";
    CoNoTeam => "none", "无";
    CoFlags => "Flags: {}", "标记：{}";
    CoNoFlags => "No flag.", "无标记。";
    CoKpiHead => "KPI", "指标";
    CoAgent => "agent", "本人";
    CoTeam => "team", "班组";
    CoTarget => "target", "目标";
    CoByHour => "by hour", "按小时";
    CoTrendHead => "Last {} days, oldest to today", "最近 {} 天（从早到今天）";
    CoSampleHead => "Today's spot-check sample: {} contact(s), Enter scores", "今日抽检样本：{} 条会话，Enter 评分";
    CoSampleNone => "No contact of this agent in today's sample.", "今日样本中没有该坐席的会话。";
    CoScoresHead => "Scored spot checks, last {} days: {}", "最近 {} 天已评分的抽检：{} 条";
    CoScoresNone => "No scored spot check.", "没有已评分的抽检。";
    CoCritical => "critical: {}", "致命差错：{}";
    CoCritCustomer => "customer", "客户";
    CoCritBusiness => "business", "业务";
    CoCritCompliance => "compliance", "合规";
    CoFeedbackHead => "Feedback of this agent's customers: {}", "该坐席客户的客诉反馈：{} 条";
    CoFeedbackNone => "No feedback item.", "没有客诉反馈。";
    CoMore => "↓ more (PgDn)", "↓ 更多 (PgDn)";
    CoWaiting => "The figures by hour and by day come with the next computation.", "按小时、按天的数据将在下次计算后显示。";
    // The config file (docs/configuration.md): what is wrong with a key.
    CfgUnreadable => "cannot read it (named by {}): {}", "无法读取（由 {} 指定）：{}";
    CfgDefaultLocation => "the default location", "默认位置";
    CfgIoNotFound => "no such file", "文件不存在";
    CfgIoDenied => "permission denied", "没有权限";
    CfgIoFolder => "it is a folder", "这是一个文件夹";
    CfgIoNotUtf8 => "not UTF-8 text", "不是 UTF-8 文本";
    CfgSyntax => "invalid TOML: {}", "TOML 格式错误：{}";
    CfgWrongType => "expected {}, found {}", "应为{}，实为{}";
    CfgUnknownKey => "unknown key (expected one of: {})", "未知的键（可用：{}）";
    CfgMissingKey => "missing key `{}`", "缺少键 `{}`";
    CfgUnknownValue => "unknown value {} (expected one of: {})", "未知取值 {}（可用：{}）";
    CfgUnknownKpi => "unknown KPI '{}' (expected one of: {})", "未知指标 '{}'（可用：{}）";
    CfgInvalid => "invalid value: {}", "取值无效：{}";
    CfgEmpty => "must not be empty", "不能为空";
    CfgBetween => "must be between {} and {}, got {}", "必须在 {} 到 {} 之间，实为 {}";
    CfgHoursNotPositive => "must be more than 0 hours, got {}", "必须大于 0 小时，实为 {}";
    CfgRateRange => "must be more than 0 and at most 1 (0.10 = 10 %), got {}", "必须大于 0 且不超过 1（0.10 即 10%），实为 {}";
    CfgUnknownTimeZone => "unknown time zone '{}' (use an IANA name such as 'Asia/Shanghai')", "未知时区 '{}'（请用 IANA 名称，如 'Asia/Shanghai'）";
    CfgKpiOutOfRange => "{} is out of range: {}", "{} 超出范围：{}";
    CfgRangeNps => "NPS runs from -100 to 100", "NPS 的范围是 -100 到 100";
    CfgRangeRate => "rates are fractions from 0 to 1 (write 0.88 for 88 %)", "比率是 0 到 1 之间的小数（88% 写作 0.88）";
    CfgRangeNonNegative => "must not be negative", "不能为负数";
    CfgNoDefaultTarget => "this KPI has no default target: give both `target` and `direction`", "该指标没有默认目标：请同时给出 `target` 和 `direction`";
    CfgAlertBelowWarn => "alert {} is below warn {} for a lower-is-better KPI; set `alert` (and `warn`) so the alert lies at or beyond warn", "该指标越低越好，告警值 {} 却低于预警值 {}；告警值应不低于预警值，请调整 `alert`（和 `warn`）";
    CfgAlertAboveWarn => "alert {} is above warn {} for a higher-is-better KPI; set `alert` (and `warn`) so the alert lies at or beyond warn", "该指标越高越好，告警值 {} 却高于预警值 {}；告警值应不高于预警值，请调整 `alert`（和 `warn`）";
    CfgMinutesTooFew => "must be at least 1 minute, got {}", "至少 1 分钟，实为 {}";
    CfgMinutesTooMany => "{} minutes is too large", "{} 分钟太长";
    CfgResolutionBeforeResponse => "resolution_min {} is shorter than first_response_min {}", "resolution_min {} 短于 first_response_min {}";
    CfgTokenEnvNotAName => "must be the NAME of an environment variable (letters, digits, _), not the token itself", "应填环境变量的名称（字母、数字、_），而不是令牌本身";
    CfgTwoTokenSources => "give only one of token_env and token_file", "token_env 和 token_file 只能给一个";
    CfgUrlNotHttp => "expected an http:// or https:// URL", "应为 http:// 或 https:// 地址";
    CfgUrlNoHost => "the URL has no host", "地址中没有主机名";
    CfgStoreUrlNotPostgres => "expected a postgres:// URL", "应为 postgres:// 地址";
    CfgStoreUrlPassword => "the URL carries a password; put it in store.password_env or store.password_file instead", "地址中带有密码；请把密码放在 store.password_env 或 store.password_file 中";
    CfgStoreUrlParam => "the URL may carry only sslmode (disable, allow, prefer, require, verify-ca, verify-full)", "地址只能带 sslmode 参数（disable、allow、prefer、require、verify-ca、verify-full）";
    CfgTwoPasswordSources => "give store.password_env or store.password_file, not both", "store.password_env 与 store.password_file 只能二选一";
    CfgUrlCredentials => "the URL carries credentials; put the token in source.token_env or source.token_file instead", "地址中带有凭据；请把令牌放在 source.token_env 或 source.token_file 中";
    CfgUrlSecretInQuery => "the URL carries a secret in its query; put the token in source.token_env or source.token_file instead", "地址的查询参数中带有密钥；请把令牌放在 source.token_env 或 source.token_file 中";
    CfgNoHomeForTilde => "cannot expand '~': no home folder", "无法展开 '~'：没有主目录";
    CfgDimensionCount => "needs 1 to 9 dimensions, got {}", "需要 1 到 9 个维度，实为 {}";
    CfgWebhookUrlSources => "give exactly one of url, url_env and url_file", "url、url_env 和 url_file 须且只能给一个";
    CfgWebhookSecretSources => "give only one of secret_env and secret_file", "secret_env 和 secret_file 只能给一个";
    CfgWebhookUrlSecret => "this robot URL is itself a secret: give it with url_env or url_file, never in the config file", "此机器人地址本身就是密钥：请通过 url_env 或 url_file 提供，不要写在配置文件中";
    CfgWebhookSecretNotDingtalk => "only a dingtalk webhook has a signing secret", "只有 dingtalk 机器人才有加签密钥";
    // …what a value should have been, and what it was.
    CfgTable => "a table", "表";
    CfgArray => "an array", "数组";
    CfgExpText => "a string", "字符串";
    CfgExpNumber => "a number", "数字";
    CfgExpHours => "a number of hours", "小时数";
    CfgExpFraction => "a fraction such as 0.10", "小数（如 0.10）";
    CfgExpWhole => "a whole number", "整数";
    CfgExpSeconds => "a whole number of seconds", "整秒数";
    CfgExpMinutes => "a whole number of minutes", "整分钟数";
    CfgExpTexts => "an array of strings", "字符串数组";
    CfgExpPaths => "a file path or an array of file paths", "文件路径或文件路径数组";
    CfgExpValue => "a value", "一个值";
    CfgFoundText => "string {}", "字符串 {}";
    CfgFoundInteger => "integer {}", "整数 {}";
    CfgFoundFloat => "float {}", "小数 {}";
    CfgFoundBoolean => "boolean {}", "布尔值 {}";
    CfgFoundDatetime => "datetime {}", "日期时间 {}";
    // `config show`: the comments that stand for keys with no value.
    CfgShowNoTarget => "# [targets.{}]: no target", "# [targets.{}]：无目标";
    CfgShowNoWarn => "# warn: not set (the target itself)", "# warn：未设置（即目标值本身）";
    CfgShowNoAlert => "# alert: not set (never alerts)", "# alert：未设置（从不告警）";
    CfgShowNoResolution => "# resolution_min: not set (no resolution target)", "# resolution_min：未设置（无解决时限）";
    CfgShowNoCrm => "# crm: not set", "# crm：未设置";
    CfgShowNoTokenEnv => "# token_env: not set", "# token_env：未设置";
    CfgShowNoTokenFile => "# token_file: not set", "# token_file：未设置";
    CfgShowNoName => "# name: not set (entries are signed with the login name)", "# name：未设置（录入以登录名署名）";
    // Where the config and data live.
    CfgNoHomeForConfig => "no home folder to find the config file in; pass --config or set {}", "没有主目录，找不到配置文件；请用 --config 指定，或设置 {}";
    CfgNoHomeForData => "no home folder to keep data in; pass --data-dir", "没有主目录，无处保存数据；请用 --data-dir 指定";
    // Data files that cannot be read as they are.
    ErrFileIsFifo => "{} is a FIFO (named pipe), not a regular file: shiftdeck reads regular files only; save the feed to a file and give that", "{} 是 FIFO（命名管道），不是普通文件：shiftdeck 只读取普通文件；请先把数据写入文件再指定该文件";
    ErrFileIsDevice => "{} is a device, not a regular file: shiftdeck reads regular files only", "{} 是设备，不是普通文件：shiftdeck 只读取普通文件";
    ErrFileIsDirectory => "{} is a folder, not a file: give the NDJSON file inside it", "{} 是文件夹，不是文件：请指定其中的 NDJSON 文件";
    ErrFileIsSocket => "{} is a socket, not a regular file: shiftdeck reads regular files only", "{} 是套接字，不是普通文件：shiftdeck 只读取普通文件";
    ErrFileNotRegular => "{} is not a regular file: shiftdeck reads regular files only", "{} 不是普通文件：shiftdeck 只读取普通文件";
    ErrLineTooLong => "line longer than {} MB (skipped)", "行长度超过 {} MB（已跳过）";
    // How a polled source is read, said in the header.
    NoteRetryCapped => "the server asked to wait {}; trying again in {}, the longest wait (r: now)", "服务器要求等待 {}；将在 {} 后重试（最长等待，按 r 立即重试）";
    NoteCached => "showing the floor cached at {} while the source is read", "显示 {} 缓存的现场数据，正在读取数据源";
    NotePaged => "the feed still says \"more\" after {} pages: read in batches of at most that many pages or {} MB", "数据源在 {} 页后仍提示还有更多：分批读取，每批最多这么多页或 {} MB";
    UnitSeconds => "{} s", "{} 秒";
    UnitMinutes => "{} min", "{} 分钟";
    UnitHours => "{} h", "{} 小时";
    UnitDays => "{} d", "{} 天";
    // The token file, refused without quoting it.
    ErrTokenFileNotRegular => "the token file {} is not a regular file (a device or a pipe): give a file that holds the token alone", "令牌文件 {} 不是普通文件（是设备或管道）：请指定只含令牌的文件";
    ErrTokenFileTooLarge => "the token file {} is larger than {} KB: a token file holds the token alone", "令牌文件 {} 超过 {} KB：令牌文件应只含令牌";
    ErrTokenFileNotText => "the token file {} is not UTF-8 text: a token file holds the token alone", "令牌文件 {} 不是 UTF-8 文本：令牌文件应只含令牌";
    // A followed file read again from the start (header, for a few seconds).
    NoticeFileRotated => "{} was rotated (a new file has its name): read again from line 1", "{} 已轮转（同名的新文件）：从第 1 行重新读取";
    NoticeFileTruncated => "{} was truncated: read again from line 1", "{} 被截短：从第 1 行重新读取";
    NoticeFileRewritten => "{} was rewritten in place: read again from line 1", "{} 被原地改写：从第 1 行重新读取";
    // Alert webhooks: the message a chat group receives, and why a post failed.
    WhFired => "ALERT · {}", "告警 · {}";
    WhCleared => "CLEARED · {}", "已恢复 · {}";
    WhSince => "since {}", "始于 {}";
    WhClearedAt => "cleared {} (since {})", "{} 恢复（始于 {}）";
    WhErrUrlInvalid => "{}: not an http(s) URL with a host (not quoted here: it holds the robot's key)", "{}：不是带主机名的 http(s) 地址（此处不引用：其中含机器人密钥）";
    WhErrPlainHttp => "{}: plain http to {} would send the robot's key in clear; use https (plain http only to a loopback address)", "{}：用明文 http 连接 {} 会泄露机器人密钥；请用 https（明文 http 仅限本机回环地址）";
    WhErrStatus => "the webhook answered HTTP {}", "Webhook 返回 HTTP {}";
    WhErrRateLimited => "the webhook asked to slow down (too many messages)", "Webhook 要求放慢发送（消息过多）";
    WhErrErrcode => "the robot refused the message: errcode {} (“{}”)", "机器人拒收消息：`errcode` {}（“{}”）";
    WhErrNoErrcode => "the robot's answer has no errcode: is the URL a robot's?", "机器人的应答中没有 `errcode`：该地址是机器人地址吗？";
    WhErrTimeout => "no answer within {} s", "{} 秒内无应答";
    WhErrNetwork => "cannot reach the webhook: {}", "无法连接 Webhook：{}";
    // `shiftdeck watch`.
    WatchNoSource => "`watch` needs a source: `--file PATH`, `--crm URL`, or `[source] file` or `crm` in the config", "`watch` 需要数据源：`--file 路径`、`--crm 地址`，或配置中的 `[source] file` / `crm`";
    WatchServeNeedsToken => "serving on {} (not a loopback address) needs a bearer token: give --token-env NAME or --token-file PATH", "在 {} 上提供服务（非本机回环地址）需要持有者令牌：请用 --token-env 变量名 或 --token-file 路径 提供";
    WatchToken => "the hub's bearer token: {}", "中心节点的持有者令牌：{}";
    WatchBind => "cannot serve on {}: {}", "无法在 {} 上提供服务：{}";
    WatchJournal => "cannot create the hub's journal {}: {}", "无法创建中心节点的数据日志 {}：{}";
    WatchServing => "serving the followed floor on http://{}/feed (loopback only, no token)", "正在 http://{}/feed 提供所跟随的现场数据（仅本机回环，无令牌）";
    WatchServingToken => "serving the followed floor on http://{}/feed; every request must carry the bearer token", "正在 http://{}/feed 提供所跟随的现场数据；每个请求都须携带持有者令牌";
    // Alerts (spec section 10): messages, severities, the header strip and the overlay.
    AlertKpiAlert => "{} {} in alert (threshold {})", "{} {}，已进入告警（阈值 {}）";
    AlertKpiWarn => "{} {} in warn (threshold {})", "{} {}，已进入预警（阈值 {}）";
    AlertQueueWaiting => "queue {}: {} waiting (limit {})", "队列 {}：{} 人排队（上限 {}）";
    AlertQueueLongestWait => "queue {}: longest wait {} (limit {})", "队列 {}：最长等待 {}（上限 {}）";
    AlertSlaDueSoon => "{} contact {}: SLA due in {}", "{}会话 {}：SLA 剩余 {}";
    AlertSlaBreached => "{} contact {}: SLA breached {} ago", "{}会话 {}：SLA 已超时 {}";
    AlertFeedbackOverdue => "feedback {} overdue (owner {})", "客诉反馈 {} 已逾期（负责人 {}）";
    AlertFeedbackOverdueNoOwner => "feedback {} overdue (no owner)", "客诉反馈 {} 已逾期（无负责人）";
    AlertStaffingGap => "queue {}: {} agents needed, {} staffed, for {} min or more", "队列 {}：需要 {} 名坐席，在岗 {} 名，已持续 {} 分钟以上";
    AlertStaffingAhead => "queue {}: {} agents short in {} min (forecast needs {}, counts on {})", "队列 {}：将缺 {} 名坐席，{} 分钟后开始（预测需要 {} 名，可用 {} 名）";
    AlertAgent => "agent {}: {}", "坐席 {}：{}";
    AlertCleared => "cleared: {}", "已解除：{}";
    SevCritical => "critical", "严重";
    SevWarn => "warn", "预警";
    SevInfo => "info", "提示";
    StripCritical => "▲{} crit", "▲严重 {}";
    StripWarn => "!{} warn", "!预警 {}";
    StripInfo => "·{} info", "·提示 {}";
    AlertsTitle => " Alerts ", " 告警 ";
    AlertsActive => "Active ({})", "进行中（{}）";
    AlertsRecent => "Cleared recently", "最近已解除";
    AlertsNone => "No alerts.", "暂无告警。";
    AlertsAckedBy => "✓ {} {}", "✓ {} {}确认";
    AlertsHint => "↑↓ select · Enter acknowledge · Esc close", "↑↓ 选择 · Enter 确认 · Esc 关闭";
    AlertAckSaved => "alert acknowledged (saved)", "告警已确认（已保存）";
    AlertAckEarlier => "already acknowledged by {}", "已由 {} 确认";
    AlertAckFailed => "acknowledgement not saved: {}", "确认未保存：{}";
    AlertAckNoStore => "acknowledgement not saved: the store is not available", "确认未保存：存储不可用";
    CtxAlerts => "Alerts", "告警列表";
    KeyAck => "acknowledge", "确认";
    KeyAckHelp => "acknowledge the selected alert (saved with your name and the time)", "确认所选告警（连同你的名字和时间保存）";
    KeyCloseAlerts => "close the alerts", "关闭告警列表";
    HelpAlerts => "alerts: the active and recently cleared ones; acknowledge", "告警：进行中与最近解除的，可确认";
}
