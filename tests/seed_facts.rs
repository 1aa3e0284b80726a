//! The demo data told true to the seeds (issue #18): a table of seed facts, each with its
//! seed file and the phrase that states it, and the value the loaded demo holds for it.
//! The phrases are checked against the seed files (a copy in docs/seeds/), the values
//! against the database; geodata/README.md quotes the same phrases.

mod common;

use std::collections::BTreeMap;

/// One fact: the seed file (000..004), its words, a query that returns the stored value as
/// text, and that value.
struct Fact {
    seed: &'static str,
    phrase: &'static str,
    sql: &'static str,
    stored: &'static str,
}

const fn fact(seed: &'static str, phrase: &'static str, sql: &'static str, stored: &'static str) -> Fact {
    Fact { seed, phrase, sql, stored }
}

/// The eight parks of 表1-1 and 附件五 as `GQ-01,…,GQ-08`.
const EIGHT: &str = "GQ-01,GQ-02,GQ-03,GQ-04,GQ-05,GQ-06,GQ-07,GQ-08";

const FACTS: &[Fact] = &[
    // ---- Levels and zones ----
    fact("001", "形成“一区三园一城”管理模式", "SELECT name_zh FROM zones WHERE id = 'GQZ'", "广清经济特别合作区"),
    fact(
        "001",
        "强化广清产业园、广佛（佛冈）产业园、广德（英德）产业园、广清空港现代物流产业新城（即“三园一城”）的协调发展",
        "SELECT string_agg(id, ',' ORDER BY id) FROM parks WHERE zone_id = 'GQZ'",
        "GQ-01,GQ-02,GQ-03,GQ-04",
    ),
    fact(
        "003",
        "在奋勇产业转移工业园、雷州经开区、雷州高铁新城划定80平方公里作为湛江市承接产业转移主平台规划范围",
        "SELECT level || ' ' || planned_area_km2 || ' ' || array_to_string(towns, '、') FROM parks WHERE id = 'ZJ-01'",
        "main_platform 80 奋勇产业转移工业园、雷州经开区、雷州高铁新城",
    ),
    // 000 makes the textile park 清城's platform and gives no place or area: recorded, not drawn.
    fact(
        "000",
        "高起点高标准推进广清纺织服装产业有序转移园平台建设，全力打造承接珠三角产业有序转移的主平台、首选地",
        "SELECT name_zh || ' ' || level || ' ' || county || ' ' || (boundary IS NULL) || ' ' || (planned_area_km2 IS NULL) FROM parks WHERE id = 'QY-02'",
        "广清纺织服装产业有序转移园 main_platform 清城区 true true",
    ),
    fact("004", "支持粤东粤西粤北12个地市和珠三角3个地市各打造一个承接产业转移主平台", "SELECT string_agg(id, ',' ORDER BY id) FROM parks WHERE level = 'main_platform'", "QY-02,ZJ-01"),
    fact("001", "附件五：广州对口帮扶清远共建产业园区表", "SELECT string_agg(id, ',' ORDER BY id) FROM parks WHERE level = 'cooperation_park'", EIGHT),
    // 表1-1 places 清远高新区 only as 清远市高新区: no county, no town, and its place is marked an estimate.
    fact("001", "清远市高新区", "SELECT coalesce(county, '-') || '|' || cardinality(towns) || '|' || ('place' = ANY(estimated)) FROM parks WHERE id = 'GQ-05'", "-|0|true"),
    fact("000", "以飞来峡预制菜产业园建设为主抓手", "SELECT level || ' ' || county FROM parks WHERE id = 'QY-01'", "county_park 清城区"),
    // ---- Titles ----
    fact(
        "000",
        "《清城区承接产业有序转移促进区域协调发展实施方案》",
        "SELECT position('《清城区承接产业有序转移促进区域协调发展实施方案》' in source) > 0 FROM parks WHERE id = 'QY-01'",
        "true",
    ),
    fact(
        "003",
        "湛江市承接珠三角地区产业转移实施方案",
        "SELECT position('《湛江市承接珠三角地区产业转移实施方案（征求意见稿）》' in source) > 0 FROM parks WHERE id = 'ZJ-01'",
        "true",
    ),
    fact("003", "（征求意见稿）", "SELECT count(*) FROM targets WHERE park_id = 'ZJ-01' AND source LIKE '%（征求意见稿）》'", "14"),
    fact(
        "001",
        "《广州与清远对口帮扶协作“十四五”规划》",
        "SELECT count(*) FROM parks WHERE id LIKE 'GQ-%' AND source LIKE '%《广州与清远对口帮扶协作“十四五”规划》%'",
        "8",
    ),
    // ---- Industries ----
    fact(
        "003",
        "主平台着力发展新能源、新材料、电子信息三大主导产业，积极培育装备制造、现代轻工纺织等产业发展",
        "SELECT array_to_string(leading_industries, '、') || '|' || array_to_string(cultivated_industries, '、') FROM parks WHERE id = 'ZJ-01'",
        "新能源、新材料、电子信息|装备制造、现代轻工纺织",
    ),
    fact("001", "重点发展新材料、智能家居、汽车零部件、生物科技等产业集群", "SELECT array_to_string(leading_industries, '、') FROM parks WHERE id = 'GQ-01'", "新材料、智能家居、汽车零部件、生物科技"),
    fact("001", "重点发展装备制造、生物科技、新材料、茶产业、生态旅游等产业", "SELECT array_to_string(leading_industries, '、') FROM parks WHERE id = 'GQ-02'", "装备制造、生物科技、新材料、茶产业、生态旅游"),
    fact(
        "001",
        "重点发展新材料、电子信息、时尚产业（含美妆）、装备制造、生物医药产业集群",
        "SELECT array_to_string(leading_industries, '、') FROM parks WHERE id = 'GQ-03'",
        "新材料、电子信息、时尚产业（含美妆）、装备制造、生物医药",
    ),
    fact("001", "重点发展现代物流、智能装备、商务贸易、现代农业等产业集群", "SELECT array_to_string(leading_industries, '、') FROM parks WHERE id = 'GQ-04'", "现代物流、智能装备、商务贸易、现代农业"),
    fact(
        "001",
        "重点发展新材料、新能源、装备制造、电子信息、生物医药、现代服务业“5+1”产业体系",
        "SELECT array_to_string(leading_industries, '、') FROM parks WHERE id = 'GQ-05'",
        "新材料、新能源、装备制造、电子信息、生物医药、现代服务业",
    ),
    fact("001", "重点发展先进装备制造、汽车零配件、环保表面处理等产业", "SELECT array_to_string(leading_industries, '、') FROM parks WHERE id = 'GQ-06'", "先进装备制造、汽车零配件、环保表面处理"),
    fact("001", "新材料产业、新能源产业、机械装备制造产业、综合产业", "SELECT array_to_string(leading_industries, '、') FROM parks WHERE id = 'GQ-07'", "新材料、新能源、机械装备制造、综合产业"),
    fact("001", "重点发展高端制造、都市农业、新能源、新材料、非金属矿业等产业", "SELECT array_to_string(leading_industries, '、') FROM parks WHERE id = 'GQ-08'", "高端制造、都市农业、新能源、新材料、非金属矿业"),
    // ---- Targets: 附件五, every park's four 2025 figures, all 预计, investment cumulative ----
    fact("001", "2025年预计完成投资额(万元)", "SELECT count(*) FROM targets WHERE indicator = 'investment' AND basis = 'cumulative' AND unit = '万元' AND projection", "8"),
    fact("001", "注：【】为累计数。", "SELECT count(*) FROM targets WHERE year = 2025 AND basis = 'cumulative'", "8"),
    fact("001", "1\t广清经济特别合作区广清产业园\t260\t【5000000】\t80000\t500", ANNEX_5_SQL_GQ01, "260 个 unstated;5000000 万元 cumulative;80000 万元 annual;500 亿元 annual"),
    fact("001", "2\t广清经济特别合作区广德(英德)产业园\t63\t【1335000】\t42400\t100", ANNEX_5_SQL_GQ02, "63 个 unstated;1335000 万元 cumulative;42400 万元 annual;100 亿元 annual"),
    fact("001", "3\t广清经济特别合作区广佛(佛冈)产业园\t25\t【2000000】\t30000\t70", ANNEX_5_SQL_GQ03, "25 个 unstated;2000000 万元 cumulative;30000 万元 annual;70 亿元 annual"),
    fact("001", "4\t广清经济特别合作区广清空港现代物流产业新城\t15\t【640000】\t29500\t82", ANNEX_5_SQL_GQ04, "15 个 unstated;640000 万元 cumulative;29500 万元 annual;82 亿元 annual"),
    fact("001", "5\t广东清远高新技术产业开发区\t50\t【500000】\t50000\t100", ANNEX_5_SQL_GQ05, "50 个 unstated;500000 万元 cumulative;50000 万元 annual;100 亿元 annual"),
    fact("001", "6\t广州花都(清新)产业转移工业园\t53\t【360000】\t65000\t115", ANNEX_5_SQL_GQ06, "53 个 unstated;360000 万元 cumulative;65000 万元 annual;115 亿元 annual"),
    fact("001", "7\t广州白云(英德)产业转移工业园\t60\t【590000】\t65600\t373", ANNEX_5_SQL_GQ07, "60 个 unstated;590000 万元 cumulative;65600 万元 annual;373 亿元 annual"),
    fact("001", "8\t广东连州市产业转移工业园(清远民族工业园)\t20\t【300000】\t40000\t130", ANNEX_5_SQL_GQ08, "20 个 unstated;300000 万元 cumulative;40000 万元 annual;130 亿元 annual"),
    // ---- Targets: the Zhanjiang main platform (003) ----
    fact("003", "力争实现主平台当年新增工业投资130亿元（含定制厂房）", ZJ_SQL_2023, "industrial_investment 130 亿元 new_in_year exact;industrial_output 62 亿元 annual exact;value_added 12 亿元 annual exact;tax 1.5 亿元 annual exact"),
    fact("003", "实现规上工业产值62亿元、规上工业增加值12亿元，完成税收1.5亿元", ZJ_SQL_2023, "industrial_investment 130 亿元 new_in_year exact;industrial_output 62 亿元 annual exact;value_added 12 亿元 annual exact;tax 1.5 亿元 annual exact"),
    fact(
        "003",
        "主平台承接珠三角和国内外产业转移项目超过500家，实现规上工业产值超2500亿元，规上工业增加值超650亿元，工业投资超过2500亿元，税收超过90亿元",
        ZJ_SQL_2027,
        "projects 500 家 unstated at_least;industrial_output 2500 亿元 annual at_least;value_added 650 亿元 annual at_least;industrial_investment 2500 亿元 unstated at_least;tax 90 亿元 annual at_least",
    ),
    fact(
        "003",
        "主平台打造1个超2000亿产值的新能源产业集群，2个超1000亿产值的新材料、装备制造产业集群，2个超500亿产值的电子信息和现代轻工纺织产业集群",
        ZJ_SQL_2035,
        "新能源 2000;新材料 1000;装备制造 1000;电子信息 500;现代轻工纺织 500",
    ),
    // ---- The fourteen land takes: park and investor only where a seed names them ----
    fact("001", "占地面积约 300 亩，总投资 21 亿元", "SELECT count(*) FROM projects", "14"),
    fact("001", "占地面积约 300 亩，总投资 21 亿元", PROJECT_SQL_JIANA, "-|-|300|210000"),
    fact("001", "项目位于广德园，占地面积 159 亩，总投资 12 亿元", PROJECT_SQL_XUESONG, "GQ-02|-|159|120000"),
    fact("001", "占地面积 356 亩，计划投资 10.2 亿元", PROJECT_SQL_GUANGSHENG, "-|广东广晟稀有金属光电新材料有限公司|356|102000"),
    fact("001", "项目位于广佛园，占地约 65844.5 平方米", PROJECT_SQL_ROCKWOOL, "GQ-03|洛科威防火保温材料（广州）有限公司|98.767|-"),
    fact("001", "位于广佛园区内，占地 231 亩", PROJECT_SQL_TINCI, "GQ-03|广州天赐高新材料股份有限公司|231|40000"),
    fact("001", "由广州广化塑料管道有限公司投资建设，目前入驻广佛园，用地 60 亩", PROJECT_SQL_GAOLANDE, "GQ-03|广州广化塑料管道有限公司|60|30000"),
    fact("001", "项目位于广州花都（清新）产业转移工业园，占地面积约 100 亩，计划总投资 8 亿元", PROJECT_SQL_YUTAI, "GQ-06|广东裕泰新材料有限公司|100|80000"),
    fact("001", "占地面积 705 亩，总投资 20.2 亿元", PROJECT_SQL_MINTH, "-|敏实集团投资有限公司|705|202000"),
    fact("001", "广东戴卡旭汽车零部件有限公司轻量化高强度铝合金轮毂搬迁扩产项目、立中锦山汽车铝合金轮毂配套项目", PROJECT_SQL_DAIKA, "GQ-02|广东戴卡旭汽车零部件有限公司|100|65500"),
    fact("001", "总投资 5 亿元，总占地面积 63360 m", PROJECT_SQL_CHANGHUA, "GQ-01|-|95.04|50000"),
    fact("001", "总投资 5.04 亿元，总占地面积 30343m", PROJECT_SQL_MINGKE, "GQ-01|-|45.515|50400"),
    fact("001", "总投资 4.5 亿元，占地面积约 80 亩", PROJECT_SQL_FUQIANG, "-|广东富强科技股份有限公司|80|45000"),
    fact("001", "腾讯华南云计算基地项目清城子项目", PROJECT_SQL_TENCENT, "GQ-05|腾讯|395|1000000"),
    fact("001", "总投资 50 亿元，分两期建设，一期占地面积约 700 亩", PROJECT_SQL_MINGPU, "-|-|700|500000"),
    fact("001", "清远天赐高新材料有限公司-年产 18.5 万吨日用化工新材料项目\t专用化学品制造\t2021-2023\t40000", "SELECT build_from || '-' || build_to FROM projects WHERE name LIKE '清远天赐%'", "2021-2023"),
    fact("001", "16\t广东高兰德新材料有限公司\t塑料制品业\t2021-2023\t30000", "SELECT build_from || '-' || build_to FROM projects WHERE name LIKE '广东高兰德%'", "2021-2023"),
    // 天赐 and 高兰德 hold land in 广佛园 already: plots of about their size, in their names.
    fact("001", "位于广佛园区内，占地 231 亩", PROJECT_HELD_SQL_TINCI, "GQ-03|清远天赐高新材料有限公司|true"),
    fact("001", "目前入驻广佛园，用地 60 亩", PROJECT_HELD_SQL_GAOLANDE, "GQ-03|广东高兰德新材料有限公司|true"),
    // ---- Transport: the nodes the seeds name, and what is planned or being built ----
    fact("003", "依托湛江西货站，积极推进湛江西铁路物流基地建设", "SELECT kind || ' ' || status FROM transport_nodes WHERE name_zh = '湛江西货站'", "rail_freight existing"),
    fact("003", "加快宝满港区铁路专用线建设", "SELECT kind || ' ' || status FROM transport_nodes WHERE name_zh = '宝满港区'", "port existing"),
    fact("002", "以广州港为龙头,整合清远的港口资源", "SELECT kind || ' ' || status FROM transport_nodes WHERE name_zh = '广州港'", "port existing"),
    fact("001", "加强清远港与广州港对接", "SELECT kind || ' ' || status FROM transport_nodes WHERE name_zh = '清远港'", "port existing"),
    fact("001", "以源潭货运站北移新建为契机", "SELECT string_agg(name_zh || ' ' || status, ';' ORDER BY id) FROM transport_nodes WHERE name_zh LIKE '源潭货运站%'", "源潭货运站 existing;源潭货运站（北移新建） planned"),
    fact(
        "001",
        "协助推进连州支线机场、英德通用机场在2025年前动工",
        "SELECT string_agg(id || ' ' || status, ';' ORDER BY id) FROM transport_nodes WHERE kind = 'airport' AND status <> 'existing'",
        "AP-03 planned;AP-04 planned",
    ),
    fact("003", "开工建设合湛高铁、湛海高铁", "SELECT status || ' ' || line FROM transport_nodes WHERE id = 'RS-08'", "planned 湛海高铁"),
    fact(
        "002",
        "加快建设佛清从高速、广连高速等在建项目",
        "SELECT string_agg(name || ' ' || status || ' ' || (source IS NULL), ';' ORDER BY name) FROM roads WHERE name IN ('广连高速', '佛清从高速')",
        "佛清从高速 under_construction true;广连高速 under_construction true",
    ),
    // ---- Dates: none is in a seed; each is labelled an estimate and no plot precedes its park ----
    fact("001", "2017 年以来，广州帮扶推进配套基础设施 107 项", "SELECT count(*) FROM parks WHERE NOT ('established' = ANY(estimated))", "0"),
    fact("001", "2017 年以来，广州帮扶推进配套基础设施 107 项", "SELECT count(*) FROM plots p JOIN parks k ON k.id = p.park_id WHERE p.supplied_on < k.established", "0"),
    fact(
        "000",
        "清远市清城区飞来峡预制菜产业园（一期）规划面积约460多亩",
        "SELECT count(*) FROM plots WHERE park_id = 'QY-01' AND status IN ('in_production', 'inefficient', 'idle')",
        "0",
    ),
    // ---- Utilities: 七通一平 at the eight, sewage works still being built ----
    fact(
        "001",
        "全部达到“七通一平”",
        "SELECT count(*) FROM parks WHERE id LIKE 'GQ-%' AND infrastructure @> ARRAY['road','water_supply','drainage','power','telecom','gas','public_transport','site_levelling'] AND NOT infrastructure && ARRAY['steam','rainwater','sewage']",
        "8",
    ),
    fact("001", "推进各园区配套污水处理厂建设工程项目", "SELECT count(*) FROM parks WHERE id LIKE 'GQ-%' AND utilities->'sewage'->>'status' = 'under_construction'", "8"),
    fact(
        "000",
        "标污水处理厂扩建工程",
        "SELECT string_agg(key, ',' ORDER BY key) FROM parks, jsonb_each(utilities) WHERE id = 'QY-01' AND value->>'status' = 'under_construction'",
        "power,road,sewage,water_supply",
    ),
    fact(
        "003",
        "推进产业园区道路通、给水通、排水通、电力通、网络通、燃气通、公共交通通和场地平整“七通一平”标准化建设",
        "SELECT 'infrastructure' = ANY(estimated) FROM parks WHERE id = 'ZJ-01'",
        "true",
    ),
];

