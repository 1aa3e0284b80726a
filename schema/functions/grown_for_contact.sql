-- grown_for_contact: its current definition. First defined in a migration, last there in 0009_link_rows.sql;
-- it changes here now (migrations/README.md). From the migration:
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
CREATE OR REPLACE FUNCTION public.grown_for_contact(g geometry, gap double precision)
 RETURNS geometry
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$ SELECT ST_Buffer($1, contact_growth($2), 'join=mitre') $function$;
