-- Every plot, with the hard filters of a site search that it passes, in the order the
-- diagnostics apply them. The costly parts (the constraint test, a point on the plot) are
-- computed only for plots that passed the cheap ones: the diagnostics count what each
-- condition removed from what was left, so a plot already out needs nothing more. The
-- point is the plot's stored anchor (lon, lat).
--   $1 parks, $2 statuses, $3 land-use code prefixes, $4 utilities, $5 constraint kinds
WITH f AS (
  SELECT p.id, p.area_mu, p.geom, p.anchor,
         (cardinality($1::text[]) = 0 OR p.park_id = ANY($1)) AS pass_park,
         p.status = ANY($2) AS pass_status,
         (cardinality($3::text[]) = 0 OR EXISTS (SELECT 1 FROM unnest($3::text[]) c WHERE p.land_use LIKE c || '%')) AS pass_land_use,
         k.infrastructure @> $4::text[] AS pass_infrastructure
  FROM plots p JOIN parks k ON k.id = p.park_id
)
SELECT f.id, f.area_mu, f.pass_park, f.pass_status, f.pass_land_use, f.pass_infrastructure,
       CASE WHEN alive THEN NOT EXISTS (
         SELECT 1 FROM constraints x WHERE x.kind = ANY($5) AND x.geom && f.geom AND ST_Intersects(x.geom, f.geom)) END AS pass_constraints,
       CASE WHEN alive THEN ST_X(f.anchor) END AS lon, CASE WHEN alive THEN ST_Y(f.anchor) END AS lat
FROM f CROSS JOIN LATERAL (SELECT f.pass_park AND f.pass_status AND f.pass_land_use AND f.pass_infrastructure AS alive) a
