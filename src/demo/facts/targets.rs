//! The parks' targets as the seeds give them: seed 001 附件五 (each of the eight Qingyuan
//! parks' 2025 figures, all 预计: projections) and seed 003 (the Zhanjiang main platform's
//! 2023, 2027 and 2035 goals).

pub struct TargetFact {
    pub park_id: &'static str,
    pub year: i32,
    pub indicator: &'static str,
    pub industry: Option<&'static str>,
    pub value: f64,
    pub unit: &'static str,
    /// cumulative, new_in_year, annual (a year's flow) or unstated.
    pub basis: &'static str,
    /// exact, or at_least (超, 超过).
    pub bound: &'static str,
    /// 预计 in the source: a projection, not a goal.
    pub projection: bool,
    pub label_zh: &'static str,
    pub source: &'static str,
}

const ANNEX_5: &str = "种子文件001 附件五：广州对口帮扶清远共建产业园区表（注：【】为累计数）";
const SEED_003: &str = "种子文件003《湛江市承接珠三角地区产业转移实施方案（征求意见稿）》";

/// One of 附件五's figures for one park.
const fn a5(park_id: &'static str, indicator: &'static str, value: f64, unit: &'static str, basis: &'static str, label_zh: &'static str) -> TargetFact {
    TargetFact { park_id, year: 2025, indicator, industry: None, value, unit, basis, bound: "exact", projection: true, label_zh, source: ANNEX_5 }
}

/// 附件五's four columns for one park: 亿元以上项目数 (个), 完成投资额 (万元, in 【】: cumulative),
/// 税收总收入 (万元), 产值规模 (亿元).
const fn annex_5(park_id: &'static str, projects: f64, investment: f64, tax: f64, output: f64) -> [TargetFact; 4] {
    [
        // Not in 【】, so not cumulative; whether new in 2025 or standing then, unsaid.
        a5(park_id, "projects_over_100m_yuan", projects, "个", "unstated", "2025年预计亿元以上项目数"),
        a5(park_id, "investment", investment, "万元", "cumulative", "2025年预计完成投资额（累计）"),
        a5(park_id, "tax", tax, "万元", "annual", "2025年预计税收总收入"),
        a5(park_id, "output", output, "亿元", "annual", "2025年预计产值规模"),
    ]
}

/// One of 003's goals for the Zhanjiang main platform: a row of a table.
#[allow(clippy::too_many_arguments)]
const fn zj(
    year: i32,
    indicator: &'static str,
    industry: Option<&'static str>,
    value: f64,
    unit: &'static str,
    basis: &'static str,
    bound: &'static str,
    label_zh: &'static str,
) -> TargetFact {
    TargetFact { park_id: "ZJ-01", year, indicator, industry, value, unit, basis, bound, projection: false, label_zh, source: SEED_003 }
}

pub const ANNEX_5_ROWS: &[[TargetFact; 4]] = &[
    annex_5("GQ-01", 260.0, 5_000_000.0, 80_000.0, 500.0),
    annex_5("GQ-02", 63.0, 1_335_000.0, 42_400.0, 100.0),
    annex_5("GQ-03", 25.0, 2_000_000.0, 30_000.0, 70.0),
    annex_5("GQ-04", 15.0, 640_000.0, 29_500.0, 82.0),
    annex_5("GQ-05", 50.0, 500_000.0, 50_000.0, 100.0),
    annex_5("GQ-06", 53.0, 360_000.0, 65_000.0, 115.0),
    annex_5("GQ-07", 60.0, 590_000.0, 65_600.0, 373.0),
    annex_5("GQ-08", 20.0, 300_000.0, 40_000.0, 130.0),
];

pub const ZHANJIANG: &[TargetFact] = &[
    // 到2023年，力争实现主平台当年新增工业投资130亿元（含定制厂房），实现规上工业产值62亿元、
    // 规上工业增加值12亿元，完成税收1.5亿元.
    zj(2023, "industrial_investment", None, 130.0, "亿元", "new_in_year", "exact", "当年新增工业投资（含定制厂房）"),
    zj(2023, "industrial_output", None, 62.0, "亿元", "annual", "exact", "规上工业产值"),
    zj(2023, "value_added", None, 12.0, "亿元", "annual", "exact", "规上工业增加值"),
    zj(2023, "tax", None, 1.5, "亿元", "annual", "exact", "税收"),
    // 到2027年，主平台承接珠三角和国内外产业转移项目超过500家，实现规上工业产值超2500亿元，
    // 规上工业增加值超650亿元，工业投资超过2500亿元，税收超过90亿元. Whether the projects and
    // the investment count from the start, the seed does not say.
    zj(2027, "projects", None, 500.0, "家", "unstated", "at_least", "承接珠三角和国内外产业转移项目"),
    zj(2027, "industrial_output", None, 2500.0, "亿元", "annual", "at_least", "规上工业产值"),
    zj(2027, "value_added", None, 650.0, "亿元", "annual", "at_least", "规上工业增加值"),
    zj(2027, "industrial_investment", None, 2500.0, "亿元", "unstated", "at_least", "工业投资"),
    zj(2027, "tax", None, 90.0, "亿元", "annual", "at_least", "税收"),
    // 到2035年，主平台打造1个超2000亿产值的新能源产业集群，2个超1000亿产值的新材料、装备制造
    // 产业集群，2个超500亿产值的电子信息和现代轻工纺织产业集群.
    zj(2035, "cluster_output", Some("新能源"), 2000.0, "亿元", "annual", "at_least", "新能源产业集群产值"),
    zj(2035, "cluster_output", Some("新材料"), 1000.0, "亿元", "annual", "at_least", "新材料产业集群产值"),
    zj(2035, "cluster_output", Some("装备制造"), 1000.0, "亿元", "annual", "at_least", "装备制造产业集群产值"),
    zj(2035, "cluster_output", Some("电子信息"), 500.0, "亿元", "annual", "at_least", "电子信息产业集群产值"),
    zj(2035, "cluster_output", Some("现代轻工纺织"), 500.0, "亿元", "annual", "at_least", "现代轻工纺织产业集群产值"),
];

/// Every target, 附件五's first.
pub fn all() -> impl Iterator<Item = &'static TargetFact> {
    ANNEX_5_ROWS.iter().flatten().chain(ZHANJIANG)
}
