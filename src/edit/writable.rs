//! Every collection written through the API, described once: its table, who may write
//! it, which properties, which are required, its geometry.

use crate::auth::Role;
use crate::store::catalog::{self, Kind};

use super::geometry::Shape;

/// What may be written in a collection, and by whom.
#[derive(Debug)]
pub struct Writable {
    pub collection: &'static str,
    pub table: &'static str,
    /// What one row is called in messages.
    pub noun: &'static str,
    /// The least role that may write it.
    pub role: Role,
    pub properties: &'static [&'static str],
    /// Properties a new row needs.
    pub required: &'static [&'static str],
    /// Properties given when a row is created and never changed after (a plot's park).
    pub fixed: &'static [&'static str],
    pub shape: Shape,
    pub(super) geom_column: &'static str,
    /// A new row's id is the feature's `id` (text ids, as park and node codes), not the
    /// database's.
    pub named: bool,
}

pub const WRITABLE: &[Writable] = &[
    Writable {
        collection: "plots",
        table: "plots",
        noun: "plot",
        role: Role::Editor,
        properties: &[
            "code",
            "land_use",
            "status",
            "far_min",
            "far_max",
            "coverage_min",
            "green_max",
            "land_user",
            "supplied_on",
            "land_price_wan",
            "agreed_start",
            "actual_start",
            "stalled_since",
            "built_ratio",
            "invested_wan",
            "planned_investment_wan",
            "output_wan",
            "tax_wan",
        ],
        required: &["code", "land_use", "status"],
        fixed: &["park_id"],
        shape: Shape::Area,
        geom_column: "geom",
        named: false,
    },
    Writable {
        collection: "idle-land",
        table: "idle_records",
        noun: "idle-land finding",
        role: Role::Editor,
        properties: &["plot_id", "kind", "cause", "found_on", "idle_since", "measure", "measure_status", "fee_wan", "note"],
        required: &["plot_id", "kind", "cause", "found_on"],
        fixed: &[],
        shape: Shape::Derived,
        geom_column: "",
        named: false,
    },
    Writable {
        collection: "projects",
        table: "projects",
        noun: "project",
        role: Role::Editor,
        properties: &[
            "name",
            "investor",
            "industry",
            "land_use",
            "demand_mu",
            "investment_wan",
            "output_wan",
            "tax_wan",
            "stage",
            "park_id",
            "requirements",
            "land_as_given",
            "revenue_wan",
            "build_from",
            "build_to",
            "note",
            "source",
            "plot_ids",
        ],
        required: &["name", "industry", "demand_mu", "stage"],
        fixed: &[],
        shape: Shape::Derived,
        geom_column: "",
        named: false,
    },
    Writable {
        collection: "roads",
        table: "roads",
        noun: "road",
        role: Role::Editor,
        properties: &["class", "name", "speed_kmh", "oneway", "status", "opens_on"],
        required: &["class", "speed_kmh"],
        fixed: &[],
        shape: Shape::Line,
        geom_column: "geom",
        named: false,
    },
    Writable {
        collection: "zones",
        table: "zones",
        noun: "zone",
        role: Role::Admin,
        properties: &["name_zh", "name_en", "city", "source"],
        required: &["name_zh", "city"],
        fixed: &[],
        shape: Shape::Derived,
        geom_column: "",
        named: true,
    },
    Writable {
        collection: "targets",
        table: "targets",
        noun: "target",
        role: Role::Admin,
        properties: &["park_id", "year", "indicator", "industry", "value", "unit", "basis", "bound", "projection", "label_zh", "source"],
        required: &["park_id", "year", "indicator", "value", "unit", "basis", "projection", "label_zh", "source"],
        fixed: &[],
        shape: Shape::Derived,
        geom_column: "",
        named: false,
    },
    Writable {
        collection: "transport-nodes",
        table: "transport_nodes",
        noun: "transport node",
        role: Role::Editor,
        properties: &["kind", "name_zh", "name_en", "status", "opens_on", "line", "source"],
        required: &["kind", "name_zh"],
        fixed: &[],
        shape: Shape::Point,
        geom_column: "geom",
        named: true,
    },
    Writable {
        collection: "parks",
        table: "parks",
        noun: "park",
        role: Role::Admin,
        properties: &[
            "name_zh",
            "name_en",
            "level",
            "city",
            "county",
            "towns",
            "partner_city",
            "zone_id",
            "leading_industries",
            "cultivated_industries",
            "planned_area_km2",
            "infrastructure",
            "utilities",
            "established",
            "estimated",
            "source",
        ],
        required: &["name_zh", "level", "city"],
        fixed: &[],
        shape: Shape::Area,
        geom_column: "boundary",
        named: true,
    },
    Writable {
        collection: "constraints",
        table: "constraints",
        noun: "constraint area",
        role: Role::Admin,
        properties: &["kind", "name"],
        required: &["kind", "name"],
        fixed: &[],
        shape: Shape::Area,
        geom_column: "geom",
        named: false,
    },
];

/// How `collection` may be written, if it may.
pub fn writable(collection: &str) -> Option<&'static Writable> {
    WRITABLE.iter().find(|w| w.collection == collection)
}

impl Writable {
    /// "a plot", "an idle-land finding": the noun with its article, for messages.
    pub fn a_noun(&self) -> String {
        let article = if self.noun.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        format!("{article} {}", self.noun)
    }

    /// Whether `property` is one of the collection's that no write sets: computed or read
    /// from another row. (A property the collection lacks is not read-only but unknown.)
    pub fn read_only(&self, property: &str) -> bool {
        self.catalog().property(property).is_some() && !self.properties.contains(&property) && !self.fixed.contains(&property)
    }

    pub(super) fn catalog(&self) -> &'static catalog::Collection {
        catalog::find(self.collection).expect("an editable collection is in the catalog")
    }

    /// The SQL type of the id, to which a bound id text is cast.
    pub(super) fn id_type(&self) -> &'static str {
        match self.catalog().id_kind {
            Kind::Integer => "bigint",
            _ => "text",
        }
    }
}
