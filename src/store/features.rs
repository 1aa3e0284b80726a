//! Feature queries over the catalog: one WHERE builder for pages, counts and single
//! features. Values are always bound, never pasted; identifiers come only from the
//! catalog. PostgreSQL writes each feature's GeoJSON itself (ST_AsGeoJSON inside
//! json_build_object), and pages stream row by row from one REPEATABLE READ snapshot, so
//! `numberMatched` and the page agree and a 10,000-feature page is never held whole.

use chrono::NaiveDate;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use sqlx::{PgPool, Postgres, QueryBuilder};
use tokio::sync::mpsc;

use super::catalog::{Collection, Kind, Property};
use super::cql::{self, CqlError, Filter};
use crate::crs::Crs;

/// A box in `crs`, corners given east-first whatever the CRS's axis order.
#[derive(Debug, Clone)]
pub struct Bbox {
    pub min_e: f64,
    pub min_n: f64,
    pub max_e: f64,
    pub max_n: f64,
    pub crs: Crs,
}

#[derive(Debug, Clone)]
pub enum FilterValue {
    Text(String),
    Integer(i64),
    Number(f64),
    Date(NaiveDate),
    Boolean(bool),
}

#[derive(Debug, Clone)]
pub struct ItemsRequest {
    pub collection: &'static Collection,
    pub limit: i64,
    pub offset: i64,
    pub bbox: Option<Bbox>,
    pub crs: Crs,
    pub properties: Option<Vec<&'static Property>>,
    pub sortby: Vec<(&'static Property, bool)>,
    pub equals: Vec<(&'static Property, FilterValue)>,
    pub filter: Option<Filter>,
    /// `datetime`: the instant the records are read as of (`store::versions`); None: now.
    pub as_of: Option<chrono::DateTime<chrono::Utc>>,
}

/// Why a feature query failed: a filter the catalog refuses (the client's fault), or the
/// database.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error(transparent)]
    Filter(#[from] CqlError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

fn push_value(qb: &mut QueryBuilder<'static, Postgres>, v: &FilterValue) {
    match v {
        FilterValue::Text(s) => qb.push_bind(s.clone()),
        FilterValue::Integer(n) => qb.push_bind(*n),
        FilterValue::Number(n) => qb.push_bind(*n),
        FilterValue::Date(d) => qb.push_bind(*d),
        FilterValue::Boolean(b) => qb.push_bind(*b),
    };
}

/// The bbox as a 4326 polygon. A box in another CRS is densified before it is
/// transformed, so its edges stay the straight lines they are in their own CRS to well
/// under a millimetre; the literal is transformed, not the column, so the index serves.
fn push_envelope(qb: &mut QueryBuilder<'static, Postgres>, b: &Bbox) {
    if b.crs.srid == 4326 {
        qb.push("ST_MakeEnvelope(");
    } else {
        qb.push("ST_Transform(ST_Segmentize(ST_MakeEnvelope(");
    }
    qb.push_bind(b.min_e).push(", ").push_bind(b.min_n).push(", ").push_bind(b.max_e).push(", ").push_bind(b.max_n);
    if b.crs.srid == 4326 {
        qb.push(", 4326)");
    } else {
        let step = ((b.max_e - b.min_e).max(b.max_n - b.min_n) / 64.0).max(1e-9);
        qb.push(", ").push(b.crs.srid.to_string()).push("), ").push_bind(step).push("), 4326)");
    }
}

/// ` WHERE ...` for the request's filters.
fn push_where(qb: &mut QueryBuilder<'static, Postgres>, req: &ItemsRequest) -> Result<(), CqlError> {
    let c = req.collection;
    qb.push(" WHERE true");
    if let Some(b) = &req.bbox {
        qb.push(" AND ").push(c.geom_sql).push(" && ");
        push_envelope(qb, b);
        qb.push(" AND ST_Intersects(").push(c.geom_sql).push(", ");
        push_envelope(qb, b);
        qb.push(")");
    }
    for (p, v) in &req.equals {
        qb.push(" AND ");
        match p.kind {
            Kind::TextArray | Kind::IntegerArray => {
                push_value(qb, v);
                qb.push(" = ANY(").push(p.sql).push(")");
            }
            _ => {
                qb.push(p.sql).push(" = ");
                push_value(qb, v);
            }
        }
    }
    if let Some(f) = &req.filter {
        qb.push(" AND ");
        cql::push_filter(qb, c, f)?;
    }
    Ok(())
}

/// A collection's feature as JSON, every property, for a SELECT over `c.from` (the audit
/// rows of many features at once).
pub fn push_whole_feature_json(qb: &mut QueryBuilder<'static, Postgres>, c: &'static Collection, crs: Crs) {
    push_feature_json(qb, c, crs, &c.properties.iter().collect::<Vec<_>>());
}

/// The feature's GeoJSON, built by PostgreSQL, with its geometry in `crs`.
fn push_feature_json(qb: &mut QueryBuilder<'static, Postgres>, c: &Collection, crs: Crs, props: &[&Property]) {
    let geom = if crs.is_storage_order() {
        c.geom_sql.to_string()
    } else if crs.north_first {
        format!("ST_FlipCoordinates(ST_Transform({}, {}))", c.geom_sql, crs.srid)
    } else {
        format!("ST_Transform({}, {})", c.geom_sql, crs.srid)
    };
    qb.push("json_build_object('type', 'Feature', 'id', ")
        .push(c.id_sql)
        .push(", 'geometry', ST_AsGeoJSON(")
        .push(geom)
        .push(format!(", {}, 0)::json, 'properties', json_build_object(", crs.precision));
    for (i, p) in props.iter().enumerate() {
        if i > 0 {
            qb.push(", ");
        }
        qb.push(format!("'{}', ", p.name)).push(p.sql);
    }
    qb.push("))::text");
}

fn selected(req: &ItemsRequest) -> Vec<&'static Property> {
    match &req.properties {
        Some(list) => list.clone(),
        None => req.collection.properties.iter().collect(),
    }
}

/// A page of features: the counts, its ETag, and the features as they arrive.
pub struct Page {
    pub matched: i64,
    pub returned: i64,
    pub etag: String,
    pub features: mpsc::Receiver<Result<String, sqlx::Error>>,
}

pub enum PageResult {
    Page(Page),
    NotModified { etag: String },
}

/// Runs an items request. `seed` is everything else the response depends on (the
/// normalised query, the links' base); `holds` whether the client has a version already.
pub async fn page(pool: &PgPool, kept: &MatchedCounts, req: ItemsRequest, seed: &str, holds: super::Holds<'_>) -> Result<PageResult, QueryError> {
    let (mut tx, tag, changes) = match super::snapshot(pool, req.collection.tables, seed, holds).await? {
        super::Snapshot::Held { etag } => return Ok(PageResult::NotModified { etag }),
        super::Snapshot::Fresh { tx, etag, changes } => (tx, etag, changes),
    };

    if let Some(at) = req.as_of {
        super::versions::read_as_of(&mut tx, at).await?;
    }
    let selection = format!("{}|{:?}|{:?}|{:?}|{:?}", req.collection.id, req.bbox, req.equals, req.as_of, req.filter);
    let counts = super::counters::counts(&changes, req.collection.tables);
    let matched = kept
        .or_compute(selection, counts, async {
            let mut count: QueryBuilder<'static, Postgres> = QueryBuilder::new("SELECT count(*) FROM ");
            count.push(req.collection.from);
            push_where(&mut count, &req)?;
            Ok::<i64, QueryError>(count.build_query_scalar().fetch_one(&mut *tx).await?)
        })
        .await?;
    let returned = (matched - req.offset).clamp(0, req.limit);

    let (send, features) = mpsc::channel(256);
    tokio::spawn(async move {
        let c = req.collection;
        // The page's ids first, then JSON for those rows only: PostgreSQL would otherwise
        // build the GeoJSON of every row that OFFSET skips.
        let order = |qb: &mut QueryBuilder<'static, Postgres>| {
            qb.push(" ORDER BY ");
            for (p, desc) in &req.sortby {
                qb.push(p.sql).push(if *desc { " DESC NULLS LAST, " } else { " ASC NULLS FIRST, " });
            }
            // The id last, so pages are stable and every feature appears exactly once.
            qb.push(c.id_sql);
        };
        let mut qb: QueryBuilder<'static, Postgres> = QueryBuilder::new("SELECT ");
        push_feature_json(&mut qb, c, req.crs, &selected(&req));
        qb.push(" FROM ").push(c.from).push(" WHERE ").push(c.id_sql).push(" IN (SELECT ").push(c.id_sql).push(" FROM ").push(c.from);
        if push_where(&mut qb, &req).is_err() {
            return; // cannot happen: the same filter compiled for the count above
        }
        order(&mut qb);
        qb.push(" LIMIT ").push_bind(req.limit).push(" OFFSET ").push_bind(req.offset).push(")");
        order(&mut qb);
        let query = qb.build_query_scalar::<String>();
        let mut rows = query.fetch(&mut *tx);
        while let Some(row) = rows.next().await {
            let failed = row.is_err();
            if send.send(row).await.is_err() || failed {
                break; // the client went away, or the query failed
            }
        }
    });
    Ok(PageResult::Page(Page { matched, returned, etag: tag, features }))
}

/// `numberMatched` of selections counted lately, by the change counters of their tables
/// in the snapshot they were counted in: paging through a filter counts it once (a
/// quarter of a million plots took 430 ms to count, on every page).
pub type MatchedCounts = super::counters::Kept<String, i64>;

/// One feature as read: its GeoJSON in the CRS asked for, its row version and when the
/// row was last written.
#[derive(Debug, Clone)]
pub struct Item {
    pub json: String,
    pub tag: ItemTag,
    pub updated: chrono::DateTime<chrono::Utc>,
}

/// A feature's strong ETag: the state of its row — its version, the instant that version
/// was recorded (which tells apart a feature deleted and made again under the same id),
/// and a digest of its collection and id (plots loaded or split in one write share a
/// version and an instant: one's tag must not pass for another's) — then a digest of this
/// representation (the CRS it was read in, and what it shows
/// of other rows: names of codes, a finding's plot). A cache compares the whole tag; a
/// write's `If-Match` compares the state only (`same_state`), so a client that read the
/// feature in EPSG:4547 or as CSV may send its tag back while the row is unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemTag {
    /// `<version>.<recorded, µs since 1970, in hex>.<the feature's digest>`
    pub state: String,
    pub digest: String,
}

