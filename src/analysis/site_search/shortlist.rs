//! Steps 1 to 4 of a search, on the land graph alone: the hard filters, the blocks, the
//! sites grown in them, access and its limits, and each site's best possible score.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::diagnostics::{round3, Condition, Step, StepClock};
use super::request::{SiteRequest, DEMAND_TOLERANCE};
use crate::analysis::access::Access;
use crate::analysis::land_graph::{LandGraph, Plot};
use crate::analysis::scoring::{self, ScoreParts, Weights};
use crate::domain::{LandStatus, NodeKind, Vocabulary};

/// Web Mercator metres: good enough for which neighbour is nearer a site's centre.
pub(super) fn mercator(p: &Plot) -> (f64, f64) {
    const R: f64 = 6_378_137.0;
    let (lon, lat) = (p.lon.to_radians(), p.lat.to_radians());
    (R * lon, R * (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln())
}

/// A site under consideration: plots (indexes into the graph, ascending), its area, and
/// the block it came from.
pub(super) struct Site {
    pub(super) block: usize,
    pub(super) plots: Vec<usize>,
    pub(super) area_mu: f64,
}

/// Grows sites of at least `demand` from each plot of a block: the next plot is always
/// the neighbour nearest the site's centre.
pub(super) fn grow(g: &LandGraph, block: &[usize], r: &SiteRequest, demand: f64) -> Vec<Vec<usize>> {
    // The block's plots by their place in `block`; neighbours as such places.
    let local: HashMap<usize, usize> = block.iter().enumerate().map(|(k, i)| (*i, k)).collect();
    let xy: Vec<(f64, f64)> = block.iter().map(|i| mercator(&g.plots[*i])).collect();
    let area: Vec<f64> = block.iter().map(|i| g.plots[*i].area_mu).collect();
    let near: Vec<Vec<usize>> = block.iter().map(|i| g.joined(*i, r.min_shared_m, r.max_gap_m).filter_map(|j| local.get(&j).copied()).collect()).collect();
    let mut out: BTreeSet<Vec<usize>> = BTreeSet::new();
    let mut inside = vec![false; block.len()];
    for seed in 0..block.len() {
        let mut site = vec![seed];
        inside.fill(false);
        inside[seed] = true;
        let mut total = area[seed];
        let (mut sx, mut sy) = xy[seed];
        while total < demand {
            let n = site.len() as f64;
            let (cx, cy) = (sx / n, sy / n);
            let next = site.iter().flat_map(|p| near[*p].iter().copied()).filter(|q| !inside[*q]).min_by(|a, b| {
                let da = (xy[*a].0 - cx).hypot(xy[*a].1 - cy);
                let db = (xy[*b].0 - cx).hypot(xy[*b].1 - cy);
                da.total_cmp(&db).then(block[*a].cmp(&block[*b]))
            });
            let Some(q) = next else { break };
            inside[q] = true;
            site.push(q);
            total += area[q];
            sx += xy[q].0;
            sy += xy[q].1;
        }
        if total >= demand {
            let mut plots: Vec<usize> = site.into_iter().map(|k| block[k]).collect();
            plots.sort();
            out.insert(plots);
        }
    }
    out.into_iter().collect()
}

/// What the hard filters leave: which plots, and each condition with what it removed of
/// what was left, in the order the diagnostics apply them.
pub(super) struct Filtered {
    pub(super) alive: Vec<bool>,
    pub(super) steps: Vec<Step>,
    pub(super) left_mu: f64,
    pub(super) candidates_mu: f64,
}

pub(super) fn filter(g: &LandGraph, r: &SiteRequest) -> Filtered {
    let parks: Vec<bool> = g.parks.iter().map(|p| r.parks.is_empty() || r.parks.contains(&p.id)).collect();
    let uses: Vec<bool> = g.land_uses.iter().map(|u| r.land_use.is_empty() || r.land_use.iter().any(|c| u.starts_with(c.as_str()))).collect();
    let equipped: Vec<bool> = g.parks.iter().map(|p| r.infrastructure.iter().all(|u| p.infrastructure.contains(u))).collect();
    let included = LandStatus::chosen(&r.include);
    let avoided: u8 = r.exclude_constraints.iter().fold(0, |m, k| m | 1 << k.index());
    type Test<'a> = (Condition, &'a dyn Fn(&Plot) -> bool);
    let conditions: [Test; 5] = [
        (Condition::Parks, &|p| parks[p.park as usize]),
        (Condition::Include, &|p| included[p.status.index()]),
        (Condition::LandUse, &|p| uses[p.land_use as usize]),
        (Condition::Infrastructure, &|p| equipped[p.park as usize]),
        (Condition::ExcludeConstraints, &|p| p.touches & avoided == 0),
    ];
    let mut removed = [(0usize, 0.0f64); 5];
    let mut alive = vec![false; g.plots.len()];
    let mut left_mu = 0.0;
    for (i, p) in g.plots.iter().enumerate() {
        match conditions.iter().position(|(_, pass)| !pass(p)) {
            Some(c) => {
                removed[c].0 += 1;
                removed[c].1 += p.area_mu;
            }
            None => {
                alive[i] = true;
                left_mu += p.area_mu;
            }
        }
    }
    let candidates_mu: f64 = g.plots.iter().map(|p| p.area_mu).sum();
    let mut steps = Vec::new();
    let mut remaining = candidates_mu;
    for ((condition, _), (n, mu)) in conditions.iter().zip(removed) {
        remaining -= mu;
        steps.push(Step::plots(*condition, n, round3(mu), round3(remaining.max(0.0))));
    }
    Filtered { alive, steps, left_mu, candidates_mu }
}

