-- Benchmark transport nodes for every benchmark park (ids 'BD-…'): an interchange 3 km
-- east of each park, and at every 4th park a rail freight yard, every 9th a rail station,
-- every 20th a port and every 50th an airport, each 1-2 km from the interchange.
-- Written before the roads (roads.sql), so the nodes' own triggers find no network to
-- route over and road access is worked out once, for the roads.
WITH park AS (
  SELECT p.id, row_number() OVER (ORDER BY p.id) - 1 AS i, gk_zone_srid(p.boundary) AS srid,
         ST_XMax(ST_Transform(p.boundary, gk_zone_srid(p.boundary))) AS east,
         ST_Transform(ST_Centroid(p.boundary), gk_zone_srid(p.boundary)) AS c
  FROM parks p WHERE p.id LIKE 'BD-%'
), hub AS (
  SELECT park.*, ST_Point(east + 3000, ST_Y(c), srid) AS hi FROM park
)
INSERT INTO transport_nodes (id, kind, name_zh, name_en, geom)
SELECT id || '-HI', 'highway_interchange', id || '出入口', id || ' interchange', ST_Transform(hi, 4326) FROM hub
UNION ALL
SELECT h.id || '-' || k.code, k.kind, h.id || k.code, h.id || ' ' || k.kind,
       ST_Transform(ST_Point(ST_X(h.hi) + k.dx, ST_Y(h.hi) + k.dy, h.srid), 4326)
FROM hub h CROSS JOIN (VALUES ('rail_freight', 'RF', 4, 0, 1500), ('rail_station', 'RS', 9, 1200, 0),
                              ('port', 'PT', 20, 0, -1500), ('airport', 'AP', 50, 1800, 1200)) AS k(kind, code, every, dx, dy)
WHERE h.i % k.every = 0
