-- What can be reached by road within $2 seconds of the vertex $1: every vertex with its
-- cost (pgr_drivingDistance), and the reached network as lines, with the edges only partly
-- in reach cut where the time runs out (pgr_drivingDistance itself leaves them out, which
-- makes isochrones built from reached vertices a little small).
WITH reached AS (
  SELECT node AS vid, agg_cost FROM pgr_drivingDistance(
    'SELECT id, source, target, cost_s AS cost, reverse_cost_s AS reverse_cost FROM roads WHERE source IS NOT NULL AND target IS NOT NULL', $1, $2, directed => true)
), pieces AS (
  -- whole edges with both ends in reach
  SELECT r.geom FROM roads r
  JOIN reached a ON a.vid = r.source JOIN reached b ON b.vid = r.target
  WHERE least(a.agg_cost, b.agg_cost) + r.cost_s <= $2 OR greatest(a.agg_cost, b.agg_cost) <= $2
  UNION ALL
  -- from a reached source along the edge as far as the time left allows
  SELECT ST_LineSubstring(r.geom, 0, least(1, ($2 - a.agg_cost) / r.cost_s)) FROM roads r
  JOIN reached a ON a.vid = r.source
  WHERE r.cost_s > 0 AND a.agg_cost + r.cost_s > $2 AND NOT EXISTS (SELECT 1 FROM reached b WHERE b.vid = r.target AND b.agg_cost + r.cost_s <= $2)
  UNION ALL
  -- the same from a reached target, where the road may be driven backwards
  SELECT ST_LineSubstring(r.geom, greatest(0, 1 - ($2 - b.agg_cost) / r.cost_s), 1) FROM roads r
  JOIN reached b ON b.vid = r.target
  WHERE r.reverse_cost_s > 0 AND b.agg_cost + r.cost_s > $2 AND NOT EXISTS (SELECT 1 FROM reached a WHERE a.vid = r.source AND a.agg_cost + r.cost_s <= $2)
)
SELECT (SELECT json_agg(json_build_object('vertex', vid, 'seconds', round(agg_cost::numeric, 1)) ORDER BY agg_cost) FROM reached)::text AS vertices,
       ST_AsGeoJSON(ST_Collect(geom), 7, 0) AS network,
       ST_AsGeoJSON(ST_ConcaveHull(ST_Collect(geom), 0.3), 7, 0) AS area
FROM pieces