/// What steps 1 to 4 of a search leave, with every site's best possible score.
pub(super) struct Shortlist {
    pub(super) steps: Vec<Step>,
    pub(super) candidates_mu: f64,
    pub(super) alive_plots: usize,
    /// Blocks of contiguous candidates large enough, with their area in 亩.
    pub(super) blocks: Vec<(Vec<usize>, f64)>,
    /// The sites that meet the access limits.
    pub(super) sites: Vec<Site>,
    /// Sites before the access limits.
    pub(super) n_sites: usize,
    /// Access from each block.
    pub(super) access: Vec<Access>,
    /// (best possible score, site), best first: the score with the best compactness.
    pub(super) by_bound: Vec<(f64, usize)>,
}

pub(super) fn shortlist(g: &LandGraph, r: &SiteRequest, access_kinds: &[NodeKind], weights: &Weights, clock: &mut StepClock) -> Shortlist {
    let demand = r.demand_mu;
    // What a site must hold: the demand, less the tolerance.
    let needed = demand * (1.0 - DEMAND_TOLERANCE);
    let min_block = r.min_block_mu.unwrap_or(demand) * (1.0 - DEMAND_TOLERANCE);

    // 1. The hard filters.
    let Filtered { alive, mut steps, left_mu, candidates_mu } = filter(g, r);
    clock.step("filters");

    // 2. Blocks of what is left.
    let blocks: Vec<(Vec<usize>, f64)> = g
        .blocks(&alive, r.min_shared_m, r.max_gap_m)
        .into_iter()
        .map(|b| {
            let mu = b.iter().map(|i| g.plots[*i].area_mu).sum();
            (b, mu)
        })
        .filter(|(_, mu)| *mu >= min_block && *mu >= needed)
        .collect();
    let kept_mu: f64 = blocks.iter().map(|b| b.1).sum();
    let alive_plots = alive.iter().filter(|a| **a).count();
    steps.push(Step {
        note: Some(format!("blocks under {} 亩 of contiguous land", round3(min_block.max(needed)))),
        ..Step::plots(Condition::ContiguousArea, alive_plots - blocks.iter().map(|b| b.0.len()).sum::<usize>(), round3(left_mu - kept_mu), round3(kept_mu))
    });
    clock.step("contiguity");

    // 3. Sites in each block.
    let mut sites = sites_in(g, r, &blocks, needed);
    clock.step("sites");

    // 4. Access from each block, then the limits. The block's first plot stands for the
    // block: sites differ by a few hundred metres.
    let access: Vec<Access> = par_map(&blocks, |(plots, _)| {
        let p = &g.plots[plots[0]];
        g.access(p.lon, p.lat, r.planned())
    });
    let n_sites = sites.len();
    let mut failed_kinds: BTreeMap<NodeKind, usize> = BTreeMap::new();
    sites.retain(|s| match fails_access(r, &access[s.block]) {
        Some(k) => {
            *failed_kinds.entry(k).or_default() += 1;
            false
        }
        None => true,
    });
    let blocks_left: BTreeSet<usize> = sites.iter().map(|s| s.block).collect();
    let reached_mu: f64 = blocks_left.iter().map(|b| blocks[*b].1).sum();
    steps.push(Step {
        condition: Condition::Access,
        removed_plots: None,
        removed_sites: Some(n_sites - sites.len()),
        removed_mu: round3(kept_mu - reached_mu),
        remaining_mu: round3(reached_mu),
        note: None,
        failed: Some(failed_kinds),
    });
    clock.step("access");

    let mut by_bound: Vec<(f64, usize)> = sites
        .iter()
        .enumerate()
        .map(|(i, s)| (round3(scoring::total(&score_parts(g, r, access_kinds, &access[s.block], s, f64::INFINITY), weights)), i))
        .collect();
    by_bound.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Shortlist { steps, candidates_mu, alive_plots, blocks, sites, n_sites, access, by_bound }
}

