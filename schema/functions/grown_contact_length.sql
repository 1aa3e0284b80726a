-- grown_contact_length: its current definition. First defined in a migration, last there in 0009_link_rows.sql;
-- it changes here now (migrations/README.md). From the migration:
-- contact_length (0003) of two shapes already grown for their gap.
CREATE OR REPLACE FUNCTION public.grown_contact_length(a_grown geometry, b_grown geometry, gap double precision)
 RETURNS double precision
 LANGUAGE plpgsql
 IMMUTABLE PARALLEL SAFE
AS $function$
DECLARE
  grow double precision := contact_growth(gap);
  overlap geometry := ST_Intersection(a_grown, b_grown);
  envelope geometry;
  ring geometry;
BEGIN
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
END $function$;
