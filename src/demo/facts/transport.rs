//! Transport: the nodes and expressways of the demo. Names from the seeds where they name
//! them (`source`), else real places near the parks; every place is an estimate near the
//! real one (geodata/README.md says where each comes from).

/// One transport node. `opens_on`: the expected opening of a node not open yet, where a
/// seed gives one (none does today).
pub struct NodeFact {
    pub id: &'static str,
    pub kind: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub status: &'static str,
    pub opens_on: Option<&'static str>,
    pub line: &'static str,
    pub lon: f64,
    pub lat: f64,
    /// The seed that names it, with its words; None for nodes no seed names.
    pub source: Option<&'static str>,
}

const fn node(id: &'static str, kind: &'static str, name_zh: &'static str, name_en: &'static str, line: &'static str, lon: f64, lat: f64) -> NodeFact {
    NodeFact { id, kind, name_zh, name_en, status: "existing", opens_on: None, line, lon, lat, source: None }
}

const fn named(n: NodeFact, source: &'static str) -> NodeFact {
    NodeFact { source: Some(source), ..n }
}

const fn planned(n: NodeFact) -> NodeFact {
    NodeFact { status: "planned", ..n }
}

const HI: &str = "highway_interchange";
const RS: &str = "rail_station";
const RF: &str = "rail_freight";
const PT: &str = "port";
const AP: &str = "airport";

pub const NODES: &[NodeFact] = &[
    // Highway interchanges (高速出入口): no seed names one; places near the real ones.
    node("HI-01", HI, "石角出入口", "Shijiao interchange", "广清高速", 113.060, 23.535),
    node("HI-02", HI, "清远出入口", "Qingyuan interchange", "广清高速", 113.040, 23.700),
    node("HI-03", HI, "清新出入口", "Qingxin interchange", "二广高速", 112.990, 23.745),
    node("HI-04", HI, "太平出入口", "Taiping interchange", "二广高速", 112.960, 23.775),
    node("HI-05", HI, "禾云出入口", "Heyun interchange", "二广高速", 112.880, 23.850),
    node("HI-06", HI, "连州出入口", "Lianzhou interchange", "二广高速", 112.410, 24.735),
    node("HI-07", HI, "源潭出入口", "Yuantan interchange", "许广高速", 113.150, 23.670),
    node("HI-08", HI, "汤塘出入口", "Tangtang interchange", "京港澳高速", 113.400, 23.735),
    node("HI-09", HI, "佛冈出入口", "Fogang interchange", "京港澳高速", 113.520, 23.860),
    node("HI-10", HI, "飞来峡出入口", "Feilaixia interchange", "广乐高速", 113.230, 23.775),
    node("HI-11", HI, "桥头出入口", "Qiaotou interchange", "广乐高速", 113.450, 24.000),
    node("HI-12", HI, "东华出入口", "Donghua interchange", "广乐高速", 113.440, 24.090),
    node("HI-13", HI, "英德出入口", "Yingde interchange", "广乐高速", 113.370, 24.170),
    node("HI-14", HI, "英红出入口", "Yinghong interchange", "汕昆高速", 113.300, 24.240),
    node("HI-15", HI, "横石塘出入口", "Hengshitang interchange", "汕昆高速", 113.245, 24.330),
    node("HI-16", HI, "白云机场北出入口", "Baiyun Airport North interchange", "机场高速", 113.300, 23.420),
    node("HI-17", HI, "奋勇出入口", "Fenyong interchange", "沈海高速", 110.175, 21.095),
    node("HI-18", HI, "雷州出入口", "Leizhou interchange", "沈海高速", 110.115, 20.935),
    node("HI-19", HI, "湛江港出入口", "Zhanjiang Port interchange", "湛江疏港高速", 110.380, 21.205),
    node("HI-20", HI, "吴川出入口", "Wuchuan interchange", "沈海高速", 110.575, 21.460),
    // Rail passenger stations.
    node("RS-01", RS, "清远站", "Qingyuan railway station", "武广高铁", 113.175, 23.625),
    node("RS-02", RS, "源潭站", "Yuantan railway station", "京广铁路", 113.155, 23.645),
    node("RS-03", RS, "飞霞站", "Feixia station", "广清城际", 113.0794, 23.7440),
    named(node("RS-04", RS, "银盏站", "Yinzhan station", "广清城际", 113.100, 23.600), "种子文件001：推进清远磁浮旅游专线银盏站至长隆主题公园段"),
    node("RS-05", RS, "英德站", "Yingde railway station", "京广铁路", 113.400, 24.180),
    node("RS-06", RS, "英德西站", "Yingde West railway station", "武广高铁", 113.290, 24.200),
    node("RS-07", RS, "湛江西站", "Zhanjiang West railway station", "深湛铁路", 110.330, 21.200),
    // 003 names neither the station nor its line: it names 雷州高铁新城 and 湛海高铁, which
    // runs from 湛江 south to 海安 past 雷州 (合湛 comes in from 合浦 in the west).
    planned(named(
        node("RS-08", RS, "雷州高铁站（规划）", "Leizhou high-speed station (planned)", "湛海高铁", 110.060, 20.900),
        "种子文件003：开工建设合湛高铁、湛海高铁",
    )),
    // Rail freight.
    named(node("RF-01", RF, "源潭货运站", "Yuantan freight station", "京广铁路", 113.160, 23.650), "种子文件001：以源潭货运站北移新建为契机"),
    node("RF-02", RF, "英德货场", "Yingde freight yard", "京广铁路", 113.410, 24.165),
    node("RF-03", RF, "清远东货场", "Qingyuan East freight yard", "京广铁路", 113.200, 23.600),
    named(
        node("RF-06", RF, "湛江西货站", "Zhanjiang West freight station", "黎湛铁路", 110.320, 21.215),
        "种子文件003：依托湛江西货站，积极推进湛江西铁路物流基地建设",
    ),
    // 源潭货运站 is to move north (001); where to is not said: a place north of the old one.
    planned(named(
        node("RF-07", RF, "源潭货运站（北移新建）", "Yuantan freight station, new site (planned)", "京广铁路", 113.165, 23.700),
        "种子文件001：以源潭货运站北移新建为契机",
    )),
    // Ports and wharves.
    named(node("PT-01", PT, "清远港", "Qingyuan Port", "北江", 112.996, 23.689), "种子文件001：加强清远港与广州港对接"),
    node("PT-02", PT, "清远港石角港区", "Qingyuan Port, Shijiao area", "北江", 113.040, 23.520),
    node("PT-03", PT, "英德港", "Yingde Port", "北江", 113.395, 24.185),
    node("PT-04", PT, "清远港飞来峡港区", "Qingyuan Port, Feilaixia area", "北江", 113.240, 23.790),
    node("PT-05", PT, "湛江港", "Zhanjiang Port", "湛江湾", 110.4106, 21.1986),
    node("PT-06", PT, "湛江港霞山港区", "Zhanjiang Port, Xiashan area", "湛江湾", 110.400, 21.180),
    named(node("PT-07", PT, "宝满港区", "Baoman port area", "湛江湾", 110.360, 21.135), "种子文件003：加快宝满港区铁路专用线建设"),
    // 广州港's inland end nearest the parks (黄埔), as 002 ties 清远's ports to it.
    named(node("PT-08", PT, "广州港", "Port of Guangzhou", "珠江", 113.450, 23.090), "种子文件002：以广州港为龙头,整合清远的港口资源"),
    // Airports.
    named(node("AP-01", AP, "广州白云国际机场", "Guangzhou Baiyun International Airport", "", 113.2989, 23.3925), "种子文件001：完善与广州白云机场的交通连接"),
    named(node("AP-02", AP, "湛江吴川国际机场", "Zhanjiang Wuchuan International Airport", "", 110.5903, 21.4817), "种子文件003：支持湛江吴川机场发展航空货运"),
    planned(named(
        node("AP-03", AP, "连州支线机场（规划）", "Lianzhou regional airport (planned)", "", 112.350, 24.790),
        "种子文件001：协助推进连州支线机场、英德通用机场在2025年前动工",
    )),
    planned(named(
        node("AP-04", AP, "英德通用机场（规划）", "Yingde general aviation airport (planned)", "", 113.350, 24.150),
        "种子文件001：协助推进连州支线机场、英德通用机场在2025年前动工",
    )),
];

