-- plot_outside_park_m2: its current definition. First defined in a migration, last there in 0019_seed_facts.sql;
-- it changes here now (migrations/README.md). From the migration:
-- What the seeds say, held as they say it (issue #18).
CREATE OR REPLACE FUNCTION public.plot_outside_park_m2(g geometry, park text)
 RETURNS double precision
 LANGUAGE sql
 STABLE
AS $function$
  SELECT ST_Area(CASE WHEN k.boundary IS NULL THEN g ELSE ST_Difference(g, k.boundary) END::geography) FROM parks k WHERE k.id = park
$function$;
