//! A write's body, read where it comes in: the GeoJSON Feature (or merge patch) a client
//! sent, its members checked, and each property given its column's type (`Props::cells`).
//! The one place in edit/ that holds untyped JSON (clippy.toml): a collection's
//! properties are JSON until they are read here against the collection's catalog.
#![allow(clippy::disallowed_types)]

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::{Cell, EditError, Writable, RECORD_YEARS};
use crate::crs::Crs;
use crate::store::catalog::Kind;

/// A (partial) feature to write: its id member, its properties and its geometry.
#[derive(Clone)]
pub struct Body {
    id: GivenId,
    pub props: Props,
    pub geometry: Option<GeometryJson>,
}

/// The `id` member of a body: absent (or null), a text, or something else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GivenId {
    None,
    Text(String),
    Other,
}

impl Body {
    /// Reads a body: a JSON object with at most type, id, properties, geometry and links;
    /// its coordinates in `crs` (the request's `Content-Crs`, CRS84 without one), in that
    /// CRS's axis order.
    pub fn read(body: &Value, crs: Crs) -> Result<Body, EditError> {
        let body = body.as_object().ok_or_else(|| EditError::Malformed("the body must be a JSON object: a (partial) GeoJSON Feature".into()))?;
        for key in body.keys() {
            if !["type", "id", "properties", "geometry", "links"].contains(&key.as_str()) {
                return Err(EditError::Malformed(format!("unknown member '{key}': a feature holds properties and/or geometry")));
            }
        }
        let props = match body.get("properties") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) => m.clone(),
            Some(_) => return Err(EditError::Malformed("properties must be an object".into())),
        };
        let id = match body.get("id") {
            None | Some(Value::Null) => GivenId::None,
            Some(Value::String(s)) => GivenId::Text(s.clone()),
            Some(_) => GivenId::Other,
        };
        let geometry = body.get("geometry").filter(|g| !g.is_null()).cloned().map(|value| GeometryJson { value, crs });
        Ok(Body { id, props: Props(props), geometry })
    }

    pub fn id(&self) -> &GivenId {
        &self.id
    }

    /// This body less the properties a client sends back only because it read them
    /// (`Props::receivable`).
    pub fn receivable(&self, w: &Writable) -> Body {
        Body { props: self.props.receivable(w), ..self.clone() }
    }
}

/// A GeoJSON geometry as the client sent it, and the CRS of its coordinates;
/// `geometry::read` checks it in PostGIS.
#[derive(Clone)]
pub struct GeometryJson {
    value: Value,
    crs: Crs,
}

impl GeometryJson {
    /// A geometry given on its own (a cutting line), its coordinates in `crs`.
    pub fn read(value: &Value, crs: Crs) -> Result<GeometryJson, EditError> {
        if !value.is_object() {
            return Err(EditError::Malformed("a geometry must be a GeoJSON geometry object".into()));
        }
        Ok(GeometryJson { value: value.clone(), crs })
    }

    /// Its `type` member ("" when it has none).
    pub fn kind(&self) -> &str {
        self.value.get("type").and_then(Value::as_str).unwrap_or("")
    }

    /// As JSON text, for `ST_GeomFromGeoJSON`.
    pub fn text(&self) -> String {
        self.value.to_string()
    }

    pub fn crs(&self) -> Crs {
        self.crs
    }
}

/// A body's properties, by name.
#[derive(Clone, Default)]
pub struct Props(Map<String, Value>);

impl Props {
    /// Whether `name` is given and not null.
    pub fn is_set(&self, name: &str) -> bool {
        self.0.get(name).is_some_and(|v| !v.is_null())
    }

    /// The names given.
    pub fn names(&self) -> Vec<String> {
        self.0.keys().cloned().collect()
    }

