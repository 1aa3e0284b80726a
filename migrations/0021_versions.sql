-- Every version kept (#21): each row of an edited table, as it was before each write,
-- with the instant its write was recorded (record time, the OGC Versioned Features
-- proposal's `transaction-time`), so anything can be read as it stood at any instant.
--
-- The instant of a write is its transaction's *stamp*: taken from `version_clock` by the
-- transaction's first write to a versioned table, whose row lock it then holds to its end.
-- Writers therefore stamp one at a time and in the order they commit: a reader that has
-- seen the writes up to an instant never sees one stamped earlier appear later (the
-- changes between two instants page without skipping). A row's `updated_at` is the stamp
-- of its current version; `history.<table>` (made by `versioning_sync()` at every start,
-- schema/functions/) keeps the versions it replaced, each with `valid_to`, and
-- `asof.<table>` is the table as of `parkland.as_of`.
CREATE SCHEMA history;
CREATE SCHEMA asof;

CREATE TABLE version_clock (
  one  boolean PRIMARY KEY DEFAULT true CHECK (one),
  last timestamptz NOT NULL DEFAULT '-infinity'
);
INSERT INTO version_clock DEFAULT VALUES;

CREATE FUNCTION version_stamp() RETURNS timestamptz LANGUAGE plpgsql AS $$
DECLARE
  kept text := current_setting('parkland.version_stamp', true);
  stamp timestamptz;
BEGIN
  IF kept IS NOT NULL AND kept <> '' THEN
    RETURN kept::timestamptz;
  END IF;
  UPDATE public.version_clock SET last = greatest(clock_timestamp(), last + interval '1 microsecond') RETURNING last INTO stamp;
  PERFORM set_config('parkland.version_stamp', to_char(stamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), true);
  RETURN stamp;
END $$;

CREATE FUNCTION stamp_new_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := version_stamp();
  RETURN NEW;
END $$;

-- A project's plots are versioned with it: their links carry a stamp too.
ALTER TABLE project_plots ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE TRIGGER parks_stamp BEFORE INSERT ON parks FOR EACH ROW EXECUTE FUNCTION stamp_new_row();
CREATE TRIGGER zones_stamp BEFORE INSERT ON zones FOR EACH ROW EXECUTE FUNCTION stamp_new_row();
CREATE TRIGGER plots_stamp BEFORE INSERT ON plots FOR EACH ROW EXECUTE FUNCTION stamp_new_row();
CREATE TRIGGER idle_records_stamp BEFORE INSERT ON idle_records FOR EACH ROW EXECUTE FUNCTION stamp_new_row();
CREATE TRIGGER targets_stamp BEFORE INSERT ON targets FOR EACH ROW EXECUTE FUNCTION stamp_new_row();
CREATE TRIGGER transport_nodes_stamp BEFORE INSERT ON transport_nodes FOR EACH ROW EXECUTE FUNCTION stamp_new_row();
CREATE TRIGGER roads_stamp BEFORE INSERT ON roads FOR EACH ROW EXECUTE FUNCTION stamp_new_row();
CREATE TRIGGER constraints_stamp BEFORE INSERT ON constraints FOR EACH ROW EXECUTE FUNCTION stamp_new_row();
CREATE TRIGGER projects_stamp BEFORE INSERT ON projects FOR EACH ROW EXECUTE FUNCTION stamp_new_row();
CREATE TRIGGER project_plots_stamp BEFORE INSERT OR UPDATE ON project_plots FOR EACH ROW EXECUTE FUNCTION stamp_new_row();

-- The audit log's instant is the write's stamp, so a version and its audit row meet.
ALTER TABLE audit_log ALTER COLUMN at SET DEFAULT version_stamp();