/// The first `bytes` of a SHA-256 of `text`, in hex.
fn hex_digest(text: &str, bytes: usize) -> String {
    Sha256::digest(text.as_bytes()).iter().take(bytes).map(|b| format!("{b:02x}")).collect()
}

impl ItemTag {
    /// The tag of feature `id` of `collection` in version `version`, recorded at `recorded`,
    /// represented as `json`.
    pub fn of(collection: &str, id: &str, version: i32, recorded: chrono::DateTime<chrono::Utc>, json: &str) -> ItemTag {
        ItemTag { state: format!("{version}.{:x}.{}", recorded.timestamp_micros(), hex_digest(&format!("{collection}/{id}"), 4)), digest: hex_digest(json, 8) }
    }

    /// A tag as a client sends it back (`"7.…-…"`); None for one parkland did not give
    /// out, and for a weak one (`W/"…"`), which a precondition never matches (RFC 9110 13.1.1).
    pub fn parse(text: &str) -> Option<ItemTag> {
        let (state, digest) = text.trim().strip_prefix('"')?.strip_suffix('"')?.split_once('-')?;
        let mut parts = state.split('.');
        let (version, recorded, feature) = (parts.next()?, parts.next()?, parts.next()?);
        let well_formed = parts.next().is_none()
            && version.parse::<u32>().is_ok()
            && i64::from_str_radix(recorded, 16).is_ok()
            && !recorded.starts_with('+')
            && feature.len() == 8
            && feature.bytes().all(|b| b.is_ascii_hexdigit());
        well_formed.then(|| ItemTag { state: state.to_string(), digest: digest.to_string() })
    }

