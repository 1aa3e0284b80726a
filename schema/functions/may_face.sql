-- may_face: its current definition. First defined in a migration, last there in 0009_link_rows.sql;
-- it changes here now (migrations/README.md). From the migration:
-- Whether two shapes grown for their gap, with boxes `a` and `b`, can face for `least_m`
-- or more. Their overlap lies in the box the two share, and no side of its oriented
-- envelope is longer than its diameter, so they face for at most that box's diagonal less
-- the growth: a test of two boxes that spares the overlay for corner contacts. One
-- expression, so it is inlined.
CREATE OR REPLACE FUNCTION public.may_face(a box3d, b box3d, gap double precision, least_m double precision)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$
  SELECT least(ST_XMax(a), ST_XMax(b)) >= greatest(ST_XMin(a), ST_XMin(b))
     AND least(ST_YMax(a), ST_YMax(b)) >= greatest(ST_YMin(a), ST_YMin(b))
     AND sqrt((least(ST_XMax(a), ST_XMax(b)) - greatest(ST_XMin(a), ST_XMin(b))) ^ 2
              + (least(ST_YMax(a), ST_YMax(b)) - greatest(ST_YMin(a), ST_YMin(b))) ^ 2)
         - 2 * contact_growth(gap) >= least_m
$function$;
