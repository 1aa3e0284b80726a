-- asof_instant: the instant a reading transaction reads the records as of (#21): its
-- `parkland.as_of` setting, which `store::as_of` sets together with a search_path that
-- puts the `asof` views before the tables. Unset, it is an error: a view of the past is
-- never read by accident as the present.
CREATE OR REPLACE FUNCTION public.asof_instant() RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT current_setting('parkland.as_of')::timestamptz
$$;
