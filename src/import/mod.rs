//! Importing plots from a GeoJSON FeatureCollection, all or nothing: every feature is
//! checked as a create through the API would check it (`edit::stage_plot`), each inside
//! a savepoint so one bad feature does not hide the next, and put in a staging table; the
//! checks a feature cannot make alone (codes and overlaps among the file's own plots,
//! codes already in the park, land-use codes) are then made set-wise over the staging
//! table; if any feature is refused, the whole file is rolled back and the report lists
//! every refusal with its reason. Otherwise the land locks of the file's parks are taken,
//! the land rules checked once more over the whole file (set-wise: what was committed
//! meanwhile is seen), and the plots go into the table in one statement,
//! so the links, logs and counters plots' triggers keep are worked out once for the file
//! (about 120 ms a statement; a statement a plot took 75 ms a plot). Coordinates in any
//! EPSG CRS are transformed to lon/lat by PostGIS (PROJ).

pub mod shapefile;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;
use sqlx::PgPool;

use crate::auth::Actor;
use crate::edit::{self, EditError};

#[derive(Debug, Default, serde::Serialize)]
pub struct Report {
    pub features: usize,
    /// Imported, or that would be imported in a dry run with no refusals.
    pub imported: usize,
    pub dry_run: bool,
    /// (feature index from 0, plot code if given, reason)
    pub refused: Vec<(usize, Option<String>, String)>,
    /// Set when the check stopped at `MAX_REFUSALS` refusals: the features checked.
    pub checked_only: Option<usize>,
}

/// Most features a file may hold: about two minutes of checks; a county's plots fit.
pub const MAX_FEATURES: usize = 50_000;

/// Refusals after which a file's check stops: a file that wrong is to be fixed at its
/// source, and the report stays readable.
pub const MAX_REFUSALS: usize = 1_000;

/// Longest an import waits for a park's land lock before it gives up (an edit holds it
/// for a moment; something holding it longer is not waited out).
const LOCK_WAIT: &str = "30s";

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    File(String),
    /// Bigger than parkland reads (an archive expanding past its limit).
    #[error("{0}")]
    TooLarge(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl Report {
    /// The report as the API and a job give it, with the CRS the coordinates were read in.
    pub fn to_json(&self, crs: &SourceCrs) -> Value {
        let refused: Vec<Value> = self.refused.iter().map(|(i, code, reason)| serde_json::json!({ "feature": i, "code": code, "reason": reason })).collect();
        let mut v = serde_json::json!({
            "features": self.features, "imported": self.imported, "dry_run": self.dry_run, "refused": refused, "crs": crs.to_string(),
        });
        if let Some(n) = self.checked_only {
            v["checked_only"] = serde_json::json!(n);
        }
        v
    }
}

/// The features of a GeoJSON FeatureCollection, or why it is not one.
pub fn features_of(doc: &Value) -> Result<&Vec<Value>, ImportError> {
    let features = doc
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| ImportError::File("the file is not a GeoJSON FeatureCollection (no \"features\" list)".into()))?;
    if features.len() > MAX_FEATURES {
        return Err(ImportError::TooLarge(format!("the file holds {} features; at most {MAX_FEATURES} a file: split it by town or park", features.len())));
    }
    Ok(features)
}

/// The coordinates' CRS: an EPSG code, or a WKT definition (a Shapefile's .prj), both
/// understood by PostGIS through PROJ.
#[derive(Debug, Clone)]
pub enum SourceCrs {
    Epsg(i32),
    Wkt(String),
}

impl std::fmt::Display for SourceCrs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceCrs::Epsg(n) => write!(f, "EPSG:{n}"),
            SourceCrs::Wkt(w) => write!(f, "{}", w.split('"').nth(1).unwrap_or("the .prj's CRS")),
        }
    }
}

impl SourceCrs {
    /// The CRS of a file's coordinates: the one asked for (`EPSG:<code>`), else the
    /// Shapefile's .prj, else the GeoJSON's legacy `crs` member, else lon/lat. The one
    /// choice of the command line and the API alike; the error names the parameter `crs`.
    pub fn of(asked: Option<&str>, prj: Option<String>, doc: &Value) -> Result<SourceCrs, String> {
        match (asked, prj) {
            (Some(c), _) => epsg(c).map(SourceCrs::Epsg).ok_or_else(|| format!("crs must be EPSG:<code>, not '{c}'")),
            (None, Some(wkt)) => Ok(SourceCrs::Wkt(wkt)),
            (None, None) => Ok(SourceCrs::Epsg(declared_srid(doc).unwrap_or(4326))),
        }
    }
}

