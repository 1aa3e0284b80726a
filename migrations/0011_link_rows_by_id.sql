-- plot_link_rows (0009) read the plots of its pairs by joining their ids to every plot:
-- with the pairs estimated at 40,000 rows (plot_ids' 10,000, four neighbours each) the
-- planner hashed them and scanned the whole table. At a million plots that was 200 ms of
-- sequential scan for any write, one plot or a park (one plot's links: 410 -> 93 ms in
-- psql, most of the rest PROJ's first use in a session; one park of 4,096: 1,398 ->
-- 1,192 ms). The plots are now looked up by id; nothing else changes.

CREATE OR REPLACE FUNCTION plot_link_rows(ids bigint[]) RETURNS SETOF plot_links LANGUAGE sql STABLE AS $$
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
