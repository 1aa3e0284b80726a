//! A database error with what was being done when it came ("reading the land graph: …"),
//! so the log says which work failed; the status a client gets still follows the error
//! itself (`api::errors`: an unreachable database is a 503, anything else a 500).

/// What was being done, and the database's error.
#[derive(Debug, thiserror::Error)]
#[error("{doing}: {source}")]
pub struct Failed {
    pub doing: &'static str,
    #[source]
    pub source: sqlx::Error,
}

/// `result.doing("reading the land graph")`: a database error with its context.
pub trait Doing<T> {
    fn doing(self, doing: &'static str) -> Result<T, Failed>;
}

impl<T> Doing<T> for Result<T, sqlx::Error> {
    fn doing(self, doing: &'static str) -> Result<T, Failed> {
        self.map_err(|source| Failed { doing, source })
    }
}
