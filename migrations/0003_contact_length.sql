-- How long two shapes face each other across at most `gap` (in the units of their CRS,
-- metres in a projected one): grow both by half the gap (+5 cm for imprecise data), take
-- the overlap of the grown shapes, and measure the long side of its oriented envelope,
-- less the growth. Facing edges of length L across a gap d <= gap give L; a corner
-- contact gives 0 whatever the gap, which is why the boundary-within-distance length
-- (2 x gap at a corner) is not used. PL/pgSQL rather than SQL: a multi-statement SQL
-- function is planned anew on every call, and this one runs for every pair of neighbours.
CREATE FUNCTION contact_length(a geometry, b geometry, gap double precision)
RETURNS double precision LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  grow double precision := (gap + 0.05) / 2;
  overlap geometry;
  envelope geometry;
  ring geometry;
BEGIN
  overlap := ST_Intersection(ST_Buffer(a, grow, 'join=mitre'), ST_Buffer(b, grow, 'join=mitre'));
  IF overlap IS NULL OR ST_IsEmpty(overlap) THEN
    RETURN 0;
  END IF;
  envelope := ST_OrientedEnvelope(overlap);
  IF GeometryType(envelope) <> 'POLYGON' THEN
    RETURN greatest(0, ST_Length(envelope) - 2 * grow);
  END IF;
  ring := ST_ExteriorRing(envelope);
  RETURN greatest(0, greatest(ST_Distance(ST_PointN(ring, 1), ST_PointN(ring, 2)),
                              ST_Distance(ST_PointN(ring, 2), ST_PointN(ring, 3))) - 2 * grow);
END $$;

-- The CGCS2000 3-degree Gauss-Kruger CRS whose zone holds a shape: EPSG:4534 is the zone
-- of central meridian 75°E, each next code 3° further east (4547: 114°E, Qingyuan;
-- 4546: 111°E, Zhanjiang). Planar metres there are within 0.1 % of the ground.
CREATE FUNCTION gk_zone_srid(g geometry) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 4534 + round((ST_X(ST_Centroid(g)) - 75) / 3)::int
$$;
