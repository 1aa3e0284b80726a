-- plot_links_after_insert: its current definition. First defined in a migration, last there in 0004_plot_links.sql;
-- it changes here now (migrations/README.md). From the migration:
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
CREATE OR REPLACE FUNCTION public.plot_links_after_insert()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  PERFORM link_plots(ARRAY(SELECT id FROM new_plots));
  RETURN NULL;
END $function$;
