-- roads_join_network: its current definition. First defined in a migration, last there in 0018_transport_opening.sql;
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
CREATE OR REPLACE FUNCTION public.roads_join_network()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  IF NEW.status = 'existing' THEN
    NEW.source := road_vertex(ST_StartPoint(NEW.geom));
    NEW.target := road_vertex(ST_EndPoint(NEW.geom));
  ELSE
    NEW.source := NULL;
    NEW.target := NULL;
  END IF;
  RETURN NEW;
END $function$;
