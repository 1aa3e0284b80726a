-- rebuild_road_topology: its current definition. First defined in a migration, last there in 0018_transport_opening.sql;
-- it changes here now (migrations/README.md). From the migration:
-- Transport that is not open yet does not count as open (issue #18).
--
-- A node under construction or planned may carry the date it is expected to open. Access,
-- isochrones and the site search count a node only from the day it is open: existing
-- nodes always, the others only when the request asks to include planned transport (all
-- of it, or what is expected to open by a date). `node_open_from` is the one home of that
-- rule: a request names the latest opening it accepts ('-infinity' for open nodes only,
-- a date, or 'infinity' for everything planned) and a node counts when its
-- `node_open_from` is no later. A node not open with no expected date opens at
-- 'infinity': it counts only when every planned node does.
CREATE OR REPLACE FUNCTION public.rebuild_road_topology(tolerance_deg double precision DEFAULT 0.0000001)
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
DECLARE
  n integer;
BEGIN
  UPDATE roads SET source = NULL, target = NULL WHERE source IS NOT NULL OR target IS NOT NULL;
  DELETE FROM road_vertices;
  INSERT INTO road_vertices (geom)
    SELECT DISTINCT ST_SnapToGrid(p, tolerance_deg)
    FROM (SELECT ST_StartPoint(geom) AS p FROM roads WHERE status = 'existing'
          UNION ALL SELECT ST_EndPoint(geom) FROM roads WHERE status = 'existing') ends;
  UPDATE roads r SET
    source = (SELECT v.id FROM road_vertices v WHERE v.geom = ST_SnapToGrid(ST_StartPoint(r.geom), tolerance_deg)),
    target = (SELECT v.id FROM road_vertices v WHERE v.geom = ST_SnapToGrid(ST_EndPoint(r.geom), tolerance_deg))
  WHERE r.status = 'existing';
  SELECT count(*) INTO n FROM road_vertices;
  RETURN n;
END $function$;
