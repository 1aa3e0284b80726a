-- stamp_new_row: its current definition. First defined in a migration, last there in 0021_versions.sql;
-- it changes here now (migrations/README.md).
--
-- A new row's version starts at its transaction's stamp.
CREATE OR REPLACE FUNCTION public.stamp_new_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := version_stamp();
  RETURN NEW;
END $$;
