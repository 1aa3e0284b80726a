-- plot_link_rows: its current definition. First defined in a migration, last there in 0014_link_rows_lean.sql;
-- it changes here now (migrations/README.md). From the migration:
-- plot_link_rows (0011) carried both plots' shapes, as measured and as grown, through
-- every stage of its pipeline: each of 16,002 pairs of a benchmark park copied four
-- geometries into a materialized CTE, then four again, then six with their boxes. The
-- shapes now stay with their plot (grown: as measured, grown for touching neighbours and
-- that grown shape's box, once a plot); a pair carries its ids and gap, and takes the
-- shapes from its plots where a stage needs them. Touching pairs (gap 0) go straight to
-- the overlay with the plot's grown shape; only pairs apart are grown per pair.
--
-- The same rows to the bit: for one benchmark park and for every plot of the demo data,
-- the rows of 0011 and these are equal, bridges included. One park of 4,096 plots at a
-- million plots, psql: 560-600 -> 480-530 ms; four parks 2,346 -> 2,145 ms.
CREATE OR REPLACE FUNCTION public.plot_link_rows(ids bigint[])
 RETURNS SETOF plot_links
 LANGUAGE sql
 STABLE
AS $function$
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
$function$;
