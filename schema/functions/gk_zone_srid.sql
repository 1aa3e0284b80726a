-- gk_zone_srid: its current definition. First defined in a migration, last there in 0003_contact_length.sql;
-- it changes here now (migrations/README.md). From the migration:
-- The CGCS2000 3-degree Gauss-Kruger CRS whose zone holds a shape: EPSG:4534 is the zone
-- of central meridian 75°E, each next code 3° further east (4547: 114°E, Qingyuan;
-- 4546: 111°E, Zhanjiang). Planar metres there are within 0.1 % of the ground.
CREATE OR REPLACE FUNCTION public.gk_zone_srid(g geometry)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$
  SELECT 4534 + round((ST_X(ST_Centroid(g)) - 75) / 3)::int
$function$;
