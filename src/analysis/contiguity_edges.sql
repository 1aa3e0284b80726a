-- Pairs of candidate plots that are contiguous: in the same park, facing each other across
-- at most max_gap_m for at least min_shared_m (contact_length, migration 0003).
-- Lengths are metres in the park's CGCS2000 3-degree Gauss-Kruger zone (gk_zone_srid).
-- A link across a gap may not cross an expressway or permanent farmland.
-- Neighbours are found through the spatial index on the stored geometry (1e-5° is over a
-- metre here); only those pairs are transformed and measured.
--   $1 candidate plot ids, $2 max_gap_m, $3 min_shared_m
WITH zone AS (
  SELECT id, gk_zone_srid(boundary) AS srid FROM parks
)
SELECT a.id, b.id
FROM plots a
JOIN plots b ON b.geom && ST_Expand(a.geom, ($2 + 1.0) * 1e-5) AND a.id < b.id AND b.park_id = a.park_id
JOIN zone z ON z.id = a.park_id
CROSS JOIN LATERAL (SELECT ST_Transform(a.geom, z.srid) AS ga, ST_Transform(b.geom, z.srid) AS gb) m
WHERE a.id = ANY($1) AND b.id = ANY($1)
  AND ST_DWithin(m.ga, m.gb, $2 + 0.05)
  AND contact_length(m.ga, m.gb, $2) >= $3
  AND ($2 <= 0.05 OR NOT EXISTS (
        SELECT 1 FROM roads r
        WHERE r.class = 'expressway' AND r.geom && ST_Expand(a.geom, ($2 + 1.0) * 1e-5)
          AND ST_Intersects(r.geom, ST_Transform(ST_ShortestLine(m.ga, m.gb), 4326))
        UNION ALL
        SELECT 1 FROM constraints x
        WHERE x.kind = 'permanent_farmland' AND x.geom && ST_Expand(a.geom, ($2 + 1.0) * 1e-5)
          AND ST_Intersects(x.geom, ST_Transform(ST_ShortestLine(m.ga, m.gb), 4326))))
