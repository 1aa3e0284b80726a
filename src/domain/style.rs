//! How the map draws each term: one home for the legend's colours, served with the names
//! (`/vocabularies`) so the map, and any GIS client that wants the same legend, read
//! them from parkland rather than keeping a copy.

use serde::Serialize;

use super::{ConstraintKind, LandStatus, NodeKind, RoadClass};

#[derive(Debug, Clone, Copy, Serialize, schemars::JsonSchema)]
pub struct Style {
    pub colour: &'static str,
    /// The one character a node's symbol shows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<&'static str>,
    /// A line's width in screen pixels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
    /// The ink of the hatching over land found idle or inefficient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hatch: Option<&'static str>,
}

const fn fill(colour: &'static str) -> Style {
    Style { colour, mark: None, width: None, hatch: None }
}

pub fn status(s: LandStatus) -> Style {
    use LandStatus as S;
    let hatch = match s {
        S::Idle => Some("#5c0000"),
        S::Inefficient => Some("#8c4a00"),
        _ => None,
    };
    let colour = match s {
        S::Available => "#1a9850",
        S::ApprovedUnsupplied => "#91cf60",
        S::Reserve => "#d9ef8b",
        S::Supplied => "#92c5de",
        S::UnderConstruction => "#f4a582",
        S::InProduction => "#4575b4",
        S::Idle => "#d73027",
        S::Inefficient => "#fc8d59",
        S::Unavailable => "#bdbdbd",
    };
    Style { hatch, ..fill(colour) }
}

pub fn node(k: NodeKind) -> Style {
    use NodeKind as K;
    let (colour, mark) = match k {
        K::HighwayInterchange => ("#2b6cb0", "高"),
        K::RailStation => ("#6b46c1", "站"),
        K::RailFreight => ("#553c9a", "货"),
        K::Port => ("#0987a0", "港"),
        K::Airport => ("#b7791f", "空"),
    };
    Style { mark: Some(mark), ..fill(colour) }
}

pub fn road(c: RoadClass) -> Style {
    use RoadClass as C;
    let (colour, width) = match c {
        C::Expressway => ("#e07b39", 3.0),
        C::National => ("#d69e2e", 2.2),
        C::Provincial => ("#c9a227", 1.8),
        C::County => ("#a0aec0", 1.2),
        C::Estate => ("#cbd5e0", 1.0),
        C::Access => ("#e2e8f0", 0.8),
    };
    Style { width: Some(width), ..fill(colour) }
}

pub fn constraint(k: ConstraintKind) -> Style {
    use ConstraintKind as K;
    fill(match k {
        K::EcologicalRedline => "#c53030",
        K::PermanentFarmland => "#d4a017",
        K::Flood => "#3182ce",
        K::WaterSource => "#319795",
    })
}
