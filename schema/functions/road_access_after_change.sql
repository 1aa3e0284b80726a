-- road_access_after_change: its current definition. First defined in a migration, last there in 0005_road_access.sql;
-- it changes here now (migrations/README.md). From the migration:
-- Travel by road from every road vertex to every transport node, kept current by
-- triggers, so a search looks access up instead of running Dijkstra for each request.
--   node_vertices  each node's nearest road vertex and the straight leg to it (metres);
--   road_access    from a vertex to a node's vertex: the fastest path's seconds (each road
--                  at its class speed) and its length in metres. A vertex that cannot
--                  reach a node has no row.
-- The legs between plot or node and network are timed by the caller (src/analysis/access.rs).
CREATE OR REPLACE FUNCTION public.road_access_after_change()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  PERFORM refresh_road_access();
  RETURN NULL;
END $function$;
