-- Each block's union, geodesic area (the sum of its plots'), and shape: the union closed
-- over the bridged gaps (buffered out and back by half the gap, in metres) gives the
-- perimeter for the isoperimetric quotient 4πA/P².
-- Without $4, only the numbers: the union in lon/lat and its GeoJSON are most of the cost.
--   $1 plot ids, $2 block index of each, $3 max_gap_m, $4 whether to draw the union
WITH m AS (
  SELECT b.idx, p.id, p.park_id, p.status, p.area_m2, p.geom,
         ST_Transform(p.geom, gk_zone_srid(k.boundary)) AS g
  FROM unnest($1::bigint[], $2::int[]) AS b(plot_id, idx)
  JOIN plots p ON p.id = b.plot_id JOIN parks k ON k.id = p.park_id
), u AS (
  SELECT idx, min(park_id) AS park_id, array_agg(id ORDER BY id) AS plot_ids,
         array_agg(DISTINCT status) AS statuses, sum(area_m2) AS area_m2,
         ST_Multi(ST_Union(geom) FILTER (WHERE $4)) AS geom,
         ST_Buffer(ST_Buffer(ST_Union(g), $3 / 2 + 0.05, 'join=mitre'), -($3 / 2 + 0.05), 'join=mitre') AS closed
  FROM m GROUP BY idx
)
SELECT idx, park_id, plot_ids, statuses, area_m2,
       CASE WHEN ST_Perimeter(closed) > 0 THEN 4 * pi() * ST_Area(closed) / ST_Perimeter(closed) ^ 2 ELSE 0 END AS compactness,
       ST_AsGeoJSON(geom, 7, 0) AS geometry
FROM u