/// A park's four 附件五 figures, value, unit and basis each, in the table's order.
macro_rules! annex_5_sql {
    ($park:literal) => {
        concat!(
            "SELECT string_agg(value || ' ' || unit || ' ' || basis, ';' ORDER BY id) FROM targets WHERE park_id = '",
            $park,
            "' AND year = 2025 AND projection"
        )
    };
}
const ANNEX_5_SQL_GQ01: &str = annex_5_sql!("GQ-01");
const ANNEX_5_SQL_GQ02: &str = annex_5_sql!("GQ-02");
const ANNEX_5_SQL_GQ03: &str = annex_5_sql!("GQ-03");
const ANNEX_5_SQL_GQ04: &str = annex_5_sql!("GQ-04");
const ANNEX_5_SQL_GQ05: &str = annex_5_sql!("GQ-05");
const ANNEX_5_SQL_GQ06: &str = annex_5_sql!("GQ-06");
const ANNEX_5_SQL_GQ07: &str = annex_5_sql!("GQ-07");
const ANNEX_5_SQL_GQ08: &str = annex_5_sql!("GQ-08");
const ZJ_SQL_2023: &str = "SELECT string_agg(indicator || ' ' || value || ' ' || unit || ' ' || basis || ' ' || bound, ';' ORDER BY id) FROM targets WHERE park_id = 'ZJ-01' AND year = 2023 AND NOT projection";
const ZJ_SQL_2027: &str = "SELECT string_agg(indicator || ' ' || value || ' ' || unit || ' ' || basis || ' ' || bound, ';' ORDER BY id) FROM targets WHERE park_id = 'ZJ-01' AND year = 2027 AND NOT projection";
const ZJ_SQL_2035: &str =
    "SELECT string_agg(industry || ' ' || value, ';' ORDER BY id) FROM targets WHERE park_id = 'ZJ-01' AND year = 2035 AND indicator = 'cluster_output' AND unit = '亿元' AND bound = 'at_least'";

