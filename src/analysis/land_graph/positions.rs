//! Where each plot is among the graph's plots, and the union-find the blocks are grown with.

use super::Plot;

/// Where each plot id is in the plots, sorted by id. Ids are dense in practice (an
/// identity column, a few deleted), so a table by id; a binary search over a million
/// plots for each of two million links was a fifth of reading the graph.
pub(super) enum Positions {
    ById { first: i64, at: Vec<u32> },
    Sorted(Vec<i64>),
}

impl Positions {
    pub(super) fn of(plots: &[Plot]) -> Positions {
        let (Some(first), Some(last)) = (plots.first(), plots.last()) else { return Positions::Sorted(vec![]) };
        let span = (last.id - first.id) as u64 + 1;
        if span > 4 * plots.len() as u64 + 4096 {
            return Positions::Sorted(plots.iter().map(|p| p.id).collect());
        }
        let mut at = vec![u32::MAX; span as usize];
        for (i, p) in plots.iter().enumerate() {
            at[(p.id - first.id) as usize] = i as u32;
        }
        Positions::ById { first: first.id, at }
    }

    pub(super) fn get(&self, id: i64) -> Option<usize> {
        match self {
            Positions::ById { first, at } => {
                let slot = usize::try_from(id.checked_sub(*first)?).ok()?;
                at.get(slot).filter(|i| **i != u32::MAX).map(|i| *i as usize)
            }
            Positions::Sorted(ids) => ids.binary_search(&id).ok(),
        }
    }
}

pub(super) struct UnionFind(pub(super) Vec<usize>);

impl UnionFind {
    pub(super) fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }

    pub(super) fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plots(ids: &[i64]) -> Vec<Plot> {
        ids.iter()
            .map(|&id| Plot { id, park: 0, status: crate::domain::LandStatus::Available, land_use: 0, area_mu: 1.0, lon: 0.0, lat: 0.0, touches: 0 })
            .collect()
    }

    #[test]
    fn positions_find_every_plot_and_nothing_else_dense_or_sparse() {
        for ids in [vec![3, 4, 5, 7, 8, 20], vec![1, 10_000_000, 20_000_000], vec![]] {
            let p = plots(&ids);
            let at = Positions::of(&p);
            assert_eq!(matches!(at, Positions::ById { .. }), ids.len() == 6, "a table only for dense ids");
            for (i, id) in ids.iter().enumerate() {
                assert_eq!(at.get(*id), Some(i));
            }
            for missing in [i64::MIN, -1, 0, 2, 6, 19, 21, 9_999_999, i64::MAX] {
                assert_eq!(at.get(missing), None, "{missing} in {ids:?}");
            }
        }
    }
}
