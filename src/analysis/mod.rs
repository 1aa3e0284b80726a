//! Land analysis: the rules and computations behind /analysis and the ledger. Each
//! module documents its method, assumptions and units.

pub mod access;
pub mod availability;
pub mod contiguity;
pub mod idle_rules;
pub mod land_graph;
pub mod scoring;
