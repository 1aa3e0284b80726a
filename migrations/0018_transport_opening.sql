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
ALTER TABLE transport_nodes ADD COLUMN opens_on date;
ALTER TABLE transport_nodes ADD CONSTRAINT transport_nodes_opens_on_check
  CHECK (opens_on IS NULL OR (status <> 'existing' AND opens_on BETWEEN '1900-01-01' AND '2100-12-31'));

CREATE FUNCTION node_open_from(status text, opens_on date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN status = 'existing' THEN '-infinity'::date ELSE coalesce(opens_on, 'infinity'::date) END
$$;

-- Roads likewise: a planned or unfinished road is kept and drawn, but it is not part of
-- the routable network (no source or target, so neither road_access nor the isochrones
-- see it) until it is recorded as existing. Routing over roads not yet built is not
-- offered: its times would depend on where the road finally joins the network.
ALTER TABLE roads ADD COLUMN status text NOT NULL DEFAULT 'existing'
  CHECK (status IN ('existing', 'under_construction', 'planned'));
ALTER TABLE roads ADD COLUMN opens_on date;
ALTER TABLE roads ADD CONSTRAINT roads_opens_on_check
  CHECK (opens_on IS NULL OR (status <> 'existing' AND opens_on BETWEEN '1900-01-01' AND '2100-12-31'));

CREATE OR REPLACE FUNCTION roads_join_network() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'existing' THEN
    NEW.source := road_vertex(ST_StartPoint(NEW.geom));
    NEW.target := road_vertex(ST_EndPoint(NEW.geom));
  ELSE
    NEW.source := NULL;
    NEW.target := NULL;
  END IF;
  RETURN NEW;
END $$;

DROP TRIGGER roads_join_network ON roads;
CREATE TRIGGER roads_join_network BEFORE INSERT OR UPDATE OF geom, status ON roads
  FOR EACH ROW EXECUTE FUNCTION roads_join_network();

CREATE OR REPLACE FUNCTION rebuild_road_topology(tolerance_deg double precision DEFAULT 1e-7)
RETURNS integer LANGUAGE plpgsql AS $$
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
END $$;
