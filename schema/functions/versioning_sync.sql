-- versioning_sync: what keeps every version of the edited tables (#21), made to follow
-- the tables as they are, at every start (db::schema::apply), so a column a migration adds
-- is versioned without a migration of its own. For each versioned table t:
--
--   history.t        the versions t's rows had before each write: t's columns (none
--                    dropped, none generated: each version keeps what it showed) and
--                    `valid_to`, the stamp of the write that replaced or deleted it. A
--                    version's start is its `updated_at`, the stamp it was written with.
--   history.keep_t() after each update or delete of a row, its old version, unless that
--                    version was written by the same transaction (it was never recorded).
--   asof.t           t as of `asof_instant()`: the rows current then. A query that reads
--                    `plots` with `asof` first on its search_path reads the past unchanged.
CREATE OR REPLACE FUNCTION public.versioning_sync() RETURNS void LANGUAGE plpgsql AS $sync$
DECLARE
  t text;
  keys text;
  cols text;
  old_cols text;
  c record;
BEGIN
  FOREACH t IN ARRAY ARRAY['parks', 'zones', 'plots', 'idle_records', 'targets', 'transport_nodes', 'roads', 'constraints', 'projects', 'project_plots'] LOOP
    EXECUTE format('CREATE TABLE IF NOT EXISTS history.%I (LIKE public.%I, valid_to timestamptz NOT NULL)', t, t);
    FOR c IN
      SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type
      FROM pg_attribute a
      WHERE a.attrelid = format('public.%I', t)::regclass AND a.attnum > 0 AND NOT a.attisdropped
        AND NOT EXISTS (SELECT 1 FROM pg_attribute h
                        WHERE h.attrelid = format('history.%I', t)::regclass AND h.attname = a.attname AND NOT h.attisdropped)
      ORDER BY a.attnum
    LOOP
      EXECUTE format('ALTER TABLE history.%I ADD COLUMN %I %s', t, c.attname, c.type);
    END LOOP;

    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum), string_agg('OLD.' || quote_ident(attname), ', ' ORDER BY attnum)
      INTO cols, old_cols
      FROM pg_attribute WHERE attrelid = format('public.%I', t)::regclass AND attnum > 0 AND NOT attisdropped;
    keys := CASE t WHEN 'project_plots' THEN 'project_id, plot_id' ELSE 'id' END;
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON history.%I (%s, valid_to)', t || '_key_idx', t, keys);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON history.%I (valid_to)', t || '_valid_to_idx', t);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON history.%I (updated_at)', t || '_updated_at_idx', t);
    FOR c IN
      SELECT a.attname FROM pg_attribute a
      WHERE a.attrelid = format('public.%I', t)::regclass AND a.attnum > 0 AND NOT a.attisdropped
        AND format_type(a.atttypid, NULL) = 'geometry'
    LOOP
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON history.%I USING gist (%I)', t || '_' || c.attname || '_idx', t, c.attname);
    END LOOP;

    EXECUTE format($f$CREATE OR REPLACE FUNCTION history.%I() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  IF OLD.updated_at < public.version_stamp() THEN
    INSERT INTO history.%I (%s, valid_to) VALUES (%s, public.version_stamp());
  END IF;
  RETURN NULL;
END $body$$f$, 'keep_' || t, t, cols, old_cols);
    EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER UPDATE OR DELETE ON public.%I FOR EACH ROW EXECUTE FUNCTION history.%I()',
                   t || '_keep_version', t, 'keep_' || t);

    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = format('public.%I', t)::regclass AND attname = 'park_id' AND NOT attisdropped) THEN
      -- A park's records as of an instant (its ledger, its plots) without reading all.
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON history.%I (park_id)', t || '_park_idx', t);
    END IF;

    -- Known cost (bench/RESULTS.md, "Reading the past"): PostgreSQL plans each branch of
    -- this UNION ALL as a subquery of its own, so a page in id order is the whole set
    -- sorted, not two index scans merged (3 s for a page at a million plots). A park, a
    -- box or a filter narrows both branches by their indexes first.
    EXECUTE format('DROP VIEW IF EXISTS asof.%I', t);
    EXECUTE format('CREATE VIEW asof.%I AS
      SELECT %s FROM public.%I WHERE updated_at <= public.asof_instant()
      UNION ALL
      SELECT %s FROM history.%I WHERE updated_at <= public.asof_instant() AND valid_to > public.asof_instant()',
                   t, cols, t, cols, t);
  END LOOP;
END $sync$;
