//! `parkland bench-data --plots N`: a province-scale synthetic data set in the real
//! schema, for benchmarks (bench/). Parks sit on a grid over Guangdong, each a square grid
//! of up to 4096 square plots, an estate road after every fourth row and column; every
//! park has an interchange on an expressway grid, and some have rail, port and airport
//! nodes. Made in SQL (parks.sql, plots.sql, nodes.sql, roads.sql); deterministic for a seed.
//!
//! Plots go in park by park on two connections at once, each batch its own transaction
//! (a park's links never reach another park). Measuring neighbouring plots (`plot_links`)
//! is most of the cost, so a batch loads as pg_restore does: with triggers and
//! foreign-key checks off (`session_replication_role = replica`, which needs a
//! superuser), then its links inserted from `plot_link_rows`, the rows the link trigger
//! would have written, without the trigger's upsert and per-row checks.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use sqlx::PgPool;

/// Plots in a full benchmark park (a 64 × 64 grid).
pub const PLOTS_PER_PARK: u64 = 4096;
/// Parks written per transaction.
const PARKS_PER_BATCH: usize = 4;

#[derive(Debug, Clone)]
pub struct BenchPark {
    pub id: String,
    pub lon: f64,
    pub lat: f64,
    pub side_m: f64,
    /// Plots along a side of the grid.
    pub grid: i32,
    pub plots: i32,
}

