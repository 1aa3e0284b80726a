-- plot_links_log_changes: its current definition. First defined in a migration, last there in 0010_plot_changes.sql;
-- it changes here now (migrations/README.md). From the migration:
-- A link written or dropped changes the plots at both its ends (their neighbours).
CREATE OR REPLACE FUNCTION public.plot_links_log_changes()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
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
END $function$;
