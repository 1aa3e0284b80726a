//! The schema's replaceable objects: every function and trigger function of parkland's
//! own, one current definition each in `schema/functions/` (migrations/README.md says
//! why and how). The migrations create them; these files then define them as they are
//! now, applied after every migration run, in one transaction under an advisory lock so
//! that two processes starting at once do not collide.
//!
//! A function changes by editing its file (and `schema/schema.sql`, the dump the drift
//! test compares: `scripts/schema-dump.sh`). A new function gets a file at the end of
//! [`FUNCTIONS`]; a function dropped or given new arguments needs a migration too.

use sqlx::PgPool;

/// Every function, in the order of its first creation (a SQL function's body is checked
/// when it is created, so a function comes after those it calls).
pub const FUNCTIONS: &[(&str, &str)] = &[
    ("bump_version", include_str!("../../schema/functions/bump_version.sql")),
    ("rebuild_road_topology", include_str!("../../schema/functions/rebuild_road_topology.sql")),
    ("count_change", include_str!("../../schema/functions/count_change.sql")),
    ("contact_length", include_str!("../../schema/functions/contact_length.sql")),
    ("gk_zone_srid", include_str!("../../schema/functions/gk_zone_srid.sql")),
    ("plot_link_reach", include_str!("../../schema/functions/plot_link_reach.sql")),
    ("link_plots", include_str!("../../schema/functions/link_plots.sql")),
    ("plot_links_after_insert", include_str!("../../schema/functions/plot_links_after_insert.sql")),
    ("plot_links_after_update", include_str!("../../schema/functions/plot_links_after_update.sql")),
    ("refresh_road_access", include_str!("../../schema/functions/refresh_road_access.sql")),
    ("road_access_after_change", include_str!("../../schema/functions/road_access_after_change.sql")),
    ("road_vertex", include_str!("../../schema/functions/road_vertex.sql")),
    ("roads_join_network", include_str!("../../schema/functions/roads_join_network.sql")),
    ("roads_drop_loose_vertices", include_str!("../../schema/functions/roads_drop_loose_vertices.sql")),
    ("contact_growth", include_str!("../../schema/functions/contact_growth.sql")),
    ("grown_for_contact", include_str!("../../schema/functions/grown_for_contact.sql")),
    ("grown_contact_length", include_str!("../../schema/functions/grown_contact_length.sql")),
    ("plot_ids", include_str!("../../schema/functions/plot_ids.sql")),
    ("plot_link_min_facing", include_str!("../../schema/functions/plot_link_min_facing.sql")),
    ("may_face", include_str!("../../schema/functions/may_face.sql")),
    ("plot_link_rows", include_str!("../../schema/functions/plot_link_rows.sql")),
    ("prune_plot_changes", include_str!("../../schema/functions/prune_plot_changes.sql")),
    ("plots_log_changes", include_str!("../../schema/functions/plots_log_changes.sql")),
    ("plot_links_log_changes", include_str!("../../schema/functions/plot_links_log_changes.sql")),
    ("plot_outside_park_m2", include_str!("../../schema/functions/plot_outside_park_m2.sql")),
    ("plot_most_overlapped", include_str!("../../schema/functions/plot_most_overlapped.sql")),
    ("node_open_from", include_str!("../../schema/functions/node_open_from.sql")),
    ("version_stamp", include_str!("../../schema/functions/version_stamp.sql")),
    ("stamp_new_row", include_str!("../../schema/functions/stamp_new_row.sql")),
    ("asof_instant", include_str!("../../schema/functions/asof_instant.sql")),
    ("versioning_sync", include_str!("../../schema/functions/versioning_sync.sql")),
];

/// The key of the advisory lock held while the definitions are applied.
const LOCK_KEY: i64 = 0x7061_726b_6c61_6e64; // "parkland"

/// Defines every function as its file says.
pub async fn apply(pool: &PgPool) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(LOCK_KEY).execute(&mut *tx).await?;
    for (name, sql) in FUNCTIONS {
        sqlx::raw_sql(sql)
            .execute(&mut *tx)
            .await
            .map_err(|e| sqlx::Error::Protocol(format!("defining the function {name} (schema/functions/{name}.sql): {e}")))?;
    }
    // The versions' tables, triggers and views follow the versioned tables as the
    // migrations left them (schema/functions/versioning_sync.sql).
    sqlx::query("SELECT versioning_sync()")
        .execute(&mut *tx)
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("keeping the versioned tables' history (versioning_sync): {e}")))?;
    tx.commit().await
}
