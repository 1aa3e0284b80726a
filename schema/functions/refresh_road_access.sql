-- refresh_road_access: its current definition. First defined in a migration, last there in 0013_road_access_walk.sql;
-- it changes here now (migrations/README.md). From the migration:
-- refresh_road_access (0012) summed each path's road length down its shortest-path tree
-- with a recursive CTE that joined every step's frontier to the whole tree (211,094 rows
-- at the million-plot network): about 3 s of a road write's 3.2-3.6 s, where the routing
-- itself takes 0.2 s. The tree now goes into a temporary table indexed by (root, pred),
-- so each step looks its children up. Same rows, same numbers.
CREATE OR REPLACE FUNCTION public.refresh_road_access()
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
  DELETE FROM node_vertices;
  INSERT INTO node_vertices (node_id, vid, leg_m)
  SELECT t.id, v.vid, v.leg_m
  FROM transport_nodes t CROSS JOIN LATERAL (
    SELECT rv.id AS vid, ST_Distance(rv.geom::geography, t.geom::geography) AS leg_m
    FROM road_vertices rv ORDER BY rv.geom <-> t.geom LIMIT 1) v;
  IF NOT EXISTS (SELECT 1 FROM roads WHERE source IS NOT NULL) OR NOT EXISTS (SELECT 1 FROM node_vertices) THEN
    DELETE FROM road_access;
    RETURN;
  END IF;
  -- Left by an earlier refresh in this transaction only if it failed half-way (each
  -- refresh drops it when done); checked rather than DROP IF EXISTS, whose notice would
  -- reach every client that writes a road.
  IF to_regclass('pg_temp.road_access_tree') IS NOT NULL THEN
    DROP TABLE road_access_tree;
  END IF;
  CREATE TEMPORARY TABLE road_access_tree ON COMMIT DROP AS
  SELECT d.from_v AS root, d.node, d.agg_cost, r.length_m,
         CASE WHEN r.source = d.node THEN r.target ELSE r.source END AS pred
  FROM pgr_drivingDistance(
         'SELECT id, target AS source, source AS target, cost_s AS cost, reverse_cost_s AS reverse_cost
          FROM roads WHERE source IS NOT NULL AND target IS NOT NULL',
         ARRAY(SELECT DISTINCT vid FROM node_vertices), 1e12, directed => true) d
  LEFT JOIN roads r ON r.id = d.edge;
  CREATE INDEX ON road_access_tree (root, pred);
  ANALYZE road_access_tree;
  WITH RECURSIVE walk AS (
    SELECT root, node, agg_cost, 0::double precision AS road_m FROM road_access_tree WHERE node = root
    UNION ALL
    SELECT t.root, t.node, t.agg_cost, w.road_m + t.length_m
    FROM walk w JOIN road_access_tree t ON t.root = w.root AND t.pred = w.node AND t.node <> t.root
  ), fresh AS MATERIALIZED (
    SELECT w.node AS vid, nv.node_id, w.agg_cost AS seconds, w.road_m
    FROM walk w
    JOIN node_vertices nv ON nv.vid = w.root
  ), gone AS (
    DELETE FROM road_access a
    WHERE NOT EXISTS (SELECT 1 FROM fresh f WHERE f.vid = a.vid AND f.node_id = a.node_id)
  )
  INSERT INTO road_access AS a (vid, node_id, seconds, road_m)
  SELECT f.vid, f.node_id, f.seconds, f.road_m
  FROM fresh f LEFT JOIN road_access o ON o.vid = f.vid AND o.node_id = f.node_id
  WHERE o.vid IS NULL OR o.seconds IS DISTINCT FROM f.seconds OR o.road_m IS DISTINCT FROM f.road_m
  ON CONFLICT (vid, node_id) DO UPDATE SET seconds = excluded.seconds, road_m = excluded.road_m;
  DROP TABLE road_access_tree;
END $function$;
