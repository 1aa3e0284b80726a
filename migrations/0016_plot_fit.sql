-- The land ledger's two rules for a plot's outline, written once for a single write
-- (edit::geometry::plot_fits) and for an import's whole file at once (import::plots, under
-- the parks' locks just before it writes): how much of `g` lies outside park `park`, and
-- the plot other than `self` that `g` lies over most, with the area they share. The 1 m²
-- of slack for drawing is the callers' (edit::geometry::SLACK_M2).
CREATE FUNCTION plot_outside_park_m2(g geometry, park text) RETURNS float8 LANGUAGE sql STABLE AS $$
  SELECT ST_Area(ST_Difference(g, k.boundary)::geography) FROM parks k WHERE k.id = park
$$;

CREATE FUNCTION plot_most_overlapped(g geometry, self bigint) RETURNS TABLE (code text, shared_m2 float8) LANGUAGE sql STABLE AS $$
  SELECT p.code, ST_Area(ST_Intersection(p.geom, g)::geography) AS shared
  FROM plots p
  WHERE p.id IS DISTINCT FROM self AND p.geom && g AND ST_Intersects(p.geom, g)
  ORDER BY shared DESC
  LIMIT 1
$$;
