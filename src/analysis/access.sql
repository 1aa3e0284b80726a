-- Road access from origins ($1: WKT points in lon/lat; $2: the speed of the legs off the
-- network, m/s; $3: the latest opening a node may have and count, as text: '-infinity'
-- for open nodes only, a date, or 'infinity': `node_open_from`, migration 0018). For each
-- origin and node kind, among the nodes that count, two candidates:
--   - the node fastest by road from the origin's nearest road vertex: the stored path
--     (road_access, migration 0005) plus the node's own leg. The origin's leg is the same
--     for every node, so it does not change which node is fastest, and origins that share
--     a vertex share the lookup;
--   - for a kind with no node reachable by road from that vertex, the node nearest in a
--     straight line, from the three nearest in degrees by the spatial index, measured
--     geodesically.
-- The caller times the legs and keeps the faster (src/analysis/access.rs).
WITH origin AS (
  SELECT o.ord::int AS idx, ST_GeomFromText(o.wkt, 4326) AS g
  FROM unnest($1::text[]) WITH ORDINALITY AS o(wkt, ord)
), ov AS MATERIALIZED (
  SELECT origin.idx, origin.g, v.vid, v.leg_m
  FROM origin CROSS JOIN LATERAL (
    SELECT rv.id AS vid, ST_Distance(rv.geom::geography, origin.g::geography) AS leg_m
    FROM road_vertices rv ORDER BY rv.geom <-> origin.g LIMIT 1) v
), fastest AS (
  SELECT DISTINCT ON (a.vid, t.kind) a.vid, t.kind, t.id
  FROM (SELECT DISTINCT vid FROM ov) v
  JOIN road_access a ON a.vid = v.vid
  JOIN node_vertices nv ON nv.node_id = a.node_id
  JOIN transport_nodes t ON t.id = a.node_id
  WHERE node_open_from(t.status, t.opens_on) <= $3::date
  ORDER BY a.vid, t.kind, a.seconds + nv.leg_m / $2, t.id
), candidate AS MATERIALIZED (
  SELECT ov.idx, f.id FROM ov JOIN fastest f ON f.vid = ov.vid
  UNION
  SELECT ov.idx, near.id
  FROM ov CROSS JOIN (SELECT DISTINCT kind FROM transport_nodes) k
  CROSS JOIN LATERAL (
    SELECT c.id FROM (
      SELECT t.id, t.geom FROM transport_nodes t WHERE t.kind = k.kind AND node_open_from(t.status, t.opens_on) <= $3::date ORDER BY t.geom <-> ov.g LIMIT 3) c
    ORDER BY ST_Distance(c.geom::geography, ov.g::geography), c.id LIMIT 1) near
  WHERE NOT EXISTS (SELECT 1 FROM fastest f WHERE f.vid = ov.vid AND f.kind = k.kind)
)
-- Each candidate looks up its node, leg and road by key (LIMIT 1 keeps the lookups
-- apart: joined freely, the planner crossed every origin with every node first).
SELECT ov.idx, t.id, t.kind, t.name_zh, t.name_en, t.status, t.opens_on, node_open_from(t.status, t.opens_on)::text AS open_from,
       ST_Distance(t.geom::geography, ov.g::geography) AS straight_m,
       ov.leg_m AS origin_leg_m, nv.leg_m AS node_leg_m, a.road_m, a.seconds AS road_s
FROM candidate c
JOIN ov ON ov.idx = c.idx
CROSS JOIN LATERAL (SELECT * FROM transport_nodes t WHERE t.id = c.id LIMIT 1) t
CROSS JOIN LATERAL (SELECT nv.leg_m FROM node_vertices nv WHERE nv.node_id = c.id LIMIT 1) nv
LEFT JOIN LATERAL (SELECT a.road_m, a.seconds FROM road_access a WHERE a.vid = ov.vid AND a.node_id = c.id LIMIT 1) a ON true
