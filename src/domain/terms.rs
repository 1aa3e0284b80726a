//! Every coded value of parkland's records. Each is held by a CHECK constraint or a lookup
//! table in the schema (named above each), and `tests/vocabulary.rs` holds the two equal.

use super::vocabulary::vocabulary;

vocabulary!(
    /// A plot's land status (`land_statuses`, the lookup table `plots.status` refers to).
    LandStatus, "land status", {
        Reserve = "reserve", "储备", "Reserve";
        ApprovedUnsupplied = "approved_unsupplied", "批而未供", "Approved, not supplied";
        Available = "available", "可供", "Available";
        Supplied = "supplied", "已供", "Supplied";
        UnderConstruction = "under_construction", "在建", "Under construction";
        InProduction = "in_production", "已投产", "In production";
        Idle = "idle", "闲置", "Idle";
        Inefficient = "inefficient", "低效", "Inefficient";
        Unavailable = "unavailable", "不可供", "Unavailable";
    }
);

vocabulary!(
    /// A kind of transport node (`transport_nodes.kind`).
    NodeKind, "node kind", {
        HighwayInterchange = "highway_interchange", "高速出入口", "Highway interchange";
        RailStation = "rail_station", "火车站", "Rail station";
        RailFreight = "rail_freight", "铁路货场", "Rail freight yard";
        Port = "port", "港口", "Port";
        Airport = "airport", "机场", "Airport";
    }
);

vocabulary!(
    /// Whether a node or road is open (`transport_nodes.status`, `roads.status`).
    TransportStatus, "transport status", {
        Existing = "existing", "已建成", "Existing";
        UnderConstruction = "under_construction", "在建", "Under construction";
        Planned = "planned", "规划", "Planned";
    }
);

vocabulary!(
    /// A road's class (`roads.class`).
    RoadClass, "road class", {
        Expressway = "expressway", "高速公路", "Expressway";
        National = "national", "国道", "National road";
        Provincial = "provincial", "省道", "Provincial road";
        County = "county", "县道", "County road";
        Estate = "estate", "园区道路", "Estate road";
        Access = "access", "进场道路", "Access road";
    }
);

vocabulary!(
    /// A kind of planning constraint (`constraints.kind`).
    ConstraintKind, "constraint kind", {
        EcologicalRedline = "ecological_redline", "生态保护红线", "Ecological red line";
        PermanentFarmland = "permanent_farmland", "永久基本农田", "Permanent farmland";
        Flood = "flood", "洪涝风险区", "Flood zone";
        WaterSource = "water_source", "水源保护区", "Water source protection";
    }
);

vocabulary!(
    /// A utility a park has in place (`parks.infrastructure`); the first eight are
    /// 七通一平 (see [`Utility::is_standard`]).
    Utility, "utility", {
        Road = "road", "通路", "Road";
        WaterSupply = "water_supply", "通给水", "Water supply";
        Drainage = "drainage", "通排水", "Drainage";
        Power = "power", "通电", "Power";
        Telecom = "telecom", "通信", "Telecom";
        Gas = "gas", "通燃气", "Gas";
        PublicTransport = "public_transport", "通公交", "Public transport";
        SiteLevelling = "site_levelling", "场地平整", "Site levelled";
        Heat = "heat", "通热力", "Heat";
        Steam = "steam", "通蒸汽", "Steam";
        Rainwater = "rainwater", "雨水", "Rainwater";
        Sewage = "sewage", "污水", "Sewage";
    }
);

impl Utility {
    /// The seven utilities and the levelled site of 七通一平.
    pub const STANDARD: [Utility; 8] = [
        Utility::Road,
        Utility::WaterSupply,
        Utility::Drainage,
        Utility::Power,
        Utility::Telecom,
        Utility::Gas,
        Utility::PublicTransport,
        Utility::SiteLevelling,
    ];

    /// One of [`Utility::STANDARD`].
    pub fn is_standard(self) -> bool {
        Utility::STANDARD.contains(&self)
    }
}

impl LandStatus {
    /// Land granted to a user: it has a land user and a supply date (the CHECK
    /// `plot_supplied_has_user`, migration 0001, holds the same list).
    pub const SUPPLIED: [LandStatus; 5] =
        [LandStatus::Supplied, LandStatus::UnderConstruction, LandStatus::InProduction, LandStatus::Idle, LandStatus::Inefficient];