    /// Whether this tag names the same state of the row as `other`, in any representation.
    pub fn same_state(&self, other: &ItemTag) -> bool {
        self.state == other.state
    }
}

impl std::fmt::Display for ItemTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\"{}-{}\"", self.state, self.digest)
    }
}

/// One feature by id, in `crs`.
pub async fn one<'e, E: sqlx::PgExecutor<'e>>(db: E, c: &'static Collection, id: &str, crs: Crs) -> Result<Option<Item>, sqlx::Error> {
    let mut qb: QueryBuilder<'static, Postgres> = QueryBuilder::new("SELECT ");
    push_feature_json(&mut qb, c, crs, &c.properties.iter().collect::<Vec<_>>());
    qb.push(format!(", {}, {}", c.version_sql(), c.updated_sql()));
    qb.push(" FROM ").push(c.from).push(" WHERE ").push(c.id_sql).push(" = ");
    // The id as the collection writes it (`+15` is plot 15), for the tag too.
    let id = match c.id_kind {
        Kind::Integer => match id.parse::<i64>() {
            Ok(n) => {
                qb.push_bind(n);
                n.to_string()
            }
            Err(_) => return Ok(None),
        },
        _ => {
            qb.push_bind(id.to_string());
            id.to_string()
        }
    };
    let row: Option<(String, i32, chrono::DateTime<chrono::Utc>)> = qb.build_query_as().fetch_optional(db).await?;
    Ok(row.map(|(json, version, updated)| Item { tag: ItemTag::of(c.id, &id, version, updated, &json), json, updated }))
}

