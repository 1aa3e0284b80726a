-- road_vertex: its current definition. First defined in a migration, last there in 0007_written_networks.sql;
-- it changes here now (migrations/README.md). From the migration:
-- Roads and grants written one at a time through the API, not only loaded in bulk.
--
-- A road written on its own joins the network at once: its ends become road vertices
-- (snapped as rebuild_road_topology snaps them, so the two agree) and its source and
-- target point at them. Vertices no road ends at any more are dropped before road_access
-- is refreshed (statement triggers fire in name order: count, drop, refresh), so a
-- transport node is never attached to a vertex cut off from the network.
CREATE OR REPLACE FUNCTION public.road_vertex(p geometry, tolerance_deg double precision DEFAULT 0.0000001)
 RETURNS bigint
 LANGUAGE plpgsql
AS $function$
DECLARE
  snapped geometry := ST_SnapToGrid(p, tolerance_deg);
  vid bigint;
BEGIN
  INSERT INTO road_vertices (geom) VALUES (snapped) ON CONFLICT (geom) DO NOTHING RETURNING id INTO vid;
  IF vid IS NULL THEN
    SELECT id INTO vid FROM road_vertices WHERE geom = snapped;
  END IF;
  RETURN vid;
END $function$;
