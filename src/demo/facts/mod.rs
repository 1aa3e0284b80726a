//! The facts the demo data is built from, each with its source: the parks and zones, the
//! transport, the projects and the targets. geodata/README.md quotes the seed phrase of
//! each; tests/seed_facts.rs checks the stored data against them.

pub mod parks;
pub mod projects;
pub mod targets;
pub mod transport;

pub use parks::{ParkFact, PARKS, ZONES};
pub use projects::{ProjectFact, PROJECTS};
pub use transport::{NodeFact, EXPRESSWAYS, NODES, UNBUILT_EXPRESSWAYS};
