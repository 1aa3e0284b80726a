//! The land graph read again after plot writes: only the plots the plot change log names
//! (migration 0010), and always the same graph as one read whole at that moment.

mod common;

use parkland::analysis::land_graph::{GraphRead, LandGraph, LandGraphs};
use sqlx::PgPool;

/// Everything a question reads of a graph, by plot id: attributes, constraint bits, and
/// each plot's links by the neighbour's id, to the bit.
type Summary = Vec<(i64, u32, parkland::domain::LandStatus, u16, u64, u64, u64, u8, Vec<(i64, u32, u32)>)>;

fn summary(g: &LandGraph) -> Summary {
    g.plots
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut links: Vec<(i64, u32, u32)> = g.links(i).iter().map(|l| (g.plots[l.to as usize].id, l.gap_m.to_bits(), l.facing_m.to_bits())).collect();
            links.sort_unstable();
            (p.id, p.park, p.status, p.land_use, p.area_mu.to_bits(), p.lon.to_bits(), p.lat.to_bits(), p.touches, links)
        })
        .collect()
}

/// The held graph brought up to date, checked against a graph read whole now; returns
/// how it was read.
async fn refreshed(graphs: &LandGraphs, pool: &PgPool) -> GraphRead {
    let g = graphs.current(pool).await.unwrap();
    let whole = LandGraphs::default().current(pool).await.unwrap();
    assert_eq!(whole.read, GraphRead::Whole);
    let (ours, theirs) = (summary(&g), summary(&whole));
    assert_eq!(ours.len(), theirs.len(), "plots");
    for (a, b) in ours.iter().zip(&theirs) {
        assert_eq!(a, b, "plot {} differs from the graph read whole", a.0);
    }
    g.read
}

