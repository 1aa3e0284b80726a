INSERT INTO constraints (id, kind, name, geom)
SELECT (f->>'id')::bigint, r.kind, r.name, ST_Multi(ST_GeomFromGeoJSON(f->'geometry'))
FROM jsonb_array_elements($1::jsonb -> 'features') AS f,
     jsonb_to_record(f->'properties') AS r(kind text, name text)