/// Where the parks go and how big their plots are.
pub fn layout(plots: u64, seed: u64) -> (Vec<BenchPark>, i32) {
    let parks = plots.div_ceil(PLOTS_PER_PARK).max(1);
    let cols = ((parks as f64 * 2.0).sqrt().ceil() as u64).max(1);
    let rows = parks.div_ceil(cols);
    let grid = (PLOTS_PER_PARK as f64).sqrt() as i32;
    let out = (0..parks)
        .map(|i| {
            let (col, row) = (i % cols, i / cols);
            let left = plots - i * PLOTS_PER_PARK;
            BenchPark {
                id: format!("BD-{i:05}"),
                lon: 110.2 + (col as f64 + 0.5) * 6.3 / cols as f64,
                lat: 21.9 + (row as f64 + 0.5) * 3.0 / rows as f64,
                side_m: 120.0 + (splitmix(seed ^ i) % 100) as f64,
                grid,
                plots: left.min(PLOTS_PER_PARK) as i32,
            }
        })
        .collect();
    (out, cols as i32)
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[derive(Debug, Default)]
pub struct Report {
    pub parks: usize,
    pub plots: i64,
    pub links: i64,
    pub nodes: i64,
    pub roads: i64,
    pub seconds: f64,
}

/// Writes the data set into a database that holds no parks yet.
pub async fn generate(pool: &PgPool, plots: u64, seed: u64) -> anyhow::Result<Report> {
    anyhow::ensure!((1..=5_000_000).contains(&plots), "--plots must be 1..5000000, not {plots}");
    let superuser: bool = sqlx::query_scalar("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetch_one(pool).await?;
    anyhow::ensure!(
        superuser,
        "bench-data loads with triggers off (session_replication_role = replica), which needs a superuser: connect as one, e.g. postgres"
    );
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM parks").fetch_one(pool).await?;
    anyhow::ensure!(existing == 0, "the database already holds {existing} parks; bench-data writes into an empty one");
    let started = Instant::now();
    let (parks, cols) = layout(plots, seed);
    // The parks first, in a transaction of their own: a writer holds the parks' change
    // counter (migration 0002) until it commits, and the plots' writers must not wait.
    write_parks(pool, &parks).await?;
    // Two writers, each taking the next batch when it is done with one, so that neither
    // waits long for the other at the end.
    let batches: Arc<Vec<Vec<BenchPark>>> = Arc::new(parks.chunks(PARKS_PER_BATCH).map(|b| b.to_vec()).collect());
    let next = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for _ in 0..2 {
        let (pool, batches, next) = (pool.clone(), batches.clone(), next.clone());
        writers.push(tokio::spawn(async move {
            while let Some(batch) = batches.get(next.fetch_add(1, Ordering::Relaxed)) {
                write_plots(&pool, batch, seed).await?;
                tracing::info!(parks = batch.len(), first = %batch[0].id, "bench-data: parks written");
            }
            anyhow::Ok(())
        }));
    }
    for w in writers {
        w.await??;
    }
    tracing::info!(seconds = started.elapsed().as_secs_f64(), "bench-data: plots and their links written");
    let mut tx = pool.begin().await?;
    // The plots went in with triggers off: a statement that writes no row still fires the
    // statement triggers, so the plots' change counter moves (and a listening server hears
    // of it) as after any write; and the plot change log says that any plot may have
    // changed (migration 0010), so a land graph read before is read again whole.
    sqlx::query("UPDATE plots SET status = status WHERE false").execute(&mut *tx).await?;
    sqlx::query("INSERT INTO plot_changes (plot_id) VALUES (NULL)").execute(&mut *tx).await?;
    // Roads join the network as they are written (migration 0007), and road access is
    // worked out once, after the roads' statement: a few seconds at this size.
    sqlx::query(include_str!("nodes.sql")).execute(&mut *tx).await?;
    sqlx::query(include_str!("roads.sql")).bind(cols).execute(&mut *tx).await?;
    tx.commit().await?;
    tracing::info!(seconds = started.elapsed().as_secs_f64(), "bench-data: transport network written");
    sqlx::query("VACUUM ANALYZE").execute(pool).await?;
    tracing::info!(seconds = started.elapsed().as_secs_f64(), "bench-data: vacuumed and analysed");
    let count = |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await };
    Ok(Report {
        parks: parks.len(),
        plots: count("SELECT count(*) FROM plots").await?,
        links: count("SELECT count(*) FROM plot_links").await?,
        nodes: count("SELECT count(*) FROM transport_nodes").await?,
        roads: count("SELECT count(*) FROM roads").await?,
        seconds: started.elapsed().as_secs_f64(),
    })
}

async fn write_parks(pool: &PgPool, parks: &[BenchPark]) -> Result<(), sqlx::Error> {
    sqlx::query(include_str!("parks.sql"))
        .bind(parks.iter().map(|p| p.id.clone()).collect::<Vec<_>>())
        .bind(parks.iter().map(|p| p.lon).collect::<Vec<_>>())
        .bind(parks.iter().map(|p| p.lat).collect::<Vec<_>>())
        .bind(parks.iter().map(|p| p.side_m).collect::<Vec<_>>())
        .bind(parks.iter().map(|p| p.grid).collect::<Vec<_>>())
        .bind(&crate::domain::Utility::STANDARD[..])
        .execute(pool)
        .await?;
    Ok(())
}

async fn write_plots(pool: &PgPool, batch: &[BenchPark], seed: u64) -> Result<(), sqlx::Error> {
    let ids: Vec<String> = batch.iter().map(|p| p.id.clone()).collect();
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL session_replication_role = replica").execute(&mut *tx).await?;
    // A batch's commit need not wait for the disk: the last transaction (the network)
    // commits synchronously, which makes every batch before it durable too, and a crash
    // before that leaves a data set bench-data would have to make again anyway.
    sqlx::query("SET LOCAL synchronous_commit = off").execute(&mut *tx).await?;
    // The plots' INSERT costs enough to be compiled (JIT), which took 54 ms a batch and won
    // nothing back: its time is in PostGIS, not in expressions.
    sqlx::query("SET LOCAL jit = off").execute(&mut *tx).await?;
    sqlx::query(include_str!("plots.sql"))
        .bind(&ids)
        .bind(batch.iter().map(|p| p.plots).collect::<Vec<_>>())
        .bind(batch.iter().map(|p| p.side_m).collect::<Vec<_>>())
        .bind(batch.iter().map(|p| p.grid).collect::<Vec<_>>())
        .bind(seed.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO plot_links SELECT * FROM plot_link_rows(ARRAY(SELECT id FROM plots WHERE park_id = ANY($1)))")
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_holds_every_plot_once_and_keeps_parks_apart() {
        let (parks, cols) = layout(1_000_000, 7);
        assert_eq!(parks.len(), 245);
        assert_eq!(parks.iter().map(|p| p.plots as u64).sum::<u64>(), 1_000_000);
        assert!(cols > 0);
        // The widest park (64 plots of 219 m and 15 roads of 30 m) is under 15 km; parks
        // are a column apart, at least 6.3° / cols of longitude (over 25 km here).
        let widest = 64.0 * 219.0 + 15.0 * 30.0;
        let spacing_km = 6.3 / cols as f64 * 101.0;
        assert!(widest / 1000.0 < spacing_km, "{widest} m vs {spacing_km} km");
        assert_eq!(layout(1_000_000, 7).0[17].side_m, parks[17].side_m, "deterministic");
    }
}
