//! Importing plots from a GeoJSON FeatureCollection, all or nothing: every feature is
//! checked as a create through the API would check it (`edit::insert_plot`), each inside
//! a savepoint so one bad feature does not hide the next; if any is refused, the whole
//! file is rolled back and the report lists every refusal with its reason. Coordinates in
//! any EPSG CRS are transformed to lon/lat by PostGIS (PROJ).

pub mod shapefile;

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
}

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

/// Imports the plots of `doc` (coordinates in EPSG:`srid`) as `actor`.
pub async fn plots(pool: &PgPool, actor: &Actor, doc: &Value, crs: &SourceCrs, dry_run: bool) -> Result<Report, ImportError> {
    let features = doc
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| ImportError::File("the file is not a GeoJSON FeatureCollection (no \"features\" list)".into()))?;
    if let SourceCrs::Epsg(srid) = crs {
        let known: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM spatial_ref_sys WHERE srid = $1)").bind(srid).fetch_one(pool).await?;
        if !known {
            return Err(ImportError::File(format!("EPSG:{srid} is not a CRS PostGIS knows")));
        }
    }
    let mut report = Report { features: features.len(), dry_run, ..Report::default() };
    let mut tx = pool.begin().await?;
    // The land locks of every park the file names, in one order, before any feature is
    // checked: each feature's check would take its park's lock anyway, and two files
    // naming two parks in opposite orders would otherwise deadlock.
    let mut parks: Vec<&str> = features.iter().filter_map(|f| f.pointer("/properties/park_id")?.as_str()).collect();
    parks.sort_unstable();
    parks.dedup();
    for park in parks {
        edit::geometry::lock_park_land(&mut tx, park).await.map_err(|e| match e {
            EditError::Database(d) => ImportError::Database(d),
            other => ImportError::File(other.to_string()),
        })?;
    }
    for (i, f) in features.iter().enumerate() {
        let code = f.pointer("/properties/code").and_then(Value::as_str).map(str::to_string);
        sqlx::query("SAVEPOINT feature").execute(&mut *tx).await?;
        let result = async {
            let feature = to_lon_lat(&mut tx, f, crs).await?;
            edit::insert_plot(&mut tx, actor, &feature).await
        }
        .await;
        match result {
            Ok(_) => {
                sqlx::query("RELEASE SAVEPOINT feature").execute(&mut *tx).await?;
                report.imported += 1;
            }
            Err(EditError::Database(e)) => return Err(e.into()),
            Err(e) => {
                sqlx::query("ROLLBACK TO SAVEPOINT feature").execute(&mut *tx).await?;
                report.refused.push((i, code, e.to_string()));
            }
        }
    }
    if report.refused.is_empty() && !dry_run {
        tx.commit().await?;
    } else {
        tx.rollback().await?;
        if !report.refused.is_empty() {
            report.imported = 0;
        }
    }
    Ok(report)
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
            sqlx::query_scalar("SELECT ST_AsGeoJSON(ST_Transform(ST_GeomFromGeoJSON($1), $2, 4326), 9)")
                .bind(g.to_string())
                .bind(wkt)
                .fetch_one(&mut *tx)
                .await
        }
    };
    let moved = moved.map_err(|e| match e {
        sqlx::Error::Database(d) => EditError::Unprocessable(format!("the geometry cannot be read or transformed: {}", d.message())),
        other => EditError::Database(other),
    })?;
    let mut out = f.clone();
    out["geometry"] = serde_json::from_str(&moved).map_err(|e| EditError::BadRequest(e.to_string()))?;
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
