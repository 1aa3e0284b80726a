-- Travel by road from every road vertex to every transport node, kept current by
-- triggers, so a search looks access up instead of running Dijkstra for each request.
--   node_vertices  each node's nearest road vertex and the straight leg to it (metres);
--   road_access    from a vertex to a node's vertex: the fastest path's seconds (each road
--                  at its class speed) and its length in metres. A vertex that cannot
--                  reach a node has no row.
-- The legs between plot or node and network are timed by the caller (src/analysis/access.rs).

CREATE TABLE node_vertices (
  node_id text PRIMARY KEY REFERENCES transport_nodes (id) ON DELETE CASCADE ON UPDATE CASCADE,
  vid     bigint NOT NULL REFERENCES road_vertices (id) ON DELETE CASCADE,
  leg_m   double precision NOT NULL
);

CREATE TABLE road_access (
  vid     bigint NOT NULL REFERENCES road_vertices (id) ON DELETE CASCADE,
  node_id text NOT NULL REFERENCES transport_nodes (id) ON DELETE CASCADE ON UPDATE CASCADE,
  seconds double precision NOT NULL CHECK (seconds >= 0),
  road_m  double precision NOT NULL CHECK (road_m >= 0),
  PRIMARY KEY (vid, node_id)
);

-- One shortest-path tree per node vertex on the reversed graph (so its paths run from
-- every vertex to the node), by pgr_drivingDistance; each vertex's road length is summed
-- down the tree from the root. pgRouting 3.4 gives the edge into each vertex but not the
-- predecessor: it is that edge's other end.
CREATE FUNCTION refresh_road_access() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM road_access;
  DELETE FROM node_vertices;
  INSERT INTO node_vertices (node_id, vid, leg_m)
  SELECT t.id, v.vid, v.leg_m
  FROM transport_nodes t CROSS JOIN LATERAL (
    SELECT rv.id AS vid, ST_Distance(rv.geom::geography, t.geom::geography) AS leg_m
    FROM road_vertices rv ORDER BY rv.geom <-> t.geom LIMIT 1) v;
  IF NOT EXISTS (SELECT 1 FROM roads WHERE source IS NOT NULL) OR NOT EXISTS (SELECT 1 FROM node_vertices) THEN
    RETURN;
  END IF;
  WITH RECURSIVE tree AS (
    SELECT d.from_v AS root, d.node, d.agg_cost, r.length_m,
           CASE WHEN r.source = d.node THEN r.target ELSE r.source END AS pred
    FROM pgr_drivingDistance(
           'SELECT id, target AS source, source AS target, cost_s AS cost, reverse_cost_s AS reverse_cost
            FROM roads WHERE source IS NOT NULL AND target IS NOT NULL',
           ARRAY(SELECT DISTINCT vid FROM node_vertices), 1e12, directed => true) d
    LEFT JOIN roads r ON r.id = d.edge
  ), walk AS (
    SELECT root, node, 0::double precision AS road_m FROM tree WHERE node = root
    UNION ALL
    SELECT t.root, t.node, w.road_m + t.length_m
    FROM walk w JOIN tree t ON t.root = w.root AND t.pred = w.node AND t.node <> t.root
  )
  INSERT INTO road_access (vid, node_id, seconds, road_m)
  SELECT w.node, nv.node_id, t.agg_cost, w.road_m
  FROM walk w
  JOIN tree t ON t.root = w.root AND t.node = w.node
  JOIN node_vertices nv ON nv.vid = w.root;
END $$;

CREATE FUNCTION road_access_after_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_road_access();
  RETURN NULL;
END $$;

CREATE TRIGGER roads_refresh_access AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON roads
  FOR EACH STATEMENT EXECUTE FUNCTION road_access_after_change();
CREATE TRIGGER transport_nodes_refresh_access AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON transport_nodes
  FOR EACH STATEMENT EXECUTE FUNCTION road_access_after_change();

SELECT refresh_road_access();
