INSERT INTO plots (id, park_id, code, land_use, status, far_min, far_max, coverage_min, green_max, land_user,
                   supplied_on, land_price_wan, agreed_start, actual_start, stalled_since, built_ratio,
                   invested_wan, planned_investment_wan, output_wan, tax_wan, geom)
SELECT (f->>'id')::bigint, r.park_id, r.code, r.land_use, r.status, r.far_min, r.far_max, r.coverage_min,
       r.green_max, r.land_user, r.supplied_on, r.land_price_wan, r.agreed_start, r.actual_start,
       r.stalled_since, r.built_ratio, r.invested_wan, r.planned_investment_wan, r.output_wan, r.tax_wan,
       ST_Multi(ST_GeomFromGeoJSON(f->'geometry'))
FROM jsonb_array_elements($1::jsonb -> 'features') AS f,
     jsonb_to_record(f->'properties') AS r(park_id text, code text, land_use text, status text,
       far_min float8, far_max float8, coverage_min float8, green_max float8, land_user text,
       supplied_on date, land_price_wan float8, agreed_start date, actual_start date, stalled_since date,
       built_ratio float8, invested_wan float8, planned_investment_wan float8, output_wan float8, tax_wan float8)