/// park|investor|亩 (to 0.001)|investment in 万元, '-' for what the seed does not give.
macro_rules! project_sql {
    ($name_like:literal) => {
        concat!(
            "SELECT coalesce(park_id, '-') || '|' || coalesce(investor, '-') || '|' || round(demand_mu::numeric, 3)::float8 || '|' || coalesce(investment_wan::text, '-') FROM projects WHERE name LIKE '",
            $name_like,
            "'"
        )
    };
}
const PROJECT_SQL_JIANA: &str = project_sql!("广东佳纳能源%");
const PROJECT_SQL_XUESONG: &str = project_sql!("雪松新材料%");
const PROJECT_SQL_GUANGSHENG: &str = project_sql!("广晟新材%");
const PROJECT_SQL_ROCKWOOL: &str = project_sql!("洛科威%");
const PROJECT_SQL_TINCI: &str = project_sql!("清远天赐%");
const PROJECT_SQL_GAOLANDE: &str = project_sql!("广东高兰德%");
const PROJECT_SQL_YUTAI: &str = project_sql!("广东裕泰%");
const PROJECT_SQL_MINTH: &str = project_sql!("敏实%");
const PROJECT_SQL_DAIKA: &str = project_sql!("广东戴卡旭%");
const PROJECT_SQL_CHANGHUA: &str = project_sql!("长华%");
const PROJECT_SQL_MINGKE: &str = project_sql!("清远铭科%");
const PROJECT_SQL_FUQIANG: &str = project_sql!("广东富强%");
const PROJECT_SQL_TENCENT: &str = project_sql!("腾讯%");
const PROJECT_SQL_MINGPU: &str = project_sql!("铭普光磁%");

