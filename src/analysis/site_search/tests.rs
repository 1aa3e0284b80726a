//! The site search's steps on a land graph made in memory (no database): which plots the
//! hard filters keep and what each removed, how sites grow in a block, and what the
//! shortlist keeps.

use super::diagnostics::{first_emptying, Condition, StepClock};
use super::request::SiteRequest;
use super::shortlist::{filter, grow, shortlist};
use crate::analysis::land_graph::{LandGraph, Park, Plot};
use crate::analysis::scoring;
use crate::domain::{ConstraintKind, LandStatus, NodeKind, Utility, Vocabulary};

/// A 3 × 3 grid of 100-亩 plots in park P1 (ids 1..=9, row by row), each joined to the
/// plots beside it along a 258 m edge, and one plot (id 10) in park P2 far away.
fn grid() -> LandGraph {
    let parks = vec![
        Park { id: "P1".into(), name_zh: "一园".into(), infrastructure: Utility::ALL.to_vec(), leading: vec!["新材料".into()] },
        Park { id: "P2".into(), name_zh: "二园".into(), infrastructure: vec![Utility::Road, Utility::Power], leading: vec![] },
    ];
    let plot = |id: i64, park: u32, lon: f64, lat: f64| Plot { id, park, status: LandStatus::Available, land_use: 0, area_mu: 100.0, lon, lat, touches: 0 };
    let mut plots: Vec<Plot> = (0..9).map(|i| plot(i as i64 + 1, 0, 113.0 + 0.0025 * (i % 3) as f64, 23.5 + 0.0025 * (i / 3) as f64)).collect();
    plots.push(plot(10, 1, 114.0, 24.0));
    let mut links = Vec::new();
    for i in 0..9u32 {
        if i % 3 < 2 {
            links.push((i, i + 1, 0.0, 258.0));
        }
        if i < 6 {
            links.push((i, i + 3, 0.0, 258.0));
        }
    }
    LandGraph::of_parts(parks, vec!["1001".into(), "1101".into()], plots, &links)
}

fn request(json: &str) -> SiteRequest {
    let r: SiteRequest = serde_json::from_str(json).expect("a valid request");
    super::validate(&r).expect("a request the checks pass");
    r
}

#[test]
fn each_filter_removes_what_the_ones_before_left() {
    let mut g = grid();
    g.plots[0].status = LandStatus::Idle;
    g.plots[1].land_use = 1;
    g.plots[2].touches = 1 << ConstraintKind::Flood.index();
    let r = request(r#"{ "demand_mu": 100, "parks": ["P1"], "land_use": ["10"], "exclude_constraints": ["flood"] }"#);
    let f = filter(&g, &r);
    let kept: Vec<i64> = g.plots.iter().zip(&f.alive).filter(|(_, a)| **a).map(|(p, _)| p.id).collect();
    assert_eq!(kept, vec![4, 5, 6, 7, 8, 9]);
    let removed: Vec<(Condition, Option<usize>, f64)> = f.steps.iter().map(|s| (s.condition, s.removed_plots, s.remaining_mu)).collect();
    assert_eq!(
        removed,
        vec![
            (Condition::Parks, Some(1), 900.0),
            (Condition::Include, Some(1), 800.0),
            (Condition::LandUse, Some(1), 700.0),
            (Condition::Infrastructure, Some(0), 700.0),
            (Condition::ExcludeConstraints, Some(1), 600.0),
        ]
    );
    assert_eq!((f.candidates_mu, f.left_mu), (1000.0, 600.0));
    assert!(first_emptying(&f.steps).is_none());
}

#[test]
fn a_park_without_the_utilities_asked_for_is_filtered_out_and_named() {
    let r = request(r#"{ "demand_mu": 100, "parks": ["P2"], "infrastructure": ["gas"] }"#);
    let f = filter(&grid(), &r);
    assert!(f.alive.iter().all(|a| !a));
    let empty = first_emptying(&f.steps).expect("nothing is left");
    assert_eq!(empty.condition, Condition::Infrastructure);
    assert_eq!(empty.removed_mu, 100.0);
}

#[test]
fn sites_grow_from_each_plot_to_the_demand_through_joined_neighbours() {
    let g = grid();
    let block: Vec<usize> = (0..9).collect();
    let r = request(r#"{ "demand_mu": 250 }"#);
    let sites = grow(&g, &block, &r, 250.0);
    assert!(!sites.is_empty());
    for s in &sites {
        assert_eq!(s.len(), 3, "three plots of 100 亩 hold 250 亩 and two do not: {s:?}");
        assert!(s.windows(2).all(|w| w[0] < w[1]), "ascending: {s:?}");
        // Connected through the grid's links.
        let mut reached = vec![s[0]];
        while let Some(next) = s.iter().find(|p| !reached.contains(p) && reached.iter().any(|r| g.joined(*r, 10.0, 0.0).any(|j| j == **p))) {
            reached.push(*next);
        }
        assert_eq!(reached.len(), s.len(), "a site is one piece: {s:?}");
    }
    // Grown from every plot, so every plot is in some site.
    assert!((0..9).all(|p| sites.iter().any(|s| s.contains(&p))));
    // Links that face for less than asked do not join: no site grows past one plot.
    let narrow = grow(&g, &block, &request(r#"{ "demand_mu": 250, "min_shared_m": 300 }"#), 250.0);
    assert!(narrow.iter().all(|s| s.len() == 1));
}

#[test]
fn the_shortlist_keeps_blocks_as_large_as_the_demand() {
    let mut g = grid();
    // Cut the grid's middle column out: two blocks of 300 亩 are left.
    for i in [1, 4, 7] {
        g.plots[i].status = LandStatus::Supplied;
    }
    let r = request(r#"{ "demand_mu": 300 }"#);
    let (kinds, weights) = (scoring::DEFAULT_ACCESS_KINDS.to_vec(), scoring::default_weights());
    let list = shortlist(&g, &r, &kinds, &weights, &mut StepClock::start());
    let blocks: Vec<Vec<i64>> = list.blocks.iter().map(|(b, _)| b.iter().map(|i| g.plots[*i].id).collect()).collect();
    assert_eq!(blocks, vec![vec![1, 4, 7], vec![3, 6, 9]]);
    assert_eq!(list.sites.len(), 2, "a block within 1.5 × the demand is one site");
    let contiguous = list.steps.iter().find(|s| s.condition == Condition::ContiguousArea).unwrap();
    assert_eq!(contiguous.removed_plots, Some(1), "P2's lone plot is too small");
    // No roads in this graph: no node is reached, and access scores 0.
    assert!(list.access.iter().all(|a| a.is_empty()));
    let too_far = request(r#"{ "demand_mu": 300, "access": { "port": { "max_minutes": 60 } } }"#);
    let list = shortlist(&g, &too_far, &[NodeKind::Port], &weights, &mut StepClock::start());
    assert!(list.sites.is_empty());
    let access = list.steps.last().unwrap();
    assert_eq!(access.condition, Condition::Access);
    assert_eq!(access.failed.as_ref().unwrap().get(&NodeKind::Port), Some(&2));
}
