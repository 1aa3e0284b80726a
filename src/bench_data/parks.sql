-- Benchmark parks: one row per park from the arrays of the layout (src/bench_data), the
-- boundary the plots' grid grown by 200 m, built in the park's Gauss-Kruger zone.
--   $1 ids, $2 lon, $3 lat, $4 plot side (m), $5 grid side (plots), $6 the utilities in
--   place (七通一平, Utility::STANDARD)
WITH spec AS (
  SELECT s.id, s.lon, s.lat, s.side, s.n, gk_zone_srid(ST_Point(s.lon, s.lat, 4326)) AS srid
  FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::int[]) AS s(id, lon, lat, side, n)
), placed AS (
  SELECT spec.*, ST_Transform(ST_Point(lon, lat, 4326), srid) AS c, n * side + ((n - 1) / 4) * 30.0 AS width
  FROM spec
)
INSERT INTO parks (id, name_zh, name_en, level, city, leading_industries, planned_area_km2, infrastructure, boundary)
SELECT id, '基准测试园区' || id, 'Benchmark park ' || id, 'other', '广东省', ARRAY['装备制造', '汽车零部件'],
       round(((width + 400) ^ 2 / 1e6)::numeric, 3),
       $6::text[],
       ST_Multi(ST_Transform(ST_MakeEnvelope(ST_X(c) - width / 2 - 200, ST_Y(c) - width / 2 - 200,
                                             ST_X(c) + width / 2 + 200, ST_Y(c) + width / 2 + 200, srid), 4326))
FROM placed
