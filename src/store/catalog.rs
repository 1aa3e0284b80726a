//! The feature collections parkland serves, each described once: where its rows come
//! from, its id, its geometry and its typed properties. Items, counts, queryables and
//! filters are all built from these descriptions, so a property added here is served,
//! filterable and documented at once.

/// The JSON type of a property, which decides how a filter value is parsed and bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    Number,
    Date,
    Boolean,
    TextArray,
    IntegerArray,
    /// A JSON object: served, not filterable.
    Object,
}

impl Kind {
    /// The JSON Schema type and format of the queryables document.
    pub fn schema(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Kind::Text => json!({ "type": "string" }),
            Kind::Integer => json!({ "type": "integer" }),
            Kind::Number => json!({ "type": "number" }),
            Kind::Date => json!({ "type": "string", "format": "date" }),
            Kind::Boolean => json!({ "type": "boolean" }),
            Kind::TextArray => json!({ "type": "array", "items": { "type": "string" } }),
            Kind::IntegerArray => json!({ "type": "array", "items": { "type": "integer" } }),
            Kind::Object => json!({ "type": "object" }),
        }
    }

    pub fn filterable(&self) -> bool {
        !matches!(self, Kind::Object)
    }
}

#[derive(Debug)]
pub struct Property {
    pub name: &'static str,
    /// SQL expression over the collection's FROM clause.
    pub sql: &'static str,
    pub kind: Kind,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    /// The values it may take, where they are a list of codes.
    pub codes: Codes,
}

/// Where a coded property's values are listed.
#[derive(Debug, Clone, Copy)]
pub enum Codes {
    /// Not a code: any value of its kind.
    Free,
    /// A vocabulary of the domain (`crate::domain`): its codes.
    Terms(fn() -> Vec<&'static str>),
    /// The land-use classification, a table (`land_use_codes`).
    LandUse,
}

#[derive(Debug)]
pub struct Collection {
    pub id: &'static str,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    pub description: &'static str,
    /// FROM clause; the main table is aliased `t`.
    pub from: &'static str,
    /// The alias (with its dot) of the collection's own table in `from`: a property whose
    /// SQL is `<row><column>` is a column of it, and its `version` and `updated_at` are the
    /// feature's ETag and Last-Modified.
    pub row: &'static str,
    pub id_sql: &'static str,
    pub id_kind: Kind,
    /// Geometry expression in EPSG:4326, indexed where the collection is a table.
    pub geom_sql: &'static str,
    pub geometry_type: &'static str,
    pub properties: &'static [Property],
    /// Tables whose change counters make up the collection's ETag.
    pub tables: &'static [&'static str],
    /// The date property `datetime` filters on, where the collection has time.
    pub temporal: Option<&'static str>,
}

impl Collection {
    /// The collection's own table: the first of `tables`, the one `from` names first
    /// (a unit test holds them together). Its versions are `history.<table>`.
    pub fn own_table(&self) -> &'static str {
        self.tables[0]
    }

    /// The row version's SQL, bumped by every update (`bump_version`).
    pub fn version_sql(&self) -> String {
        format!("{}version", self.row)
    }

    /// When the row was last written.
    pub fn updated_sql(&self) -> String {
        format!("{}updated_at", self.row)
    }

    /// The column of the collection's own table that `p` reads, if it reads one as is.
    pub fn column_of(&self, p: &Property) -> Option<&'static str> {
        p.sql.strip_prefix(self.row)
    }

    pub fn property(&self, name: &str) -> Option<&'static Property> {
        self.properties.iter().find(|p| p.name == name)
    }
}

macro_rules! prop {
    ($name:literal, $sql:literal, $kind:ident, $zh:literal, $en:literal) => {
        Property { name: $name, sql: $sql, kind: Kind::$kind, title_zh: $zh, title_en: $en, codes: Codes::Free }
    };
    ($name:literal, $sql:literal, $kind:ident, $zh:literal, $en:literal, LandUse) => {
        Property { name: $name, sql: $sql, kind: Kind::$kind, title_zh: $zh, title_en: $en, codes: Codes::LandUse }
    };
    ($name:literal, $sql:literal, $kind:ident, $zh:literal, $en:literal, $terms:ident) => {
        Property {
            name: $name,
            sql: $sql,
            kind: Kind::$kind,
            title_zh: $zh,
            title_en: $en,
            codes: Codes::Terms(<crate::domain::$terms as crate::domain::Vocabulary>::codes),
        }
    };
}

