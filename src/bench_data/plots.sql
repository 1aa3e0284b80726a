-- Benchmark plots of the parks $1: each park a grid of n x n square plots of its side
-- (the first $2[i] of them), a 30 m estate road after every fourth row and column
-- (blocks of 4 x 4 plots, 340-1150 亩).
-- Statuses and land uses are drawn from md5 of seed, park and cell, in about the demo's
-- shares; supplied land has a user and dates, idle land an agreed start long past.
--   $1 park ids, $2 plot counts, $3 plot sides (m), $4 grid sides, $5 seed
WITH spec AS (
  SELECT s.id, s.count, s.side, s.n, k.srid, ST_X(k.c) AS cx, ST_Y(k.c) AS cy,
         s.n * s.side + ((s.n - 1) / 4) * 30.0 AS width
  FROM unnest($1::text[], $2::int[], $3::float8[], $4::int[]) AS s(id, count, side, n)
  JOIN LATERAL (
    SELECT gk_zone_srid(p.boundary) AS srid, ST_Transform(ST_Centroid(p.boundary), gk_zone_srid(p.boundary)) AS c
    FROM parks p WHERE p.id = s.id) k ON true
), hashed AS MATERIALIZED (
  -- One md5 a cell: materialized, or u and h below would each compute it.
  SELECT spec.*, k, md5($5 || ':' || spec.id || ':' || k) AS digest
  FROM spec, generate_series(0, spec.count - 1) AS k
), cell AS (
  SELECT hashed.*, k / n AS r, k % n AS c,
         abs(('x' || substr(digest, 1, 8))::bit(32)::int) / 2147483648.0 AS u,
         abs(('x' || substr(digest, 9, 8))::bit(32)::int) AS h
  FROM hashed
), drawn AS (
  SELECT cell.*,
         CASE WHEN u < 0.25 THEN 'available' WHEN u < 0.37 THEN 'approved_unsupplied' WHEN u < 0.47 THEN 'reserve'
              WHEN u < 0.56 THEN 'supplied' WHEN u < 0.66 THEN 'under_construction' WHEN u < 0.82 THEN 'in_production'
              WHEN u < 0.89 THEN 'idle' WHEN u < 0.94 THEN 'inefficient' ELSE 'unavailable' END AS status,
         cx - width / 2 + c * side + (c / 4) * 30.0 AS x0,
         cy - width / 2 + r * side + (r / 4) * 30.0 AS y0
  FROM cell
)
INSERT INTO plots (park_id, code, land_use, status, land_user, supplied_on, agreed_start, actual_start, geom)
SELECT id, id || '-' || lpad(r::text, 3, '0') || lpad(c::text, 3, '0'),
       (ARRAY['100101', '100102', '100102', '100103', '1101'])[1 + h % 5],
       status,
       CASE WHEN supplied THEN '基准测试企业' || (h % 997) END,
       CASE WHEN supplied THEN date '2018-01-01' + (h % 2000) END,
       CASE WHEN supplied THEN date '2018-07-01' + (h % 2000) END,
       CASE WHEN supplied AND status <> 'idle' THEN date '2019-01-01' + (h % 2000) END,
       ST_Multi(ST_Transform(ST_MakeEnvelope(x0, y0, x0 + side, y0 + side, srid), 4326))
FROM drawn, LATERAL (SELECT status IN ('supplied', 'under_construction', 'in_production', 'idle', 'inefficient') AS supplied) s