/// The code of `EPSG:<code>` (any case, spaces around allowed).
pub fn epsg(s: &str) -> Option<i32> {
    s.trim().to_ascii_uppercase().strip_prefix("EPSG:")?.parse().ok()
}

/// The EPSG code of a GeoJSON file's legacy `crs` member, if it names one.
pub fn declared_srid(doc: &Value) -> Option<i32> {
    let name = doc.pointer("/crs/properties/name")?.as_str()?;
    let code = name.rsplit([':', '/']).next()?;
    if name.contains("CRS84") {
        return Some(4326);
    }
    code.parse().ok()
}

/// How an import is followed: the features checked so far, and the job it is, if it is
/// one (whose end is then recorded in the import's own transaction when it writes).
#[derive(Default)]
pub struct Progress {
    pub checked: std::sync::Arc<AtomicUsize>,
    pub job: Option<i64>,
}

/// Imports the plots of `doc` (coordinates in `crs`) as `actor`, counting the features
/// checked as it goes.
pub async fn plots(pool: &PgPool, actor: &Actor, doc: &Value, crs: &SourceCrs, dry_run: bool, progress: &Progress) -> Result<Report, ImportError> {
    let checked = &progress.checked;
    let features = features_of(doc)?;
    if let SourceCrs::Epsg(srid) = crs {
        let known: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM spatial_ref_sys WHERE srid = $1)").bind(srid).fetch_one(pool).await?;
        if !known {
            return Err(ImportError::File(format!("EPSG:{srid} is not a CRS PostGIS knows")));
        }
    }
    let mut report = Report { features: features.len(), dry_run, ..Report::default() };
    let mut tx = pool.begin().await?;
    // Like plots, with its row constraints (named as plots' are, so refusals read the
    // same), without its triggers, keys or indexes.
    for statement in [
        format!("CREATE TEMP TABLE {STAGED} (LIKE plots INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY) ON COMMIT DROP"),
        format!("ALTER TABLE {STAGED} ADD COLUMN import_feature bigint NOT NULL"),
    ] {
        sqlx::query(&statement).execute(&mut *tx).await?;
    }
    stage(&mut tx, features, crs, &mut report, checked).await?;
    // The file's own overlaps are a join of the staged outlines with each other: by their
    // index, not pair by pair.
    for statement in [format!("CREATE INDEX ON {STAGED} USING gist (geom)"), format!("ANALYZE {STAGED}")] {
        sqlx::query(&statement).execute(&mut *tx).await?;
    }
    report.refused.extend(refused_together(&mut tx).await?);
    // Since when, and which parks' land locks are held: logged at the end, as the time an
    // edit in those parks may have waited.
    let mut locked: Option<(std::time::Instant, String)> = None;
    if report.refused.is_empty() && !dry_run {
        // Only now the land locks of the file's parks, in one order (two files naming two
        // parks in opposite orders cannot deadlock), and the land rules once more over the
        // whole file, seeing every write committed meanwhile: edits in these parks wait
        // for the write alone, not for the checks above.
        locked = Some(lock_parks(&mut tx, features).await?);
        report.refused.extend(refused_at_write(&mut tx).await?);
    }
    report.refused.sort_by_key(|r| r.0);
    if report.refused.is_empty() {
        report.imported = features.len();
        if !dry_run {
            let columns = edit::written_columns().join(", ");
            let ids: Vec<i64> =
                sqlx::query_scalar(&format!("INSERT INTO plots ({columns}) SELECT {columns} FROM {STAGED} ORDER BY import_feature RETURNING id"))
                    .fetch_all(&mut *tx)
                    .await?;
            edit::audit_new_plots(&mut tx, actor, &ids).await?;
            if let Some(job) = progress.job {
                crate::jobs::record_done(&mut tx, job, features.len(), &report.to_json(crs)).await?;
            }
            tx.commit().await?;
            if let Some((since, parks)) = locked {
                tracing::info!(
                    plots = ids.len(),
                    parks,
                    held_ms = since.elapsed().as_millis() as u64,
                    "imported; the parks' land locks were held for the final write only"
                );
            }
            return Ok(report);
        }
    }
    tx.rollback().await?;
    Ok(report)
}

