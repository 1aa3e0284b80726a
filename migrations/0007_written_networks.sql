-- Roads and grants written one at a time through the API, not only loaded in bulk.
--
-- A road written on its own joins the network at once: its ends become road vertices
-- (snapped as rebuild_road_topology snaps them, so the two agree) and its source and
-- target point at them. Vertices no road ends at any more are dropped before road_access
-- is refreshed (statement triggers fire in name order: count, drop, refresh), so a
-- transport node is never attached to a vertex cut off from the network.

CREATE FUNCTION road_vertex(p geometry, tolerance_deg double precision DEFAULT 1e-7)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  snapped geometry := ST_SnapToGrid(p, tolerance_deg);
  vid bigint;
BEGIN
  INSERT INTO road_vertices (geom) VALUES (snapped) ON CONFLICT (geom) DO NOTHING RETURNING id INTO vid;
  IF vid IS NULL THEN
    SELECT id INTO vid FROM road_vertices WHERE geom = snapped;
  END IF;
  RETURN vid;
END $$;

CREATE FUNCTION roads_join_network() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.source := road_vertex(ST_StartPoint(NEW.geom));
  NEW.target := road_vertex(ST_EndPoint(NEW.geom));
  RETURN NEW;
END $$;

CREATE TRIGGER roads_join_network BEFORE INSERT OR UPDATE OF geom ON roads
  FOR EACH ROW EXECUTE FUNCTION roads_join_network();

CREATE FUNCTION roads_drop_loose_vertices() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM road_vertices v
  WHERE NOT EXISTS (SELECT 1 FROM roads r WHERE r.source = v.id)
    AND NOT EXISTS (SELECT 1 FROM roads r WHERE r.target = v.id);
  RETURN NULL;
END $$;

CREATE TRIGGER roads_drop_loose_vertices AFTER UPDATE OR DELETE ON roads
  FOR EACH STATEMENT EXECUTE FUNCTION roads_drop_loose_vertices();

-- A plot is granted to one project at most.
CREATE UNIQUE INDEX project_plots_one_project ON project_plots (plot_id);
