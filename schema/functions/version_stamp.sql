-- version_stamp: its current definition. First defined in a migration, last there in 0021_versions.sql;
-- it changes here now (migrations/README.md).
--
-- The instant of this transaction's writes to versioned tables (record time, #21). The
-- first call in a transaction moves `version_clock` on — never backwards, never to an
-- instant used before — and holds its row lock until the transaction ends, so writers
-- stamp one at a time in the order they commit; later calls return the same instant.
CREATE OR REPLACE FUNCTION public.version_stamp() RETURNS timestamptz LANGUAGE plpgsql AS $$
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
