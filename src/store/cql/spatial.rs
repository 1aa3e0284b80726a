//! The spatial operators (S_INTERSECTS …, S_DWITHIN) and a filter's geometry literals: read
//! in the filter's CRS, checked as PostGIS would check them (so a malformed one is the
//! client's 400), and written for storage.

use super::*;

impl Cx<'_, 'static> {
    /// S_INTERSECTS and the other comparisons of the geometry with a geometry literal.
    pub(super) fn spatial(&mut self, op: &str, args: &[Box<Expr>]) -> Result<(), CqlError> {
        self.arity(op, args, 2)?;
        // The literal may come first: S_WITHIN(literal, geometry) is S_CONTAINS(geometry, literal).
        let (lit, flip) = match (is_geometry_ref(&args[0]), is_geometry_ref(&args[1])) {
            (true, false) => (&args[1], false),
            (false, true) => (&args[0], true),
            _ => return self.err(format!("{} compares the geometry with a geometry literal", op.to_uppercase())),
        };
        let func = match (op, flip) {
            ("s_within", false) | ("s_contains", true) => "ST_Within",
            ("s_contains", false) | ("s_within", true) => "ST_Contains",
            ("s_touches", _) => "ST_Touches",
            ("s_overlaps", _) => "ST_Overlaps",
            ("s_crosses", _) => "ST_Crosses",
            ("s_equals", _) => "ST_Equals",
            _ => "ST_Intersects",
        };
        if op == "s_disjoint" {
            self.qb.push("NOT ");
        }
        self.qb.push(format!("{func}({}, ", self.c.geom_sql));
        self.geometry_literal(lit)?;
        self.qb.push(")");
        Ok(())
    }

    /// S_DWITHIN(geometry, literal, distance[, units]), in metres on the ellipsoid.
    pub(super) fn dwithin(&mut self, args: &[Box<Expr>]) -> Result<(), CqlError> {
        if args.len() != 3 && args.len() != 4 {
            return self.err(format!("S_DWITHIN takes (geometry, literal, distance[, units]), got {} arguments", args.len()));
        }
        let (lit, dist) = match (is_geometry_ref(&args[0]), is_geometry_ref(&args[1])) {
            (true, false) => (&args[1], &args[2]),
            (false, true) => (&args[0], &args[2]),
            _ => return self.err("S_DWITHIN compares the geometry with a geometry literal".into()),
        };
        let Expr::Float(d) = dist.as_ref() else { return self.err("S_DWITHIN's distance must be a number".into()) };
        let factor = match args.get(3).map(|u| u.as_ref()) {
            None => 1.0,
            Some(Expr::Literal(u) | Expr::Property { property: u }) => match u.to_lowercase().as_str() {
                "m" | "meter" | "meters" | "metre" | "metres" => 1.0,
                "km" | "kilometer" | "kilometers" | "kilometre" | "kilometres" => 1000.0,
                other => return self.err(format!("S_DWITHIN: unknown unit '{other}'; use meters or kilometers")),
            },
            Some(other) => return self.err(format!("S_DWITHIN: units must be a word, found {}", describe(other))),
        };
        let metres = d * factor;
        if !(0.0..=1_000_000.0).contains(&metres) {
            return self.err(format!("S_DWITHIN: distance {metres} m is outside 0..1000 km"));
        }
        // A box test first, wide enough at the literal's latitude, so the index serves;
        // then the exact distance on the ellipsoid.
        self.qb.push(format!("({} && ST_Expand(", self.c.geom_sql));
        self.geometry_literal(lit)?;
        self.qb.push(", ").push_bind(metres).push(" / (111000.0 * cos(radians(least(89.0, greatest(abs(ST_YMin(");
        self.geometry_literal(lit)?;
        self.qb.push(")), abs(ST_YMax(");
        self.geometry_literal(lit)?;
        // Closes ST_YMax, abs, greatest, least, radians, cos, the divisor and ST_Expand.
        self.qb.push("))))))))");
        self.qb.push(format!(" AND ST_DWithin({}::geography, ", self.c.geom_sql));
        self.geometry_literal(lit)?;
        self.qb.push("::geography, ").push_bind(metres).push("))");
        Ok(())
    }

