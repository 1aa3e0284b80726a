INSERT INTO parks (id, name_zh, name_en, level, city, county, towns, partner_city, leading_industries,
                   planned_area_km2, infrastructure, utilities, established, source, boundary,
                   zone_id, cultivated_industries, estimated)
SELECT f->>'id', r.name_zh, r.name_en, r.level, r.city, r.county, coalesce(r.towns, '{}'), r.partner_city,
       coalesce(r.leading_industries, '{}'), r.planned_area_km2, coalesce(r.infrastructure, '{}'),
       coalesce(r.utilities, '{}'), r.established, r.source,
       ST_Multi(ST_GeomFromGeoJSON(nullif(f->'geometry', 'null'::jsonb))), r.zone_id, coalesce(r.cultivated_industries, '{}'), coalesce(r.estimated, '{}')
FROM jsonb_array_elements($1::jsonb -> 'features') AS f,
     jsonb_to_record(f->'properties') AS r(name_zh text, name_en text, level text, city text, county text,
       towns text[], partner_city text, leading_industries text[], planned_area_km2 float8,
       infrastructure text[], utilities jsonb, established date, source text, zone_id text,
       cultivated_industries text[], estimated text[])
