-- contact_growth: its current definition. First defined in a migration, last there in 0009_link_rows.sql;
-- it changes here now (migrations/README.md). From the migration:
-- How far each shape of a pair is grown to measure how long they face (contact_length):
-- half the gap, and 5 cm for imprecise data.
CREATE OR REPLACE FUNCTION public.contact_growth(gap double precision)
 RETURNS double precision
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$SELECT ($1 + 0.05) / 2$function$;
