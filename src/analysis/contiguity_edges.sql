-- Pairs of candidate plots that are contiguous: in the same park, facing each other across
-- at most max_gap_m for at least min_shared_m (contact_length, migration 0003).
-- Lengths are metres in the park's CGCS2000 3-degree Gauss-Kruger zone (EPSG:4534 + zone,
-- central meridian 75° + 3° × zone): planar error under 0.1 % within a zone.
-- A link across a gap may not cross an expressway or permanent farmland.
--   $1 candidate plot ids, $2 max_gap_m, $3 min_shared_m
WITH c AS (
  SELECT p.id, p.park_id, p.geom,
         ST_Transform(p.geom, 4534 + round((ST_X(ST_Centroid(k.boundary)) - 75) / 3)::int) AS g
  FROM plots p JOIN parks k ON k.id = p.park_id
  WHERE p.id = ANY($1)
)
SELECT a.id, b.id
FROM c a JOIN c b
  ON a.park_id = b.park_id AND a.id < b.id
 -- index-friendly box test on the stored lon/lat first: 1e-5° is over a metre here
 AND a.geom && ST_Expand(b.geom, ($2 + 1.0) * 1e-5)
WHERE ST_DWithin(a.g, b.g, $2 + 0.05)
  AND contact_length(a.g, b.g, $2) >= $3
  AND ($2 <= 0.05 OR NOT EXISTS (
        SELECT 1 FROM roads r
        WHERE r.class = 'expressway' AND r.geom && ST_Expand(a.geom, ($2 + 1.0) * 1e-5)
          AND ST_Intersects(r.geom, ST_Transform(ST_ShortestLine(a.g, b.g), 4326))
        UNION ALL
        SELECT 1 FROM constraints x
        WHERE x.kind = 'permanent_farmland' AND x.geom && ST_Expand(a.geom, ($2 + 1.0) * 1e-5)
          AND ST_Intersects(x.geom, ST_Transform(ST_ShortestLine(a.g, b.g), 4326))))
