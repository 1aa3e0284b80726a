-- A counter per table, bumped once by every statement that writes to it. Responses take
-- their ETags from these counters, so a page's tag changes exactly when its tables do,
-- and working it out costs one indexed read, not a scan of the table.
CREATE TABLE change_counters (
  table_name text PRIMARY KEY,
  changes    bigint NOT NULL DEFAULT 0,
  changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change_counters AS c (table_name, changes, changed_at)
  VALUES (TG_TABLE_NAME, 1, now())
  ON CONFLICT (table_name) DO UPDATE SET changes = c.changes + 1, changed_at = now();
  RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['parks', 'plots', 'idle_records', 'transport_nodes', 'roads', 'constraints',
                           'projects', 'project_plots', 'land_use_codes', 'land_statuses'] LOOP
    INSERT INTO change_counters (table_name) VALUES (t);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                    FOR EACH STATEMENT EXECUTE FUNCTION count_change()', t || '_count_change', t);
  END LOOP;
END $$;