pub const COLLECTIONS: &[Collection] = &[
    Collection {
        id: "parks",
        title_zh: "园区",
        title_en: "Parks",
        description: "Industrial-transfer parks: boundaries, levels, leading industries, planned areas and infrastructure.",
        from: "parks t",
        row: "t.",
        id_sql: "t.id",
        id_kind: Kind::Text,
        geom_sql: "t.boundary",
        geometry_type: "MultiPolygon",
        properties: &[
            prop!("name_zh", "t.name_zh", Text, "名称", "Name (Chinese)"),
            prop!("name_en", "t.name_en", Text, "英文名称", "Name (English)"),
            prop!("level", "t.level", Text, "园区类别", "Level", ParkLevel),
            prop!("city", "t.city", Text, "地级市", "City"),
            prop!("county", "t.county", Text, "县（市、区）", "County"),
            prop!("towns", "t.towns", TextArray, "所在镇", "Towns"),
            prop!("partner_city", "t.partner_city", Text, "帮扶方", "Partner city"),
            prop!("zone_id", "t.zone_id", Text, "所属合作区", "Zone"),
            prop!("zone_name", "(SELECT z.name_zh FROM zones z WHERE z.id = t.zone_id)", Text, "所属合作区名称", "Zone name"),
            prop!("leading_industries", "t.leading_industries", TextArray, "主导产业", "Leading industries"),
            prop!("cultivated_industries", "t.cultivated_industries", TextArray, "培育产业", "Industries cultivated"),
            prop!("planned_area_km2", "t.planned_area_km2", Number, "规划面积（平方公里）", "Planned area (km²)"),
            prop!("area_km2", "round((t.area_m2 / 1e6)::numeric, 4)", Number, "边界面积（平方公里）", "Boundary area (km²)"),
            prop!("infrastructure", "t.infrastructure", TextArray, "基础设施", "Infrastructure"),
            prop!("utilities", "t.utilities", Object, "市政配套", "Utilities"),
            prop!("established", "t.established", Date, "设立时间", "Established"),
            // By year: each figure with its unit, basis, bound and whether it is a projection.
            prop!(
                "targets",
                "(SELECT coalesce(jsonb_object_agg(y.year, y.figures), '{}') FROM (
                   SELECT g.year, jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                            'indicator', g.indicator, 'industry', g.industry, 'value', g.value, 'unit', g.unit, 'basis', g.basis,
                            'bound', g.bound, 'projection', g.projection, 'label_zh', g.label_zh, 'source', g.source))
                          ORDER BY g.id) AS figures
                   FROM targets g WHERE g.park_id = t.id GROUP BY g.year) y)",
                Object,
                "发展目标",
                "Targets"
            ),
            prop!("estimated", "t.estimated", TextArray, "估计字段", "Estimated fields"),
            prop!("source", "t.source", Text, "资料来源", "Source"),
        ],
        tables: &["parks", "zones", "targets"],
        temporal: Some("established"),
    },
    Collection {
        id: "zones",
        title_zh: "合作区",
        title_en: "Zones",
        description: "Zones that hold several parks (广清经济特别合作区: 一区三园一城), drawn as the union of their parks' boundaries; the ledger adds their parks up.",
        from: "zones t LEFT JOIN LATERAL (
                 SELECT ST_Multi(ST_Union(k.boundary)) AS geom, array_agg(k.id ORDER BY k.id) AS park_ids
                 FROM parks k WHERE k.zone_id = t.id) g ON true",
        row: "t.",
        id_sql: "t.id",
        id_kind: Kind::Text,
        geom_sql: "g.geom",
        geometry_type: "MultiPolygon",
        properties: &[
            prop!("name_zh", "t.name_zh", Text, "名称", "Name (Chinese)"),
            prop!("name_en", "t.name_en", Text, "英文名称", "Name (English)"),
            prop!("city", "t.city", Text, "地级市", "City"),
            prop!("park_ids", "coalesce(g.park_ids, '{}')", TextArray, "所辖园区", "Parks"),
            prop!("source", "t.source", Text, "资料来源", "Source"),
        ],
        tables: &["zones", "parks"],
        temporal: None,
    },
    Collection {
        id: "plots",
        title_zh: "地块",
        title_en: "Land plots",
        description: "Land plots with land use, status, planning conditions, land user, dates and money figures. Areas are geodesic; money in 万元.",
        from: "plots t JOIN land_use_codes lu ON lu.code = t.land_use JOIN land_statuses st ON st.code = t.status",
        row: "t.",
        id_sql: "t.id",
        id_kind: Kind::Integer,
        geom_sql: "t.geom",
        geometry_type: "MultiPolygon",
        properties: &[
            prop!("park_id", "t.park_id", Text, "园区编号", "Park"),
            prop!("code", "t.code", Text, "地块编号", "Plot code"),
            prop!("land_use", "t.land_use", Text, "用地分类代码", "Land-use code", LandUse),
            prop!("land_use_name_zh", "lu.name_zh", Text, "用地分类", "Land use (Chinese)"),
            prop!("land_use_name_en", "lu.name_en", Text, "用地分类（英文）", "Land use"),
            prop!("status", "t.status", Text, "状态代码", "Status code", LandStatus),
            prop!("status_name_zh", "st.name_zh", Text, "状态", "Status (Chinese)"),
            prop!("status_name_en", "st.name_en", Text, "状态（英文）", "Status"),
            prop!("area_m2", "round(t.area_m2::numeric, 2)", Number, "面积（平方米）", "Area (m²)"),
            prop!("area_mu", "round(t.area_mu::numeric, 3)", Number, "面积（亩）", "Area (亩)"),
            prop!("far_min", "t.far_min", Number, "容积率下限", "FAR minimum"),
            prop!("far_max", "t.far_max", Number, "容积率上限", "FAR maximum"),
            prop!("coverage_min", "t.coverage_min", Number, "建筑密度下限", "Building coverage minimum"),
            prop!("green_max", "t.green_max", Number, "绿地率上限", "Green ratio maximum"),
            prop!("land_user", "t.land_user", Text, "土地使用权人", "Land user"),
            prop!("supplied_on", "t.supplied_on", Date, "供地日期", "Supplied on"),
            prop!("land_price_wan", "t.land_price_wan", Number, "土地价款（万元）", "Land price (10k CNY)"),
            prop!("agreed_start", "t.agreed_start", Date, "约定动工日期", "Agreed start"),
            prop!("actual_start", "t.actual_start", Date, "实际动工日期", "Actual start"),
            prop!("stalled_since", "t.stalled_since", Date, "停工日期", "Stalled since"),
            prop!("built_ratio", "t.built_ratio", Number, "已建比例", "Built ratio"),
            prop!("invested_wan", "t.invested_wan", Number, "已投资额（万元）", "Invested (10k CNY)"),
            prop!("planned_investment_wan", "t.planned_investment_wan", Number, "计划投资额（万元）", "Planned investment (10k CNY)"),
            prop!("output_wan", "t.output_wan", Number, "产值（万元）", "Output (10k CNY)"),
            prop!("tax_wan", "t.tax_wan", Number, "税收（万元）", "Tax (10k CNY)"),
        ],
        tables: &["plots", "land_use_codes", "land_statuses"],
        temporal: Some("supplied_on"),
    },
    Collection {
        id: "idle-land",
        title_zh: "闲置低效用地",
        title_en: "Idle and inefficient land",
        description: "Findings of idle, inefficient and approved-but-unsupplied land, one feature a finding, with its plot's geometry and fields.",
        from: "idle_records r JOIN plots t ON t.id = r.plot_id JOIN land_statuses st ON st.code = t.status",
        row: "r.",
        id_sql: "r.id",
        id_kind: Kind::Integer,
        geom_sql: "t.geom",
        geometry_type: "MultiPolygon",
        properties: &[
            prop!("plot_id", "r.plot_id", Integer, "地块ID", "Plot id"),
            prop!("park_id", "t.park_id", Text, "园区编号", "Park"),
            prop!("code", "t.code", Text, "地块编号", "Plot code"),
            prop!("land_use", "t.land_use", Text, "用地分类代码", "Land-use code", LandUse),
            prop!("status", "t.status", Text, "状态代码", "Status code", LandStatus),
            prop!("status_name_zh", "st.name_zh", Text, "状态", "Status (Chinese)"),
            prop!("area_mu", "round(t.area_mu::numeric, 3)", Number, "面积（亩）", "Area (亩)"),
            prop!("land_user", "t.land_user", Text, "土地使用权人", "Land user"),
            prop!("kind", "r.kind", Text, "类型", "Kind", FindingKind),
            prop!("cause", "r.cause", Text, "成因", "Cause", IdleCause),
            prop!("found_on", "r.found_on", Date, "认定日期", "Found on"),
            prop!("idle_since", "r.idle_since", Date, "闲置起始日期", "Idle since"),
            prop!("measure", "r.measure", Text, "处置措施", "Measure", Measure),
            prop!("measure_status", "r.measure_status", Text, "处置进度", "Measure status", MeasureState),
            prop!("fee_wan", "r.fee_wan", Number, "闲置费（万元）", "Idle fee (10k CNY)"),
            prop!("note", "r.note", Text, "备注", "Note"),
            prop!("agreed_start", "t.agreed_start", Date, "约定动工日期", "Agreed start"),
            prop!("actual_start", "t.actual_start", Date, "实际动工日期", "Actual start"),
            prop!("stalled_since", "t.stalled_since", Date, "停工日期", "Stalled since"),
            prop!("built_ratio", "t.built_ratio", Number, "已建比例", "Built ratio"),
            prop!("land_price_wan", "t.land_price_wan", Number, "土地价款（万元）", "Land price (10k CNY)"),
        ],
        tables: &["idle_records", "plots", "land_statuses"],
        temporal: Some("found_on"),
    },
    Collection {
        id: "targets",
        title_zh: "发展目标",
        title_en: "Targets",
        description: "Each park's targets, one feature a figure, with its unit, whether it is cumulative, new in the year or a year's flow, whether it is a floor, and whether the source calls it a projection (预计); drawn on the park's boundary.",
        from: "targets r JOIN parks t ON t.id = r.park_id",
        row: "r.",
        id_sql: "r.id",
        id_kind: Kind::Integer,
        geom_sql: "t.boundary",
        geometry_type: "MultiPolygon",
        properties: &[
            prop!("park_id", "r.park_id", Text, "园区编号", "Park"),
            prop!("park_name", "t.name_zh", Text, "园区名称", "Park name"),
            prop!("year", "r.year", Integer, "目标年份", "Year"),
            prop!("indicator", "r.indicator", Text, "指标", "Indicator"),
            prop!("industry", "r.industry", Text, "产业", "Industry"),
            prop!("value", "r.value", Number, "数值", "Value"),
            prop!("unit", "r.unit", Text, "单位", "Unit"),
            prop!("basis", "r.basis", Text, "口径", "Basis"),
            prop!("bound", "r.bound", Text, "界限", "Bound"),
            prop!("projection", "r.projection", Boolean, "预计数", "Projection"),
            prop!("label_zh", "r.label_zh", Text, "指标名称", "Label"),
            prop!("source", "r.source", Text, "资料来源", "Source"),
        ],
        tables: &["targets", "parks"],
        temporal: None,
    },
    Collection {
        id: "transport-nodes",
        title_zh: "交通节点",
        title_en: "Transport nodes",
        description: "Highway interchanges, railway stations, rail freight yards, ports and airports.",
        from: "transport_nodes t",
        row: "t.",
        id_sql: "t.id",
        id_kind: Kind::Text,
        geom_sql: "t.geom",
        geometry_type: "Point",
        properties: &[
            prop!("kind", "t.kind", Text, "类型", "Kind", NodeKind),
            prop!("name_zh", "t.name_zh", Text, "名称", "Name (Chinese)"),
            prop!("name_en", "t.name_en", Text, "英文名称", "Name (English)"),
            prop!("status", "t.status", Text, "状态", "Status", TransportStatus),
            prop!("opens_on", "t.opens_on", Date, "预计开通日期", "Expected to open on"),
            prop!("line", "t.line", Text, "所在线路", "Line"),
            prop!("source", "t.source", Text, "资料来源", "Source"),
        ],
        tables: &["transport_nodes"],
        temporal: None,
    },
    Collection {
        id: "roads",
        title_zh: "路网",
        title_en: "Roads",
        description: "The road network, routable: class, design speed, length and graph vertices.",
        from: "roads t",
        row: "t.",
        id_sql: "t.id",
        id_kind: Kind::Integer,
        geom_sql: "t.geom",
        geometry_type: "LineString",
        properties: &[
            prop!("class", "t.class", Text, "道路等级", "Class", RoadClass),
            prop!("name", "t.name", Text, "名称", "Name"),
            prop!("speed_kmh", "t.speed_kmh", Number, "设计速度（公里/小时）", "Speed (km/h)"),
            prop!("oneway", "t.oneway", Boolean, "单行", "One-way"),
            prop!("status", "t.status", Text, "状态", "Status", TransportStatus),
            prop!("opens_on", "t.opens_on", Date, "预计通车日期", "Expected to open on"),
            prop!("length_m", "round(t.length_m::numeric, 1)", Number, "长度（米）", "Length (m)"),
            prop!("source", "t.source", Integer, "起点", "Source vertex"),
            prop!("target", "t.target", Integer, "终点", "Target vertex"),
        ],
        tables: &["roads"],
        temporal: None,
    },
    Collection {
        id: "constraints",
        title_zh: "管控范围",
        title_en: "Planning constraints",
        description: "Ecological red lines, permanent basic farmland, flood storage and water-source protection areas.",
        from: "constraints t",
        row: "t.",
        id_sql: "t.id",
        id_kind: Kind::Integer,
        geom_sql: "t.geom",
        geometry_type: "MultiPolygon",
        properties: &[
            prop!("kind", "t.kind", Text, "类型", "Kind", ConstraintKind),
            prop!("name", "t.name", Text, "名称", "Name"),
            prop!("area_m2", "round(t.area_m2::numeric, 1)", Number, "面积（平方米）", "Area (m²)"),
        ],
        tables: &["constraints"],
        temporal: None,
    },
    Collection {
        id: "projects",
        title_zh: "项目",
        title_en: "Projects",
        description: "Planned projects with their land demand; the geometry is the union of the plots a project got (none while unplaced).",
        from: "projects t LEFT JOIN LATERAL (
                 SELECT ST_Multi(ST_Union(p.geom)) AS geom, array_agg(pp.plot_id ORDER BY pp.plot_id) AS plot_ids
                 FROM project_plots pp JOIN plots p ON p.id = pp.plot_id WHERE pp.project_id = t.id) g ON true",
        row: "t.",
        id_sql: "t.id",
        id_kind: Kind::Integer,
        geom_sql: "g.geom",
        geometry_type: "MultiPolygon",
        properties: &[
            prop!("name", "t.name", Text, "项目名称", "Name"),
            prop!("investor", "t.investor", Text, "投资方", "Investor"),
            prop!("industry", "t.industry", Text, "行业", "Industry"),
            prop!("land_use", "t.land_use", Text, "用地分类代码", "Land-use code", LandUse),
            prop!("demand_mu", "t.demand_mu", Number, "用地需求（亩）", "Land demand (亩)"),
            prop!("investment_wan", "t.investment_wan", Number, "总投资（万元）", "Investment (10k CNY)"),
            prop!("output_wan", "t.output_wan", Number, "预计产值（万元）", "Expected output (10k CNY)"),
            prop!("tax_wan", "t.tax_wan", Number, "预计税收（万元）", "Expected tax (10k CNY)"),
            prop!("stage", "t.stage", Text, "阶段", "Stage", ProjectStage),
            prop!("park_id", "t.park_id", Text, "园区编号", "Park"),
            prop!("requirements", "t.requirements", Object, "选址要求", "Requirements"),
            prop!("land_as_given", "t.land_as_given", Text, "用地（原文）", "Land take as the source gives it"),
            prop!("revenue_wan", "t.revenue_wan", Number, "预计销售收入（万元）", "Expected sales revenue (10k CNY)"),
            prop!("build_from", "t.build_from", Integer, "建设起始年", "Construction from (year)"),
            prop!("build_to", "t.build_to", Integer, "建设截止年", "Construction to (year)"),
            prop!("note", "t.note", Text, "备注", "Note"),
            prop!("source", "t.source", Text, "资料来源", "Source"),
            prop!("plot_ids", "coalesce(g.plot_ids, '{}')", IntegerArray, "所得地块", "Plots"),
        ],
        tables: &["projects", "project_plots", "plots"],
        temporal: None,
    },
];

pub fn find(id: &str) -> Option<&'static Collection> {
    COLLECTIONS.iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_collection_is_its_own_tables_rows() {
        for c in COLLECTIONS {
            let alias = c.row.trim_end_matches('.');
            assert!(c.from.starts_with(&format!("{} {alias}", c.own_table())), "{}: from {:?}, own table {}", c.id, c.from, c.own_table());
        }
    }
}
