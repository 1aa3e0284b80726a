//! The fourteen land takes of seed 001 (专栏 4-1 to 4-3), with 附件四's construction
//! periods and investments and 附件七's parks where the 专栏 names none. A park or an
//! investor is set only where a seed names it.

pub struct ProjectFact {
    pub name: &'static str,
    pub investor: Option<&'static str>,
    pub industry: &'static str,
    pub land_use: &'static str,
    /// The land take in 亩 (converted where the seed gives m²: 1 亩 = 10000/15 m²).
    pub demand_mu: f64,
    /// The land take in the seed's own words.
    pub land_as_given: &'static str,
    pub investment_wan: Option<f64>,
    pub output_wan: Option<f64>,
    pub revenue_wan: Option<f64>,
    pub tax_wan: Option<f64>,
    pub park_id: Option<&'static str>,
    pub stage: &'static str,
    /// 附件四 建设年限.
    pub build_years: Option<(i32, i32)>,
    /// Land the project holds already, in 亩, and the company on its plots: the generator
    /// gives it plots of about this size in its park.
    pub holds: Option<(f64, &'static str)>,
    pub note: Option<&'static str>,
    pub source: &'static str,
    pub needs: &'static [&'static str],
}

const COL_41: &str = "种子文件001 专栏4-1 新材料产业重点项目";
const COL_42: &str = "种子文件001 专栏4-2 汽车零部件产业重点项目";
const COL_43: &str = "种子文件001 专栏4-3 电子信息产业重点项目";
const AUTO_NEEDS: &[&str] = &["road", "water_supply", "drainage", "power", "gas"];
const PLANT_NEEDS: &[&str] = &["road", "water_supply", "drainage", "power", "telecom"];
const CHEM_NEEDS: &[&str] = &["road", "water_supply", "drainage", "power", "gas", "steam"];
const M2_PER_MU: f64 = 10_000.0 / 15.0;

/// The defaults of a project the seed gives little about: no park, no investor, signed.
const fn project(
    name: &'static str,
    industry: &'static str,
    land_use: &'static str,
    demand_mu: f64,
    land_as_given: &'static str,
    source: &'static str,
) -> ProjectFact {
    ProjectFact {
        name,
        investor: None,
        industry,
        land_use,
        demand_mu,
        land_as_given,
        investment_wan: None,
        output_wan: None,
        revenue_wan: None,
        tax_wan: None,
        park_id: None,
        stage: "signed",
        build_years: None,
        holds: None,
        note: None,
        source,
        needs: PLANT_NEEDS,
    }
}

