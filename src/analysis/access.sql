-- Travel from an origin point ($1, WKT in lon/lat) to every transport node within $2 metres:
-- the origin's nearest road vertex and the leg to it, the fastest road path from there
-- (pgr_dijkstra on cost_s, travel seconds at each road's speed) to each node's nearest
-- vertex, and the leg from that vertex to the node. The legs are timed by the caller.
WITH origin AS (
  SELECT ST_GeomFromText($1, 4326) AS g
), o AS (
  SELECT v.id AS vid, ST_Distance(v.geom::geography, origin.g::geography) AS leg_m
  FROM road_vertices v, origin ORDER BY v.geom <-> origin.g LIMIT 1
), n AS (
  SELECT t.id, t.kind, t.name_zh, t.name_en, t.status,
         ST_Distance(t.geom::geography, origin.g::geography) AS straight_m,
         nv.vid, nv.leg_m
  FROM transport_nodes t
  CROSS JOIN origin
  CROSS JOIN LATERAL (
    SELECT v.id AS vid, ST_Distance(v.geom::geography, t.geom::geography) AS leg_m
    FROM road_vertices v ORDER BY v.geom <-> t.geom LIMIT 1) nv
  WHERE ST_DWithin(t.geom::geography, origin.g::geography, $2)
), paths AS (
  SELECT d.end_vid, max(d.agg_cost) FILTER (WHERE d.edge = -1) AS seconds, sum(r.length_m) AS road_m
  FROM pgr_dijkstra(
         'SELECT id, source, target, cost_s AS cost, reverse_cost_s AS reverse_cost FROM roads',
         (SELECT vid FROM o), ARRAY(SELECT DISTINCT vid FROM n), directed => true) d
  LEFT JOIN roads r ON r.id = d.edge
  GROUP BY d.end_vid
)
SELECT n.id, n.kind, n.name_zh, n.name_en, n.status, n.straight_m,
       o.leg_m AS origin_leg_m, n.leg_m AS node_leg_m,
       CASE WHEN n.vid = o.vid THEN 0 ELSE p.road_m END AS road_m,
       CASE WHEN n.vid = o.vid THEN 0 ELSE p.seconds END AS road_s
FROM n CROSS JOIN o LEFT JOIN paths p ON p.end_vid = n.vid
