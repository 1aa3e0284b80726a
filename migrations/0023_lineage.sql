-- Plots divided and joined (#21, DOMAIN.md "Dividing and joining plots"): which plots
-- a plot became, and which it was made of. The parents are retired (their versions stay
-- in history.plots), so neither end refers to plots: a lineage outlives its rows.
CREATE TABLE plot_lineage (
  parent_id bigint NOT NULL,
  child_id  bigint NOT NULL,
  kind      text NOT NULL CHECK (kind IN ('split', 'merge')),
  at        timestamptz NOT NULL DEFAULT version_stamp(),
  PRIMARY KEY (parent_id, child_id),
  CHECK (parent_id <> child_id)
);
CREATE INDEX plot_lineage_child_idx ON plot_lineage (child_id);
