-- The ledger's sums for each park ($1: one park, or NULL for all; $2 the finding kinds;
-- $3 the statuses of supplied land, $4 those of land in use: LandStatus::SUPPLIED, IN_USE), one row per park with
-- the breakdowns as JSON objects. Areas are the plots' geodesic areas in 亩. Each sum reads
-- the one park's plots alone when one is asked for (by its index, now or as of an instant).
WITH k AS (
  SELECT id, name_zh, name_en, level, zone_id, planned_area_km2, area_m2 FROM parks WHERE $1::text IS NULL OR id = $1
), by_status AS (
  SELECT p.id AS park_id, jsonb_object_agg(s.code, jsonb_build_object(
           'name_zh', s.name_zh, 'ord', s.ord, 'count', coalesce(x.n, 0), 'area_mu', round(coalesce(x.mu, 0)::numeric, 3))) AS j
  FROM k p CROSS JOIN land_statuses s
  LEFT JOIN (SELECT park_id, status, count(*) AS n, sum(area_mu) AS mu FROM plots WHERE $1::text IS NULL OR park_id = $1 GROUP BY 1, 2) x
         ON x.park_id = p.id AND x.status = s.code
  GROUP BY p.id
), by_land_use AS (
  SELECT x.park_id, jsonb_object_agg(x.land_use, jsonb_build_object(
           'name_zh', u.name_zh, 'count', x.n, 'area_mu', round(x.mu::numeric, 3))) AS j
  FROM (SELECT park_id, land_use, count(*) AS n, sum(area_mu) AS mu FROM plots WHERE $1::text IS NULL OR park_id = $1 GROUP BY 1, 2) x
  JOIN land_use_codes u ON u.code = x.land_use
  GROUP BY x.park_id
), findings AS (
  SELECT p.id AS park_id, jsonb_object_agg(kd.kind, jsonb_build_object(
           'count', coalesce(x.n, 0), 'area_mu', round(coalesce(x.mu, 0)::numeric, 3),
           'fee_wan', round(coalesce(x.fee, 0)::numeric, 1))) AS j
  FROM k p CROSS JOIN unnest($2::text[]) kd(kind)
  LEFT JOIN (SELECT pl.park_id, r.kind, count(DISTINCT pl.id) AS n, sum(pl.area_mu) AS mu, sum(r.fee_wan) AS fee
             FROM idle_records r JOIN plots pl ON pl.id = r.plot_id WHERE $1::text IS NULL OR pl.park_id = $1 GROUP BY 1, 2) x
         ON x.park_id = p.id AND x.kind = kd.kind
  GROUP BY p.id
), totals AS (
  SELECT park_id, count(*) AS plots, sum(area_mu) AS plotted_mu,
         sum(area_mu) FILTER (WHERE status <> 'unavailable') AS usable_mu,
         sum(area_mu) FILTER (WHERE status = ANY($3::text[])) AS supplied_mu,
         sum(invested_wan) FILTER (WHERE status = ANY($4::text[]) AND invested_wan IS NOT NULL) AS invested,
         sum(output_wan) FILTER (WHERE status = ANY($4::text[]) AND output_wan IS NOT NULL) AS output,
         sum(tax_wan) FILTER (WHERE status = ANY($4::text[]) AND tax_wan IS NOT NULL) AS tax,
         sum(area_mu) FILTER (WHERE status = ANY($4::text[]) AND invested_wan IS NOT NULL) AS invested_mu,
         sum(area_mu) FILTER (WHERE status = ANY($4::text[]) AND output_wan IS NOT NULL) AS output_mu,
         sum(area_mu) FILTER (WHERE status = ANY($4::text[]) AND tax_wan IS NOT NULL) AS tax_mu
  FROM plots WHERE $1::text IS NULL OR park_id = $1 GROUP BY park_id
)
SELECT k.id, k.name_zh, k.name_en, k.level, k.zone_id, (SELECT z.name_zh FROM zones z WHERE z.id = k.zone_id) AS zone_name,
       k.planned_area_km2,
       round((k.area_m2 * 15 / 10000)::numeric, 3)::float8 AS boundary_area_mu,
       coalesce(t.plots, 0) AS plots,
       round(coalesce(t.plotted_mu, 0)::numeric, 3)::float8 AS plotted_area_mu,
       round(coalesce(t.usable_mu, 0)::numeric, 3)::float8 AS usable_mu,
       round(coalesce(t.supplied_mu, 0)::numeric, 3)::float8 AS supplied_mu,
       round((t.invested / nullif(t.invested_mu, 0))::numeric, 2)::float8 AS investment_wan_per_mu,
       round((t.output / nullif(t.output_mu, 0))::numeric, 2)::float8 AS output_wan_per_mu,
       round((t.tax / nullif(t.tax_mu, 0))::numeric, 2)::float8 AS tax_wan_per_mu,
       coalesce(s.j, '{}') AS by_status, coalesce(u.j, '{}') AS by_land_use, coalesce(f.j, '{}') AS findings
FROM k
LEFT JOIN totals t ON t.park_id = k.id
LEFT JOIN by_status s ON s.park_id = k.id
LEFT JOIN by_land_use u ON u.park_id = k.id
LEFT JOIN findings f ON f.park_id = k.id
ORDER BY k.id
