-- Pairs of candidate plots that are contiguous, from the stored neighbours (plot_links,
-- migration 0004): at most max_gap_m apart (5 cm of slack for surveyed edges), facing
-- each other for at least min_shared_m. A link across a gap may not cross an expressway
-- or permanent farmland as those layers stand now.
--   $1 candidate plot ids, $2 max_gap_m, $3 min_shared_m
SELECT l.a, l.b
FROM plot_links l
JOIN unnest($1::bigint[]) ca(id) ON ca.id = l.a
JOIN unnest($1::bigint[]) cb(id) ON cb.id = l.b
WHERE l.gap_m <= $2 + 0.05
  AND l.facing_m >= $3
  AND (l.bridge IS NULL OR NOT EXISTS (
        SELECT 1 FROM roads r
        WHERE r.class = 'expressway' AND r.geom && l.bridge AND ST_Intersects(r.geom, l.bridge)
        UNION ALL
        SELECT 1 FROM constraints x
        WHERE x.kind = 'permanent_farmland' AND x.geom && l.bridge AND ST_Intersects(x.geom, l.bridge)))
