-- parkland's schema as the migrations and schema/functions/ make it: pg_dump --schema-only
-- of a freshly migrated database, without its session settings. Written by
-- scripts/schema-dump.sh; tests/schema_dump.rs fails when it drifts from the migrations.
--
-- PostgreSQL database dump
--

--
-- Name: asof; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA asof;

--
-- Name: history; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA history;

--
-- Name: postgis; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;

--
-- Name: EXTENSION postgis; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION postgis IS 'PostGIS geometry and geography spatial types and functions';

--
-- Name: pgrouting; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgrouting WITH SCHEMA public;

--
-- Name: EXTENSION pgrouting; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pgrouting IS 'pgRouting Extension';

--
-- Name: keep_constraints(); Type: FUNCTION; Schema: history; Owner: -
--

CREATE FUNCTION history.keep_constraints() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    -- The row's open version: dropped if this transaction wrote it, else ended now.
    DELETE FROM history.constraints h WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity' AND h.updated_at = public.version_stamp();
    IF NOT FOUND THEN
      UPDATE history.constraints h SET valid_to = public.version_stamp() WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity';
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO history.constraints (id, kind, name, geom, area_m2, version, updated_at, valid_to) VALUES (NEW.id, NEW.kind, NEW.name, NEW.geom, NEW.area_m2, NEW.version, NEW.updated_at, 'infinity');
  END IF;
  RETURN NULL;
END $$;

--
-- Name: keep_idle_records(); Type: FUNCTION; Schema: history; Owner: -
--

CREATE FUNCTION history.keep_idle_records() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    -- The row's open version: dropped if this transaction wrote it, else ended now.
    DELETE FROM history.idle_records h WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity' AND h.updated_at = public.version_stamp();
    IF NOT FOUND THEN
      UPDATE history.idle_records h SET valid_to = public.version_stamp() WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity';
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO history.idle_records (id, plot_id, kind, cause, found_on, idle_since, measure, measure_status, fee_wan, note, version, updated_at, valid_to) VALUES (NEW.id, NEW.plot_id, NEW.kind, NEW.cause, NEW.found_on, NEW.idle_since, NEW.measure, NEW.measure_status, NEW.fee_wan, NEW.note, NEW.version, NEW.updated_at, 'infinity');
  END IF;
  RETURN NULL;
END $$;

--
-- Name: keep_parks(); Type: FUNCTION; Schema: history; Owner: -
--

CREATE FUNCTION history.keep_parks() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    -- The row's open version: dropped if this transaction wrote it, else ended now.
    DELETE FROM history.parks h WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity' AND h.updated_at = public.version_stamp();
    IF NOT FOUND THEN
      UPDATE history.parks h SET valid_to = public.version_stamp() WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity';
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO history.parks (id, name_zh, name_en, level, city, county, towns, partner_city, leading_industries, planned_area_km2, infrastructure, utilities, established, targets_before_0019, source, boundary, area_m2, version, updated_at, zone_id, cultivated_industries, estimated, valid_to) VALUES (NEW.id, NEW.name_zh, NEW.name_en, NEW.level, NEW.city, NEW.county, NEW.towns, NEW.partner_city, NEW.leading_industries, NEW.planned_area_km2, NEW.infrastructure, NEW.utilities, NEW.established, NEW.targets_before_0019, NEW.source, NEW.boundary, NEW.area_m2, NEW.version, NEW.updated_at, NEW.zone_id, NEW.cultivated_industries, NEW.estimated, 'infinity');
  END IF;
  RETURN NULL;
END $$;

--
-- Name: keep_plots(); Type: FUNCTION; Schema: history; Owner: -
--

CREATE FUNCTION history.keep_plots() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    -- The row's open version: dropped if this transaction wrote it, else ended now.
    DELETE FROM history.plots h WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity' AND h.updated_at = public.version_stamp();
    IF NOT FOUND THEN
      UPDATE history.plots h SET valid_to = public.version_stamp() WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity';
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO history.plots (id, park_id, code, land_use, status, far_min, far_max, coverage_min, green_max, land_user, supplied_on, land_price_wan, agreed_start, actual_start, stalled_since, built_ratio, invested_wan, planned_investment_wan, output_wan, tax_wan, geom, area_m2, area_mu, version, updated_at, anchor, valid_to) VALUES (NEW.id, NEW.park_id, NEW.code, NEW.land_use, NEW.status, NEW.far_min, NEW.far_max, NEW.coverage_min, NEW.green_max, NEW.land_user, NEW.supplied_on, NEW.land_price_wan, NEW.agreed_start, NEW.actual_start, NEW.stalled_since, NEW.built_ratio, NEW.invested_wan, NEW.planned_investment_wan, NEW.output_wan, NEW.tax_wan, NEW.geom, NEW.area_m2, NEW.area_mu, NEW.version, NEW.updated_at, NEW.anchor, 'infinity');
  END IF;
  RETURN NULL;
END $$;

--
-- Name: keep_project_plots(); Type: FUNCTION; Schema: history; Owner: -
--

CREATE FUNCTION history.keep_project_plots() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    -- The row's open version: dropped if this transaction wrote it, else ended now.
    DELETE FROM history.project_plots h WHERE (h.project_id, h.plot_id) = (OLD.project_id, OLD.plot_id) AND h.valid_to = 'infinity' AND h.updated_at = public.version_stamp();
    IF NOT FOUND THEN
      UPDATE history.project_plots h SET valid_to = public.version_stamp() WHERE (h.project_id, h.plot_id) = (OLD.project_id, OLD.plot_id) AND h.valid_to = 'infinity';
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO history.project_plots (project_id, plot_id, updated_at, valid_to) VALUES (NEW.project_id, NEW.plot_id, NEW.updated_at, 'infinity');
  END IF;
  RETURN NULL;
END $$;

--
-- Name: keep_projects(); Type: FUNCTION; Schema: history; Owner: -
--

CREATE FUNCTION history.keep_projects() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    -- The row's open version: dropped if this transaction wrote it, else ended now.
    DELETE FROM history.projects h WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity' AND h.updated_at = public.version_stamp();
    IF NOT FOUND THEN
      UPDATE history.projects h SET valid_to = public.version_stamp() WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity';
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO history.projects (id, name, investor, industry, land_use, demand_mu, investment_wan, output_wan, tax_wan, stage, park_id, requirements, source, version, updated_at, land_as_given, revenue_wan, build_from, build_to, note, valid_to) VALUES (NEW.id, NEW.name, NEW.investor, NEW.industry, NEW.land_use, NEW.demand_mu, NEW.investment_wan, NEW.output_wan, NEW.tax_wan, NEW.stage, NEW.park_id, NEW.requirements, NEW.source, NEW.version, NEW.updated_at, NEW.land_as_given, NEW.revenue_wan, NEW.build_from, NEW.build_to, NEW.note, 'infinity');
  END IF;
  RETURN NULL;
END $$;

--
-- Name: keep_roads(); Type: FUNCTION; Schema: history; Owner: -
--

CREATE FUNCTION history.keep_roads() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    -- The row's open version: dropped if this transaction wrote it, else ended now.
    DELETE FROM history.roads h WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity' AND h.updated_at = public.version_stamp();
    IF NOT FOUND THEN
      UPDATE history.roads h SET valid_to = public.version_stamp() WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity';
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO history.roads (id, class, name, speed_kmh, oneway, geom, length_m, cost_s, reverse_cost_s, source, target, version, updated_at, status, opens_on, valid_to) VALUES (NEW.id, NEW.class, NEW.name, NEW.speed_kmh, NEW.oneway, NEW.geom, NEW.length_m, NEW.cost_s, NEW.reverse_cost_s, NEW.source, NEW.target, NEW.version, NEW.updated_at, NEW.status, NEW.opens_on, 'infinity');
  END IF;
  RETURN NULL;
END $$;

--
-- Name: keep_targets(); Type: FUNCTION; Schema: history; Owner: -
--

CREATE FUNCTION history.keep_targets() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    -- The row's open version: dropped if this transaction wrote it, else ended now.
    DELETE FROM history.targets h WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity' AND h.updated_at = public.version_stamp();
    IF NOT FOUND THEN
      UPDATE history.targets h SET valid_to = public.version_stamp() WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity';
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO history.targets (id, park_id, year, indicator, industry, value, unit, basis, bound, projection, label_zh, source, version, updated_at, valid_to) VALUES (NEW.id, NEW.park_id, NEW.year, NEW.indicator, NEW.industry, NEW.value, NEW.unit, NEW.basis, NEW.bound, NEW.projection, NEW.label_zh, NEW.source, NEW.version, NEW.updated_at, 'infinity');
  END IF;
  RETURN NULL;
END $$;

--
-- Name: keep_transport_nodes(); Type: FUNCTION; Schema: history; Owner: -
--

CREATE FUNCTION history.keep_transport_nodes() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    -- The row's open version: dropped if this transaction wrote it, else ended now.
    DELETE FROM history.transport_nodes h WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity' AND h.updated_at = public.version_stamp();
    IF NOT FOUND THEN
      UPDATE history.transport_nodes h SET valid_to = public.version_stamp() WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity';
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO history.transport_nodes (id, kind, name_zh, name_en, status, line, geom, version, updated_at, opens_on, source, valid_to) VALUES (NEW.id, NEW.kind, NEW.name_zh, NEW.name_en, NEW.status, NEW.line, NEW.geom, NEW.version, NEW.updated_at, NEW.opens_on, NEW.source, 'infinity');
  END IF;
  RETURN NULL;
END $$;

--
-- Name: keep_zones(); Type: FUNCTION; Schema: history; Owner: -
--

CREATE FUNCTION history.keep_zones() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    -- The row's open version: dropped if this transaction wrote it, else ended now.
    DELETE FROM history.zones h WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity' AND h.updated_at = public.version_stamp();
    IF NOT FOUND THEN
      UPDATE history.zones h SET valid_to = public.version_stamp() WHERE (h.id) = (OLD.id) AND h.valid_to = 'infinity';
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO history.zones (id, name_zh, name_en, city, source, version, updated_at, valid_to) VALUES (NEW.id, NEW.name_zh, NEW.name_en, NEW.city, NEW.source, NEW.version, NEW.updated_at, 'infinity');
  END IF;
  RETURN NULL;
END $$;