    /// Land in use, whose 亩均 investment, output and tax the ledger reports.
    pub const IN_USE: [LandStatus; 2] = [LandStatus::InProduction, LandStatus::Inefficient];

    /// Supplied land that has not started production: what the idle-land rules examine.
    pub const MAY_LIE_IDLE: [LandStatus; 3] = [LandStatus::Supplied, LandStatus::UnderConstruction, LandStatus::Idle];
}

vocabulary!(
    /// A park's place in the province's scheme (`parks.level`).
    ParkLevel, "park level", {
        MainPlatform = "main_platform", "主平台", "Main platform";
        CooperationPark = "cooperation_park", "共建产业转移合作园区", "Co-built transfer park";
        CountyPark = "county_park", "县域产业园", "County park";
        Other = "other", "其他", "Other";
    }
);

vocabulary!(
    /// What an idle-land finding records (`idle_records.kind`).
    FindingKind, "finding kind", {
        Idle = "idle", "闲置土地", "Idle land";
        Inefficient = "inefficient", "低效用地", "Inefficient land";
        ApprovedUnsupplied = "approved_unsupplied", "批而未供", "Approved, not supplied";
    }
);

vocabulary!(
    /// Why land lies idle (`idle_records.cause`); `government` changes the measures due
    /// (MLR Order No. 53, art. 8).
    IdleCause, "cause", {
        User = "user", "用地者原因", "The land user";
        Government = "government", "政府原因", "The government";
        Funding = "funding", "资金原因", "Funding";
        Market = "market", "市场原因", "The market";
        PlanningChange = "planning_change", "规划调整", "A planning change";
        LandNotReady = "land_not_ready", "土地未具备动工条件", "Land not ready";
        Other = "other", "其他", "Other";
    }
);

vocabulary!(
    /// A disposal measure (`idle_records.measure`): for idle land by MLR Order No. 53,
    /// for inefficient land by seeds 001 and 003, for approved but unsupplied land.
    Measure, "measure", {
        IdleFee = "idle_fee", "征缴土地闲置费", "Idle-land fee";
        TakeBackUncompensated = "take_back_uncompensated", "无偿收回", "Take back without compensation";
        ExtendStart = "extend_start", "延长动工期限", "Extend the start date";
        ChangeUse = "change_use", "调整用途", "Change the use";
        TemporaryUse = "temporary_use", "临时使用", "Temporary use";
        TakeBackCompensated = "take_back_compensated", "有偿收回", "Take back with compensation";
        LandSwap = "land_swap", "置换土地", "Land swap";
        NegotiatedTakeBack = "negotiated_take_back", "协商收回", "Negotiated take-back";
        ReTender = "re_tender", "重新招商", "Re-tender";
        AddedInvestment = "added_investment", "追加投资", "Added investment";
        Conversion = "conversion", "转型升级", "Conversion";
        AgreedSwap = "agreed_swap", "协议置换", "Agreed swap";
        JointOperation = "joint_operation", "合作经营", "Joint operation";
        Supply = "supply", "加快供地", "Supply the land";
        ReturnQuota = "return_quota", "退还用地指标", "Return the quota";
    }
);

vocabulary!(
    /// How far a measure has got (`idle_records.measure_status`).
    MeasureState, "measure state", {
        Pending = "pending", "待处置", "Pending";
        InProgress = "in_progress", "处置中", "In progress";
        Done = "done", "已处置", "Done";
    }
);

vocabulary!(
    /// Where a project stands (`projects.stage`).
    ProjectStage, "project stage", {
        Negotiating = "negotiating", "洽谈", "Negotiating";
        Signed = "signed", "已签约", "Signed";
        Landed = "landed", "已落地", "Landed";
    }
);

vocabulary!(
    /// Which rule of MLR Order No. 53 (art. 2) makes supplied land idle; computed by the
    /// idle-land check, not stored.
    IdleRule, "idle rule", {
        NoStart = "no_start", "超期未动工", "Not started on time";
        Stalled = "stalled", "开发不足且停建", "Under-built and stalled";
    }
);

vocabulary!(
    /// A part of a site's score in the site search (its weights name them too).
    ScorePart, "score part", {
        AreaFit = "area_fit", "面积匹配", "Area fit";
        Access = "access", "交通", "Access";
        Infrastructure = "infrastructure", "基础设施", "Infrastructure";
        IndustryMatch = "industry_match", "产业匹配", "Industry match";
        Compactness = "compactness", "形状规整", "Compactness";
    }
);
