-- How long two shapes face each other across at most `gap` (in the units of their CRS,
-- metres in a projected one): grow both by half the gap (+5 cm for imprecise data), take
-- the overlap of the grown shapes, and measure the long side of its oriented envelope,
-- less the growth. Facing edges of length L across a gap d <= gap give L; a corner
-- contact gives 0 whatever the gap, which is why the boundary-within-distance length
-- (2 x gap at a corner) is not used.
CREATE FUNCTION contact_length(a geometry, b geometry, gap double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  WITH o AS (
    SELECT ST_Intersection(ST_Buffer(a, (gap + 0.05) / 2, 'join=mitre'),
                           ST_Buffer(b, (gap + 0.05) / 2, 'join=mitre')) AS g
  ), e AS (
    SELECT ST_OrientedEnvelope(g) AS r FROM o WHERE NOT ST_IsEmpty(g)
  )
  SELECT coalesce((
    SELECT greatest(0,
             CASE WHEN GeometryType(r) = 'POLYGON' THEN
               greatest(ST_Distance(ST_PointN(ST_ExteriorRing(r), 1), ST_PointN(ST_ExteriorRing(r), 2)),
                        ST_Distance(ST_PointN(ST_ExteriorRing(r), 2), ST_PointN(ST_ExteriorRing(r), 3)))
             ELSE ST_Length(r) END - (gap + 0.05))
    FROM e), 0)
$$;
