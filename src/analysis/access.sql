-- Road access from origins ($1: WKT points in lon/lat) to every transport node within
-- $2 metres in a straight line: the origin's nearest road vertex and the leg to it, the
-- node's vertex and leg (node_vertices), and the road between them, looked up in
-- road_access (migration 0005). No road row: the node cannot be reached by road. The
-- legs are timed by the caller.
WITH origin AS (
  SELECT o.ord::int AS idx, ST_GeomFromText(o.wkt, 4326) AS g
  FROM unnest($1::text[]) WITH ORDINALITY AS o(wkt, ord)
), ov AS MATERIALIZED (
  -- Materialized: each origin finds its vertex once, not once per node.
  SELECT origin.idx, origin.g, v.vid, v.leg_m
  FROM origin CROSS JOIN LATERAL (
    SELECT rv.id AS vid, ST_Distance(rv.geom::geography, origin.g::geography) AS leg_m
    FROM road_vertices rv ORDER BY rv.geom <-> origin.g LIMIT 1) v
), pair AS (
  SELECT ov.idx, ov.vid, ov.leg_m AS origin_leg_m, t.id, t.kind, t.name_zh, t.name_en, t.status,
         nv.leg_m AS node_leg_m, ST_Distance(t.geom::geography, ov.g::geography) AS straight_m
  FROM ov CROSS JOIN transport_nodes t JOIN node_vertices nv ON nv.node_id = t.id
)
SELECT p.idx, p.id, p.kind, p.name_zh, p.name_en, p.status, p.straight_m, p.origin_leg_m, p.node_leg_m,
       a.road_m, a.seconds AS road_s
FROM pair p
LEFT JOIN road_access a ON a.vid = p.vid AND a.node_id = p.id
WHERE p.straight_m <= $2