/// Expressways as chains of interchanges (and the airports' interchange), drawn as
/// straight-ish lines between them: (name, interchange ids in order).
pub const EXPRESSWAYS: &[(&str, &[&str])] = &[
    ("广清高速", &["HI-16", "HI-01", "HI-02", "HI-03"]),
    ("二广高速", &["HI-03", "HI-04", "HI-05", "HI-06"]),
    ("许广高速", &["HI-16", "HI-07", "HI-10"]),
    ("清远东连线", &["HI-02", "HI-07"]),
    ("京港澳高速", &["HI-07", "HI-08", "HI-09"]),
    ("广乐高速", &["HI-10", "HI-11", "HI-12", "HI-13"]),
    ("汕昆高速", &["HI-13", "HI-14", "HI-15"]),
    ("沈海高速", &["HI-18", "HI-17", "HI-19", "HI-20"]),
];

/// A line through rough places, lon/lat.
pub type Course = &'static [(f64, f64)];

/// Expressways being built that the seeds name (002: 加快建设佛清从高速、广连高速等在建项目):
/// (name, status, the line through rough places, lon/lat). Kept and drawn, not routed.
/// geodata/README.md quotes the phrase.
pub const UNBUILT_EXPRESSWAYS: &[(&str, &str, Course)] = &[
    ("广连高速", "under_construction", &[(113.22, 23.45), (113.00, 23.55), (112.80, 23.70), (112.70, 24.10), (112.60, 24.45), (112.45, 24.66)]),
    ("佛清从高速", "under_construction", &[(112.95, 23.38), (113.05, 23.42), (113.25, 23.52), (113.55, 23.58)]),
];