/// The plots a project holds: their park, their one land user, and whether they add up to
/// its land take within 5 %.
macro_rules! held_sql {
    ($name_like:literal) => {
        concat!(
            "SELECT string_agg(DISTINCT p.park_id, ',') || '|' || string_agg(DISTINCT p.land_user, ',') || '|' || (abs(sum(p.area_mu) - min(j.demand_mu)) <= 0.05 * min(j.demand_mu))
             FROM projects j JOIN project_plots pp ON pp.project_id = j.id JOIN plots p ON p.id = pp.plot_id WHERE j.name LIKE '",
            $name_like,
            "'"
        )
    };
}
const PROJECT_HELD_SQL_TINCI: &str = held_sql!("清远天赐%");
const PROJECT_HELD_SQL_GAOLANDE: &str = held_sql!("广东高兰德%");

/// Names the demo once held that no seed gives and that were invented.
const INVENTED: &[&str] = &["湛江南货场", "雷州货场"];

fn seeds() -> BTreeMap<String, String> {
    let dir = common::repo_dir().join("docs/seeds");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".txt") {
            continue;
        }
        out.insert(name[..3].to_string(), std::fs::read_to_string(&path).unwrap());
    }
    assert_eq!(out.keys().cloned().collect::<Vec<_>>(), ["000", "001", "002", "003", "004"]);
    out
}

