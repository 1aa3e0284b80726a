-- Benchmark transport nodes and roads for every benchmark park (ids 'BD-…'): an
-- interchange 3 km east of each park, a provincial road to it from the park's centre,
-- an expressway between the interchanges of parks next to each other on the layout grid
-- ($1: grid columns), and at every 4th park a rail freight yard, every 9th a rail
-- station, every 20th a port and every 50th an airport, each 1-2 km from the
-- interchange by county road.
WITH park AS (
  SELECT p.id, row_number() OVER (ORDER BY p.id) - 1 AS i, ST_Centroid(p.boundary) AS centre,
         gk_zone_srid(p.boundary) AS srid, ST_XMax(ST_Transform(p.boundary, gk_zone_srid(p.boundary))) AS east,
         ST_Transform(ST_Centroid(p.boundary), gk_zone_srid(p.boundary)) AS c
  FROM parks p WHERE p.id LIKE 'BD-%'
), hub AS (
  SELECT park.*, ST_Transform(ST_Point(east + 3000, ST_Y(c), srid), 4326) AS hi FROM park
), extra AS (
  SELECT h.id, h.i, k.kind, k.code, k.every,
         ST_Transform(ST_Point(ST_X(ST_Transform(h.hi, h.srid)) + k.dx, ST_Y(ST_Transform(h.hi, h.srid)) + k.dy, h.srid), 4326) AS g, h.hi
  FROM hub h CROSS JOIN (VALUES ('rail_freight', 'RF', 4, 0, 1500), ('rail_station', 'RS', 9, 1200, 0),
                                ('port', 'PT', 20, 0, -1500), ('airport', 'AP', 50, 1800, 1200)) AS k(kind, code, every, dx, dy)
  WHERE h.i % k.every = 0
), nodes AS (
  INSERT INTO transport_nodes (id, kind, name_zh, name_en, geom)
  SELECT id || '-HI', 'highway_interchange', id || '出入口', id || ' interchange', hi FROM hub
  UNION ALL
  SELECT id || '-' || code, kind, id || code, id || ' ' || kind, g FROM extra
  RETURNING id
), links AS (
  SELECT 'provincial' AS class, 60 AS speed, h.id || '连接线' AS name, ST_MakeLine(h.centre, h.hi) AS geom FROM hub h
  UNION ALL
  SELECT 'county', 40, e.id || e.code || '支线', ST_MakeLine(e.hi, e.g) FROM extra e
  UNION ALL
  SELECT 'expressway', 100, '基准高速', ST_MakeLine(a.hi, b.hi)
  FROM hub a JOIN hub b ON (b.i = a.i + 1 AND a.i % $1 <> $1 - 1) OR b.i = a.i + $1
)
INSERT INTO roads (class, name, speed_kmh, geom)
SELECT class, name, speed, geom FROM links, (SELECT count(*) FROM nodes) n