/// The sites of each block: a block up to 1.5 times the demand as it is, else the
/// tightest five of the sites grown in it.
fn sites_in(g: &LandGraph, r: &SiteRequest, blocks: &[(Vec<usize>, f64)], needed: f64) -> Vec<Site> {
    let numbered: Vec<(usize, &(Vec<usize>, f64))> = blocks.iter().enumerate().collect();
    par_map(&numbered, |(bi, (plots, mu))| {
        if *mu <= r.demand_mu * 1.5 {
            vec![Site { block: *bi, plots: plots.clone(), area_mu: *mu }]
        } else {
            let mut grown: Vec<(f64, Vec<usize>)> = grow(g, plots, r, needed).into_iter().map(|s| (s.iter().map(|i| g.plots[*i].area_mu).sum(), s)).collect();
            // The tightest fits of this block, at most five.
            grown.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            grown.into_iter().take(5).map(|(area_mu, plots)| Site { block: *bi, plots, area_mu }).collect()
        }
    })
    .into_iter()
    .flatten()
    .collect()
}

/// The first node kind whose limit the access `a` fails, if any.
fn fails_access(r: &SiteRequest, a: &Access) -> Option<NodeKind> {
    for (kind, l) in &r.access {
        let e = a.get(kind);
        let minutes = e.and_then(|e| e.minutes);
        let km = e.map(|e| e.road_km.unwrap_or(e.km));
        if l.max_minutes.is_some_and(|m| minutes.is_none_or(|x| x > m)) || l.max_km.is_some_and(|m| km.is_none_or(|x| x > m)) {
            return Some(*kind);
        }
    }
    None
}

/// The weights of the score's parts: the request's, or the defaults.
pub(super) fn weights(r: &SiteRequest) -> Weights {
    r.weights.clone().unwrap_or_else(scoring::default_weights)
}

/// The kinds of transport node the access part scores: those the request limits, or the
/// defaults.
pub(super) fn access_kinds(r: &SiteRequest) -> Vec<NodeKind> {
    if r.access.is_empty() {
        scoring::DEFAULT_ACCESS_KINDS.to_vec()
    } else {
        r.access.keys().copied().collect()
    }
}

/// The parts of a site's score, with its shape's compactness (infinity for the best it
/// could have).
pub(super) fn score_parts(g: &LandGraph, r: &SiteRequest, access_kinds: &[NodeKind], access: &Access, s: &Site, compactness: f64) -> ScoreParts {
    let park = &g.parks[g.plots[s.plots[0]].park as usize];
    ScoreParts {
        area_fit: round3(scoring::area_fit(s.area_mu, r.demand_mu)),
        access: round3(scoring::access(access_kinds, access)),
        infrastructure: round3(scoring::infrastructure(&park.infrastructure)),
        industry_match: r.industry.as_ref().map(|ind| scoring::industry_match(ind, &park.leading)),
        compactness: round3(scoring::compactness(compactness)),
    }
}

/// `items.iter().map(f)`, on every core: growing sites and looking up access are work
/// per block that shares nothing. (The calling thread waits for them; it is not a runtime
/// worker: `off_the_workers`.)
pub(super) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores < 2 || items.len() < 64 {
        return items.iter().map(f).collect();
    }
    let f = &f;
    std::thread::scope(|s| {
        let parts: Vec<_> = items.chunks(items.len().div_ceil(cores)).map(|chunk| s.spawn(move || chunk.iter().map(f).collect::<Vec<R>>())).collect();
        parts.into_iter().flat_map(|p| p.join().expect("a search thread panicked")).collect()
    })
}
