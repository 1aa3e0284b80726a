//! The domain's words: every coded value of the records (land statuses, node kinds,
//! utilities, measures, …) declared once, as enums that read and write themselves as
//! their codes in JSON and SQL, with their Chinese and English names. Rust code uses the
//! enums; the map and clients get the lists and names from `/vocabularies`; the schema's
//! CHECK constraints and lookup tables hold the same codes (`tests/vocabulary.rs`).

mod style;
mod terms;
mod vocabulary;

use serde::Serialize;

pub use terms::*;
pub(crate) use vocabulary::vocabulary;
pub use vocabulary::{one_of, UnknownCode, Vocabulary};

/// A feature's id: a number or a string, as GeoJSON allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum FeatureId {
    Number(i64),
    Text(String),
}

impl From<i64> for FeatureId {
    fn from(n: i64) -> FeatureId {
        FeatureId::Number(n)
    }
}

impl From<String> for FeatureId {
    fn from(s: String) -> FeatureId {
        FeatureId::Text(s)
    }
}

/// One term as `/vocabularies` lists it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Term {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub style: Option<style::Style>,
}

fn terms<V: Vocabulary>(style: impl Fn(V) -> Option<style::Style>) -> Vec<Term> {
    V::ALL.iter().map(|&t| Term { code: t.code(), name_zh: t.name_zh(), name_en: t.name_en(), style: style(t) }).collect()
}

fn unstyled<V>(_: V) -> Option<style::Style> {
    None
}

/// Every vocabulary, by the name the map knows it by.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Vocabularies {
    pub status: Vec<Term>,
    pub node: Vec<Term>,
    pub transport_status: Vec<Term>,
    pub road: Vec<Term>,
    pub constraint: Vec<Term>,
    pub utility: Vec<Term>,
    pub level: Vec<Term>,
    pub finding: Vec<Term>,
    pub cause: Vec<Term>,
    pub measure: Vec<Term>,
    pub measure_state: Vec<Term>,
    pub stage: Vec<Term>,
    pub rule: Vec<Term>,
    pub part: Vec<Term>,
}

pub fn vocabularies() -> Vocabularies {
    Vocabularies {
        status: terms(|s| Some(style::status(s))),
        node: terms(|k| Some(style::node(k))),
        transport_status: terms::<TransportStatus>(unstyled),
        road: terms(|c| Some(style::road(c))),
        constraint: terms(|k| Some(style::constraint(k))),
        utility: terms::<Utility>(unstyled),
        level: terms::<ParkLevel>(unstyled),
        finding: terms::<FindingKind>(unstyled),
        cause: terms::<IdleCause>(unstyled),
        measure: terms::<Measure>(unstyled),
        measure_state: terms::<MeasureState>(unstyled),
        stage: terms::<ProjectStage>(unstyled),
        rule: terms::<IdleRule>(unstyled),
        part: terms::<ScorePart>(unstyled),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_as_their_terms() {
        for s in LandStatus::ALL {
            assert_eq!(s.as_str().parse::<LandStatus>(), Ok(*s));
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::json!(s.as_str()));
        }
        let e = "harbour".parse::<NodeKind>().unwrap_err();
        assert_eq!(e.to_string(), "unknown node kind 'harbour'; known: highway_interchange, rail_station, rail_freight, port, airport");
        assert!(serde_json::from_str::<Measure>("\"idle_fee\"").is_ok());
        assert!(serde_json::from_str::<Measure>("\"fine\"").unwrap_err().to_string().contains("unknown measure 'fine'"));
    }

    #[test]
    fn a_refusal_lists_the_codes_in_words() {
        assert_eq!(one_of::<ProjectStage>(), "negotiating, signed or landed");
        assert_eq!(one_of::<FindingKind>(), "idle, inefficient or approved_unsupplied");
    }

    #[test]
    fn seven_utilities_and_a_levelled_site() {
        assert_eq!(Utility::ALL.iter().filter(|u| u.is_standard()).count(), 8);
    }
}
