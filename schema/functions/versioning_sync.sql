-- versioning_sync: what keeps every version of the edited tables (#21), made to follow
-- the tables as they are, at every start (db::schema::apply), so a column a migration adds
-- is versioned without a migration of its own. For each versioned table t:
--
--   history.t        every version t's rows have had, the current ones too: t's columns
--                    (none dropped, none generated: each version keeps what it showed)
--                    and `valid_to`, the stamp of the write that replaced or deleted it
--                    ('infinity' while it is current). A version's start is its
--                    `updated_at`, the stamp it was written with. One table, not t's rows
--                    beside their old versions: a page as of an instant in id order is
--                    then one index scan (a UNION ALL of the two was planned as two
--                    subqueries, each read and sorted whole: 2.6 s a page at a million
--                    plots, bench/RESULTS.md).
--   history.keep_t() after each write of a row: its open version ended at the
--                    transaction's stamp (or dropped, when the same transaction wrote it:
--                    it was never recorded), and the row as written opened.
--   asof.t           t as of `asof_instant()`: the versions valid then. A query that reads
--                    `plots` with `asof` first on its search_path reads the past unchanged.
--
-- Rows written with the triggers off (bench-data's bulk load) get their open version here,
-- at the next start.
CREATE OR REPLACE FUNCTION public.versioning_sync() RETURNS void LANGUAGE plpgsql AS $sync$
DECLARE
  t text;
  keys text;
  h_keys text;
  old_keys text;
  p_keys text;
  cols text;
  new_cols text;
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

    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum), string_agg('NEW.' || quote_ident(attname), ', ' ORDER BY attnum)
      INTO cols, new_cols
      FROM pg_attribute WHERE attrelid = format('public.%I', t)::regclass AND attnum > 0 AND NOT attisdropped;
    keys := CASE t WHEN 'project_plots' THEN 'project_id, plot_id' ELSE 'id' END;
    SELECT string_agg('h.' || k, ', '), string_agg('OLD.' || k, ', '), string_agg('p.' || k, ', ')
      INTO h_keys, old_keys, p_keys FROM unnest(string_to_array(keys, ', ')) k;

    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON history.%I (%s, valid_to)', t || '_key_idx', t, keys);
    EXECUTE format('CREATE UNIQUE INDEX IF NOT EXISTS %I ON history.%I (%s) WHERE valid_to = %L', t || '_open_idx', t, keys, 'infinity');
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON history.%I (valid_to)', t || '_valid_to_idx', t);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON history.%I (updated_at)', t || '_updated_at_idx', t);
    FOR c IN
      SELECT a.attname FROM pg_attribute a
      WHERE a.attrelid = format('public.%I', t)::regclass AND a.attnum > 0 AND NOT a.attisdropped
        AND format_type(a.atttypid, NULL) = 'geometry'
    LOOP
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON history.%I USING gist (%I)', t || '_' || c.attname || '_idx', t, c.attname);
    END LOOP;
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = format('public.%I', t)::regclass AND attname = 'park_id' AND NOT attisdropped) THEN
      -- A park's records as of an instant (its ledger, its plots) without reading all.
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON history.%I (park_id)', t || '_park_idx', t);
    END IF;

    EXECUTE format($f$CREATE OR REPLACE FUNCTION history.%1$I() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    -- The row's open version: dropped if this transaction wrote it, else ended now.
    DELETE FROM history.%2$I h WHERE (%3$s) = (%4$s) AND h.valid_to = 'infinity' AND h.updated_at = public.version_stamp();
    IF NOT FOUND THEN
      UPDATE history.%2$I h SET valid_to = public.version_stamp() WHERE (%3$s) = (%4$s) AND h.valid_to = 'infinity';
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO history.%2$I (%5$s, valid_to) VALUES (%6$s, 'infinity');
  END IF;
  RETURN NULL;
END $body$$f$, 'keep_' || t, t, h_keys, old_keys, cols, new_cols);
    EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON public.%I FOR EACH ROW EXECUTE FUNCTION history.%I()',
                   t || '_keep_version', t, 'keep_' || t);
    -- Rows with no open version (written with the triggers off) get one. Not by a nested
    -- loop: planned on a history still empty, it scanned the heap growing under it once a
    -- row (a million plots' first start ran past ten minutes).
    SET LOCAL enable_nestloop = off;
    EXECUTE format('INSERT INTO history.%1$I (%2$s, valid_to) SELECT %2$s, %3$L FROM public.%1$I p
                    WHERE NOT EXISTS (SELECT 1 FROM history.%1$I h WHERE (%4$s) = (%5$s) AND h.valid_to = %3$L)',
                   t, cols, 'infinity', h_keys, p_keys);
    SET LOCAL enable_nestloop = on;

    EXECUTE format('DROP VIEW IF EXISTS asof.%I', t);
    EXECUTE format('CREATE VIEW asof.%I AS SELECT %s FROM history.%I WHERE updated_at <= public.asof_instant() AND valid_to > public.asof_instant()',
                   t, cols, t);
  END LOOP;
END $sync$;