pub const PROJECTS: &[ProjectFact] = &[
    // 专栏 4-1 新材料
    ProjectFact {
        investment_wan: Some(210_000.0),
        output_wan: Some(645_000.0),
        needs: CHEM_NEEDS,
        ..project("广东佳纳能源科技动力电池材料前驱体及钴产品项目", "新材料", "100103", 300.0, "约300亩", COL_41)
    },
    ProjectFact {
        investment_wan: Some(120_000.0),
        output_wan: Some(250_000.0),
        park_id: Some("GQ-02"),
        ..project("雪松新材料基地项目", "新材料", "100102", 159.0, "159亩", COL_41)
    },
    ProjectFact {
        investor: Some("广东广晟稀有金属光电新材料有限公司"),
        investment_wan: Some(102_000.0),
        revenue_wan: Some(130_000.0),
        needs: CHEM_NEEDS,
        ..project("广晟新材异地搬迁升级改造项目", "新材料", "100103", 356.0, "356亩", COL_41)
    },
    ProjectFact {
        investor: Some("洛科威防火保温材料（广州）有限公司"),
        park_id: Some("GQ-03"),
        note: Some("用地按原文平方米折算为亩；投资方见附件七广佛（佛冈）产业园"),
        ..project("洛科威防火保温节能新材料生产线整体搬迁项目", "新材料", "100102", 65_844.5 / M2_PER_MU, "约65844.5平方米", COL_41)
    },
    ProjectFact {
        investor: Some("广州天赐高新材料股份有限公司"),
        investment_wan: Some(40_000.0),
        park_id: Some("GQ-03"),
        stage: "landed",
        build_years: Some((2021, 2023)),
        holds: Some((231.0, "清远天赐高新材料有限公司")),
        note: Some("已在广佛园区内占地231亩；投资额、建设年限见附件四"),
        needs: CHEM_NEEDS,
        ..project("清远天赐高新材料有限公司年产18.5万吨日用化工新材料项目", "新材料", "100102", 231.0, "231亩", COL_41)
    },
    ProjectFact {
        investor: Some("广州广化塑料管道有限公司"),
        investment_wan: Some(30_000.0),
        park_id: Some("GQ-03"),
        stage: "landed",
        build_years: Some((2021, 2023)),
        holds: Some((60.0, "广东高兰德新材料有限公司")),
        note: Some("目前入驻广佛园，用地60亩；投资额、建设年限见附件四"),
        ..project("广东高兰德新材料有限公司建筑塑料管道项目", "新材料", "100102", 60.0, "60亩", COL_41)
    },
    ProjectFact {
        investor: Some("广东裕泰新材料有限公司"),
        investment_wan: Some(80_000.0),
        park_id: Some("GQ-06"),
        build_years: Some((2022, 2024)),
        ..project("广东裕泰新材料有限公司PVC塑料薄膜项目", "新材料", "100102", 100.0, "约100亩", COL_41)
    },
    // 专栏 4-2 汽车零部件
    ProjectFact {
        investor: Some("敏实集团投资有限公司"),
        investment_wan: Some(202_000.0),
        build_years: Some((2017, 2025)),
        needs: AUTO_NEEDS,
        ..project("敏实集团投资有限公司汽车配件生产项目", "汽车零部件", "100102", 705.0, "705亩", COL_42)
    },
    ProjectFact {
        investor: Some("广东戴卡旭汽车零部件有限公司"),
        investment_wan: Some(65_500.0),
        output_wan: Some(120_000.0),
        park_id: Some("GQ-02"),
        build_years: Some((2020, 2022)),
        note: Some("专栏4-2总投资6.55亿元，附件四计划总投资25000万元，两处不一，取专栏；园区见附件七广德（英德）产业园"),
        needs: AUTO_NEEDS,
        ..project("广东戴卡旭汽车零部件有限公司轻量化高强度铝合金轮毂搬迁扩产项目", "汽车零部件", "100102", 100.0, "100亩", COL_42)
    },
    ProjectFact {
        investment_wan: Some(50_000.0),
        output_wan: Some(51_000.0),
        tax_wan: Some(4_400.0),
        park_id: Some("GQ-01"),
        build_years: Some((2022, 2023)),
        note: Some("产值、税收为一期达产数；用地按原文平方米折算为亩"),
        needs: AUTO_NEEDS,
        ..project("长华汽车冲焊件（广清产业园）生产基地建设项目", "汽车零部件", "100102", 63_360.0 / M2_PER_MU, "63360平方米", COL_42)
    },
    ProjectFact {
        investment_wan: Some(50_400.0),
        output_wan: Some(60_000.0),
        tax_wan: Some(1_600.0),
        park_id: Some("GQ-01"),
        build_years: Some((2022, 2023)),
        note: Some("产值、税收为一期、二期达产数；附件四计划总投资50355万元；一期列于附件七广清产业园；用地按原文平方米折算为亩"),
        needs: AUTO_NEEDS,
        ..project("清远铭科汽车（新能源）零部件产业基地项目", "汽车零部件", "100102", 30_343.0 / M2_PER_MU, "30343平方米", COL_42)
    },
    ProjectFact {
        investor: Some("广东富强科技股份有限公司"),
        investment_wan: Some(45_000.0),
        tax_wan: Some(4_500.0),
        build_years: Some((2022, 2023)),
        note: Some("附件四计划总投资45408万元"),
        needs: AUTO_NEEDS,
        ..project("广东富强科技股份有限公司汽车内外饰件生产基地和研发中心建设项目", "汽车零部件", "100102", 80.0, "约80亩", COL_42)
    },
    // 专栏 4-3 电子信息
    ProjectFact {
        investor: Some("腾讯"),
        investment_wan: Some(1_000_000.0),
        park_id: Some("GQ-05"),
        note: Some("园区见附件七：腾讯华南云计算基地项目清城子项目列于广东清远高新技术产业开发区"),
        needs: &["road", "water_supply", "power", "telecom"],
        ..project("腾讯云计算数据中心项目", "数据中心", "100101", 395.0, "395亩", COL_43)
    },
    ProjectFact {
        investment_wan: Some(500_000.0),
        note: Some("总投资50亿元，分两期建设；700亩为一期用地"),
        ..project("铭普光磁（清远）通信光电子产业基地", "电子信息", "100101", 700.0, "一期约700亩", COL_43)
    },
];