/// Checks each feature as a create would and stages those that pass; the refused go to
/// the report (after `MAX_REFUSALS`, the rest are not checked).
async fn stage(tx: &mut sqlx::PgConnection, features: &[Value], crs: &SourceCrs, report: &mut Report, checked: &AtomicUsize) -> Result<(), ImportError> {
    let mut codes: HashMap<(String, String), usize> = HashMap::new();
    for (i, f) in features.iter().enumerate() {
        if report.refused.len() >= MAX_REFUSALS {
            report.checked_only = Some(i);
            break;
        }
        checked.fetch_add(1, Ordering::Relaxed);
        let code = f.pointer("/properties/code").and_then(Value::as_str).map(str::to_string);
        let park = f.pointer("/properties/park_id").and_then(Value::as_str).map(str::to_string);
        if let (Some(park), Some(code)) = (&park, &code) {
            if let Some(first) = codes.get(&(park.clone(), code.clone())) {
                report.refused.push((i, Some(code.clone()), format!("{} (feature {first} of this file)", edit::rule_words("plot_code_unique_in_park"))));
                continue;
            }
            codes.insert((park.clone(), code.clone()), i);
        }
        sqlx::query("SAVEPOINT feature").execute(&mut *tx).await?;
        let result = async {
            let feature = to_lon_lat(&mut *tx, f, crs).await?;
            edit::stage_plot(&mut *tx, &edit::Body::read(&feature, crate::crs::Crs::CRS84)?, STAGED, i as i64).await
        }
        .await;
        match result {
            Ok(()) => {
                sqlx::query("RELEASE SAVEPOINT feature").execute(&mut *tx).await?;
            }
            Err(EditError::Database(e)) => return Err(e.into()),
            Err(e) => {
                // Rolled back to, a savepoint stays open and the next one nests in it:
                // released too, so a file of refusals does not pile them up.
                sqlx::query("ROLLBACK TO SAVEPOINT feature").execute(&mut *tx).await?;
                sqlx::query("RELEASE SAVEPOINT feature").execute(&mut *tx).await?;
                report.refused.push((i, code, e.to_string()));
            }
        }
    }
    Ok(())
}

/// The land locks of the file's parks, in one order (two files naming two parks in
/// opposite orders cannot deadlock), waiting at most `LOCK_WAIT`; since when, and which.
async fn lock_parks(tx: &mut sqlx::PgConnection, features: &[Value]) -> Result<(std::time::Instant, String), ImportError> {
    let mut parks: Vec<&str> = features.iter().filter_map(|f| f.pointer("/properties/park_id")?.as_str()).collect();
    parks.sort_unstable();
    parks.dedup();
    let locked = (std::time::Instant::now(), parks.join(", "));
    sqlx::query(&format!("SET LOCAL lock_timeout = '{LOCK_WAIT}'")).execute(&mut *tx).await?;
    for park in parks {
        edit::geometry::lock_park_land(&mut *tx, park).await.map_err(|e| match e {
            EditError::Database(sqlx::Error::Database(d)) if d.code().as_deref() == Some("55P03") => {
                ImportError::File(format!("park {park}'s land was being written for more than {LOCK_WAIT}; nothing was imported: send the file again"))
            }
            EditError::Database(d) => ImportError::Database(d),
            other => ImportError::File(other.to_string()),
        })?;
    }
    Ok(locked)
}

/// The staging table of an import, dropped at the end of its transaction.
const STAGED: &str = "import_staged";

/// Refusals found again under the parks' locks, over the staged plots: an outline now
/// outside its park or over a plot written since it was checked, a code now taken.
async fn refused_at_write(tx: &mut sqlx::PgConnection) -> Result<Vec<(usize, Option<String>, String)>, sqlx::Error> {
    // (feature, code, m² outside its park, the plot it lies over most and the m² shared,
    // its code taken)
    type Row = (i64, String, String, Option<f64>, Option<String>, Option<f64>, bool);
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT s.import_feature, s.code, s.park_id, o.m2, f.code, f.shared_m2,
                EXISTS (SELECT 1 FROM plots p WHERE p.park_id = s.park_id AND p.code = s.code)
         FROM {STAGED} s
         CROSS JOIN LATERAL (SELECT plot_outside_park_m2(s.geom, s.park_id) AS m2) o
         LEFT JOIN LATERAL plot_most_overlapped(s.geom, NULL) f ON true"
    ))
    .fetch_all(&mut *tx)
    .await?;
    let slack = edit::geometry::SLACK_M2;
    Ok(rows
        .into_iter()
        .filter_map(|(i, code, park, outside, over, shared, taken)| {
            let refusal = match (outside.filter(|m2| *m2 > slack), over.zip(shared).filter(|o| o.1 > slack)) {
                // The park was deleted since the feature was checked.
                _ if outside.is_none() => format!("no park '{park}'"),
                (Some(m2), _) => edit::geometry::outside_park(m2, &park).to_string(),
                (None, Some((other, m2))) => edit::geometry::over_plot(&other, m2).to_string(),
                (None, None) if taken => edit::rule_words("plot_code_unique_in_park").to_string(),
                (None, None) => return None,
            };
            Some((i as usize, Some(code), refusal))
        })
        .collect())
}

