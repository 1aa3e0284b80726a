//! The parks of the seeds: names, zones, levels, towns, partners, planned areas and
//! industries (seed 001 表1-1 and 附件五, 000, 003), with rough places (geodata/README.md).
//! What no seed says is named in each park's `estimated`.

use crate::domain::Utility;

/// One park of the seeds.
pub struct ParkFact {
    pub id: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub level: &'static str,
    pub city: &'static str,
    pub county: Option<&'static str>,
    pub towns: &'static [&'static str],
    pub partner_city: Option<&'static str>,
    /// The zone it is a part of (`ZONES`).
    pub zone: Option<&'static str>,
    pub leading_industries: &'static [&'static str],
    /// Industries cultivated beside the leading ones.
    pub cultivated_industries: &'static [&'static str],
    /// The planned area in km² from the seeds (None where no seed gives it); the parts'
    /// areas add up to it.
    pub planned_area_km2: Option<f64>,
    /// (lon, lat, share of the planned area): one entry per separate part of the park;
    /// none for a park no seed places (it is recorded, not drawn).
    pub parts: &'static [(f64, f64, f64)],
    /// The utilities in place (the rest are listed under `utilities` as being built or planned).
    pub infrastructure: &'static [Utility],
    /// Utilities being built now, from the seeds.
    pub building: &'static [Utility],
    /// No seed gives a date: an estimate, always in `estimated`; no plot is supplied before it.
    pub established: &'static str,
    pub source: &'static str,
    /// The fields that are estimates, not facts of a seed.
    pub estimated: &'static [&'static str],
    /// Land price of industrial land, 万元/亩 (a generated range, by city grade).
    pub price_wan_per_mu: (f64, f64),
    /// Share of the planned area laid out in plots (the rest is not yet planned in detail).
    pub plotted_share: f64,
    /// Whether logistics land (1101) is common here.
    pub logistics: bool,
}

const SEVEN: &[Utility] = &Utility::STANDARD;
/// Seed 001: 各园区配套污水处理厂 are still being built.
const SEWAGE: &[Utility] = &[Utility::Sewage];

const SEED_001: &str = "种子文件001《广州与清远对口帮扶协作“十四五”规划》（2022年1月）表1-1、附件五";
const SEED_000: &str = "种子文件000《清城区承接产业有序转移促进区域协调发展实施方案》";
const SEED_003: &str = "种子文件003《湛江市承接珠三角地区产业转移实施方案（征求意见稿）》";
/// 001: 2017 年以来，广州帮扶推进配套基础设施 107 项 ... 八大园区平台: the support began
/// in 2017, the parks' own founding dates are in no seed.
const GUANGZHOU_SUPPORT_FROM: &str = "2017-01-01";
const ESTIMATED: &[&str] = &["established"];

/// A zone: parks that are parts of one whole (id, name_zh, name_en, city, source).
pub const ZONES: &[(&str, &str, &str, &str, &str)] = &[(
    "GQZ",
    "广清经济特别合作区",
    "Guangqing Special Economic Cooperation Zone",
    "清远市",
    "种子文件001：形成“一区三园一城”管理模式（广清产业园、广佛产业园、广德产业园、广清空港现代物流产业新城）",
)];

