INSERT INTO idle_records (id, plot_id, kind, cause, found_on, idle_since, measure, measure_status, fee_wan, note)
SELECT (f->>'id')::bigint, r.plot_id, r.kind, r.cause, r.found_on, r.idle_since, r.measure,
       coalesce(r.measure_status, 'pending'), r.fee_wan, r.note
FROM jsonb_array_elements($1::jsonb -> 'features') AS f,
     jsonb_to_record(f->'properties') AS r(plot_id bigint, kind text, cause text, found_on date,
       idle_since date, measure text, measure_status text, fee_wan float8, note text)
