-- The changes between two instants (#21): each versioned table's rows found by the
-- instant their version began, for `/changes` (history.<table> gets the same index from
-- versioning_sync).
CREATE INDEX parks_updated_at_idx ON parks (updated_at);
CREATE INDEX zones_updated_at_idx ON zones (updated_at);
CREATE INDEX plots_updated_at_idx ON plots (updated_at);
CREATE INDEX idle_records_updated_at_idx ON idle_records (updated_at);
CREATE INDEX targets_updated_at_idx ON targets (updated_at);
CREATE INDEX transport_nodes_updated_at_idx ON transport_nodes (updated_at);
CREATE INDEX roads_updated_at_idx ON roads (updated_at);
CREATE INDEX constraints_updated_at_idx ON constraints (updated_at);
CREATE INDEX projects_updated_at_idx ON projects (updated_at);