pub const PARKS: &[ParkFact] = &[
    ParkFact {
        id: "GQ-01",
        name_zh: "广清经济特别合作区广清产业园",
        name_en: "Guangqing Industrial Park (Guangqing Special Economic Cooperation Zone)",
        level: "cooperation_park",
        city: "清远市",
        county: Some("清城区"),
        towns: &["石角镇"],
        partner_city: Some("广州市"),
        zone: Some("GQZ"),
        leading_industries: &["新材料", "智能家居", "汽车零部件", "生物科技"],
        cultivated_industries: &[],
        planned_area_km2: Some(28.7),
        parts: &[(113.08, 23.50, 1.0)],
        infrastructure: SEVEN,
        building: SEWAGE,
        established: GUANGZHOU_SUPPORT_FROM,
        source: SEED_001,
        estimated: ESTIMATED,
        price_wan_per_mu: (22.0, 30.0),
        plotted_share: 0.45,
        logistics: false,
    },
    ParkFact {
        id: "GQ-02",
        name_zh: "广清经济特别合作区广德（英德）产业园",
        name_en: "Guangde (Yingde) Industrial Park",
        level: "cooperation_park",
        city: "清远市",
        county: Some("英德市"),
        towns: &["英红镇", "横石塘镇"],
        partner_city: Some("广州市"),
        zone: Some("GQZ"),
        leading_industries: &["装备制造", "生物科技", "新材料", "茶产业", "生态旅游"],
        cultivated_industries: &[],
        planned_area_km2: Some(36.25),
        parts: &[(113.28, 24.28, 1.0)],
        infrastructure: SEVEN,
        building: SEWAGE,
        established: GUANGZHOU_SUPPORT_FROM,
        source: SEED_001,
        estimated: ESTIMATED,
        price_wan_per_mu: (14.0, 20.0),
        plotted_share: 0.35,
        logistics: false,
    },
    ParkFact {
        id: "GQ-03",
        name_zh: "广清经济特别合作区广佛（佛冈）产业园",
        name_en: "Guangfo (Fogang) Industrial Park",
        level: "cooperation_park",
        city: "清远市",
        county: Some("佛冈县"),
        towns: &["汤塘镇"],
        partner_city: Some("广州市"),
        zone: Some("GQZ"),
        leading_industries: &["新材料", "电子信息", "时尚产业（含美妆）", "装备制造", "生物医药"],
        cultivated_industries: &[],
        planned_area_km2: Some(25.9),
        parts: &[(113.45, 23.75, 1.0)],
        infrastructure: SEVEN,
        building: SEWAGE,
        established: GUANGZHOU_SUPPORT_FROM,
        source: SEED_001,
        estimated: ESTIMATED,
        price_wan_per_mu: (18.0, 26.0),
        plotted_share: 0.45,
        logistics: false,
    },
    ParkFact {
        id: "GQ-04",
        name_zh: "广清经济特别合作区广清空港现代物流产业新城",
        name_en: "Guangqing Airport Modern Logistics New Town",
        level: "cooperation_park",
        city: "清远市",
        county: Some("清城区"),
        towns: &["源潭镇"],
        partner_city: Some("广州市"),
        zone: Some("GQZ"),
        leading_industries: &["现代物流", "智能装备", "商务贸易", "现代农业"],
        cultivated_industries: &[],
        planned_area_km2: Some(37.0),
        parts: &[(113.17, 23.64, 1.0)],
        infrastructure: SEVEN,
        building: SEWAGE,
        established: GUANGZHOU_SUPPORT_FROM,
        source: SEED_001,
        estimated: ESTIMATED,
        price_wan_per_mu: (20.0, 28.0),
        plotted_share: 0.35,
        logistics: true,
    },
    ParkFact {
        id: "GQ-05",
        name_zh: "广东清远高新技术产业开发区",
        name_en: "Qingyuan National High-tech Industrial Development Zone",
        level: "cooperation_park",
        city: "清远市",
        // 表1-1 gives only "清远市高新区": no county, no town. Placed by the
        // city (an estimate, in `estimated`).
        county: None,
        towns: &[],
        partner_city: Some("广州市"),
        zone: None,
        leading_industries: &["新材料", "新能源", "装备制造", "电子信息", "生物医药", "现代服务业"],
        cultivated_industries: &[],
        planned_area_km2: Some(80.2),
        parts: &[(112.98, 23.72, 1.0)],
        infrastructure: SEVEN,
        building: SEWAGE,
        established: GUANGZHOU_SUPPORT_FROM,
        source: SEED_001,
        estimated: &["established", "place"],
        price_wan_per_mu: (20.0, 30.0),
        plotted_share: 0.30,
        logistics: false,
    },
    ParkFact {
        id: "GQ-06",
        name_zh: "广州花都（清新）产业转移工业园",
        name_en: "Guangzhou Huadu (Qingxin) Industrial Transfer Park",
        level: "cooperation_park",
        city: "清远市",
        county: Some("清新区"),
        towns: &["禾云镇", "太平镇"],
        partner_city: Some("广州市花都区"),
        zone: None,
        leading_industries: &["先进装备制造", "汽车零配件", "环保表面处理"],
        cultivated_industries: &[],
        // Placed between 禾云 and 太平 (estimate), north-west of the high-tech zone.
        planned_area_km2: Some(70.9),
        parts: &[(112.88, 23.80, 1.0)],
        infrastructure: SEVEN,
        building: SEWAGE,
        established: GUANGZHOU_SUPPORT_FROM,
        source: SEED_001,
        estimated: ESTIMATED,
        price_wan_per_mu: (16.0, 24.0),
        plotted_share: 0.25,
        logistics: false,
    },
    ParkFact {
        id: "GQ-07",
        name_zh: "广州白云（英德）产业转移工业园",
        name_en: "Guangzhou Baiyun (Yingde) Industrial Transfer Park",
        level: "cooperation_park",
        city: "清远市",
        county: Some("英德市"),
        towns: &["东华镇", "桥头镇"],
        partner_city: Some("广州市白云区"),
        zone: None,
        leading_industries: &["新材料", "新能源", "机械装备制造", "综合产业"],
        cultivated_industries: &[],
        planned_area_km2: Some(118.0),
        parts: &[(113.42, 24.05, 1.0)],
        infrastructure: SEVEN,
        building: SEWAGE,
        established: GUANGZHOU_SUPPORT_FROM,
        source: SEED_001,
        estimated: ESTIMATED,
        price_wan_per_mu: (12.0, 18.0),
        plotted_share: 0.18,
        logistics: false,
    },
    ParkFact {
        id: "GQ-08",
        name_zh: "广东连州市产业转移工业园（清远民族工业园）",
        name_en: "Lianzhou Industrial Transfer Park (Qingyuan Ethnic Industrial Park)",
        level: "cooperation_park",
        city: "清远市",
        county: Some("连州市"),
        towns: &["城南"],
        partner_city: Some("广州市"),
        zone: None,
        leading_industries: &["高端制造", "都市农业", "新能源", "新材料", "非金属矿业"],
        cultivated_industries: &[],
        planned_area_km2: Some(92.3),
        parts: &[(112.38, 24.75, 1.0)],
        infrastructure: SEVEN,
        building: SEWAGE,
        established: GUANGZHOU_SUPPORT_FROM,
        source: SEED_001,
        estimated: ESTIMATED,
        price_wan_per_mu: (8.0, 14.0),
        plotted_share: 0.15,
        logistics: false,
    },
    ParkFact {
        id: "QY-01",
        name_zh: "飞来峡预制菜产业园",
        name_en: "Feilaixia Prepared-Food Industrial Park",
        level: "county_park",
        city: "清远市",
        county: Some("清城区"),
        towns: &["飞来峡镇"],
        partner_city: None,
        zone: None,
        leading_industries: &["预制菜", "食品加工", "冷链物流"],
        cultivated_industries: &[],
        // About 460 亩 at 石梨村 (seed 000): 460 / 1500 km².
        planned_area_km2: Some(460.0 / 1500.0),
        parts: &[(113.22, 23.80, 1.0)],
        // 000: 六个标段 build the roads, the water works, the power connection and
        // the sewage works: none is finished in the seed.
        infrastructure: &[],
        building: &[Utility::Road, Utility::WaterSupply, Utility::Power, Utility::Sewage],
        // 000 is dated 2024 and plans the park's first phase (一期).
        established: "2024-01-01",
        source: SEED_000,
        estimated: &["established", "leading_industries"],
        price_wan_per_mu: (18.0, 24.0),
        plotted_share: 0.85,
        logistics: true,
    },
    ParkFact {
        id: "ZJ-01",
        name_zh: "湛江市承接产业转移主平台",
        name_en: "Zhanjiang Main Platform for Industrial Transfer",
        level: "main_platform",
        city: "湛江市",
        // Its three parts, not towns: 奋勇产业转移工业园, 雷州经开区, 雷州高铁新城 (003);
        // they lie in more than one county.
        county: None,
        towns: &["奋勇产业转移工业园", "雷州经开区", "雷州高铁新城"],
        partner_city: Some("广州市"),
        zone: None,
        leading_industries: &["新能源", "新材料", "电子信息"],
        cultivated_industries: &["装备制造", "现代轻工纺织"],
        // 80 km² across 奋勇 and 雷州 (seed 003): drawn as two parts, 奋勇 and the two
        // 雷州 parts together, split 45/35 (an estimate).
        planned_area_km2: Some(80.0),
        parts: &[(110.15, 21.08, 0.5625), (110.10, 20.92, 0.4375)],
        // 003 sets 七通一平 as a goal (推进产业园区…“七通一平”标准化建设): what is in
        // place is an estimate.
        infrastructure: &[Utility::Road, Utility::WaterSupply, Utility::Drainage, Utility::Power, Utility::Telecom],
        building: &[Utility::Sewage],
        // The platform (2023 targets) is drawn over older parks (003: 以省级以上工业园区
        // 和湛江大型产业集聚区规划范围为空间基础): the date stands for the oldest part's.
        established: "2010-01-01",
        source: SEED_003,
        estimated: &["established", "infrastructure"],
        price_wan_per_mu: (10.0, 18.0),
        plotted_share: 0.28,
        logistics: false,
    },
    ParkFact {
        id: "QY-02",
        name_zh: "广清纺织服装产业有序转移园",
        name_en: "Guangqing Textile and Garment Industry Transfer Park",
        // 000: 全力打造承接珠三角产业有序转移的主平台、首选地 (清城区's platform).
        level: "main_platform",
        city: "清远市",
        county: Some("清城区"),
        towns: &[],
        partner_city: None,
        zone: None,
        leading_industries: &["纺织服装"],
        cultivated_industries: &[],
        // No seed gives its place or its area: recorded, not drawn, and holding no plot.
        planned_area_km2: None,
        parts: &[],
        infrastructure: &[],
        building: &[],
        established: "2024-01-01",
        source: SEED_000,
        estimated: &["established"],
        price_wan_per_mu: (18.0, 26.0),
        plotted_share: 0.0,
        logistics: false,
    },
];
