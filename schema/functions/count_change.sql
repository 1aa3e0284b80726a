-- count_change: its current definition. First defined in a migration, last there in 0008_change_notices.sql;
-- it changes here now (migrations/README.md). From the migration:
-- Every counted write also sends a notice on 'parkland_changes' when it commits (none if it
-- rolls back; one per transaction, as PostgreSQL folds equal notices). A parkland process
-- LISTENs on it and keeps the counters it read until a notice says they moved
-- (store::counters), rather than reading them for every tile.
CREATE OR REPLACE FUNCTION public.count_change()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  INSERT INTO change_counters AS c (table_name, changes, changed_at)
  VALUES (TG_TABLE_NAME, 1, now())
  ON CONFLICT (table_name) DO UPDATE SET changes = c.changes + 1, changed_at = now();
  PERFORM pg_notify('parkland_changes', '');
  RETURN NULL;
END $function$;
