-- prune_plot_changes: its current definition. First defined in a migration, last there in 0010_plot_changes.sql;
-- it changes here now (migrations/README.md). From the migration:
-- Once the log holds more than `keep` entries, the entries of every finished transaction
-- go (those still running stay: a graph may not have seen them yet).
CREATE OR REPLACE FUNCTION public.prune_plot_changes(keep bigint)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
  horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
BEGIN
  IF (SELECT max(seq) - min(seq) FROM plot_changes) >= keep THEN
    UPDATE plot_changes_pruned SET below = greatest(below, horizon);
    DELETE FROM plot_changes WHERE xid < horizon;
  END IF;
END $function$;
