INSERT INTO zones (id, name_zh, name_en, city, source)
SELECT f->>'id', r.name_zh, r.name_en, r.city, r.source
FROM jsonb_array_elements($1::jsonb -> 'features') AS f,
     jsonb_to_record(f->'properties') AS r(name_zh text, name_en text, city text, source text)
