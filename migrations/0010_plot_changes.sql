-- Which plots each transaction wrote: a plot's row, or any of its links. A land graph
-- (analysis::land_graph) that was read at some snapshot then reads again only the plots
-- written by the transactions that snapshot did not see, rather than a million plots
-- and two million links after every write.
CREATE TABLE plot_changes (
  seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  xid     xid8   NOT NULL DEFAULT pg_current_xact_id(),
  -- NULL: any plot may have changed (a TRUNCATE, or a bulk load with triggers off).
  plot_id bigint
);
CREATE INDEX plot_changes_xid_idx ON plot_changes (xid);

-- Every entry of a transaction below `below` is gone: a graph whose snapshot's xmin is
-- below it cannot tell what it missed, and reads everything again.
CREATE TABLE plot_changes_pruned (
  one   boolean PRIMARY KEY DEFAULT true CHECK (one),
  below xid8    NOT NULL
);
INSERT INTO plot_changes_pruned (below) VALUES ('0'::xid8);

-- Once the log holds more than `keep` entries, the entries of every finished transaction
-- go (those still running stay: a graph may not have seen them yet).
CREATE FUNCTION prune_plot_changes(keep bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
BEGIN
  IF (SELECT max(seq) - min(seq) FROM plot_changes) >= keep THEN
    UPDATE plot_changes_pruned SET below = greatest(below, horizon);
    DELETE FROM plot_changes WHERE xid < horizon;
  END IF;
END $$;

CREATE FUNCTION plots_log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
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

-- A link written or dropped changes the plots at both its ends (their neighbours).
CREATE FUNCTION plot_links_log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER plots_log_inserts AFTER INSERT ON plots
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plots_log_changes();
CREATE TRIGGER plots_log_updates AFTER UPDATE ON plots
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plots_log_changes();
CREATE TRIGGER plots_log_deletes AFTER DELETE ON plots
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION plots_log_changes();
CREATE TRIGGER plots_log_truncates AFTER TRUNCATE ON plots
  FOR EACH STATEMENT EXECUTE FUNCTION plots_log_changes();

CREATE TRIGGER plot_links_log_inserts AFTER INSERT ON plot_links
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plot_links_log_changes();
CREATE TRIGGER plot_links_log_updates AFTER UPDATE ON plot_links
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plot_links_log_changes();
CREATE TRIGGER plot_links_log_deletes AFTER DELETE ON plot_links
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION plot_links_log_changes();
CREATE TRIGGER plot_links_log_truncates AFTER TRUNCATE ON plot_links
  FOR EACH STATEMENT EXECUTE FUNCTION plot_links_log_changes();
