-- Neighbouring plots (0004) measured with the same numbers for less work, and linked
-- safely by writers working side by side.
--
-- Growing a shape for a touching neighbour (gap 0) is the same for every such neighbour,
-- so a plot is grown once for all of them rather than once per pair: two thirds of the
-- pairs of a gridded park touch, and growing was a third of the measuring (a park of
-- 4,096 plots: 805 -> 575 ms, every stored number equal).
--
-- Only pairs that face for at least plot_link_min_facing() (0.5 m) are stored: corner
-- contacts never join, and a test of two boxes (may_face) tells most of them without
-- measuring.
--
-- The rows of links are a function of their own (plot_link_rows), so a bulk load
-- (`parkland bench-data`) can insert them as they are, without the upsert.
--
-- link_plots takes a lock per park, held until the writer commits. Before, two
-- transactions writing neighbouring plots at once each measured against plots the other
-- had not committed yet, and the pair was never linked.

-- How far each shape of a pair is grown to measure how long they face (contact_length):
-- half the gap, and 5 cm for imprecise data.
CREATE FUNCTION contact_growth(gap double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT ($1 + 0.05) / 2';

CREATE FUNCTION grown_for_contact(g geometry, gap double precision) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ST_Buffer($1, contact_growth($2), 'join=mitre') $$;

-- contact_length (0003) of two shapes already grown for their gap.
CREATE FUNCTION grown_contact_length(a_grown geometry, b_grown geometry, gap double precision)
RETURNS double precision LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
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

CREATE OR REPLACE FUNCTION contact_length(a geometry, b geometry, gap double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT grown_contact_length(grown_for_contact(a, gap), grown_for_contact(b, gap), gap)
$$;

-- The plots of a call, with a row estimate that a statement writing many plots can have.
-- The planner's estimate for unnest of a parameter is 10 rows, which made it join the
-- measured plots to their pairs by nested loops, quadratic in the plots one statement
-- wrote (8 parks of 4,096 plots: 424 s). Too high an estimate costs a small call a hash
-- table of a few rows.
CREATE FUNCTION plot_ids(ids bigint[]) RETURNS SETOF bigint
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE ROWS 10000 AS $$
BEGIN
  RETURN QUERY SELECT unnest(ids);
END $$;

-- The least facing length a stored link has, in metres: the shortest a question may ask
-- for (analysis::contiguity::MIN_SHARED_M). Pairs that face for less, corner contacts
-- above all, never join, so they are not stored; they were two in five of the pairs of a
-- gridded park.
CREATE FUNCTION plot_link_min_facing() RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT 0.5::double precision';

-- Whether two shapes grown for their gap, with boxes `a` and `b`, can face for `least_m`
-- or more. Their overlap lies in the box the two share, and no side of its oriented
-- envelope is longer than its diameter, so they face for at most that box's diagonal less
-- the growth: a test of two boxes that spares the overlay for corner contacts. One
-- expression, so it is inlined.
CREATE FUNCTION may_face(a box3d, b box3d, gap double precision, least_m double precision)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(ST_XMax(a), ST_XMax(b)) >= greatest(ST_XMin(a), ST_XMin(b))
     AND least(ST_YMax(a), ST_YMax(b)) >= greatest(ST_YMin(a), ST_YMin(b))
     AND sqrt((least(ST_XMax(a), ST_XMax(b)) - greatest(ST_XMin(a), ST_XMin(b))) ^ 2
              + (least(ST_YMax(a), ST_YMax(b)) - greatest(ST_YMin(a), ST_YMin(b))) ^ 2)
         - 2 * contact_growth(gap) >= least_m
$$;

-- The links of the plots `ids` to every plot of their park within reach that they face for
-- at least plot_link_min_facing(), as rows of plot_links (see 0004 for the columns). Each
-- plot is transformed once, and grown once for the neighbours it touches. The CTEs are
-- materialized so that no measure is worked out twice.
CREATE FUNCTION plot_link_rows(ids bigint[]) RETURNS SETOF plot_links LANGUAGE sql STABLE AS $$
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
    FROM (SELECT a AS id FROM pairs UNION SELECT b FROM pairs) u
    JOIN plots p ON p.id = u.id JOIN zone z ON z.id = p.park_id
  ), grown AS MATERIALIZED (
    SELECT id, g, grown_for_contact(g, 0) AS touching FROM metric
  ), measured AS MATERIALIZED (
    SELECT pairs.a, pairs.b, ma.g AS ga, mb.g AS gb, ma.touching AS ta, mb.touching AS tb,
           ST_Distance(ma.g, mb.g) AS gap
    FROM pairs JOIN grown ma ON ma.id = pairs.a JOIN grown mb ON mb.id = pairs.b
  ), reached AS MATERIALIZED (
    SELECT a, b, ga, gb, gap,
           CASE WHEN gap = 0 THEN ta ELSE grown_for_contact(ga, gap) END AS xa,
           CASE WHEN gap = 0 THEN tb ELSE grown_for_contact(gb, gap) END AS xb
    FROM measured
    WHERE gap <= plot_link_reach()
  ), boxed AS MATERIALIZED (
    SELECT reached.*, xa::box3d AS boxa, xb::box3d AS boxb FROM reached
  ), faced AS MATERIALIZED (
    SELECT a, b, ga, gb, gap, grown_contact_length(xa, xb, gap) AS facing
    FROM boxed
    WHERE may_face(boxa, boxb, gap, plot_link_min_facing())
  )
  SELECT a, b, gap, facing, CASE WHEN gap > 0.05 THEN ST_Transform(ST_ShortestLine(ga, gb), 4326) END
  FROM faced
  WHERE facing >= plot_link_min_facing()
$$;

CREATE OR REPLACE FUNCTION link_plots(ids bigint[]) RETURNS void LANGUAGE sql AS $$
  -- One linking writer per park until it commits, parks in order (no deadlock between two
  -- statements); the insert below then sees every plot committed before it got the lock.
  SELECT pg_advisory_xact_lock(hashtextextended('plot_links ' || park_id, 0))
  FROM (SELECT DISTINCT park_id FROM plots WHERE id = ANY(ids) ORDER BY park_id) p;
  INSERT INTO plot_links (a, b, gap_m, facing_m, bridge)
  SELECT * FROM plot_link_rows(ids)
  ON CONFLICT (a, b) DO UPDATE SET gap_m = excluded.gap_m, facing_m = excluded.facing_m, bridge = excluded.bridge;
$$;

-- Links stored before, that face for less.
DELETE FROM plot_links WHERE facing_m < plot_link_min_facing();
