-- roads_drop_loose_vertices: its current definition. First defined in a migration, last there in 0007_written_networks.sql;
-- it changes here now (migrations/README.md). From the migration:
-- Roads and grants written one at a time through the API, not only loaded in bulk.
--
-- A road written on its own joins the network at once: its ends become road vertices
-- (snapped as rebuild_road_topology snaps them, so the two agree) and its source and
-- target point at them. Vertices no road ends at any more are dropped before road_access
-- is refreshed (statement triggers fire in name order: count, drop, refresh), so a
-- transport node is never attached to a vertex cut off from the network.
CREATE OR REPLACE FUNCTION public.roads_drop_loose_vertices()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  DELETE FROM road_vertices v
  WHERE NOT EXISTS (SELECT 1 FROM roads r WHERE r.source = v.id)
    AND NOT EXISTS (SELECT 1 FROM roads r WHERE r.target = v.id);
  RETURN NULL;
END $function$;