#[test]
fn every_phrase_is_in_its_seed_and_no_invented_name_is_in_any() {
    let seeds = seeds();
    for f in FACTS {
        assert!(seeds[f.seed].contains(f.phrase), "seed {} does not say 「{}」", f.seed, f.phrase);
    }
    for name in INVENTED {
        assert!(seeds.values().all(|s| !s.contains(name)), "{name} is in a seed after all");
    }
}

#[tokio::test]
async fn the_demo_holds_what_the_seeds_say() {
    let db = common::demo().await;
    let mut wrong = Vec::new();
    for f in FACTS {
        let got: Option<String> =
            sqlx::query_scalar(&format!("SELECT ({})::text", f.sql)).fetch_one(&db.pool).await.unwrap_or_else(|e| panic!("{}: {e}", f.sql));
        if got.as_deref() != Some(f.stored) {
            wrong.push(format!("seed {} 「{}」\n  stored {:?}\n  wanted {:?}", f.seed, f.phrase, got, f.stored));
        }
    }
    assert!(wrong.is_empty(), "{} facts differ:\n{}", wrong.len(), wrong.join("\n"));
    let invented: i64 = sqlx::query_scalar("SELECT count(*) FROM transport_nodes WHERE name_zh = ANY($1)").bind(INVENTED).fetch_one(&db.pool).await.unwrap();
    assert_eq!(invented, 0, "an invented node is back");
}

