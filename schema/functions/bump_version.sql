-- bump_version: its current definition. First defined in a migration, last there in 0001_schema.sql;
-- it changes here now (migrations/README.md). From the migration:
-- Bumps the row version on every update: the version is the ETag editors send back in
-- If-Match, so two editors cannot overwrite each other unseen. Its new version starts at
-- the transaction's stamp (`version_stamp`, #21).
CREATE OR REPLACE FUNCTION public.bump_version()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  NEW.version := OLD.version + 1;
  NEW.updated_at := version_stamp();
  RETURN NEW;
END $function$;