    /// `name` when given and not null; an error when it is not a number.
    pub fn number(&self, name: &str) -> Result<Option<f64>, EditError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(other) => Err(EditError::Malformed(format!("{name} must be a number, not {other}"))),
        }
    }

    /// `name` when it is given as text.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }

    /// `name` when given and not null; an error when it is not text.
    pub fn code(&self, name: &str) -> Result<Option<&str>, EditError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(EditError::Malformed(format!("{name} must be a {name} code (text)"))),
        }
    }

    /// These properties less `name`.
    pub fn without(&self, name: &str) -> Props {
        let mut rest = self.0.clone();
        rest.remove(name);
        Props(rest)
    }

    /// These properties less the read-only ones (areas, names of codes, a finding's plot
    /// fields: `Writable::read_only`), which a client sends back because it read them —
    /// QGIS's POST carries every field of the layer, OWSLib's PUT the feature as read.
    /// They are ignored, whatever their value; a property the collection lacks stays, to
    /// be refused by `cells`.
    pub fn receivable(&self, w: &Writable) -> Props {
        Props(self.0.iter().filter(|(k, _)| !w.read_only(k)).map(|(k, v)| (k.clone(), v.clone())).collect())
    }

    /// These properties less those set once, when the row was created (a plot's
    /// `park_id`), after checking each given one still has its value in `before` (the
    /// feature as it is): sent back unchanged it is ignored, changed it is refused.
    pub fn unchanged_fixed(&self, w: &Writable, before: &str) -> Result<Props, EditError> {
        let before: Value = serde_json::from_str(before).map_err(|e| EditError::Malformed(format!("the stored {} cannot be read: {e}", w.noun)))?;
        let mut rest = self.0.clone();
        for name in w.fixed {
            let Some(given) = rest.remove(*name) else { continue };
            let now = &before["properties"][name];
            if given != *now {
                return Err(EditError::Clash(format!("{}'s {name} is set when it is created and cannot change (it is {now}, not {given})", w.a_noun())));
            }
        }
        Ok(Props(rest))
    }

    /// A project's `plot_ids`, taken out: None when not given; null or [] for none.
    pub fn take_plot_ids(&mut self) -> Result<Option<Vec<i64>>, EditError> {
        let Some(value) = self.0.remove("plot_ids") else { return Ok(None) };
        let wrong = || EditError::Malformed(format!("plot_ids must be a list of plot ids (whole numbers), not {value}"));
        match &value {
            Value::Null => Ok(Some(vec![])),
            Value::Array(items) => items.iter().map(Value::as_i64).collect::<Option<Vec<i64>>>().map(Some).ok_or_else(wrong),
            _ => Err(wrong()),
        }
    }

    /// The columns and values these properties set, each checked against the catalog's
    /// type and the writable list; with `whole` (a replacement), every writable column
    /// left out is set to its default. Properties that are not columns (a project's
    /// `plot_ids`) are the caller's to take out first.
    pub(super) fn cells(&self, w: &Writable, whole: bool) -> Result<Vec<(&'static str, Cell)>, EditError> {
        let c = w.catalog();
        let mut out = Vec::new();
        for (name, value) in &self.0 {
            let p = c.property(name).ok_or_else(|| EditError::Malformed(format!("{} have no property '{name}'", w.collection)))?;
            if !w.properties.contains(&name.as_str()) {
                return Err(EditError::Malformed(format!("'{name}' cannot be set: it follows from other fields or needs an admin")));
            }
            let column = c.column_of(p).ok_or_else(|| EditError::Malformed(format!("'{name}' cannot be set")))?;
            out.push((column, cell(name, p.kind, value)?));
        }
        if whole {
            for name in w.properties.iter().filter(|n| !self.0.contains_key(**n)) {
                if let Some(column) = c.property(name).and_then(|p| c.column_of(p)) {
                    out.push((column, Cell::Default));
                }
            }
        }
        Ok(out)
    }
}

/// `value` as a cell of a `kind` column; `name` for the refusal.
fn cell(name: &str, kind: Kind, value: &Value) -> Result<Cell, EditError> {
    let wrong = || EditError::Malformed(format!("{name} must be {}, not {value}", kind_words(kind)));
    Ok(match (kind, value) {
        (_, Value::Null) => Cell::Null,
        (Kind::Text, Value::String(s)) => Cell::Text(s.clone()),
        (Kind::Integer, Value::Number(n)) if n.is_i64() => Cell::Integer(n.as_i64().unwrap_or_default()),
        (Kind::Number, Value::Number(n)) => Cell::Number(n.as_f64().unwrap_or(f64::NAN)),
        (Kind::Boolean, Value::Bool(b)) => Cell::Bool(*b),
        (Kind::Date, Value::String(s)) => Cell::Date(record_date(name, s)?),
        (Kind::TextArray, Value::Array(items)) => {
            Cell::TextArray(items.iter().map(|v| v.as_str().map(str::to_string)).collect::<Option<_>>().ok_or_else(wrong)?)
        }
        (Kind::Object, Value::Object(_)) => Cell::Json(RawValue::from_string(value.to_string()).map_err(|e| EditError::Malformed(format!("{name}: {e}")))?),
        _ => return Err(wrong()),
    })
}

/// A `YYYY-MM-DD` date within `RECORD_YEARS`.
fn record_date(name: &str, s: &str) -> Result<chrono::NaiveDate, EditError> {
    use chrono::Datelike;
    let date = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| EditError::Malformed(format!("{name} must be a date YYYY-MM-DD, not '{s}'")))?;
    if !RECORD_YEARS.contains(&date.year()) {
        return Err(EditError::Refused(format!("{name} {s} is not a date of record: it must fall in {}–{}", RECORD_YEARS.start(), RECORD_YEARS.end())));
    }
    Ok(date)
}

fn kind_words(k: Kind) -> &'static str {
    match k {
        Kind::Number => "a number",
        Kind::Date => "a date YYYY-MM-DD",
        Kind::Integer => "a whole number",
        Kind::Boolean => "true or false",
        Kind::TextArray => "a list of texts",
        Kind::IntegerArray => "a list of whole numbers",
        Kind::Object => "an object",
        Kind::Text => "text",
    }
}
