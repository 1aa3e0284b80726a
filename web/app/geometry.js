// The bounding box of a GeoJSON geometry, as MapLibre's [[west, south], [east, north]].
export function bboxOf(geometry) {
  let w = Infinity,
    s = Infinity,
    e = -Infinity,
    n = -Infinity;
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      w = Math.min(w, c[0]);
      e = Math.max(e, c[0]);
      s = Math.min(s, c[1]);
      n = Math.max(n, c[1]);
    } else c.forEach(walk);
  };
  if (geometry.type === 'GeometryCollection') for (const g of geometry.geometries) walk(g.coordinates);
  else walk(geometry.coordinates);
  return [
    [w, s],
    [e, n],
  ];
}

/** A point to hang a label on: the middle of the largest ring's box. */
export function labelPoint(geometry) {
  const polys = geometry.type === 'MultiPolygon' ? geometry.coordinates : [geometry.coordinates];
  let best = null,
    bestArea = -1;
  for (const p of polys) {
    const [[w, s], [e, n]] = bboxOf({ type: 'Polygon', coordinates: p });
    const a = (e - w) * (n - s);
    if (a > bestArea) {
      bestArea = a;
      best = [(w + e) / 2, (s + n) / 2];
    }
  }
  return best;
}
