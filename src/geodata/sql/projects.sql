-- A project's plots (`plot_ids`, for projects that already hold land) go in with it.
WITH held AS (
  INSERT INTO project_plots (project_id, plot_id)
  SELECT (f->>'id')::bigint, p::bigint
  FROM jsonb_array_elements($1::jsonb -> 'features') AS f,
       jsonb_array_elements_text(coalesce(f->'properties'->'plot_ids', '[]')) AS p
)
INSERT INTO projects (id, name, investor, industry, land_use, demand_mu, investment_wan, output_wan, tax_wan,
                      stage, park_id, requirements, source, land_as_given, revenue_wan, build_from, build_to, note)
SELECT (f->>'id')::bigint, r.name, r.investor, r.industry, r.land_use, r.demand_mu, r.investment_wan,
       r.output_wan, r.tax_wan, r.stage, r.park_id, coalesce(r.requirements, '{}'), r.source,
       r.land_as_given, r.revenue_wan, r.build_from, r.build_to, r.note
FROM jsonb_array_elements($1::jsonb -> 'features') AS f,
     jsonb_to_record(f->'properties') AS r(name text, investor text, industry text, land_use text,
       demand_mu float8, investment_wan float8, output_wan float8, tax_wan float8, stage text,
       park_id text, requirements jsonb, source text, land_as_given text, revenue_wan float8,
       build_from smallint, build_to smallint, note text)