async fn exec(pool: &PgPool, sql: &str, id: i64) {
    sqlx::query(sql).bind(id).execute(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[tokio::test]
async fn after_plot_writes_only_the_plots_written_are_read_again() {
    let db = common::demo().await;
    let pool = &db.pool;
    // A plot touching a constraint, with neighbours (its bits and links must survive).
    let x: i64 = sqlx::query_scalar(
        "SELECT l.a FROM plot_links l JOIN plots p ON p.id = l.a JOIN constraints c ON ST_Intersects(c.geom, p.geom)
         WHERE p.status = 'available'
         GROUP BY l.a HAVING count(DISTINCT l.b) >= 2 ORDER BY l.a LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let [y, z]: [i64; 2] = sqlx::query_scalar(
        "SELECT a FROM plot_links WHERE a <> $1
           AND a NOT IN (SELECT plot_id FROM idle_records) AND a NOT IN (SELECT plot_id FROM project_plots)
         GROUP BY a HAVING count(*) >= 2 ORDER BY a LIMIT 2",
    )
    .bind(x)
    .fetch_all(pool)
    .await
    .unwrap()
    .try_into()
    .unwrap();

    let graphs = LandGraphs::default();
    assert_eq!(refreshed(&graphs, pool).await, GraphRead::Whole, "the first read");

    // A status: that plot alone (its links were not written).
    exec(pool, "UPDATE plots SET status = 'reserve' WHERE id = $1", x).await;
    assert_eq!(refreshed(&graphs, pool).await, GraphRead::Plots(1));

    // A shape moved a centimetre: the plot and its neighbours, linked anew.
    exec(pool, "UPDATE plots SET geom = ST_Translate(geom, 0.0000001, 0) WHERE id = $1", y).await;
    let neighbours: i64 = sqlx::query_scalar("SELECT count(*) FROM plot_links WHERE a = $1 OR b = $1").bind(y).fetch_one(pool).await.unwrap();
    assert_eq!(refreshed(&graphs, pool).await, GraphRead::Plots(1 + neighbours as usize));

    // A new plot over an old one, then the old one gone.
    let copy: i64 = sqlx::query_scalar(
        "INSERT INTO plots (park_id, code, land_use, status, geom)
         SELECT park_id, code || '-新', land_use, 'available', geom FROM plots WHERE id = $1 RETURNING id",
    )
    .bind(z)
    .fetch_one(pool)
    .await
    .unwrap();
    assert!(matches!(refreshed(&graphs, pool).await, GraphRead::Plots(n) if n > 2));
    exec(pool, "DELETE FROM plots WHERE id = $1", z).await;
    assert!(matches!(refreshed(&graphs, pool).await, GraphRead::Plots(_)));
    let g = graphs.current(pool).await.unwrap();
    assert!(g.plots.iter().any(|p| p.id == copy) && !g.plots.iter().any(|p| p.id == z));

    // A plot write running while the graph is read (whole, as a park changed), committed
    // after: seen at the next read. (The park's write commits first: writers are stamped
    // one at a time, migrations/0021, so it would wait for the running one.)
    sqlx::query("UPDATE parks SET name_zh = name_zh || '' WHERE id = (SELECT min(id) FROM parks)").execute(pool).await.unwrap();
    let mut running = pool.begin().await.unwrap();
    sqlx::query("UPDATE plots SET status = 'available' WHERE id = $1").bind(x).execute(&mut *running).await.unwrap();
    assert_eq!(refreshed(&graphs, pool).await, GraphRead::Whole, "a park");
    running.commit().await.unwrap();
    assert_eq!(refreshed(&graphs, pool).await, GraphRead::Plots(1), "the write that was running");
    let g = graphs.current(pool).await.unwrap();
    let at = g.plots.iter().position(|p| p.id == x).unwrap();
    assert_eq!(g.plots[at].status.as_str(), "available");
}

#[tokio::test]
async fn a_graph_the_log_cannot_bring_up_to_date_is_read_whole() {
    let db = common::demo().await;
    let pool = &db.pool;
    let x: i64 = sqlx::query_scalar("SELECT min(id) FROM plots WHERE status = 'available'").fetch_one(pool).await.unwrap();
    let graphs = LandGraphs::default();
    assert_eq!(refreshed(&graphs, pool).await, GraphRead::Whole);
    exec(pool, "UPDATE plots SET status = 'reserve' WHERE id = $1", x).await;
    assert_eq!(refreshed(&graphs, pool).await, GraphRead::Plots(1), "the log as it is");

    // A prune leaves the entries of a transaction still running (a graph may be read
    // before it commits)...
    let mut running = pool.begin().await.unwrap();
    sqlx::query("UPDATE plots SET status = 'reserve' WHERE id = $1").bind(x).execute(&mut *running).await.unwrap();
    sqlx::query("SELECT prune_plot_changes(0)").execute(pool).await.unwrap();
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM plot_changes WHERE xid = pg_current_xact_id()").fetch_one(&mut *running).await.unwrap();
    assert_eq!(kept, 1, "pruning leaves the entries of a transaction still running");
    running.rollback().await.unwrap();

    // ...and keeps only what transactions still running (in any database of the
    // cluster: other tests') may yet commit.
    sqlx::query("SELECT prune_plot_changes(0)").execute(pool).await.unwrap();
    let (below, under): (String, i64) =
        sqlx::query_as("SELECT below::text, (SELECT count(*) FROM plot_changes WHERE xid < below) FROM plot_changes_pruned").fetch_one(pool).await.unwrap();
    assert_ne!(below, "0", "the horizon moved");
    assert_eq!(under, 0, "nothing kept below it");

    // Pruned past the graph's snapshot, as a prune does once every transaction running
    // when the graph was read has ended (set here: other tests' transactions hold the
    // cluster's horizon back).
    exec(pool, "UPDATE plots SET status = 'available' WHERE id = $1", x).await;
    sqlx::query("UPDATE plot_changes_pruned SET below = pg_snapshot_xmax(pg_current_snapshot())").execute(pool).await.unwrap();
    sqlx::query("DELETE FROM plot_changes WHERE xid < (SELECT below FROM plot_changes_pruned)").execute(pool).await.unwrap();
    assert_eq!(refreshed(&graphs, pool).await, GraphRead::Whole, "pruned");

    // Any plot may have changed (a bulk load with triggers off says so).
    exec(pool, "UPDATE plots SET status = 'reserve' WHERE id = $1", x).await;
    sqlx::query("INSERT INTO plot_changes (plot_id) VALUES (NULL)").execute(pool).await.unwrap();
    assert_eq!(refreshed(&graphs, pool).await, GraphRead::Whole, "any plot");

    // A park written as well as a plot.
    exec(pool, "UPDATE plots SET status = 'available' WHERE id = $1", x).await;
    sqlx::query("UPDATE parks SET name_zh = name_zh || '' WHERE id = (SELECT min(id) FROM parks)").execute(pool).await.unwrap();
    assert_eq!(refreshed(&graphs, pool).await, GraphRead::Whole, "a park");

    // Nothing written: the graph held.
    let before = graphs.current(pool).await.unwrap();
    assert!(std::sync::Arc::ptr_eq(&before, &graphs.current(pool).await.unwrap()));
}
