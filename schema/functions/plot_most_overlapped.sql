-- plot_most_overlapped: its current definition. First defined in a migration, last there in 0016_plot_fit.sql;
-- it changes here now (migrations/README.md). From the migration:
-- The land ledger's two rules for a plot's outline, written once for a single write
-- (edit::geometry::plot_fits) and for an import's whole file at once (import::plots, under
-- the parks' locks just before it writes): how much of `g` lies outside park `park`, and
-- the plot other than `self` that `g` lies over most, with the area they share. The 1 m²
-- of slack for drawing is the callers' (edit::geometry::SLACK_M2).
CREATE OR REPLACE FUNCTION public.plot_most_overlapped(g geometry, self bigint)
 RETURNS TABLE(code text, shared_m2 double precision)
 LANGUAGE sql
 STABLE
AS $function$
  SELECT p.code, ST_Area(ST_Intersection(p.geom, g)::geography) AS shared
  FROM plots p
  WHERE p.id IS DISTINCT FROM self AND p.geom && g AND ST_Intersects(p.geom, g)
  ORDER BY shared DESC
  LIMIT 1
$function$;