    /// A geometry literal, taken from the filter's CRS to storage (lon/lat 4326).
    pub(super) fn geometry_literal(&mut self, e: &Expr) -> Result<(), CqlError> {
        let crs = self.f.crs;
        let open = |qb: &mut QueryBuilder<'static, Postgres>| {
            if !crs.is_storage_order() {
                qb.push("ST_Transform(");
                if crs.north_first {
                    qb.push("ST_FlipCoordinates(");
                }
            }
        };
        let close = |qb: &mut QueryBuilder<'static, Postgres>| {
            if !crs.is_storage_order() {
                if crs.north_first {
                    qb.push(")");
                }
                qb.push(", 4326)");
            }
        };
        match e {
            Expr::Geometry(Geometry::GeoJSON(g)) => {
                open(self.qb);
                self.qb.push("ST_SetSRID(ST_GeomFromGeoJSON(").push_bind(g.to_string()).push(format!("), {})", crs.srid));
                close(self.qb);
            }
            Expr::Geometry(Geometry::Wkt(w)) => {
                // Read here, so a malformed literal is the client's 400, not PostGIS's
                // internal error; PostGIS gets it as written out again, its rings closed.
                let read = geozero::ToGeo::to_geo(&geozero::wkt::Wkt(w.as_str())).map_err(|e| e.to_string());
                let g = match read.and_then(|g| too_few_points(&g).map_or(Ok(g), Err)) {
                    Ok(g) => g,
                    Err(e) => return self.err(format!("the geometry literal is not valid WKT ({e}): {}", clip(w))),
                };
                let Ok(wkt) = geozero::ToWkt::to_wkt(&g) else {
                    return self.err(format!("the geometry literal cannot be written as WKT: {}", clip(w)));
                };
                open(self.qb);
                self.qb.push("ST_GeomFromText(").push_bind(wkt).push(format!(", {})", crs.srid));
                close(self.qb);
            }
            Expr::BBox { bbox } => {
                let nums: Vec<f64> = bbox.iter().filter_map(|b| if let Expr::Float(f) = b.as_ref() { Some(*f) } else { None }).collect();
                let c = match nums.as_slice() {
                    [a, b, c, d] => [*a, *b, *c, *d],
                    [a, b, _, c, d, _] => [*a, *b, *c, *d],
                    _ => return self.err("BBOX takes 4 or 6 numbers".into()),
                };
                open(self.qb);
                self.qb.push("ST_MakeEnvelope(");
                for (i, v) in c.iter().enumerate() {
                    if i > 0 {
                        self.qb.push(", ");
                    }
                    self.qb.push_bind(*v);
                }
                self.qb.push(format!(", {})", crs.srid));
                close(self.qb);
            }
            other => return self.err(format!("expected a geometry literal (POINT(...), POLYGON(...), BBOX(...)), found {}", describe(other))),
        }
        Ok(())
    }
}

/// What PostGIS would refuse in a geometry that parsed: a line of fewer than 2 points, a
/// ring of fewer than 4 (once closed).
fn too_few_points(g: &geo::Geometry) -> Option<String> {
    use geo::Geometry as G;
    let ring = |r: &geo::LineString| {
        (!r.0.is_empty() && r.0.len() < 4).then(|| format!("a ring of {} points; a ring needs at least 4, the last the first", r.0.len()))
    };
    let polygon = |p: &geo::Polygon| std::iter::once(p.exterior()).chain(p.interiors()).find_map(ring);
    let line = |l: &geo::LineString| (l.0.len() == 1).then(|| "a line of one point; a line needs at least 2".to_string());
    match g {
        G::LineString(l) => line(l),
        G::MultiLineString(m) => m.0.iter().find_map(line),
        G::Polygon(p) => polygon(p),
        G::MultiPolygon(m) => m.0.iter().find_map(polygon),
        G::GeometryCollection(c) => c.0.iter().find_map(too_few_points),
        _ => None,
    }
}

/// The start of a long literal, for a message.
fn clip(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}