/// The zone's ledger is its parks' ledgers added up.
#[tokio::test]
async fn the_ledger_rolls_the_zone_up_from_its_parks() {
    let db = common::demo().await;
    let app = common::app(&db);
    let r = common::get(&app, "/ledger").await;
    assert_eq!(r.status, 200);
    let ledger = r.json();
    let zones = ledger["zones"].as_array().unwrap();
    assert_eq!(zones.len(), 1);
    let zone = &zones[0];
    assert_eq!(zone["zone_id"], "GQZ");
    assert_eq!(zone["name_zh"], "广清经济特别合作区");
    assert_eq!(zone["park_ids"], serde_json::json!(["GQ-01", "GQ-02", "GQ-03", "GQ-04"]));
    let parts: Vec<&serde_json::Value> = ledger["parks"].as_array().unwrap().iter().filter(|p| p["zone_id"] == "GQZ").collect();
    let plots: i64 = parts.iter().map(|p| p["plots"].as_i64().unwrap()).sum();
    assert_eq!(zone["totals"]["plots"].as_i64().unwrap(), plots);
    let available: f64 = parts.iter().map(|p| p["by_status"]["available"]["area_mu"].as_f64().unwrap()).sum();
    assert!((zone["totals"]["by_status"]["available"]["area_mu"].as_f64().unwrap() - available).abs() < 0.01);
    assert!(zone["totals"]["plots"].as_i64().unwrap() < ledger["totals"]["plots"].as_i64().unwrap());
    let idle: f64 = parts.iter().map(|p| p["findings"]["idle"]["area_mu"].as_f64().unwrap()).sum();
    assert!(idle > 0.0 && (zone["totals"]["findings"]["idle"]["area_mu"].as_f64().unwrap() - idle).abs() < 0.01);
    // The one zone's parks are four of ten: the zone's idle land is less than all of it.
    assert!(zone["totals"]["findings"]["idle"]["area_mu"].as_f64().unwrap() < ledger["totals"]["findings"]["idle"]["area_mu"].as_f64().unwrap());
    let csv = String::from_utf8(common::get(&app, "/ledger?f=csv").await.body.clone()).unwrap();
    let gq01 = csv.lines().find(|l| l.starts_with("GQ-01,")).unwrap();
    assert!(gq01.contains(",广清经济特别合作区,"), "{gq01}");

    // Each park says which zone it is a part of, and its targets by year.
    let park = common::get(&app, "/collections/parks/items/GQ-01").await.json();
    assert_eq!(park["properties"]["zone_name"], "广清经济特别合作区");
    let t2025 = park["properties"]["targets"]["2025"].as_array().unwrap();
    assert_eq!(t2025.len(), 4);
    assert!(t2025.iter().all(|t| t["projection"] == true));
}

