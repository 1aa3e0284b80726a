INSERT INTO transport_nodes (id, kind, name_zh, name_en, status, opens_on, line, source, geom)
SELECT f->>'id', r.kind, r.name_zh, r.name_en, coalesce(r.status, 'existing'), r.opens_on, r.line, r.source,
       ST_GeomFromGeoJSON(f->'geometry')
FROM jsonb_array_elements($1::jsonb -> 'features') AS f,
     jsonb_to_record(f->'properties') AS r(kind text, name_zh text, name_en text, status text, opens_on date, line text, source text)