/// Refusals no feature could find alone, over the staged plots: a code the park has
/// already, an unknown land-use code, and outlines over one another within the file (the
/// later feature is refused, naming the earlier). (feature, code, reason)
async fn refused_together(tx: &mut sqlx::PgConnection) -> Result<Vec<(usize, Option<String>, String)>, sqlx::Error> {
    // (what, feature, code, the earlier feature and its code, the area they share)
    type Row = (String, i64, String, Option<i64>, Option<String>, Option<f64>);
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT 'code', s.import_feature, s.code, NULL::bigint, NULL::text, NULL::float8
         FROM {STAGED} s JOIN plots p ON p.park_id = s.park_id AND p.code = s.code
         UNION ALL
         SELECT 'land_use', s.import_feature, s.code, NULL, NULL, NULL
         FROM {STAGED} s WHERE NOT EXISTS (SELECT 1 FROM land_use_codes l WHERE l.code = s.land_use)
         UNION ALL
         SELECT 'overlap', b.import_feature, b.code, a.import_feature, a.code, x.area
         FROM {STAGED} a JOIN {STAGED} b ON a.import_feature < b.import_feature AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
         CROSS JOIN LATERAL (SELECT ST_Area(ST_Intersection(a.geom, b.geom)::geography) AS area) x
         WHERE x.area > 1"
    ))
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(what, i, code, earlier, earlier_code, area)| {
            let reason = match what.as_str() {
                "code" => edit::rule_words("plot_code_unique_in_park").to_string(),
                "land_use" => edit::rule_words("plots_land_use_fkey").to_string(),
                _ => format!(
                    "the outline overlaps plot {} (feature {} of this file) by {:.1} m²",
                    earlier_code.unwrap_or_default(),
                    earlier.unwrap_or_default(),
                    area.unwrap_or_default()
                ),
            };
            (i as usize, Some(code), reason)
        })
        .collect())
}

/// The feature with its geometry transformed from `crs` to lon/lat.
async fn to_lon_lat(tx: &mut sqlx::PgConnection, f: &Value, crs: &SourceCrs) -> Result<Value, EditError> {
    let Some(g) = f.get("geometry").filter(|g| !g.is_null()) else { return Ok(f.clone()) };
    let moved: Result<String, sqlx::Error> = match crs {
        SourceCrs::Epsg(4326) => return Ok(f.clone()),
        SourceCrs::Epsg(srid) => {
            sqlx::query_scalar("SELECT ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1), $2), 4326), 9)")
                .bind(g.to_string())
                .bind(srid)
                .fetch_one(&mut *tx)
                .await
        }
        SourceCrs::Wkt(wkt) => {
            sqlx::query_scalar("SELECT ST_AsGeoJSON(ST_Transform(ST_GeomFromGeoJSON($1), $2, 4326), 9)").bind(g.to_string()).bind(wkt).fetch_one(&mut *tx).await
        }
    };
    let moved = moved.map_err(|e| match e {
        sqlx::Error::Database(d) => EditError::Refused(format!("the geometry cannot be read or transformed: {}", d.message())),
        other => EditError::Database(other),
    })?;
    let mut out = f.clone();
    out["geometry"] = serde_json::from_str(&moved).map_err(|e| EditError::Malformed(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crs_names_are_read_as_epsg_codes() {
        assert_eq!(epsg(" epsg:4547 "), Some(4547));
        assert_eq!(epsg("4547"), None);
        assert_eq!(declared_srid(&serde_json::json!({ "crs": { "properties": { "name": "urn:ogc:def:crs:EPSG::4546" } } })), Some(4546));
        assert_eq!(declared_srid(&serde_json::json!({ "crs": { "properties": { "name": "urn:ogc:def:crs:OGC:1.3:CRS84" } } })), Some(4326));
    }
}
