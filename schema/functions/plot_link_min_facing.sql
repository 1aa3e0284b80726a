-- plot_link_min_facing: its current definition. First defined in a migration, last there in 0009_link_rows.sql;
-- it changes here now (migrations/README.md). From the migration:
-- The least facing length a stored link has, in metres: the shortest a question may ask
-- for (analysis::contiguity::MIN_SHARED_M). Pairs that face for less, corner contacts
-- above all, never join, so they are not stored; they were two in five of the pairs of a
-- gridded park.
CREATE OR REPLACE FUNCTION public.plot_link_min_facing()
 RETURNS double precision
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$SELECT 0.5::double precision$function$;