--
-- Name: asof_instant(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.asof_instant() RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    AS $$
  SELECT current_setting('parkland.as_of')::timestamptz
$$;

--
-- Name: bump_version(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.bump_version() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.version := OLD.version + 1;
  NEW.updated_at := version_stamp();
  RETURN NEW;
END $$;

--
-- Name: contact_growth(double precision); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.contact_growth(gap double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $_$SELECT ($1 + 0.05) / 2$_$;

--
-- Name: contact_length(public.geometry, public.geometry, double precision); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.contact_length(a public.geometry, b public.geometry, gap double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT grown_contact_length(grown_for_contact(a, gap), grown_for_contact(b, gap), gap)
$$;

--
-- Name: count_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.count_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  INSERT INTO change_counters AS c (table_name, changes, changed_at)
  VALUES (TG_TABLE_NAME, 1, now())
  ON CONFLICT (table_name) DO UPDATE SET changes = c.changes + 1, changed_at = now();
  PERFORM pg_notify('parkland_changes', '');
  RETURN NULL;
END $$;

--
-- Name: gk_zone_srid(public.geometry); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.gk_zone_srid(g public.geometry) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT 4534 + round((ST_X(ST_Centroid(g)) - 75) / 3)::int
$$;

--
-- Name: grown_contact_length(public.geometry, public.geometry, double precision); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.grown_contact_length(a_grown public.geometry, b_grown public.geometry, gap double precision) RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
DECLARE
  grow double precision := contact_growth(gap);
  overlap geometry := ST_Intersection(a_grown, b_grown);
  envelope geometry;
  ring geometry;
BEGIN
  IF overlap IS NULL OR ST_IsEmpty(overlap) THEN
    RETURN 0;
  END IF;
  envelope := ST_OrientedEnvelope(overlap);
  IF GeometryType(envelope) <> 'POLYGON' THEN
    RETURN greatest(0, ST_Length(envelope) - 2 * grow);
  END IF;
  ring := ST_ExteriorRing(envelope);
  RETURN greatest(0, greatest(ST_Distance(ST_PointN(ring, 1), ST_PointN(ring, 2)),
                              ST_Distance(ST_PointN(ring, 2), ST_PointN(ring, 3))) - 2 * grow);
END $$;

--
-- Name: grown_for_contact(public.geometry, double precision); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.grown_for_contact(g public.geometry, gap double precision) RETURNS public.geometry
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $_$ SELECT ST_Buffer($1, contact_growth($2), 'join=mitre') $_$;

--
-- Name: link_plots(bigint[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.link_plots(ids bigint[]) RETURNS void
    LANGUAGE sql
    AS $$
  -- One linking writer per park until it commits, parks in order (no deadlock between two
  -- statements); the insert below then sees every plot committed before it got the lock.
  SELECT pg_advisory_xact_lock(hashtextextended('plot_links ' || park_id, 0))
  FROM (SELECT DISTINCT park_id FROM plots WHERE id = ANY(ids) ORDER BY park_id) p;
  INSERT INTO plot_links (a, b, gap_m, facing_m, bridge)
  SELECT * FROM plot_link_rows(ids)
  ON CONFLICT (a, b) DO UPDATE SET gap_m = excluded.gap_m, facing_m = excluded.facing_m, bridge = excluded.bridge;
$$;

--
-- Name: may_face(public.box3d, public.box3d, double precision, double precision); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.may_face(a public.box3d, b public.box3d, gap double precision, least_m double precision) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT least(ST_XMax(a), ST_XMax(b)) >= greatest(ST_XMin(a), ST_XMin(b))
     AND least(ST_YMax(a), ST_YMax(b)) >= greatest(ST_YMin(a), ST_YMin(b))
     AND sqrt((least(ST_XMax(a), ST_XMax(b)) - greatest(ST_XMin(a), ST_XMin(b))) ^ 2
              + (least(ST_YMax(a), ST_YMax(b)) - greatest(ST_YMin(a), ST_YMin(b))) ^ 2)
         - 2 * contact_growth(gap) >= least_m
$$;

--
-- Name: node_open_from(text, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.node_open_from(status text, opens_on date) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT CASE WHEN status = 'existing' THEN '-infinity'::date ELSE coalesce(opens_on, 'infinity'::date) END
$$;

--
-- Name: plot_ids(bigint[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.plot_ids(ids bigint[]) RETURNS SETOF bigint
    LANGUAGE plpgsql IMMUTABLE ROWS 10000 PARALLEL SAFE
    AS $$
BEGIN
  RETURN QUERY SELECT unnest(ids);
END $$;

--
-- Name: plot_link_min_facing(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.plot_link_min_facing() RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$SELECT 0.5::double precision$$;

--
-- Name: plot_link_reach(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.plot_link_reach() RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$SELECT 50.0::double precision$$;

--
-- Name: plot_links; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plot_links (
    a bigint NOT NULL,
    b bigint NOT NULL,
    gap_m double precision NOT NULL,
    facing_m double precision NOT NULL,
    bridge public.geometry(LineString,4326),
    CONSTRAINT plot_links_check CHECK ((a < b)),
    CONSTRAINT plot_links_facing_m_check CHECK ((facing_m >= (0)::double precision)),
    CONSTRAINT plot_links_gap_m_check CHECK ((gap_m >= (0)::double precision))
);

--
-- Name: plot_link_rows(bigint[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.plot_link_rows(ids bigint[]) RETURNS SETOF public.plot_links
    LANGUAGE sql STABLE
    AS $$
  WITH pairs AS MATERIALIZED (
    SELECT DISTINCT least(a.id, b.id) AS a, greatest(a.id, b.id) AS b
    FROM plot_ids(ids) AS n(id)
    JOIN plots a ON a.id = n.id
    JOIN plots b ON b.geom && ST_Expand(a.geom, (plot_link_reach() + 1.0) * 1e-5)
                AND b.park_id = a.park_id AND b.id <> a.id
  ), zone AS (
    SELECT id, gk_zone_srid(boundary) AS srid FROM parks
  ), metric AS MATERIALIZED (
    SELECT p.id, ST_Transform(p.geom, z.srid) AS g
    FROM plots p JOIN zone z ON z.id = p.park_id
    WHERE p.id = ANY (ARRAY(SELECT a FROM pairs UNION SELECT b FROM pairs))
  ), grown AS MATERIALIZED (
    SELECT id, g, touching, touching::box3d AS touching_box
    FROM (SELECT id, g, grown_for_contact(g, 0) AS touching FROM metric) m
  ), measured AS MATERIALIZED (
    SELECT pairs.a, pairs.b, ST_Distance(ma.g, mb.g) AS gap
    FROM pairs JOIN grown ma ON ma.id = pairs.a JOIN grown mb ON mb.id = pairs.b
  ), touching AS MATERIALIZED (
    SELECT m.a, m.b, m.gap, grown_contact_length(ma.touching, mb.touching, m.gap) AS facing
    FROM measured m JOIN grown ma ON ma.id = m.a JOIN grown mb ON mb.id = m.b
    WHERE m.gap = 0 AND may_face(ma.touching_box, mb.touching_box, m.gap, plot_link_min_facing())
  ), apart AS MATERIALIZED (
    SELECT m.a, m.b, m.gap, grown_for_contact(ma.g, m.gap) AS xa, grown_for_contact(mb.g, m.gap) AS xb
    FROM measured m JOIN grown ma ON ma.id = m.a JOIN grown mb ON mb.id = m.b
    WHERE m.gap > 0 AND m.gap <= plot_link_reach()
  ), apart_boxed AS MATERIALIZED (
    SELECT a, b, gap, xa, xb, xa::box3d AS boxa, xb::box3d AS boxb FROM apart
  ), apart_faced AS MATERIALIZED (
    SELECT a, b, gap, grown_contact_length(xa, xb, gap) AS facing
    FROM apart_boxed
    WHERE may_face(boxa, boxb, gap, plot_link_min_facing())
  ), faced AS (
    SELECT * FROM touching UNION ALL SELECT * FROM apart_faced
  )
  SELECT f.a, f.b, f.gap, f.facing, CASE WHEN f.gap > 0.05 THEN ST_Transform(ST_ShortestLine(ma.g, mb.g), 4326) END
  FROM faced f JOIN grown ma ON ma.id = f.a JOIN grown mb ON mb.id = f.b
  WHERE f.facing >= plot_link_min_facing()
$$;

--
-- Name: plot_links_after_insert(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.plot_links_after_insert() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  PERFORM link_plots(ARRAY(SELECT id FROM new_plots));
  RETURN NULL;
END $$;

--
-- Name: plot_links_after_update(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.plot_links_after_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
  moved bigint[];
BEGIN
  moved := ARRAY(SELECT n.id FROM new_plots n JOIN old_plots o ON o.id = n.id
                 WHERE NOT ST_Equals(n.geom, o.geom) OR n.park_id <> o.park_id);
  IF cardinality(moved) > 0 THEN
    DELETE FROM plot_links WHERE a = ANY(moved) OR b = ANY(moved);
    PERFORM link_plots(moved);
  END IF;
  RETURN NULL;
END $$;

--
-- Name: plot_links_log_changes(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.plot_links_log_changes() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO plot_changes (plot_id) SELECT a FROM new_rows UNION SELECT b FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO plot_changes (plot_id)
    SELECT a FROM new_rows UNION SELECT b FROM new_rows UNION SELECT a FROM old_rows UNION SELECT b FROM old_rows;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO plot_changes (plot_id) SELECT a FROM old_rows UNION SELECT b FROM old_rows;
  ELSE
    INSERT INTO plot_changes (plot_id) VALUES (NULL);
  END IF;
  RETURN NULL;
END $$;

--
-- Name: plot_most_overlapped(public.geometry, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.plot_most_overlapped(g public.geometry, self bigint) RETURNS TABLE(code text, shared_m2 double precision)
    LANGUAGE sql STABLE
    AS $$
  SELECT p.code, ST_Area(ST_Intersection(p.geom, g)::geography) AS shared
  FROM plots p
  WHERE p.id IS DISTINCT FROM self AND p.geom && g AND ST_Intersects(p.geom, g)
  ORDER BY shared DESC
  LIMIT 1
$$;

--
-- Name: plot_outside_park_m2(public.geometry, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.plot_outside_park_m2(g public.geometry, park text) RETURNS double precision
    LANGUAGE sql STABLE
    AS $$
  SELECT ST_Area(CASE WHEN k.boundary IS NULL THEN g ELSE ST_Difference(g, k.boundary) END::geography) FROM parks k WHERE k.id = park
$$;

--
-- Name: plots_log_changes(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.plots_log_changes() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO plot_changes (plot_id) SELECT id FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO plot_changes (plot_id) SELECT id FROM new_rows UNION SELECT id FROM old_rows;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO plot_changes (plot_id) SELECT id FROM old_rows;
  ELSE
    INSERT INTO plot_changes (plot_id) VALUES (NULL);
  END IF;
  PERFORM prune_plot_changes(100000);
  RETURN NULL;
END $$;

--
-- Name: prune_plot_changes(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.prune_plot_changes(keep bigint) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
  horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
BEGIN
  IF (SELECT max(seq) - min(seq) FROM plot_changes) >= keep THEN
    UPDATE plot_changes_pruned SET below = greatest(below, horizon);
    DELETE FROM plot_changes WHERE xid < horizon;
  END IF;
END $$;

--
-- Name: rebuild_road_topology(double precision); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.rebuild_road_topology(tolerance_deg double precision DEFAULT 0.0000001) RETURNS integer
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: refresh_road_access(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.refresh_road_access() RETURNS void
    LANGUAGE plpgsql
    AS $$
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
END $$;

--
-- Name: road_access_after_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.road_access_after_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  PERFORM refresh_road_access();
  RETURN NULL;
END $$;

--
-- Name: road_vertex(public.geometry, double precision); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.road_vertex(p public.geometry, tolerance_deg double precision DEFAULT 0.0000001) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: roads_drop_loose_vertices(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.roads_drop_loose_vertices() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  DELETE FROM road_vertices v
  WHERE NOT EXISTS (SELECT 1 FROM roads r WHERE r.source = v.id)
    AND NOT EXISTS (SELECT 1 FROM roads r WHERE r.target = v.id);
  RETURN NULL;
END $$;

--
-- Name: roads_join_network(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.roads_join_network() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: stamp_new_row(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.stamp_new_row() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := version_stamp();
  RETURN NEW;
END $$;

--
-- Name: version_stamp(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.version_stamp() RETURNS timestamp with time zone
    LANGUAGE plpgsql
    AS $$
DECLARE
  kept text := current_setting('parkland.version_stamp', true);
  stamp timestamptz;
BEGIN
  IF kept IS NOT NULL AND kept <> '' THEN
    RETURN kept::timestamptz;
  END IF;
  UPDATE public.version_clock SET last = greatest(clock_timestamp(), last + interval '1 microsecond') RETURNING last INTO stamp;
  PERFORM set_config('parkland.version_stamp', to_char(stamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), true);
  RETURN stamp;
END $$;

--
-- Name: versioning_sync(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.versioning_sync() RETURNS void
    LANGUAGE plpgsql
    AS $_$
DECLARE
  t text;
  keys text;
  h_keys text;
  old_keys text;
  p_keys text;
  cols text;
  new_cols text;
  c record;
BEGIN
  FOREACH t IN ARRAY ARRAY['parks', 'zones', 'plots', 'idle_records', 'targets', 'transport_nodes', 'roads', 'constraints', 'projects', 'project_plots'] LOOP
    EXECUTE format('CREATE TABLE IF NOT EXISTS history.%I (LIKE public.%I, valid_to timestamptz NOT NULL)', t, t);
    FOR c IN
      SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type
      FROM pg_attribute a
      WHERE a.attrelid = format('public.%I', t)::regclass AND a.attnum > 0 AND NOT a.attisdropped
        AND NOT EXISTS (SELECT 1 FROM pg_attribute h
                        WHERE h.attrelid = format('history.%I', t)::regclass AND h.attname = a.attname AND NOT h.attisdropped)
      ORDER BY a.attnum
    LOOP
      EXECUTE format('ALTER TABLE history.%I ADD COLUMN %I %s', t, c.attname, c.type);
    END LOOP;

    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum), string_agg('NEW.' || quote_ident(attname), ', ' ORDER BY attnum)
      INTO cols, new_cols
      FROM pg_attribute WHERE attrelid = format('public.%I', t)::regclass AND attnum > 0 AND NOT attisdropped;
    keys := CASE t WHEN 'project_plots' THEN 'project_id, plot_id' ELSE 'id' END;
    SELECT string_agg('h.' || k, ', '), string_agg('OLD.' || k, ', '), string_agg('p.' || k, ', ')
      INTO h_keys, old_keys, p_keys FROM unnest(string_to_array(keys, ', ')) k;

    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON history.%I (%s, valid_to)', t || '_key_idx', t, keys);
    EXECUTE format('CREATE UNIQUE INDEX IF NOT EXISTS %I ON history.%I (%s) WHERE valid_to = %L', t || '_open_idx', t, keys, 'infinity');
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON history.%I (valid_to)', t || '_valid_to_idx', t);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON history.%I (updated_at)', t || '_updated_at_idx', t);
    FOR c IN
      SELECT a.attname FROM pg_attribute a
      WHERE a.attrelid = format('public.%I', t)::regclass AND a.attnum > 0 AND NOT a.attisdropped
        AND format_type(a.atttypid, NULL) = 'geometry'
    LOOP
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON history.%I USING gist (%I)', t || '_' || c.attname || '_idx', t, c.attname);
    END LOOP;
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = format('public.%I', t)::regclass AND attname = 'park_id' AND NOT attisdropped) THEN
      -- A park's records as of an instant (its ledger, its plots) without reading all.
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON history.%I (park_id)', t || '_park_idx', t);
    END IF;

    EXECUTE format($f$CREATE OR REPLACE FUNCTION history.%1$I() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    -- The row's open version: dropped if this transaction wrote it, else ended now.
    DELETE FROM history.%2$I h WHERE (%3$s) = (%4$s) AND h.valid_to = 'infinity' AND h.updated_at = public.version_stamp();
    IF NOT FOUND THEN
      UPDATE history.%2$I h SET valid_to = public.version_stamp() WHERE (%3$s) = (%4$s) AND h.valid_to = 'infinity';
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO history.%2$I (%5$s, valid_to) VALUES (%6$s, 'infinity');
  END IF;
  RETURN NULL;
END $body$$f$, 'keep_' || t, t, h_keys, old_keys, cols, new_cols);
    EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON public.%I FOR EACH ROW EXECUTE FUNCTION history.%I()',
                   t || '_keep_version', t, 'keep_' || t);
    -- Rows with no open version (written with the triggers off) get one. Not by a nested
    -- loop: planned on a history still empty, it scanned the heap growing under it once a
    -- row (a million plots' first start ran past ten minutes).
    SET LOCAL enable_nestloop = off;
    EXECUTE format('INSERT INTO history.%1$I (%2$s, valid_to) SELECT %2$s, %3$L FROM public.%1$I p
                    WHERE NOT EXISTS (SELECT 1 FROM history.%1$I h WHERE (%4$s) = (%5$s) AND h.valid_to = %3$L)',
                   t, cols, 'infinity', h_keys, p_keys);
    SET LOCAL enable_nestloop = on;

    EXECUTE format('DROP VIEW IF EXISTS asof.%I', t);
    EXECUTE format('CREATE VIEW asof.%I AS SELECT %s FROM history.%I WHERE updated_at <= public.asof_instant() AND valid_to > public.asof_instant()',
                   t, cols, t);
  END LOOP;
END $_$;

--
-- Name: constraints; Type: TABLE; Schema: history; Owner: -
--

CREATE TABLE history.constraints (
    id bigint NOT NULL,
    kind text NOT NULL,
    name text NOT NULL,
    geom public.geometry(MultiPolygon,4326) NOT NULL,
    area_m2 double precision,
    version integer NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    valid_to timestamp with time zone NOT NULL
);

--
-- Name: constraints; Type: VIEW; Schema: asof; Owner: -
--

CREATE VIEW asof.constraints AS
 SELECT constraints.id,
    constraints.kind,
    constraints.name,
    constraints.geom,
    constraints.area_m2,
    constraints.version,
    constraints.updated_at
   FROM history.constraints
  WHERE ((constraints.updated_at <= public.asof_instant()) AND (constraints.valid_to > public.asof_instant()));

--
-- Name: idle_records; Type: TABLE; Schema: history; Owner: -
--

CREATE TABLE history.idle_records (
    id bigint NOT NULL,
    plot_id bigint NOT NULL,
    kind text NOT NULL,
    cause text NOT NULL,
    found_on date NOT NULL,
    idle_since date,
    measure text,
    measure_status text NOT NULL,
    fee_wan double precision,
    note text,
    version integer NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    valid_to timestamp with time zone NOT NULL
);

--
-- Name: idle_records; Type: VIEW; Schema: asof; Owner: -
--

CREATE VIEW asof.idle_records AS
 SELECT idle_records.id,
    idle_records.plot_id,
    idle_records.kind,
    idle_records.cause,
    idle_records.found_on,
    idle_records.idle_since,
    idle_records.measure,
    idle_records.measure_status,
    idle_records.fee_wan,
    idle_records.note,
    idle_records.version,
    idle_records.updated_at
   FROM history.idle_records
  WHERE ((idle_records.updated_at <= public.asof_instant()) AND (idle_records.valid_to > public.asof_instant()));

--
-- Name: parks; Type: TABLE; Schema: history; Owner: -
--

CREATE TABLE history.parks (
    id text NOT NULL,
    name_zh text NOT NULL,
    name_en text,
    level text NOT NULL,
    city text NOT NULL,
    county text,
    towns text[] NOT NULL,
    partner_city text,
    leading_industries text[] NOT NULL,
    planned_area_km2 double precision,
    infrastructure text[] NOT NULL,
    utilities jsonb NOT NULL,
    established date,
    targets_before_0019 jsonb NOT NULL,
    source text,
    boundary public.geometry(MultiPolygon,4326),
    area_m2 double precision,
    version integer NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    zone_id text,
    cultivated_industries text[] NOT NULL,
    estimated text[] NOT NULL,
    valid_to timestamp with time zone NOT NULL
);

--
-- Name: parks; Type: VIEW; Schema: asof; Owner: -
--

CREATE VIEW asof.parks AS
 SELECT parks.id,
    parks.name_zh,
    parks.name_en,
    parks.level,
    parks.city,
    parks.county,
    parks.towns,
    parks.partner_city,
    parks.leading_industries,
    parks.planned_area_km2,
    parks.infrastructure,
    parks.utilities,
    parks.established,
    parks.targets_before_0019,
    parks.source,
    parks.boundary,
    parks.area_m2,
    parks.version,
    parks.updated_at,
    parks.zone_id,
    parks.cultivated_industries,
    parks.estimated
   FROM history.parks
  WHERE ((parks.updated_at <= public.asof_instant()) AND (parks.valid_to > public.asof_instant()));

--
-- Name: plots; Type: TABLE; Schema: history; Owner: -
--

CREATE TABLE history.plots (
    id bigint NOT NULL,
    park_id text NOT NULL,
    code text NOT NULL,
    land_use text NOT NULL,
    status text NOT NULL,
    far_min double precision,
    far_max double precision,
    coverage_min double precision,
    green_max double precision,
    land_user text,
    supplied_on date,
    land_price_wan double precision,
    agreed_start date,
    actual_start date,
    stalled_since date,
    built_ratio double precision,
    invested_wan double precision,
    planned_investment_wan double precision,
    output_wan double precision,
    tax_wan double precision,
    geom public.geometry(MultiPolygon,4326) NOT NULL,
    area_m2 double precision,
    area_mu double precision,
    version integer NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    anchor public.geometry(Point,4326),
    valid_to timestamp with time zone NOT NULL
);

--
-- Name: plots; Type: VIEW; Schema: asof; Owner: -
--

CREATE VIEW asof.plots AS
 SELECT plots.id,
    plots.park_id,
    plots.code,
    plots.land_use,
    plots.status,
    plots.far_min,
    plots.far_max,
    plots.coverage_min,
    plots.green_max,
    plots.land_user,
    plots.supplied_on,
    plots.land_price_wan,
    plots.agreed_start,
    plots.actual_start,
    plots.stalled_since,
    plots.built_ratio,
    plots.invested_wan,
    plots.planned_investment_wan,
    plots.output_wan,
    plots.tax_wan,
    plots.geom,
    plots.area_m2,
    plots.area_mu,
    plots.version,
    plots.updated_at,
    plots.anchor
   FROM history.plots
  WHERE ((plots.updated_at <= public.asof_instant()) AND (plots.valid_to > public.asof_instant()));

--
-- Name: project_plots; Type: TABLE; Schema: history; Owner: -
--

CREATE TABLE history.project_plots (
    project_id bigint NOT NULL,
    plot_id bigint NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    valid_to timestamp with time zone NOT NULL
);

--
-- Name: project_plots; Type: VIEW; Schema: asof; Owner: -
--

CREATE VIEW asof.project_plots AS
 SELECT project_plots.project_id,
    project_plots.plot_id,
    project_plots.updated_at
   FROM history.project_plots
  WHERE ((project_plots.updated_at <= public.asof_instant()) AND (project_plots.valid_to > public.asof_instant()));

--
-- Name: projects; Type: TABLE; Schema: history; Owner: -
--

CREATE TABLE history.projects (
    id bigint NOT NULL,
    name text NOT NULL,
    investor text,
    industry text NOT NULL,
    land_use text,
    demand_mu double precision NOT NULL,
    investment_wan double precision,
    output_wan double precision,
    tax_wan double precision,
    stage text NOT NULL,
    park_id text,
    requirements jsonb NOT NULL,
    source text,
    version integer NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    land_as_given text,
    revenue_wan double precision,
    build_from smallint,
    build_to smallint,
    note text,
    valid_to timestamp with time zone NOT NULL
);

--
-- Name: projects; Type: VIEW; Schema: asof; Owner: -
--

CREATE VIEW asof.projects AS
 SELECT projects.id,
    projects.name,
    projects.investor,
    projects.industry,
    projects.land_use,
    projects.demand_mu,
    projects.investment_wan,
    projects.output_wan,
    projects.tax_wan,
    projects.stage,
    projects.park_id,
    projects.requirements,
    projects.source,
    projects.version,
    projects.updated_at,
    projects.land_as_given,
    projects.revenue_wan,
    projects.build_from,
    projects.build_to,
    projects.note
   FROM history.projects
  WHERE ((projects.updated_at <= public.asof_instant()) AND (projects.valid_to > public.asof_instant()));

--
-- Name: roads; Type: TABLE; Schema: history; Owner: -
--

CREATE TABLE history.roads (
    id bigint NOT NULL,
    class text NOT NULL,
    name text,
    speed_kmh double precision NOT NULL,
    oneway boolean NOT NULL,
    geom public.geometry(LineString,4326) NOT NULL,
    length_m double precision,
    cost_s double precision,
    reverse_cost_s double precision,
    source bigint,
    target bigint,
    version integer NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    status text NOT NULL,
    opens_on date,
    valid_to timestamp with time zone NOT NULL
);

--
-- Name: roads; Type: VIEW; Schema: asof; Owner: -
--

CREATE VIEW asof.roads AS
 SELECT roads.id,
    roads.class,
    roads.name,
    roads.speed_kmh,
    roads.oneway,
    roads.geom,
    roads.length_m,
    roads.cost_s,
    roads.reverse_cost_s,
    roads.source,
    roads.target,
    roads.version,
    roads.updated_at,
    roads.status,
    roads.opens_on
   FROM history.roads
  WHERE ((roads.updated_at <= public.asof_instant()) AND (roads.valid_to > public.asof_instant()));

--
-- Name: targets; Type: TABLE; Schema: history; Owner: -
--

CREATE TABLE history.targets (
    id bigint NOT NULL,
    park_id text NOT NULL,
    year smallint NOT NULL,
    indicator text NOT NULL,
    industry text,
    value double precision NOT NULL,
    unit text NOT NULL,
    basis text NOT NULL,
    bound text NOT NULL,
    projection boolean NOT NULL,
    label_zh text NOT NULL,
    source text NOT NULL,
    version integer NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    valid_to timestamp with time zone NOT NULL
);

--
-- Name: targets; Type: VIEW; Schema: asof; Owner: -
--

CREATE VIEW asof.targets AS
 SELECT targets.id,
    targets.park_id,
    targets.year,
    targets.indicator,
    targets.industry,
    targets.value,
    targets.unit,
    targets.basis,
    targets.bound,
    targets.projection,
    targets.label_zh,
    targets.source,
    targets.version,
    targets.updated_at
   FROM history.targets
  WHERE ((targets.updated_at <= public.asof_instant()) AND (targets.valid_to > public.asof_instant()));

--
-- Name: transport_nodes; Type: TABLE; Schema: history; Owner: -
--

CREATE TABLE history.transport_nodes (
    id text NOT NULL,
    kind text NOT NULL,
    name_zh text NOT NULL,
    name_en text,
    status text NOT NULL,
    line text,
    geom public.geometry(Point,4326) NOT NULL,
    version integer NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    opens_on date,
    source text,
    valid_to timestamp with time zone NOT NULL
);

--
-- Name: transport_nodes; Type: VIEW; Schema: asof; Owner: -
--

CREATE VIEW asof.transport_nodes AS
 SELECT transport_nodes.id,
    transport_nodes.kind,
    transport_nodes.name_zh,
    transport_nodes.name_en,
    transport_nodes.status,
    transport_nodes.line,
    transport_nodes.geom,
    transport_nodes.version,
    transport_nodes.updated_at,
    transport_nodes.opens_on,
    transport_nodes.source
   FROM history.transport_nodes
  WHERE ((transport_nodes.updated_at <= public.asof_instant()) AND (transport_nodes.valid_to > public.asof_instant()));

--
-- Name: zones; Type: TABLE; Schema: history; Owner: -
--

CREATE TABLE history.zones (
    id text NOT NULL,
    name_zh text NOT NULL,
    name_en text,
    city text NOT NULL,
    source text,
    version integer NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    valid_to timestamp with time zone NOT NULL
);

--
-- Name: zones; Type: VIEW; Schema: asof; Owner: -
--

CREATE VIEW asof.zones AS
 SELECT zones.id,
    zones.name_zh,
    zones.name_en,
    zones.city,
    zones.source,
    zones.version,
    zones.updated_at
   FROM history.zones
  WHERE ((zones.updated_at <= public.asof_instant()) AND (zones.valid_to > public.asof_instant()));

--
-- Name: _sqlx_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public._sqlx_migrations (
    version bigint NOT NULL,
    description text NOT NULL,
    installed_on timestamp with time zone DEFAULT now() NOT NULL,
    success boolean NOT NULL,
    checksum bytea NOT NULL,
    execution_time bigint NOT NULL
);

--
-- Name: api_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_tokens (
    id bigint NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone,
    blind_writes boolean DEFAULT false NOT NULL,
    CONSTRAINT api_tokens_name_check CHECK ((btrim(name) <> ''::text)),
    CONSTRAINT api_tokens_role_check CHECK ((role = ANY (ARRAY['viewer'::text, 'editor'::text, 'admin'::text])))
);

--
-- Name: api_tokens_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.api_tokens ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.api_tokens_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_log (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT public.version_stamp() NOT NULL,
    actor text NOT NULL,
    table_name text NOT NULL,
    row_id text NOT NULL,
    action text NOT NULL,
    before jsonb,
    after jsonb,
    blind boolean DEFAULT false NOT NULL,
    CONSTRAINT audit_log_action_check CHECK ((action = ANY (ARRAY['insert'::text, 'update'::text, 'delete'::text]))),
    CONSTRAINT audit_log_check CHECK (((action = 'insert'::text) = (before IS NULL))),
    CONSTRAINT audit_log_check1 CHECK (((action = 'delete'::text) = (after IS NULL)))
);

--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.audit_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: change_counters; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.change_counters (
    table_name text NOT NULL,
    changes bigint DEFAULT 0 NOT NULL,
    changed_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: constraints; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.constraints (
    id bigint NOT NULL,
    kind text NOT NULL,
    name text NOT NULL,
    geom public.geometry(MultiPolygon,4326) NOT NULL,
    area_m2 double precision GENERATED ALWAYS AS (public.st_area((geom)::public.geography)) STORED,
    version integer DEFAULT 1 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT constraint_geom_valid CHECK ((public.st_isvalid(geom) AND (NOT public.st_isempty(geom)))),
    CONSTRAINT constraints_kind_check CHECK ((kind = ANY (ARRAY['ecological_redline'::text, 'permanent_farmland'::text, 'flood'::text, 'water_source'::text]))),
    CONSTRAINT constraints_name_check CHECK ((btrim(name) <> ''::text))
);

--
-- Name: constraints_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.constraints ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.constraints_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: idle_records; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.idle_records (
    id bigint NOT NULL,
    plot_id bigint NOT NULL,
    kind text NOT NULL,
    cause text NOT NULL,
    found_on date NOT NULL,
    idle_since date,
    measure text,
    measure_status text DEFAULT 'pending'::text NOT NULL,
    fee_wan double precision,
    note text,
    version integer DEFAULT 1 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT idle_records_cause_check CHECK ((cause = ANY (ARRAY['user'::text, 'government'::text, 'funding'::text, 'market'::text, 'planning_change'::text, 'land_not_ready'::text, 'other'::text]))),
    CONSTRAINT idle_records_fee_wan_check CHECK ((fee_wan >= (0)::double precision)),
    CONSTRAINT idle_records_kind_check CHECK ((kind = ANY (ARRAY['idle'::text, 'inefficient'::text, 'approved_unsupplied'::text]))),
    CONSTRAINT idle_records_measure_check CHECK ((measure = ANY (ARRAY['idle_fee'::text, 'take_back_uncompensated'::text, 'extend_start'::text, 'change_use'::text, 'temporary_use'::text, 'take_back_compensated'::text, 'land_swap'::text, 'negotiated_take_back'::text, 're_tender'::text, 'added_investment'::text, 'conversion'::text, 'agreed_swap'::text, 'joint_operation'::text, 'supply'::text, 'return_quota'::text]))),
    CONSTRAINT idle_records_measure_status_check CHECK ((measure_status = ANY (ARRAY['pending'::text, 'in_progress'::text, 'done'::text]))),
    CONSTRAINT idle_since_before_found CHECK (((idle_since IS NULL) OR (idle_since <= found_on)))
);

--
-- Name: idle_records_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.idle_records ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.idle_records_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: jobs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.jobs (
    id bigint NOT NULL,
    kind text NOT NULL,
    actor text NOT NULL,
    state text DEFAULT 'running'::text NOT NULL,
    params jsonb DEFAULT '{}'::jsonb NOT NULL,
    done integer DEFAULT 0 NOT NULL,
    total integer,
    report jsonb,
    error text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    seen_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    CONSTRAINT jobs_done_check CHECK ((done >= 0)),
    CONSTRAINT jobs_ended_when_done CHECK (((state = 'running'::text) = (finished_at IS NULL))),
    CONSTRAINT jobs_kind_check CHECK ((kind = 'import'::text)),
    CONSTRAINT jobs_state_check CHECK ((state = ANY (ARRAY['running'::text, 'done'::text, 'failed'::text]))),
    CONSTRAINT jobs_total_check CHECK ((total >= 0))
);

--
-- Name: jobs_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.jobs ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.jobs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: land_statuses; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.land_statuses (
    code text NOT NULL,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    ord smallint NOT NULL
);

--
-- Name: land_use_codes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.land_use_codes (
    code text NOT NULL,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    parent text,
    gb50137 text,
    CONSTRAINT land_use_codes_code_check CHECK ((code ~ '^[0-9]{2}([0-9]{2}){0,2}$'::text)),
    CONSTRAINT land_use_codes_name_en_check CHECK ((btrim(name_en) <> ''::text)),
    CONSTRAINT land_use_codes_name_zh_check CHECK ((btrim(name_zh) <> ''::text)),
    CONSTRAINT land_use_parent_is_prefix CHECK ((((length(code) = 2) AND (parent IS NULL)) OR ((length(code) > 2) AND (parent = "left"(code, (length(code) - 2))))))
);

--
-- Name: node_vertices; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.node_vertices (
    node_id text NOT NULL,
    vid bigint NOT NULL,
    leg_m double precision NOT NULL
);

--
-- Name: parks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.parks (
    id text NOT NULL,
    name_zh text NOT NULL,
    name_en text,
    level text NOT NULL,
    city text NOT NULL,
    county text,
    towns text[] DEFAULT '{}'::text[] NOT NULL,
    partner_city text,
    leading_industries text[] DEFAULT '{}'::text[] NOT NULL,
    planned_area_km2 double precision,
    infrastructure text[] DEFAULT '{}'::text[] NOT NULL,
    utilities jsonb DEFAULT '{}'::jsonb NOT NULL,
    established date,
    targets_before_0019 jsonb DEFAULT '{}'::jsonb NOT NULL,
    source text,
    boundary public.geometry(MultiPolygon,4326),
    area_m2 double precision GENERATED ALWAYS AS (public.st_area((boundary)::public.geography)) STORED,
    version integer DEFAULT 1 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    zone_id text,
    cultivated_industries text[] DEFAULT '{}'::text[] NOT NULL,
    estimated text[] DEFAULT '{}'::text[] NOT NULL,
    CONSTRAINT park_boundary_not_empty CHECK ((NOT public.st_isempty(boundary))),
    CONSTRAINT park_boundary_valid CHECK (public.st_isvalid(boundary)),
    CONSTRAINT parks_city_check CHECK ((btrim(city) <> ''::text)),
    CONSTRAINT parks_id_check CHECK ((id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$'::text)),
    CONSTRAINT parks_infrastructure_check CHECK ((infrastructure <@ ARRAY['road'::text, 'water_supply'::text, 'drainage'::text, 'power'::text, 'telecom'::text, 'gas'::text, 'public_transport'::text, 'site_levelling'::text, 'heat'::text, 'steam'::text, 'rainwater'::text, 'sewage'::text])),
    CONSTRAINT parks_level_check CHECK ((level = ANY (ARRAY['main_platform'::text, 'cooperation_park'::text, 'county_park'::text, 'other'::text]))),
    CONSTRAINT parks_name_zh_check CHECK ((btrim(name_zh) <> ''::text)),
    CONSTRAINT parks_planned_area_km2_check CHECK ((planned_area_km2 > (0)::double precision)),
    CONSTRAINT parks_targets_check CHECK ((jsonb_typeof(targets_before_0019) = 'object'::text)),
    CONSTRAINT parks_utilities_check CHECK ((jsonb_typeof(utilities) = 'object'::text))
);

--
-- Name: COLUMN parks.targets_before_0019; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.parks.targets_before_0019 IS 'parks.targets as it stood before migration 0019 moved targets to the targets table; kept for an admin to copy figures from, read by nothing';

--
-- Name: plot_changes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plot_changes (
    seq bigint NOT NULL,
    xid xid8 DEFAULT pg_current_xact_id() NOT NULL,
    plot_id bigint
);

--
-- Name: plot_changes_pruned; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plot_changes_pruned (
    one boolean DEFAULT true NOT NULL,
    below xid8 NOT NULL,
    CONSTRAINT plot_changes_pruned_one_check CHECK (one)
);

--
-- Name: plot_changes_seq_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.plot_changes ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.plot_changes_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: plot_lineage; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plot_lineage (
    parent_id bigint NOT NULL,
    child_id bigint NOT NULL,
    kind text NOT NULL,
    at timestamp with time zone DEFAULT public.version_stamp() NOT NULL,
    CONSTRAINT plot_lineage_check CHECK ((parent_id <> child_id)),
    CONSTRAINT plot_lineage_kind_check CHECK ((kind = ANY (ARRAY['split'::text, 'merge'::text])))
);

--
-- Name: plots; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plots (
    id bigint NOT NULL,
    park_id text NOT NULL,
    code text NOT NULL,
    land_use text NOT NULL,
    status text NOT NULL,
    far_min double precision,
    far_max double precision,
    coverage_min double precision,
    green_max double precision,
    land_user text,
    supplied_on date,
    land_price_wan double precision,
    agreed_start date,
    actual_start date,
    stalled_since date,
    built_ratio double precision,
    invested_wan double precision,
    planned_investment_wan double precision,
    output_wan double precision,
    tax_wan double precision,
    geom public.geometry(MultiPolygon,4326) NOT NULL,
    area_m2 double precision GENERATED ALWAYS AS (public.st_area((geom)::public.geography)) STORED,
    area_mu double precision GENERATED ALWAYS AS (((public.st_area((geom)::public.geography) * (15.0)::double precision) / (10000.0)::double precision)) STORED,
    version integer DEFAULT 1 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    anchor public.geometry(Point,4326) GENERATED ALWAYS AS (public.st_pointonsurface(geom)) STORED,
    CONSTRAINT plot_far_range CHECK (((far_min IS NULL) OR (far_max IS NULL) OR (far_min <= far_max))),
    CONSTRAINT plot_geom_not_empty CHECK ((NOT public.st_isempty(geom))),
    CONSTRAINT plot_geom_valid CHECK (public.st_isvalid(geom)),
    CONSTRAINT plot_stalled_after_start CHECK (((stalled_since IS NULL) OR ((actual_start IS NOT NULL) AND (stalled_since >= actual_start)))),
    CONSTRAINT plot_supplied_has_user CHECK (
CASE
    WHEN (status = ANY (ARRAY['supplied'::text, 'under_construction'::text, 'in_production'::text, 'idle'::text, 'inefficient'::text])) THEN ((land_user IS NOT NULL) AND (supplied_on IS NOT NULL))
    ELSE (land_user IS NULL)
END),
    CONSTRAINT plots_built_ratio_check CHECK (((built_ratio >= (0)::double precision) AND (built_ratio <= (1)::double precision))),
    CONSTRAINT plots_code_check CHECK ((btrim(code) <> ''::text)),
    CONSTRAINT plots_coverage_min_check CHECK (((coverage_min >= (0)::double precision) AND (coverage_min <= (1)::double precision))),
    CONSTRAINT plots_far_max_check CHECK ((far_max > (0)::double precision)),
    CONSTRAINT plots_far_min_check CHECK ((far_min >= (0)::double precision)),
    CONSTRAINT plots_green_max_check CHECK (((green_max >= (0)::double precision) AND (green_max <= (1)::double precision))),
    CONSTRAINT plots_invested_wan_check CHECK ((invested_wan >= (0)::double precision)),
    CONSTRAINT plots_land_price_wan_check CHECK ((land_price_wan >= (0)::double precision)),
    CONSTRAINT plots_output_wan_check CHECK ((output_wan >= (0)::double precision)),
    CONSTRAINT plots_planned_investment_wan_check CHECK ((planned_investment_wan >= (0)::double precision)),
    CONSTRAINT plots_tax_wan_check CHECK ((tax_wan >= (0)::double precision))
);

--
-- Name: plots_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.plots ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.plots_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: project_plots; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_plots (
    project_id bigint NOT NULL,
    plot_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: projects; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.projects (
    id bigint NOT NULL,
    name text NOT NULL,
    investor text,
    industry text NOT NULL,
    land_use text,
    demand_mu double precision NOT NULL,
    investment_wan double precision,
    output_wan double precision,
    tax_wan double precision,
    stage text NOT NULL,
    park_id text,
    requirements jsonb DEFAULT '{}'::jsonb NOT NULL,
    source text,
    version integer DEFAULT 1 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    land_as_given text,
    revenue_wan double precision,
    build_from smallint,
    build_to smallint,
    note text,
    CONSTRAINT project_build_years CHECK (((build_from IS NULL) OR (build_to IS NULL) OR (build_from <= build_to))),
    CONSTRAINT projects_build_from_check CHECK (((build_from >= 1990) AND (build_from <= 2100))),
    CONSTRAINT projects_build_to_check CHECK (((build_to >= 1990) AND (build_to <= 2100))),
    CONSTRAINT projects_demand_mu_check CHECK ((demand_mu > (0)::double precision)),
    CONSTRAINT projects_industry_check CHECK ((btrim(industry) <> ''::text)),
    CONSTRAINT projects_investment_wan_check CHECK ((investment_wan >= (0)::double precision)),
    CONSTRAINT projects_name_check CHECK ((btrim(name) <> ''::text)),
    CONSTRAINT projects_output_wan_check CHECK ((output_wan >= (0)::double precision)),
    CONSTRAINT projects_requirements_check CHECK ((jsonb_typeof(requirements) = 'object'::text)),
    CONSTRAINT projects_revenue_wan_check CHECK ((revenue_wan >= (0)::double precision)),
    CONSTRAINT projects_stage_check CHECK ((stage = ANY (ARRAY['negotiating'::text, 'signed'::text, 'landed'::text]))),
    CONSTRAINT projects_tax_wan_check CHECK ((tax_wan >= (0)::double precision))
);

--
-- Name: projects_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.projects ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.projects_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: road_access; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.road_access (
    vid bigint NOT NULL,
    node_id text NOT NULL,
    seconds double precision NOT NULL,
    road_m double precision NOT NULL,
    CONSTRAINT road_access_road_m_check CHECK ((road_m >= (0)::double precision)),
    CONSTRAINT road_access_seconds_check CHECK ((seconds >= (0)::double precision))
);

--
-- Name: road_vertices; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.road_vertices (
    id bigint NOT NULL,
    geom public.geometry(Point,4326) NOT NULL
);

--
-- Name: road_vertices_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.road_vertices ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.road_vertices_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: roads; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roads (
    id bigint NOT NULL,
    class text NOT NULL,
    name text,
    speed_kmh double precision NOT NULL,
    oneway boolean DEFAULT false NOT NULL,
    geom public.geometry(LineString,4326) NOT NULL,
    length_m double precision GENERATED ALWAYS AS (public.st_length((geom)::public.geography)) STORED,
    cost_s double precision GENERATED ALWAYS AS (((public.st_length((geom)::public.geography) * (3.6)::double precision) / speed_kmh)) STORED,
    reverse_cost_s double precision GENERATED ALWAYS AS (
CASE
    WHEN oneway THEN ('-1'::integer)::double precision
    ELSE ((public.st_length((geom)::public.geography) * (3.6)::double precision) / speed_kmh)
END) STORED,
    source bigint,
    target bigint,
    version integer DEFAULT 1 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    status text DEFAULT 'existing'::text NOT NULL,
    opens_on date,
    CONSTRAINT road_geom_valid CHECK ((public.st_isvalid(geom) AND (NOT public.st_isempty(geom)) AND (public.st_npoints(geom) >= 2))),
    CONSTRAINT roads_class_check CHECK ((class = ANY (ARRAY['expressway'::text, 'national'::text, 'provincial'::text, 'county'::text, 'estate'::text, 'access'::text]))),
    CONSTRAINT roads_opens_on_check CHECK (((opens_on IS NULL) OR ((status <> 'existing'::text) AND ((opens_on >= '1900-01-01'::date) AND (opens_on <= '2100-12-31'::date))))),
    CONSTRAINT roads_speed_kmh_check CHECK (((speed_kmh > (0)::double precision) AND (speed_kmh <= (130)::double precision))),
    CONSTRAINT roads_status_check CHECK ((status = ANY (ARRAY['existing'::text, 'under_construction'::text, 'planned'::text])))
);

--
-- Name: roads_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.roads ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.roads_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: targets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.targets (
    id bigint NOT NULL,
    park_id text NOT NULL,
    year smallint NOT NULL,
    indicator text NOT NULL,
    industry text,
    value double precision NOT NULL,
    unit text NOT NULL,
    basis text NOT NULL,
    bound text DEFAULT 'exact'::text NOT NULL,
    projection boolean NOT NULL,
    label_zh text NOT NULL,
    source text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT target_cluster_has_industry CHECK (((indicator = 'cluster_output'::text) = (industry IS NOT NULL))),
    CONSTRAINT targets_basis_check CHECK ((basis = ANY (ARRAY['cumulative'::text, 'new_in_year'::text, 'annual'::text, 'unstated'::text]))),
    CONSTRAINT targets_bound_check CHECK ((bound = ANY (ARRAY['exact'::text, 'at_least'::text]))),
    CONSTRAINT targets_indicator_check CHECK ((indicator = ANY (ARRAY['projects_over_100m_yuan'::text, 'projects'::text, 'investment'::text, 'industrial_investment'::text, 'tax'::text, 'output'::text, 'industrial_output'::text, 'value_added'::text, 'cluster_output'::text]))),
    CONSTRAINT targets_label_zh_check CHECK ((btrim(label_zh) <> ''::text)),
    CONSTRAINT targets_source_check CHECK ((btrim(source) <> ''::text)),
    CONSTRAINT targets_unit_check CHECK ((unit = ANY (ARRAY['个'::text, '家'::text, '万元'::text, '亿元'::text]))),
    CONSTRAINT targets_value_check CHECK ((value >= (0)::double precision)),
    CONSTRAINT targets_year_check CHECK (((year >= 2000) AND (year <= 2100)))
);

--
-- Name: targets_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.targets ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.targets_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: transport_nodes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.transport_nodes (
    id text NOT NULL,
    kind text NOT NULL,
    name_zh text NOT NULL,
    name_en text,
    status text DEFAULT 'existing'::text NOT NULL,
    line text,
    geom public.geometry(Point,4326) NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    opens_on date,
    source text,
    CONSTRAINT transport_nodes_geom_check CHECK ((NOT public.st_isempty(geom))),
    CONSTRAINT transport_nodes_id_check CHECK ((id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$'::text)),
    CONSTRAINT transport_nodes_kind_check CHECK ((kind = ANY (ARRAY['highway_interchange'::text, 'rail_station'::text, 'rail_freight'::text, 'port'::text, 'airport'::text]))),
    CONSTRAINT transport_nodes_name_zh_check CHECK ((btrim(name_zh) <> ''::text)),
    CONSTRAINT transport_nodes_opens_on_check CHECK (((opens_on IS NULL) OR ((status <> 'existing'::text) AND ((opens_on >= '1900-01-01'::date) AND (opens_on <= '2100-12-31'::date))))),
    CONSTRAINT transport_nodes_status_check CHECK ((status = ANY (ARRAY['existing'::text, 'under_construction'::text, 'planned'::text])))
);

--
-- Name: version_clock; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.version_clock (
    one boolean DEFAULT true NOT NULL,
    last timestamp with time zone DEFAULT '-infinity'::timestamp with time zone NOT NULL,
    CONSTRAINT version_clock_one_check CHECK (one)
);

--
-- Name: zones; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.zones (
    id text NOT NULL,
    name_zh text NOT NULL,
    name_en text,
    city text NOT NULL,
    source text,
    version integer DEFAULT 1 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT zones_city_check CHECK ((btrim(city) <> ''::text)),
    CONSTRAINT zones_id_check CHECK ((id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$'::text)),
    CONSTRAINT zones_name_zh_check CHECK ((btrim(name_zh) <> ''::text))
);

--
-- Name: _sqlx_migrations _sqlx_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._sqlx_migrations
    ADD CONSTRAINT _sqlx_migrations_pkey PRIMARY KEY (version);

--
-- Name: api_tokens api_tokens_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_name_key UNIQUE (name);

--
-- Name: api_tokens api_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);

--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);

--
-- Name: change_counters change_counters_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.change_counters
    ADD CONSTRAINT change_counters_pkey PRIMARY KEY (table_name);

--
-- Name: constraints constraints_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.constraints
    ADD CONSTRAINT constraints_pkey PRIMARY KEY (id);

--
-- Name: idle_records idle_records_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.idle_records
    ADD CONSTRAINT idle_records_pkey PRIMARY KEY (id);

--
-- Name: jobs jobs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.jobs
    ADD CONSTRAINT jobs_pkey PRIMARY KEY (id);

--
-- Name: land_statuses land_statuses_ord_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.land_statuses
    ADD CONSTRAINT land_statuses_ord_key UNIQUE (ord);

--
-- Name: land_statuses land_statuses_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.land_statuses
    ADD CONSTRAINT land_statuses_pkey PRIMARY KEY (code);

--
-- Name: land_use_codes land_use_codes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.land_use_codes
    ADD CONSTRAINT land_use_codes_pkey PRIMARY KEY (code);

--
-- Name: node_vertices node_vertices_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.node_vertices
    ADD CONSTRAINT node_vertices_pkey PRIMARY KEY (node_id);

--
-- Name: parks parks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.parks
    ADD CONSTRAINT parks_pkey PRIMARY KEY (id);

--
-- Name: plot_changes plot_changes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plot_changes
    ADD CONSTRAINT plot_changes_pkey PRIMARY KEY (seq);

--
-- Name: plot_changes_pruned plot_changes_pruned_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plot_changes_pruned
    ADD CONSTRAINT plot_changes_pruned_pkey PRIMARY KEY (one);

--
-- Name: plots plot_code_unique_in_park; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plots
    ADD CONSTRAINT plot_code_unique_in_park UNIQUE (park_id, code);

--
-- Name: plot_lineage plot_lineage_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plot_lineage
    ADD CONSTRAINT plot_lineage_pkey PRIMARY KEY (parent_id, child_id);

--
-- Name: plot_links plot_links_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plot_links
    ADD CONSTRAINT plot_links_pkey PRIMARY KEY (a, b);

--
-- Name: plots plots_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plots
    ADD CONSTRAINT plots_pkey PRIMARY KEY (id);

--
-- Name: project_plots project_plots_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_plots
    ADD CONSTRAINT project_plots_pkey PRIMARY KEY (project_id, plot_id);

--
-- Name: projects projects_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (id);

--
-- Name: road_access road_access_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.road_access
    ADD CONSTRAINT road_access_pkey PRIMARY KEY (vid, node_id);

--
-- Name: road_vertices road_vertices_geom_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.road_vertices
    ADD CONSTRAINT road_vertices_geom_key UNIQUE (geom);

--
-- Name: road_vertices road_vertices_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.road_vertices
    ADD CONSTRAINT road_vertices_pkey PRIMARY KEY (id);

--
-- Name: roads roads_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roads
    ADD CONSTRAINT roads_pkey PRIMARY KEY (id);

--
-- Name: targets targets_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.targets
    ADD CONSTRAINT targets_pkey PRIMARY KEY (id);

--
-- Name: transport_nodes transport_nodes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.transport_nodes
    ADD CONSTRAINT transport_nodes_pkey PRIMARY KEY (id);

--
-- Name: version_clock version_clock_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.version_clock
    ADD CONSTRAINT version_clock_pkey PRIMARY KEY (one);

--
-- Name: zones zones_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.zones
    ADD CONSTRAINT zones_pkey PRIMARY KEY (id);

--
-- Name: constraints_geom_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX constraints_geom_idx ON history.constraints USING gist (geom);

--
-- Name: constraints_key_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX constraints_key_idx ON history.constraints USING btree (id, valid_to);

--
-- Name: constraints_open_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE UNIQUE INDEX constraints_open_idx ON history.constraints USING btree (id) WHERE (valid_to = 'infinity'::timestamp with time zone);

--
-- Name: constraints_updated_at_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX constraints_updated_at_idx ON history.constraints USING btree (updated_at);

--
-- Name: constraints_valid_to_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX constraints_valid_to_idx ON history.constraints USING btree (valid_to);

--
-- Name: idle_records_key_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX idle_records_key_idx ON history.idle_records USING btree (id, valid_to);

--
-- Name: idle_records_open_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE UNIQUE INDEX idle_records_open_idx ON history.idle_records USING btree (id) WHERE (valid_to = 'infinity'::timestamp with time zone);

--
-- Name: idle_records_updated_at_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX idle_records_updated_at_idx ON history.idle_records USING btree (updated_at);

--
-- Name: idle_records_valid_to_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX idle_records_valid_to_idx ON history.idle_records USING btree (valid_to);

--
-- Name: parks_boundary_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX parks_boundary_idx ON history.parks USING gist (boundary);

--
-- Name: parks_key_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX parks_key_idx ON history.parks USING btree (id, valid_to);

--
-- Name: parks_open_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE UNIQUE INDEX parks_open_idx ON history.parks USING btree (id) WHERE (valid_to = 'infinity'::timestamp with time zone);

--
-- Name: parks_updated_at_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX parks_updated_at_idx ON history.parks USING btree (updated_at);

--
-- Name: parks_valid_to_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX parks_valid_to_idx ON history.parks USING btree (valid_to);

--
-- Name: plots_anchor_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX plots_anchor_idx ON history.plots USING gist (anchor);

--
-- Name: plots_geom_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX plots_geom_idx ON history.plots USING gist (geom);

--
-- Name: plots_key_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX plots_key_idx ON history.plots USING btree (id, valid_to);

--
-- Name: plots_open_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE UNIQUE INDEX plots_open_idx ON history.plots USING btree (id) WHERE (valid_to = 'infinity'::timestamp with time zone);

--
-- Name: plots_park_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX plots_park_idx ON history.plots USING btree (park_id);

--
-- Name: plots_updated_at_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX plots_updated_at_idx ON history.plots USING btree (updated_at);

--
-- Name: plots_valid_to_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX plots_valid_to_idx ON history.plots USING btree (valid_to);

--
-- Name: project_plots_key_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX project_plots_key_idx ON history.project_plots USING btree (project_id, plot_id, valid_to);

--
-- Name: project_plots_open_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE UNIQUE INDEX project_plots_open_idx ON history.project_plots USING btree (project_id, plot_id) WHERE (valid_to = 'infinity'::timestamp with time zone);

--
-- Name: project_plots_updated_at_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX project_plots_updated_at_idx ON history.project_plots USING btree (updated_at);

--
-- Name: project_plots_valid_to_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX project_plots_valid_to_idx ON history.project_plots USING btree (valid_to);

--
-- Name: projects_key_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX projects_key_idx ON history.projects USING btree (id, valid_to);

--
-- Name: projects_open_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE UNIQUE INDEX projects_open_idx ON history.projects USING btree (id) WHERE (valid_to = 'infinity'::timestamp with time zone);

--
-- Name: projects_park_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX projects_park_idx ON history.projects USING btree (park_id);

--
-- Name: projects_updated_at_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX projects_updated_at_idx ON history.projects USING btree (updated_at);

--
-- Name: projects_valid_to_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX projects_valid_to_idx ON history.projects USING btree (valid_to);

--
-- Name: roads_geom_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX roads_geom_idx ON history.roads USING gist (geom);

--
-- Name: roads_key_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX roads_key_idx ON history.roads USING btree (id, valid_to);

--
-- Name: roads_open_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE UNIQUE INDEX roads_open_idx ON history.roads USING btree (id) WHERE (valid_to = 'infinity'::timestamp with time zone);

--
-- Name: roads_updated_at_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX roads_updated_at_idx ON history.roads USING btree (updated_at);

--
-- Name: roads_valid_to_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX roads_valid_to_idx ON history.roads USING btree (valid_to);

--
-- Name: targets_key_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX targets_key_idx ON history.targets USING btree (id, valid_to);

--
-- Name: targets_open_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE UNIQUE INDEX targets_open_idx ON history.targets USING btree (id) WHERE (valid_to = 'infinity'::timestamp with time zone);

--
-- Name: targets_park_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX targets_park_idx ON history.targets USING btree (park_id);

--
-- Name: targets_updated_at_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX targets_updated_at_idx ON history.targets USING btree (updated_at);

--
-- Name: targets_valid_to_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX targets_valid_to_idx ON history.targets USING btree (valid_to);

--
-- Name: transport_nodes_geom_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX transport_nodes_geom_idx ON history.transport_nodes USING gist (geom);

--
-- Name: transport_nodes_key_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX transport_nodes_key_idx ON history.transport_nodes USING btree (id, valid_to);

--
-- Name: transport_nodes_open_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE UNIQUE INDEX transport_nodes_open_idx ON history.transport_nodes USING btree (id) WHERE (valid_to = 'infinity'::timestamp with time zone);

--
-- Name: transport_nodes_updated_at_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX transport_nodes_updated_at_idx ON history.transport_nodes USING btree (updated_at);

--
-- Name: transport_nodes_valid_to_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX transport_nodes_valid_to_idx ON history.transport_nodes USING btree (valid_to);

--
-- Name: zones_key_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX zones_key_idx ON history.zones USING btree (id, valid_to);

--
-- Name: zones_open_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE UNIQUE INDEX zones_open_idx ON history.zones USING btree (id) WHERE (valid_to = 'infinity'::timestamp with time zone);

--
-- Name: zones_updated_at_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX zones_updated_at_idx ON history.zones USING btree (updated_at);

--
-- Name: zones_valid_to_idx; Type: INDEX; Schema: history; Owner: -
--

CREATE INDEX zones_valid_to_idx ON history.zones USING btree (valid_to);

--
-- Name: audit_log_row_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_log_row_idx ON public.audit_log USING btree (table_name, row_id, at);

--
-- Name: constraints_geom_gix; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX constraints_geom_gix ON public.constraints USING gist (geom);

--
-- Name: constraints_updated_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX constraints_updated_at_idx ON public.constraints USING btree (updated_at);

--
-- Name: idle_records_plot_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idle_records_plot_idx ON public.idle_records USING btree (plot_id);

--
-- Name: idle_records_updated_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idle_records_updated_at_idx ON public.idle_records USING btree (updated_at);

--
-- Name: jobs_running; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX jobs_running ON public.jobs USING btree (seen_at) WHERE (state = 'running'::text);

--
-- Name: parks_boundary_gix; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX parks_boundary_gix ON public.parks USING gist (boundary);

--
-- Name: parks_updated_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX parks_updated_at_idx ON public.parks USING btree (updated_at);

--
-- Name: parks_zone_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX parks_zone_idx ON public.parks USING btree (zone_id);

--
-- Name: plot_changes_xid_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX plot_changes_xid_idx ON public.plot_changes USING btree (xid);

--
-- Name: plot_lineage_child_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX plot_lineage_child_idx ON public.plot_lineage USING btree (child_id);

--
-- Name: plot_links_b_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX plot_links_b_idx ON public.plot_links USING btree (b);

--
-- Name: plot_links_bridge_gix; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX plot_links_bridge_gix ON public.plot_links USING gist (bridge);

--
-- Name: plots_anchor_gix; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX plots_anchor_gix ON public.plots USING gist (anchor);

--
-- Name: plots_geom_gix; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX plots_geom_gix ON public.plots USING gist (geom);

--
-- Name: plots_park_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX plots_park_status_idx ON public.plots USING btree (park_id, status);

--
-- Name: plots_updated_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX plots_updated_at_idx ON public.plots USING btree (updated_at);

--
-- Name: project_plots_one_project; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX project_plots_one_project ON public.project_plots USING btree (plot_id);

--
-- Name: project_plots_plot_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX project_plots_plot_idx ON public.project_plots USING btree (plot_id);

--
-- Name: projects_updated_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX projects_updated_at_idx ON public.projects USING btree (updated_at);

--
-- Name: road_vertices_geom_gix; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX road_vertices_geom_gix ON public.road_vertices USING gist (geom);

--
-- Name: roads_geom_gix; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX roads_geom_gix ON public.roads USING gist (geom);

--
-- Name: roads_source_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX roads_source_idx ON public.roads USING btree (source);

--
-- Name: roads_target_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX roads_target_idx ON public.roads USING btree (target);

--
-- Name: roads_updated_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX roads_updated_at_idx ON public.roads USING btree (updated_at);

--
-- Name: targets_park_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX targets_park_idx ON public.targets USING btree (park_id, year);

--
-- Name: targets_updated_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX targets_updated_at_idx ON public.targets USING btree (updated_at);

--
-- Name: transport_nodes_geom_gix; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX transport_nodes_geom_gix ON public.transport_nodes USING gist (geom);

--
-- Name: transport_nodes_updated_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX transport_nodes_updated_at_idx ON public.transport_nodes USING btree (updated_at);

--
-- Name: zones_updated_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX zones_updated_at_idx ON public.zones USING btree (updated_at);

--
-- Name: constraints constraints_count_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER constraints_count_change AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.constraints FOR EACH STATEMENT EXECUTE FUNCTION public.count_change();

--
-- Name: constraints constraints_keep_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER constraints_keep_version AFTER INSERT OR DELETE OR UPDATE ON public.constraints FOR EACH ROW EXECUTE FUNCTION history.keep_constraints();

--
-- Name: constraints constraints_stamp; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER constraints_stamp BEFORE INSERT ON public.constraints FOR EACH ROW EXECUTE FUNCTION public.stamp_new_row();

--
-- Name: constraints constraints_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER constraints_version BEFORE UPDATE ON public.constraints FOR EACH ROW EXECUTE FUNCTION public.bump_version();

--
-- Name: idle_records idle_records_count_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER idle_records_count_change AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.idle_records FOR EACH STATEMENT EXECUTE FUNCTION public.count_change();

--
-- Name: idle_records idle_records_keep_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER idle_records_keep_version AFTER INSERT OR DELETE OR UPDATE ON public.idle_records FOR EACH ROW EXECUTE FUNCTION history.keep_idle_records();

--
-- Name: idle_records idle_records_stamp; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER idle_records_stamp BEFORE INSERT ON public.idle_records FOR EACH ROW EXECUTE FUNCTION public.stamp_new_row();

--
-- Name: idle_records idle_records_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER idle_records_version BEFORE UPDATE ON public.idle_records FOR EACH ROW EXECUTE FUNCTION public.bump_version();

--
-- Name: land_statuses land_statuses_count_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER land_statuses_count_change AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.land_statuses FOR EACH STATEMENT EXECUTE FUNCTION public.count_change();

--
-- Name: land_use_codes land_use_codes_count_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER land_use_codes_count_change AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.land_use_codes FOR EACH STATEMENT EXECUTE FUNCTION public.count_change();

--
-- Name: parks parks_count_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER parks_count_change AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.parks FOR EACH STATEMENT EXECUTE FUNCTION public.count_change();

--
-- Name: parks parks_keep_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER parks_keep_version AFTER INSERT OR DELETE OR UPDATE ON public.parks FOR EACH ROW EXECUTE FUNCTION history.keep_parks();

--
-- Name: parks parks_stamp; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER parks_stamp BEFORE INSERT ON public.parks FOR EACH ROW EXECUTE FUNCTION public.stamp_new_row();

--
-- Name: parks parks_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER parks_version BEFORE UPDATE ON public.parks FOR EACH ROW EXECUTE FUNCTION public.bump_version();

--
-- Name: plots plot_links_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plot_links_insert AFTER INSERT ON public.plots REFERENCING NEW TABLE AS new_plots FOR EACH STATEMENT EXECUTE FUNCTION public.plot_links_after_insert();

--
-- Name: plot_links plot_links_log_deletes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plot_links_log_deletes AFTER DELETE ON public.plot_links REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.plot_links_log_changes();

--
-- Name: plot_links plot_links_log_inserts; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plot_links_log_inserts AFTER INSERT ON public.plot_links REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.plot_links_log_changes();

--
-- Name: plot_links plot_links_log_truncates; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plot_links_log_truncates AFTER TRUNCATE ON public.plot_links FOR EACH STATEMENT EXECUTE FUNCTION public.plot_links_log_changes();

--
-- Name: plot_links plot_links_log_updates; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plot_links_log_updates AFTER UPDATE ON public.plot_links REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.plot_links_log_changes();

--
-- Name: plots plot_links_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plot_links_update AFTER UPDATE ON public.plots REFERENCING OLD TABLE AS old_plots NEW TABLE AS new_plots FOR EACH STATEMENT EXECUTE FUNCTION public.plot_links_after_update();

--
-- Name: plots plots_count_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plots_count_change AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.plots FOR EACH STATEMENT EXECUTE FUNCTION public.count_change();

--
-- Name: plots plots_keep_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plots_keep_version AFTER INSERT OR DELETE OR UPDATE ON public.plots FOR EACH ROW EXECUTE FUNCTION history.keep_plots();

--
-- Name: plots plots_log_deletes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plots_log_deletes AFTER DELETE ON public.plots REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.plots_log_changes();

--
-- Name: plots plots_log_inserts; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plots_log_inserts AFTER INSERT ON public.plots REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.plots_log_changes();

--
-- Name: plots plots_log_truncates; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plots_log_truncates AFTER TRUNCATE ON public.plots FOR EACH STATEMENT EXECUTE FUNCTION public.plots_log_changes();

--
-- Name: plots plots_log_updates; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plots_log_updates AFTER UPDATE ON public.plots REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.plots_log_changes();

--
-- Name: plots plots_stamp; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plots_stamp BEFORE INSERT ON public.plots FOR EACH ROW EXECUTE FUNCTION public.stamp_new_row();

--
-- Name: plots plots_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plots_version BEFORE UPDATE ON public.plots FOR EACH ROW EXECUTE FUNCTION public.bump_version();

--
-- Name: project_plots project_plots_count_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER project_plots_count_change AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.project_plots FOR EACH STATEMENT EXECUTE FUNCTION public.count_change();

--
-- Name: project_plots project_plots_keep_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER project_plots_keep_version AFTER INSERT OR DELETE OR UPDATE ON public.project_plots FOR EACH ROW EXECUTE FUNCTION history.keep_project_plots();

--
-- Name: project_plots project_plots_stamp; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER project_plots_stamp BEFORE INSERT OR UPDATE ON public.project_plots FOR EACH ROW EXECUTE FUNCTION public.stamp_new_row();

--
-- Name: projects projects_count_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER projects_count_change AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.projects FOR EACH STATEMENT EXECUTE FUNCTION public.count_change();

--
-- Name: projects projects_keep_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER projects_keep_version AFTER INSERT OR DELETE OR UPDATE ON public.projects FOR EACH ROW EXECUTE FUNCTION history.keep_projects();

--
-- Name: projects projects_stamp; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER projects_stamp BEFORE INSERT ON public.projects FOR EACH ROW EXECUTE FUNCTION public.stamp_new_row();

--
-- Name: projects projects_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER projects_version BEFORE UPDATE ON public.projects FOR EACH ROW EXECUTE FUNCTION public.bump_version();

--
-- Name: roads roads_count_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roads_count_change AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.roads FOR EACH STATEMENT EXECUTE FUNCTION public.count_change();

--
-- Name: roads roads_drop_loose_vertices; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roads_drop_loose_vertices AFTER DELETE OR UPDATE ON public.roads FOR EACH STATEMENT EXECUTE FUNCTION public.roads_drop_loose_vertices();

--
-- Name: roads roads_join_network; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roads_join_network BEFORE INSERT OR UPDATE OF geom, status ON public.roads FOR EACH ROW EXECUTE FUNCTION public.roads_join_network();

--
-- Name: roads roads_keep_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roads_keep_version AFTER INSERT OR DELETE OR UPDATE ON public.roads FOR EACH ROW EXECUTE FUNCTION history.keep_roads();

--
-- Name: roads roads_refresh_access; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roads_refresh_access AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.roads FOR EACH STATEMENT EXECUTE FUNCTION public.road_access_after_change();

--
-- Name: roads roads_stamp; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roads_stamp BEFORE INSERT ON public.roads FOR EACH ROW EXECUTE FUNCTION public.stamp_new_row();

--
-- Name: roads roads_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roads_version BEFORE UPDATE ON public.roads FOR EACH ROW EXECUTE FUNCTION public.bump_version();

--
-- Name: targets targets_count_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER targets_count_change AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.targets FOR EACH STATEMENT EXECUTE FUNCTION public.count_change();

--
-- Name: targets targets_keep_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER targets_keep_version AFTER INSERT OR DELETE OR UPDATE ON public.targets FOR EACH ROW EXECUTE FUNCTION history.keep_targets();

--
-- Name: targets targets_stamp; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER targets_stamp BEFORE INSERT ON public.targets FOR EACH ROW EXECUTE FUNCTION public.stamp_new_row();

--
-- Name: targets targets_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER targets_version BEFORE UPDATE ON public.targets FOR EACH ROW EXECUTE FUNCTION public.bump_version();

--
-- Name: transport_nodes transport_nodes_count_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER transport_nodes_count_change AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.transport_nodes FOR EACH STATEMENT EXECUTE FUNCTION public.count_change();

--
-- Name: transport_nodes transport_nodes_keep_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER transport_nodes_keep_version AFTER INSERT OR DELETE OR UPDATE ON public.transport_nodes FOR EACH ROW EXECUTE FUNCTION history.keep_transport_nodes();

--
-- Name: transport_nodes transport_nodes_refresh_access; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER transport_nodes_refresh_access AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.transport_nodes FOR EACH STATEMENT EXECUTE FUNCTION public.road_access_after_change();

--
-- Name: transport_nodes transport_nodes_stamp; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER transport_nodes_stamp BEFORE INSERT ON public.transport_nodes FOR EACH ROW EXECUTE FUNCTION public.stamp_new_row();

--
-- Name: transport_nodes transport_nodes_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER transport_nodes_version BEFORE UPDATE ON public.transport_nodes FOR EACH ROW EXECUTE FUNCTION public.bump_version();

--
-- Name: zones zones_count_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER zones_count_change AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.zones FOR EACH STATEMENT EXECUTE FUNCTION public.count_change();

--
-- Name: zones zones_keep_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER zones_keep_version AFTER INSERT OR DELETE OR UPDATE ON public.zones FOR EACH ROW EXECUTE FUNCTION history.keep_zones();

--
-- Name: zones zones_stamp; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER zones_stamp BEFORE INSERT ON public.zones FOR EACH ROW EXECUTE FUNCTION public.stamp_new_row();

--
-- Name: zones zones_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER zones_version BEFORE UPDATE ON public.zones FOR EACH ROW EXECUTE FUNCTION public.bump_version();

--
-- Name: idle_records idle_records_plot_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.idle_records
    ADD CONSTRAINT idle_records_plot_id_fkey FOREIGN KEY (plot_id) REFERENCES public.plots(id);

--
-- Name: land_use_codes land_use_codes_parent_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.land_use_codes
    ADD CONSTRAINT land_use_codes_parent_fkey FOREIGN KEY (parent) REFERENCES public.land_use_codes(code);

--
-- Name: node_vertices node_vertices_node_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.node_vertices
    ADD CONSTRAINT node_vertices_node_id_fkey FOREIGN KEY (node_id) REFERENCES public.transport_nodes(id) ON UPDATE CASCADE ON DELETE CASCADE;

--
-- Name: node_vertices node_vertices_vid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.node_vertices
    ADD CONSTRAINT node_vertices_vid_fkey FOREIGN KEY (vid) REFERENCES public.road_vertices(id) ON DELETE CASCADE;

--
-- Name: parks parks_zone_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.parks
    ADD CONSTRAINT parks_zone_id_fkey FOREIGN KEY (zone_id) REFERENCES public.zones(id) ON UPDATE CASCADE;

--
-- Name: plot_links plot_links_a_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plot_links
    ADD CONSTRAINT plot_links_a_fkey FOREIGN KEY (a) REFERENCES public.plots(id) ON DELETE CASCADE;

--
-- Name: plot_links plot_links_b_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plot_links
    ADD CONSTRAINT plot_links_b_fkey FOREIGN KEY (b) REFERENCES public.plots(id) ON DELETE CASCADE;

--
-- Name: plots plots_land_use_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plots
    ADD CONSTRAINT plots_land_use_fkey FOREIGN KEY (land_use) REFERENCES public.land_use_codes(code);

--
-- Name: plots plots_park_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plots
    ADD CONSTRAINT plots_park_id_fkey FOREIGN KEY (park_id) REFERENCES public.parks(id) ON UPDATE CASCADE;

--
-- Name: plots plots_status_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plots
    ADD CONSTRAINT plots_status_fkey FOREIGN KEY (status) REFERENCES public.land_statuses(code);

--
-- Name: project_plots project_plots_plot_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_plots
    ADD CONSTRAINT project_plots_plot_id_fkey FOREIGN KEY (plot_id) REFERENCES public.plots(id);

--
-- Name: project_plots project_plots_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_plots
    ADD CONSTRAINT project_plots_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE CASCADE;

--
-- Name: projects projects_land_use_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_land_use_fkey FOREIGN KEY (land_use) REFERENCES public.land_use_codes(code);

--
-- Name: projects projects_park_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_park_id_fkey FOREIGN KEY (park_id) REFERENCES public.parks(id) ON UPDATE CASCADE;

--
-- Name: road_access road_access_node_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.road_access
    ADD CONSTRAINT road_access_node_id_fkey FOREIGN KEY (node_id) REFERENCES public.transport_nodes(id) ON UPDATE CASCADE ON DELETE CASCADE;

--
-- Name: road_access road_access_vid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.road_access
    ADD CONSTRAINT road_access_vid_fkey FOREIGN KEY (vid) REFERENCES public.road_vertices(id) ON DELETE CASCADE;

--
-- Name: roads roads_source_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roads
    ADD CONSTRAINT roads_source_fkey FOREIGN KEY (source) REFERENCES public.road_vertices(id);

--
-- Name: roads roads_target_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roads
    ADD CONSTRAINT roads_target_fkey FOREIGN KEY (target) REFERENCES public.road_vertices(id);

--
-- Name: targets targets_park_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.targets
    ADD CONSTRAINT targets_park_id_fkey FOREIGN KEY (park_id) REFERENCES public.parks(id) ON UPDATE CASCADE;

--
-- PostgreSQL database dump complete
--

