//! The demo's geometry, made in metres in a transverse Mercator projection centred on
//! each park part (scale error under 1e-6 within 10 km, so planar areas are the geodesic
//! ones to well under 0.1 %), then taken to lon/lat through proj.
//!
//! A park part is an irregular, star-shaped outline of exactly its planned area. Its
//! developed core is laid out as an estate road grid (rotated to the park's own bearing)
//! whose blocks are cut into plots on a regular sub-grid: neighbouring plots in a block
//! share whole edges, vertex for vertex, so they never overlap, and blocks are apart by
//! the road between them.

use geo::{Area, Contains, Coord, LineString, Polygon};

use super::rng::Rng;

/// One estate block: its corners in the park part's metric frame and its plots.
pub struct Block {
    pub row: usize,
    pub col: usize,
    /// Distance of the block's centre from the part's centre, as a share of the core radius.
    pub centrality: f64,
    pub cells: Vec<Polygon<f64>>,
}

/// A laid-out park part, all coordinates in metres around its centre.
pub struct PartLayout {
    pub outline: Polygon<f64>,
    pub blocks: Vec<Block>,
    /// Estate road centre lines, split at every crossing so each is one routable edge.
    pub roads: Vec<(Coord<f64>, Coord<f64>)>,
}

pub const SQ_M_PER_MU: f64 = 10_000.0 / 15.0;
const MIN_PLOT_MU: f64 = 10.0;
const MAX_PLOT_MU: f64 = 400.0;

/// Lays out one park part of `area_m2`, developing `plotted_share` of it.
pub fn lay_out_part(rng: &mut Rng, area_m2: f64, plotted_share: f64) -> PartLayout {
    let outline = outline(rng, area_m2);
    let r_eq = (area_m2 / std::f64::consts::PI).sqrt();
    // Small parks get smaller blocks, or a 460-亩 park would hold two of them.
    let scale = (r_eq / 2000.0).clamp(0.35, 1.0);
    let bearing = rng.range(-0.5, 0.5);
    let (sin_b, cos_b) = bearing.sin_cos();
    let rotate = |x: f64, y: f64| Coord { x: x * cos_b - y * sin_b, y: x * sin_b + y * cos_b };

    // Grid lines: the road centres. Between two neighbouring lines lies one block, set
    // back from each line by half the road's width.
    let extent = r_eq * 1.6;
    let lines = |rng: &mut Rng, lo: f64, hi: f64| -> Vec<(f64, f64)> {
        // (centre, half road width)
        let mut out = vec![(-extent, 12.0 * scale)];
        let mut pos = -extent;
        let mut i = 0;
        while pos < extent {
            pos += rng.range(lo, hi) * scale;
            i += 1;
            let half = if i % 3 == 0 { 20.0 } else { 12.0 } * scale.max(0.6);
            out.push((pos, half));
        }
        out
    };
    let xs = lines(rng, 300.0, 680.0);
    let ys = lines(rng, 240.0, 540.0);

    // The core: the blocks nearest the centre until the planned share is laid out.
    let mut candidates = Vec::new();
    for (col, w) in xs.windows(2).enumerate() {
        for (row, h) in ys.windows(2).enumerate() {
            let (x0, x1) = (w[0].0 + w[0].1, w[1].0 - w[1].1);
            let (y0, y1) = (h[0].0 + h[0].1, h[1].0 - h[1].1);
            let corners = [rotate(x0, y0), rotate(x1, y0), rotate(x1, y1), rotate(x0, y1)];
            let rect = Polygon::new(LineString::from(vec![corners[0], corners[1], corners[2], corners[3], corners[0]]), vec![]);
            if !outline.contains(&rect) {
                continue;
            }
            let c = rotate((x0 + x1) / 2.0, (y0 + y1) / 2.0);
            candidates.push((c.x.hypot(c.y), row, col, (x0, x1, y0, y1)));
        }
    }
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
    let target = area_m2 * plotted_share;
    let mut taken = 0.0;
    let mut chosen = Vec::new();
    for cand in candidates {
        if taken >= target {
            break;
        }
        let (x0, x1, y0, y1) = cand.3;
        taken += (x1 - x0) * (y1 - y0);
        chosen.push(cand);
    }
    let core_radius = chosen.last().map(|c| c.0).unwrap_or(1.0).max(1.0);

    let blocks = chosen
        .iter()
        .map(|&(dist, row, col, (x0, x1, y0, y1))| Block {
            row,
            col,
            centrality: dist / core_radius,
            cells: cut_block(rng, x0, x1, y0, y1)
                .into_iter()
                .map(|(a, b, c, d)| {
                    let ring = vec![rotate(a, c), rotate(b, c), rotate(b, d), rotate(a, d), rotate(a, c)];
                    Polygon::new(LineString::from(ring), vec![])
                })
                .collect(),
        })
        .collect();

    let roads = estate_roads(&xs, &ys, &chosen, &rotate);
    PartLayout { outline, blocks, roads }
}

