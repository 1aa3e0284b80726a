-- Plots that meet the idle-land rules (闲置土地处置办法, MLR Order No. 53, 2012) on $1.
--   no_start: supplied land not started one full year after the agreed start date;
--   stalled:  started land with under $2 of its area built or under $3 of the planned
--             investment invested, where work has stopped for one full year.
-- "One full year" is the calendar year: the land is idle from agreed_start + 1 year
-- (365 days in a year without 29 February). Two full years: recoverable without
-- compensation. The fee is $4 of the land price, where the price is known. $5 is one
-- park or NULL; $6 the statuses the rules examine (LandStatus::MAY_LIE_IDLE).
-- Where an idle record says the government caused the delay, no fee is due and the
-- measures are the ones the Order allows for that case.
WITH candidates AS (
  SELECT p.*,
         CASE
           WHEN p.actual_start IS NULL AND p.agreed_start IS NOT NULL
             THEN 'no_start'
           WHEN p.actual_start IS NOT NULL AND p.stalled_since IS NOT NULL
                AND (p.built_ratio < $2
                     OR (p.planned_investment_wan > 0 AND p.invested_wan < $3 * p.planned_investment_wan))
             THEN 'stalled'
         END AS rule,
         CASE
           WHEN p.actual_start IS NULL THEN p.agreed_start
           ELSE p.stalled_since
         END AS clock_from
  FROM plots p
  WHERE p.status = ANY($6::text[])
), hits AS (
  SELECT c.*, (c.clock_from + interval '1 year')::date AS since,
         $1::date >= (c.clock_from + interval '2 years')::date AS two_years,
         EXISTS (SELECT 1 FROM idle_records r WHERE r.plot_id = c.id AND r.kind = 'idle' AND r.cause = 'government') AS government_delay,
         EXISTS (SELECT 1 FROM idle_records r WHERE r.plot_id = c.id AND r.kind = 'idle') AS recorded
  FROM candidates c
  WHERE c.rule IS NOT NULL AND $1::date >= (c.clock_from + interval '1 year')::date
)
SELECT h.id, h.park_id, h.code, h.status, h.land_user, h.rule, h.since,
       ($1::date - h.since) AS days_overdue,
       h.two_years, h.government_delay, h.recorded,
       CASE WHEN h.government_delay THEN NULL ELSE round((h.land_price_wan * $4)::numeric, 1)::float8 END AS fee_wan,
       round(h.area_mu::numeric, 3)::float8 AS area_mu,
       h.agreed_start, h.actual_start, h.stalled_since, h.built_ratio,
       h.invested_wan, h.planned_investment_wan, h.land_price_wan,
       ST_AsGeoJSON(h.geom, 7, 0) AS geometry
FROM hits h
WHERE ($5::text IS NULL OR h.park_id = $5)
ORDER BY days_overdue DESC, h.id
