//! SQL, by what it reads: the collection catalog and the feature queries built from it.

pub mod catalog;
pub mod cql;
pub mod features;
