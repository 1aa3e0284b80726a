//! Coordinate reference systems parkland serves (OGC API - Features Part 2), by URI.
//!
//! Storage is EPSG:4326 in lon/lat order. Output and `bbox-crs` input in another CRS are
//! transformed by PostGIS (which uses the same PROJ library as the `proj` crate), on the
//! literal for a bbox so the spatial index still serves. Coordinates are written in each
//! CRS's own axis order, as Part 2 requires: EPSG:4326 and EPSG:4490 are latitude first,
//! the CGCS2000 Gauss–Krüger systems are northing (X) first; CRS84 and EPSG:3857 are
//! east first.

/// One supported CRS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crs {
    /// The EPSG code PostGIS knows it by.
    pub srid: i32,
    /// Whether its first axis is north (latitude or northing).
    pub north_first: bool,
    /// Whether it is CRS84 (lon/lat WGS 84) rather than an EPSG code.
    pub crs84: bool,
    /// Digits after the decimal point that keep about a millimetre.
    pub precision: i32,
}

pub const CRS84_URI: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
const EPSG_PREFIX: &str = "http://www.opengis.net/def/crs/EPSG/0/";

/// The CRSs on offer: CRS84, WGS 84, CGCS2000 geographic, CGCS2000 3-degree Gauss–Krüger
/// for Qingyuan (CM 114°E, zone 38) and Zhanjiang (CM 111°E, zone 37), Web Mercator.
pub const SUPPORTED: &[Crs] = &[
    Crs { srid: 4326, north_first: false, crs84: true, precision: 7 },
    Crs { srid: 4326, north_first: true, crs84: false, precision: 7 },
    Crs { srid: 4490, north_first: true, crs84: false, precision: 7 },
    Crs { srid: 4547, north_first: true, crs84: false, precision: 3 },
    Crs { srid: 4546, north_first: true, crs84: false, precision: 3 },
    Crs { srid: 4526, north_first: true, crs84: false, precision: 3 },
    Crs { srid: 4525, north_first: true, crs84: false, precision: 3 },
    Crs { srid: 3857, north_first: false, crs84: false, precision: 3 },
];

impl Crs {
    pub const CRS84: Crs = SUPPORTED[0];

    pub fn uri(&self) -> String {
        if self.crs84 {
            CRS84_URI.to_string()
        } else {
            format!("{EPSG_PREFIX}{}", self.srid)
        }
    }

    /// Whether output in this CRS needs no transform at all (storage is lon/lat 4326).
    pub fn is_storage_order(&self) -> bool {
        self.srid == 4326 && !self.north_first
    }

    /// Reads a CRS from its URI (also `EPSG:4547`, `[EPSG:4547]`, the https form, and the
    /// `<…>` of a Part 2 `Content-Crs` header, which QGIS sends without them).
    pub fn parse(text: &str) -> Option<Crs> {
        let t = text.trim();
        let t = t.strip_prefix('<').and_then(|u| u.strip_suffix('>')).unwrap_or(t).trim();
        let t = t.trim_start_matches('[').trim_end_matches(']');
        let t = t.strip_prefix("https://").map(|r| format!("http://{r}")).unwrap_or_else(|| t.to_string());
        if t == CRS84_URI || t.eq_ignore_ascii_case("CRS84") || t.eq_ignore_ascii_case("OGC:CRS84") {
            return Some(Crs::CRS84);
        }
        let code = t.strip_prefix(EPSG_PREFIX).or_else(|| t.strip_prefix("EPSG:")).or_else(|| t.strip_prefix("epsg:")).and_then(|c| c.parse::<i32>().ok())?;
        SUPPORTED.iter().copied().find(|c| !c.crs84 && c.srid == code)
    }

    /// Every supported CRS's URI, for collection metadata and error messages.
    pub fn all_uris() -> Vec<String> {
        SUPPORTED.iter().map(Crs::uri).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_uris_and_short_forms() {
        assert_eq!(Crs::parse(CRS84_URI), Some(Crs::CRS84));
        let gk = Crs::parse("http://www.opengis.net/def/crs/EPSG/0/4547").unwrap();
        assert_eq!((gk.srid, gk.north_first), (4547, true));
        assert!(Crs::parse("EPSG:4326").unwrap().north_first);
        assert_eq!(Crs::parse("[EPSG:3857]").unwrap().srid, 3857);
        assert_eq!(Crs::parse("<http://www.opengis.net/def/crs/EPSG/0/4547>"), Crs::parse("http://www.opengis.net/def/crs/EPSG/0/4547"));
        assert_eq!(Crs::parse("<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"), Some(Crs::CRS84));
        assert_eq!(Crs::parse("EPSG:2000"), None);
        assert_eq!(Crs::parse("nonsense"), None);
        for uri in Crs::all_uris() {
            assert_eq!(Crs::parse(&uri).unwrap().uri(), uri);
        }
    }

    /// The axis-order table agrees with the EPSG definitions as PROJ holds them: the
    /// direction of each CRS's first axis, read from PROJ's database.
    #[test]
    fn axis_order_agrees_with_proj() {
        use std::ffi::{CStr, CString};
        use std::ptr::null_mut;
        // SAFETY: plain PROJ C API calls on objects created and destroyed here.
        unsafe {
            let ctx = proj_sys::proj_context_create();
            for crs in SUPPORTED.iter().filter(|c| !c.crs84) {
                let def = CString::new(format!("EPSG:{}", crs.srid)).unwrap();
                let pj = proj_sys::proj_create(ctx, def.as_ptr());
                assert!(!pj.is_null(), "PROJ knows EPSG:{}", crs.srid);
                let cs = proj_sys::proj_crs_get_coordinate_system(ctx, pj);
                let mut direction: *const std::os::raw::c_char = std::ptr::null();
                let ok = proj_sys::proj_cs_get_axis_info(ctx, cs, 0, null_mut(), null_mut(), &mut direction, null_mut(), null_mut(), null_mut(), null_mut());
                assert_eq!(ok, 1);
                let dir = CStr::from_ptr(direction).to_string_lossy().to_lowercase();
                assert_eq!(dir == "north", crs.north_first, "EPSG:{} first axis is {dir}", crs.srid);
                proj_sys::proj_destroy(cs);
                proj_sys::proj_destroy(pj);
            }
            proj_sys::proj_context_destroy(ctx);
        }
    }
}
