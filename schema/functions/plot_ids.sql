-- plot_ids: its current definition. First defined in a migration, last there in 0009_link_rows.sql;
-- it changes here now (migrations/README.md). From the migration:
-- The plots of a call, with a row estimate that a statement writing many plots can have.
-- The planner's estimate for unnest of a parameter is 10 rows, which made it join the
-- measured plots to their pairs by nested loops, quadratic in the plots one statement
-- wrote (8 parks of 4,096 plots: 424 s). Too high an estimate costs a small call a hash
-- table of a few rows.
CREATE OR REPLACE FUNCTION public.plot_ids(ids bigint[])
 RETURNS SETOF bigint
 LANGUAGE plpgsql
 IMMUTABLE PARALLEL SAFE ROWS 10000
AS $function$
BEGIN
  RETURN QUERY SELECT unnest(ids);
END $function$;
