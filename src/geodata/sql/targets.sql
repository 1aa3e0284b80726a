INSERT INTO targets (id, park_id, year, indicator, industry, value, unit, basis, bound, projection, label_zh, source)
SELECT (f->>'id')::bigint, r.park_id, r.year, r.indicator, r.industry, r.value, r.unit, r.basis,
       coalesce(r.bound, 'exact'), r.projection, r.label_zh, r.source
FROM jsonb_array_elements($1::jsonb -> 'features') AS f,
     jsonb_to_record(f->'properties') AS r(park_id text, year smallint, indicator text, industry text, value float8,
       unit text, basis text, bound text, projection boolean, label_zh text, source text)
