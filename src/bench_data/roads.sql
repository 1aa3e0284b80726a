-- Benchmark roads between the benchmark nodes (nodes.sql): a provincial road from each
-- park's centre to its interchange, a county road from the interchange to each of the
-- park's other nodes, and an expressway between the interchanges of parks next to each
-- other on the layout grid ($1: grid columns).
WITH hub AS (
  SELECT p.id, row_number() OVER (ORDER BY p.id) - 1 AS i, ST_Centroid(p.boundary) AS centre, n.geom AS hi
  FROM parks p JOIN transport_nodes n ON n.id = p.id || '-HI'
  WHERE p.id LIKE 'BD-%'
), links AS (
  SELECT 'provincial' AS class, 60 AS speed, h.id || '连接线' AS name, ST_MakeLine(h.centre, h.hi) AS geom FROM hub h
  UNION ALL
  SELECT 'county', 40, h.id || substr(n.id, length(h.id) + 2) || '支线', ST_MakeLine(h.hi, n.geom)
  FROM hub h JOIN transport_nodes n ON n.id LIKE h.id || '-%' AND n.kind <> 'highway_interchange'
  UNION ALL
  SELECT 'expressway', 100, '基准高速', ST_MakeLine(a.hi, b.hi)
  FROM hub a JOIN hub b ON (b.i = a.i + 1 AND a.i % $1 <> $1 - 1) OR b.i = a.i + $1
)
INSERT INTO roads (class, name, speed_kmh, geom)
SELECT class, name, speed, geom FROM links