/// A star-shaped outline: a circle bent by a few low harmonics, stretched, then scaled so
/// its area is exactly `area_m2`.
// 6.283 and 3.14159 are part of the fixed demo: TAU and PI would move every outline.
#[allow(clippy::approx_constant)]
fn outline(rng: &mut Rng, area_m2: f64) -> Polygon<f64> {
    let n = 48;
    let harmonics: Vec<(f64, f64, f64)> =
        [(2.0, 0.14), (3.0, 0.08), (5.0, 0.04)].iter().map(|&(k, amp)| (k, amp * rng.range(0.5, 1.0), rng.range(0.0, 6.283))).collect();
    let stretch = rng.range(1.0, 1.35);
    let turn = rng.range(0.0, 3.14159);
    let (sin_t, cos_t) = f64::sin_cos(turn);
    let mut pts: Vec<Coord<f64>> = (0..n)
        .map(|i| {
            let t = i as f64 / n as f64 * std::f64::consts::TAU;
            let r = 1.0 + harmonics.iter().map(|(k, a, p)| a * (k * t + p).sin()).sum::<f64>();
            let (x, y) = (r * t.cos() * stretch, r * t.sin() / stretch);
            Coord { x: x * cos_t - y * sin_t, y: x * sin_t + y * cos_t }
        })
        .collect();
    pts.push(pts[0]);
    let unit = Polygon::new(LineString::from(pts.clone()), vec![]);
    let k = (area_m2 / unit.unsigned_area()).sqrt();
    Polygon::new(LineString::from(pts.into_iter().map(|c| Coord { x: c.x * k, y: c.y * k }).collect::<Vec<_>>()), vec![])
}

/// Cuts a block into a regular grid of plots of 10-400 亩 with uneven column widths and
/// row heights, the mix of sizes found in real estates.
fn cut_block(rng: &mut Rng, x0: f64, x1: f64, y0: f64, y1: f64) -> Vec<(f64, f64, f64, f64)> {
    let (w, h) = (x1 - x0, y1 - y0);
    let area_mu = w * h / SQ_M_PER_MU;
    for _ in 0..50 {
        let size = match rng.below(10) {
            0..=4 => rng.range(15.0, 50.0),
            5..=8 => rng.range(50.0, 120.0),
            _ => rng.range(120.0, 300.0),
        };
        let n = (area_mu / size).round().clamp(1.0, 16.0) as usize;
        // Columns across the longer side, so plots stay close to square.
        let cols = ((n as f64 * w / h).sqrt().round() as usize).clamp(1, n);
        let rows = (n / cols).max(1);
        let xs = split(rng, x0, x1, cols);
        let ys = split(rng, y0, y1, rows);
        let mut cells = Vec::new();
        for xw in xs.windows(2) {
            for yw in ys.windows(2) {
                cells.push((xw[0], xw[1], yw[0], yw[1]));
            }
        }
        let fits = cells.iter().all(|(a, b, c, d)| {
            let mu = (b - a) * (d - c) / SQ_M_PER_MU;
            (MIN_PLOT_MU..=MAX_PLOT_MU).contains(&mu)
        });
        if fits {
            return cells;
        }
    }
    // A block whose size fits no cut: split it evenly into as many plots as needed.
    let n = (area_mu / MAX_PLOT_MU).ceil().max(1.0) as usize;
    split(rng, x0, x1, n).windows(2).map(|xw| (xw[0], xw[1], y0, y1)).collect()
}