/// A collection's extent: the box of its geometries in CRS84, and the first and last
/// of its dates (for a collection with one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extent {
    pub bbox: Option<[f64; 4]>,
    pub interval: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
}

impl super::counters::Weigh for Extent {
    fn weigh(&self) -> usize {
        std::mem::size_of::<Extent>()
    }
}

/// Collections' extents, by the change counters of their tables, read before the extent
/// is: the extent spans every row (0.45 s for a million plots, and `/collections` asks
/// for every collection's).
pub type KeptExtents = super::counters::Kept<&'static str, Extent>;

/// The collection's extent, kept or computed.
pub async fn kept_extent(pool: &PgPool, counters: &super::counters::Counters, kept: &KeptExtents, c: &'static Collection) -> Result<Extent, sqlx::Error> {
    let at = super::counters::counts(&counters.now(pool).await?, c.tables);
    kept.or_compute(c.id, at, extent(pool, c)).await
}

async fn extent(pool: &PgPool, c: &Collection) -> Result<Extent, sqlx::Error> {
    let sql =
        format!("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent({}) AS e FROM {}) x WHERE e IS NOT NULL", c.geom_sql, c.from);
    let row: Option<(f64, f64, f64, f64)> = sqlx::query_as(&sql).fetch_optional(pool).await?;
    let interval = match c.temporal {
        Some(t) => {
            let p = c.property(t).expect("temporal names a catalog property");
            Some(sqlx::query_as(&format!("SELECT min({0}), max({0}) FROM {1}", p.sql, c.from)).fetch_one(pool).await?)
        }
        None => None,
    };
    Ok(Extent { bbox: row.map(|(a, b, c, d)| [a, b, c, d]), interval })
}
