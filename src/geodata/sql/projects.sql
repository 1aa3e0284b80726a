INSERT INTO projects (id, name, investor, industry, land_use, demand_mu, investment_wan, output_wan, tax_wan,
                      stage, park_id, requirements, source)
SELECT (f->>'id')::bigint, r.name, r.investor, r.industry, r.land_use, r.demand_mu, r.investment_wan,
       r.output_wan, r.tax_wan, r.stage, r.park_id, coalesce(r.requirements, '{}'), r.source
FROM jsonb_array_elements($1::jsonb -> 'features') AS f,
     jsonb_to_record(f->'properties') AS r(name text, investor text, industry text, land_use text,
       demand_mu float8, investment_wan float8, output_wan float8, tax_wan float8, stage text,
       park_id text, requirements jsonb, source text)