fn split(rng: &mut Rng, lo: f64, hi: f64, parts: usize) -> Vec<f64> {
    let weights: Vec<f64> = (0..parts).map(|_| rng.range(0.7, 1.3)).collect();
    let total: f64 = weights.iter().sum();
    let mut out = vec![lo];
    let mut acc = 0.0;
    for w in &weights[..parts - 1] {
        acc += w;
        out.push(lo + (hi - lo) * acc / total);
    }
    out.push(hi);
    out
}

/// A block laid out: (centrality, column, row, its extent as min x, min y, max x, max y).
type ChosenBlock = (f64, usize, usize, (f64, f64, f64, f64));

/// The road grid around the chosen blocks: every grid-line segment that borders a
/// chosen block, split at crossings, kept only in its largest connected piece so every
/// plot's road reaches the park's gates.
fn estate_roads(xs: &[(f64, f64)], ys: &[(f64, f64)], chosen: &[ChosenBlock], rotate: &dyn Fn(f64, f64) -> Coord<f64>) -> Vec<(Coord<f64>, Coord<f64>)> {
    use std::collections::{BTreeMap, BTreeSet};
    // Grid vertices are (col line, row line) index pairs.
    let mut edges: BTreeSet<((usize, usize), (usize, usize))> = BTreeSet::new();
    for &(_, row, col, _) in chosen {
        let (a, b, c, d) = ((col, row), (col + 1, row), (col + 1, row + 1), (col, row + 1));
        edges.insert((a, b));
        edges.insert((d, c));
        edges.insert((a, d));
        edges.insert((b, c));
    }
    // Union-find over vertices to keep the largest connected piece.
    let mut parent: BTreeMap<(usize, usize), (usize, usize)> = BTreeMap::new();
    fn find(p: &mut BTreeMap<(usize, usize), (usize, usize)>, v: (usize, usize)) -> (usize, usize) {
        let mut root = v;
        while let Some(&up) = p.get(&root) {
            if up == root {
                break;
            }
            root = up;
        }
        p.insert(v, root);
        root
    }
    for &(u, v) in &edges {
        parent.entry(u).or_insert(u);
        parent.entry(v).or_insert(v);
        let (ru, rv) = (find(&mut parent, u), find(&mut parent, v));
        if ru != rv {
            parent.insert(ru, rv);
        }
    }
    let mut size: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for &(u, _) in &edges {
        *size.entry(find(&mut parent, u)).or_default() += 1;
    }
    let Some((&main, _)) = size.iter().max_by_key(|(_, &n)| n) else { return vec![] };
    edges.into_iter().filter(|&(u, _)| find(&mut parent, u) == main).map(|(u, v)| (rotate(xs[u.0].0, ys[u.1].0), rotate(xs[v.0].0, ys[v.1].0))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outline_has_the_asked_area() {
        let mut rng = Rng::new(7);
        let p = outline(&mut rng, 28.7e6);
        assert!((p.unsigned_area() - 28.7e6).abs() < 1.0);
    }

    #[test]
    fn plots_are_within_size_limits_and_inside_the_outline() {
        let mut rng = Rng::new(11);
        let part = lay_out_part(&mut rng, 25.9e6, 0.4);
        let cells: Vec<_> = part.blocks.iter().flat_map(|b| b.cells.iter()).collect();
        assert!(cells.len() > 100, "{} plots", cells.len());
        for c in cells {
            let mu = c.unsigned_area() / SQ_M_PER_MU;
            assert!((MIN_PLOT_MU - 1e-6..=MAX_PLOT_MU + 1e-6).contains(&mu), "{mu} 亩");
            assert!(part.outline.contains(c));
        }
    }
}
