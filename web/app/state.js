// The page's state lives in the address (after #), so a copied link reopens the same
// view: map=zoom/lat/lon, lang, layers, panel, sel (a plot or park), search (the last
// site-search request) and idle (the idle-check date).

const KEYS = ['map', 'lang', 'layers', 'panel', 'sel', 'search', 'idle'];

export function read() {
  const params = new URLSearchParams(location.hash.slice(1));
  const out = {};
  for (const k of KEYS) if (params.has(k)) out[k] = params.get(k);
  return out;
}

/** Sets (or, with null, removes) the given keys, keeping the others; no history entry. */
export function write(patch) {
  const params = new URLSearchParams(location.hash.slice(1));
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined || v === '') params.delete(k);
    else params.set(k, v);
  }
  const hash = params.toString().replaceAll('%2F', '/').replaceAll('%2C', ',');
  history.replaceState(null, '', `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`);
}

export function viewOf(map) {
  const c = map.getCenter();
  return `${map.getZoom().toFixed(2)}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`;
}

export function parseView(s) {
  const [z, lat, lng] = (s || '').split('/').map(Number);
  if ([z, lat, lng].some((x) => !Number.isFinite(x))) return null;
  return { zoom: z, center: [lng, lat] };
}
