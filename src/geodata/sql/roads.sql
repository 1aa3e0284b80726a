INSERT INTO roads (id, class, name, speed_kmh, oneway, status, opens_on, geom)
SELECT (f->>'id')::bigint, r.class, r.name, r.speed_kmh, coalesce(r.oneway, false), coalesce(r.status, 'existing'), r.opens_on,
       ST_GeomFromGeoJSON(f->'geometry')
FROM jsonb_array_elements($1::jsonb -> 'features') AS f,
     jsonb_to_record(f->'properties') AS r(class text, name text, speed_kmh float8, oneway boolean, status text, opens_on date)
