-- Neighbouring plots, measured once when a plot is written rather than on every search.
-- A pair of plots of one park is stored when they lie within plot_link_reach() metres of
-- each other (the widest estate road a block may span, DOMAIN.md: up to ~40 m, with slack
-- for surveyed edges). For each pair:
--   gap_m     the distance between them, planar metres in the park's Gauss-Kruger zone;
--   facing_m  how long they face each other across that gap (contact_length, 0003): the
--             shared boundary when they touch, 0 for a corner contact;
--   bridge    for a pair that does not touch, the shortest line between them (lon/lat),
--             so a search can refuse links across an expressway or permanent farmland as
--             those layers stand at search time.
-- Triggers keep the table in step with plots inside the writing transaction; a deleted
-- plot takes its links with it.

CREATE FUNCTION plot_link_reach() RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT 50.0::double precision';

CREATE TABLE plot_links (
  a        bigint NOT NULL REFERENCES plots (id) ON DELETE CASCADE,
  b        bigint NOT NULL REFERENCES plots (id) ON DELETE CASCADE,
  gap_m    double precision NOT NULL CHECK (gap_m >= 0),
  facing_m double precision NOT NULL CHECK (facing_m >= 0),
  bridge   geometry(LineString, 4326),
  PRIMARY KEY (a, b),
  CHECK (a < b)
);
CREATE INDEX plot_links_b_idx ON plot_links (b);
CREATE INDEX plot_links_bridge_gix ON plot_links USING gist (bridge);

-- Links of the plots `ids` to every plot of their park within reach. The search box is in
-- degrees (1e-5° is at least a metre at Guangdong's latitudes); the distance test and the
-- measures are in metres, each plot transformed once.
CREATE FUNCTION link_plots(ids bigint[]) RETURNS void LANGUAGE sql AS $$
  WITH pairs AS MATERIALIZED (
    SELECT DISTINCT least(a.id, b.id) AS a, greatest(a.id, b.id) AS b
    FROM unnest(ids) AS n(id)
    JOIN plots a ON a.id = n.id
    JOIN plots b ON b.geom && ST_Expand(a.geom, (plot_link_reach() + 1.0) * 1e-5)
                AND b.park_id = a.park_id AND b.id <> a.id
  ), zone AS (
    SELECT id, gk_zone_srid(boundary) AS srid FROM parks
  ), metric AS MATERIALIZED (
    SELECT p.id, ST_Transform(p.geom, z.srid) AS g
    FROM (SELECT a AS id FROM pairs UNION SELECT b FROM pairs) u
    JOIN plots p ON p.id = u.id JOIN zone z ON z.id = p.park_id
  ), measured AS (
    SELECT pairs.a, pairs.b, ma.g AS ga, mb.g AS gb, ST_Distance(ma.g, mb.g) AS gap
    FROM pairs JOIN metric ma ON ma.id = pairs.a JOIN metric mb ON mb.id = pairs.b
  )
  INSERT INTO plot_links (a, b, gap_m, facing_m, bridge)
  SELECT a, b, gap, contact_length(ga, gb, gap),
         CASE WHEN gap > 0.05 THEN ST_Transform(ST_ShortestLine(ga, gb), 4326) END
  FROM measured
  WHERE gap <= plot_link_reach()
  ON CONFLICT (a, b) DO UPDATE SET gap_m = excluded.gap_m, facing_m = excluded.facing_m, bridge = excluded.bridge
$$;

CREATE FUNCTION plot_links_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM link_plots(ARRAY(SELECT id FROM new_plots));
  RETURN NULL;
END $$;

CREATE FUNCTION plot_links_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER plot_links_insert AFTER INSERT ON plots
  REFERENCING NEW TABLE AS new_plots FOR EACH STATEMENT EXECUTE FUNCTION plot_links_after_insert();
CREATE TRIGGER plot_links_update AFTER UPDATE ON plots
  REFERENCING OLD TABLE AS old_plots NEW TABLE AS new_plots FOR EACH STATEMENT EXECUTE FUNCTION plot_links_after_update();

-- Databases migrated with plots already in them.
SELECT link_plots(ARRAY(SELECT id FROM plots));