/// geodata/README.md quotes the seeds in 「」: every quote (its pieces around an ellipsis)
/// is in a seed.
#[test]
fn every_quote_in_the_data_readme_is_in_a_seed() {
    let seeds = seeds();
    let readme = std::fs::read_to_string(common::repo_dir().join("geodata/README.md")).unwrap();
    let mut quotes = 0;
    for quote in readme.split('「').skip(1).map(|q| q.split('」').next().unwrap()) {
        for piece in quote.split('…').filter(|p| !p.is_empty()) {
            assert!(seeds.values().any(|s| s.contains(piece)), "no seed says 「{piece}」");
        }
        quotes += 1;
    }
    assert!(quotes >= 30, "only {quotes} quotes");
}

/// A park recorded before it is drawn (QY-02: no seed gives its place) holds no plot, has
/// no access to measure, and every way of reading the parks still answers.
#[tokio::test]
async fn a_park_recorded_but_not_drawn_holds_no_plot_and_every_reader_still_answers() {
    let db = common::demo().await;
    let app = common::app(&db);
    let park = common::get(&app, "/collections/parks/items/QY-02").await;
    assert_eq!(park.status, 200);
    let park = park.json();
    assert!(park["geometry"].is_null(), "{park}");
    assert_eq!(park["properties"]["name_zh"], "广清纺织服装产业有序转移园");

    let r = common::get(&app, "/analysis/access?park=QY-02").await;
    assert_eq!(r.status, 409, "{}", String::from_utf8_lossy(&r.body));
    assert!(String::from_utf8_lossy(&r.body).contains("no outline"));

    let token = parkland::auth::create(&db.pool, "undrawn-park", parkland::auth::Role::Editor).await.unwrap();
    let auth = format!("Bearer {token}");
    let plot = serde_json::json!({ "type": "Feature", "properties": { "park_id": "QY-02", "code": "QY-02-01", "land_use": "100102", "status": "available" },
        "geometry": { "type": "Polygon", "coordinates": [[[113.05, 23.5], [113.052, 23.5], [113.052, 23.502], [113.05, 23.502], [113.05, 23.5]]] } });
    let headers = [("authorization", auth.as_str()), ("content-type", "application/geo+json")];
    let r = common::send(&app, "POST", "/collections/plots/items", &headers, &plot.to_string()).await;
    assert_eq!(r.status, 422, "{}", String::from_utf8_lossy(&r.body));
    assert!(String::from_utf8_lossy(&r.body).contains("outside park QY-02"));

    for uri in [
        "/collections/parks/items?limit=100",
        "/collections/parks/items?f=fgb",
        "/collections/parks/items?f=shp",
        "/collections/parks/items?f=csv",
        "/collections/parks/items?f=html",
        "/collections/parks/items/QY-02?f=html",
        "/collections/parks/items?crs=http://www.opengis.net/def/crs/EPSG/0/4547",
        "/collections/targets/items?limit=100",
        "/tiles/parks/8/208/111.mvt",
        "/ledger",
        "/ledger?f=csv",
        "/parks/QY-02/ledger",
    ] {
        let r = common::get(&app, uri).await;
        assert!(r.status == 200 || r.status == 204, "{uri}: {} {}", r.status, String::from_utf8_lossy(&r.body[..r.body.len().min(300)]));
    }
    // A Shapefile has no place for it: left out, and said so.
    let shp = common::get(&app, "/collections/parks/items?f=shp").await;
    let omitted = shp.headers["omitted-features"].to_str().unwrap();
    assert_eq!(omitted, "1 without geometry: QY-02");
    let ledger = common::get(&app, "/parks/QY-02/ledger").await.json();
    assert!(ledger["boundary_area_mu"].is_null() && ledger["plots"] == 0, "{ledger}");
}
