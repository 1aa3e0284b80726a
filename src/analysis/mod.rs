//! Land analysis: the rules and computations behind /analysis and the ledger. Each
//! module documents its method, assumptions and units.

#![warn(clippy::disallowed_types)]

pub mod access;
pub mod contiguity;
pub mod idle_rules;
pub mod land_graph;
pub mod scoring;
pub mod site_search;

use serde::Serialize;
use serde_json::value::RawValue;

pub use crate::domain::FeatureId;

/// The `type` of a GeoJSON Feature, for the schema.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
enum FeatureType {
    Feature,
}

/// A GeoJSON Feature of an analysis's answer, its properties typed.
#[derive(Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "{P}Feature")]
pub struct Feature<P> {
    #[serde(rename = "type")]
    #[schemars(with = "FeatureType")]
    kind: &'static str,
    pub id: FeatureId,
    pub geometry: Option<Box<RawValue>>,
    pub properties: P,
}

impl<P> Feature<P> {
    pub fn new(id: impl Into<FeatureId>, geometry: Option<Box<RawValue>>, properties: P) -> Feature<P> {
        Feature { kind: "Feature", id: id.into(), geometry, properties }
    }
}

/// GeoJSON that PostGIS wrote (`ST_AsGeoJSON`), passed on as it is. Text that is not JSON
/// is an error naming `what`, not a null in the answer.
pub(crate) fn geojson(what: &str, text: Option<String>) -> Result<Option<Box<RawValue>>, sqlx::Error> {
    text.map(|t| RawValue::from_string(t).map_err(|e| sqlx::Error::Decode(format!("{what}: the database gave no GeoJSON ({e})").into()))).transpose()
}

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

#[cfg(test)]
mod tests {
    use std::sync::mpsc::channel;
    use std::time::Duration;

    /// One worker: while work waits off it, a task spawned after the work began still runs
    /// on that worker (and frees the work). Run on the worker, the work would wait out
    /// its 10 s.
    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn work_off_the_workers_leaves_the_worker_to_other_tasks() {
        let (began_tx, began) = channel::<()>();
        let (freed_tx, freed) = channel::<()>();
        let work = tokio::spawn(async move {
            super::off_the_workers(|| {
                began_tx.send(()).unwrap();
                freed.recv_timeout(Duration::from_secs(10)).is_ok()
            })
        });
        began.recv_timeout(Duration::from_secs(10)).expect("the work begins");
        tokio::spawn(async move { freed_tx.send(()).unwrap() });
        assert!(work.await.unwrap(), "the task spawned after the work ran while the work waited");
    }
}
