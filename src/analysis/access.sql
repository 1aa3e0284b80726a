-- Travel from origins ($1: WKT points in lon/lat) to every transport node within $2 metres
-- of one: each origin's nearest road vertex and the leg to it, the fastest road paths from
-- there (one many-to-many pgr_dijkstra on cost_s, travel seconds at each road's speed) to
-- each node's nearest vertex, and the leg from that vertex to the node. The legs are timed
-- by the caller.
WITH origin AS (
  SELECT o.ord::int AS idx, ST_GeomFromText(o.wkt, 4326) AS g
  FROM unnest($1::text[]) WITH ORDINALITY AS o(wkt, ord)
), ov AS (
  SELECT origin.idx, origin.g, v.vid, v.leg_m
  FROM origin CROSS JOIN LATERAL (
    SELECT rv.id AS vid, ST_Distance(rv.geom::geography, origin.g::geography) AS leg_m
    FROM road_vertices rv ORDER BY rv.geom <-> origin.g LIMIT 1) v
), n AS (
  SELECT t.id, t.kind, t.name_zh, t.name_en, t.status, t.geom, nv.vid, nv.leg_m
  FROM transport_nodes t CROSS JOIN LATERAL (
    SELECT rv.id AS vid, ST_Distance(rv.geom::geography, t.geom::geography) AS leg_m
    FROM road_vertices rv ORDER BY rv.geom <-> t.geom LIMIT 1) nv
  WHERE EXISTS (SELECT 1 FROM origin WHERE ST_DWithin(t.geom::geography, origin.g::geography, $2))
), paths AS (
  SELECT d.start_vid, d.end_vid, max(d.agg_cost) FILTER (WHERE d.edge = -1) AS seconds, sum(r.length_m) AS road_m
  FROM pgr_dijkstra(
         'SELECT id, source, target, cost_s AS cost, reverse_cost_s AS reverse_cost FROM roads',
         ARRAY(SELECT DISTINCT vid FROM ov), ARRAY(SELECT DISTINCT vid FROM n), directed => true) d
  LEFT JOIN roads r ON r.id = d.edge
  GROUP BY d.start_vid, d.end_vid
)
SELECT ov.idx, n.id, n.kind, n.name_zh, n.name_en, n.status,
       ST_Distance(n.geom::geography, ov.g::geography) AS straight_m,
       ov.leg_m AS origin_leg_m, n.leg_m AS node_leg_m,
       CASE WHEN n.vid = ov.vid THEN 0 ELSE p.road_m END AS road_m,
       CASE WHEN n.vid = ov.vid THEN 0 ELSE p.seconds END AS road_s
FROM ov CROSS JOIN n
LEFT JOIN paths p ON p.start_vid = ov.vid AND p.end_vid = n.vid
WHERE ST_DWithin(n.geom::geography, ov.g::geography, $2)
