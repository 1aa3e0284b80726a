-- plots_log_changes: its current definition. First defined in a migration, last there in 0010_plot_changes.sql;
-- it changes here now (migrations/README.md). From the migration:
-- Which plots each transaction wrote: a plot's row, or any of its links. A land graph
-- (analysis::land_graph) that was read at some snapshot then reads again only the plots
-- written by the transactions that snapshot did not see, rather than a million plots
-- and two million links after every write.
CREATE OR REPLACE FUNCTION public.plots_log_changes()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
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
END $function$;
