//! Land analysis: the rules and computations behind /analysis and the ledger. Each
//! module documents its method, assumptions and units.

pub mod access;
pub mod availability;
pub mod contiguity;
pub mod idle_rules;
pub mod land_graph;
pub mod scoring;

/// Runs `work`, tens to hundreds of milliseconds of computing on the land graph, without
/// holding a runtime worker: the worker's other tasks (tiles, pages, health checks) move
/// to another thread meanwhile (`block_in_place`). The server has a worker a core; on two
/// cores, two searches computing on them stalled every other request. On a current-thread
/// runtime (in tests) the work runs in place.
pub fn off_the_workers<R>(work: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(work),
        _ => work(),
    }
}
