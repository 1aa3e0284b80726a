// What the map draws, from parkland's own data only: no basemap and no font server (text
// is drawn by the page, so the map needs no glyphs). Plots and idle findings come as
// vector tiles; parks, roads, nodes and constraints as GeoJSON (a few thousand features).
import { API, tiles } from './api.js';
import { codes, styleOf } from './i18n.js';

/** `{ code: style[key] }` for every code of `kind` that has a style (from /vocabularies). */
function styled(kind, key = 'colour') {
  return Object.fromEntries(codes(kind).flatMap((c) => (styleOf(kind, c)?.[key] === undefined ? [] : [[c, styleOf(kind, c)[key]]])));
}

/** The colour the map gives `code` of `kind` (status, node, road, constraint). */
export function colour(kind, code) {
  return styleOf(kind, code)?.colour ?? '#999';
}

/** The switchable layer groups, each a list of map layer ids. */
export const GROUPS = {
  constraints: ['constraints-fill', 'constraints-line'],
  roads: ['roads'],
  parks: ['parks-fill', 'parks-line'],
  plots: ['plots-fill', 'plots-line'],
  idle: ['idle-hatch', 'idle-line'],
  nodes: ['nodes'],
};

const match = (prop, table, fallback) => ['match', ['get', prop], ...Object.entries(table).flat(), fallback];

export function style() {
  const geojson = (path) => ({ type: 'geojson', data: API + path });
  return {
    version: 8,
    sources: {
      // Filled by the page once it has the parks (it needs them for labels too).
      parks: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      roads: geojson('collections/roads/items?limit=10000&properties=class,name,status'),
      constraints: geojson('collections/constraints/items?limit=1000'),
      nodes: geojson('collections/transport-nodes/items?limit=1000'),
      plots: { type: 'vector', tiles: [tiles('plots')], minzoom: 10, maxzoom: 16 },
      idle: { type: 'vector', tiles: [tiles('idle-land')], minzoom: 10, maxzoom: 16 },
      sites: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      isochrone: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      selected: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f5f3ee' } },
      {
        id: 'constraints-fill',
        type: 'fill',
        source: 'constraints',
        paint: { 'fill-color': match('kind', styled('constraint'), '#888'), 'fill-opacity': 0.12 },
      },
      {
        id: 'constraints-line',
        type: 'line',
        source: 'constraints',
        paint: { 'line-color': match('kind', styled('constraint'), '#888'), 'line-width': 1.2, 'line-dasharray': [3, 2] },
      },
      {
        id: 'parks-fill',
        type: 'fill',
        source: 'parks',
        paint: { 'fill-color': '#e8e2d0', 'fill-opacity': 0.55 },
      },
      // Roads being built or planned: dashed, and not part of the routes.
      {
        id: 'roads-unbuilt',
        type: 'line',
        source: 'roads',
        filter: ['!=', ['get', 'status'], 'existing'],
        paint: { 'line-color': '#9b2c2c', 'line-width': 2, 'line-dasharray': [2, 2], 'line-opacity': 0.7 },
      },
      {
        id: 'roads',
        type: 'line',
        source: 'roads',
        filter: ['==', ['get', 'status'], 'existing'],
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: {
          'line-color': match('class', styled('road'), '#ccc'),
          'line-width': [
            'interpolate',
            ['linear'],
            ['zoom'],
            8,
            ['*', 0.6, match('class', styled('road', 'width'), 1)],
            14,
            ['*', 2.4, match('class', styled('road', 'width'), 1)],
          ],
        },
      },
      {
        id: 'plots-fill',
        type: 'fill',
        source: 'plots',
        'source-layer': 'plots',
        paint: { 'fill-color': match('status', styled('status'), '#999'), 'fill-opacity': 0.85 },
      },
      {
        id: 'plots-line',
        type: 'line',
        source: 'plots',
        'source-layer': 'plots',
        minzoom: 12,
        paint: { 'line-color': '#ffffff', 'line-width': 0.6 },
      },
      {
        id: 'idle-hatch',
        type: 'fill',
        source: 'idle',
        'source-layer': 'idle-land',
        filter: ['in', ['get', 'kind'], ['literal', Object.keys(styled('status', 'hatch'))]],
        paint: { 'fill-pattern': ['match', ['get', 'kind'], ...Object.keys(styled('status', 'hatch')).flatMap((c) => [c, `hatch-${c}`]), 'hatch-inefficient'] },
      },
      {
        id: 'idle-line',
        type: 'line',
        source: 'idle',
        'source-layer': 'idle-land',
        filter: ['in', ['get', 'kind'], ['literal', Object.keys(styled('status', 'hatch'))]],
        paint: { 'line-color': match('kind', styled('status', 'hatch'), '#b35806'), 'line-width': 1.6 },
      },
      {
        id: 'parks-line',
        type: 'line',
        source: 'parks',
        paint: { 'line-color': '#5a4a2f', 'line-width': ['interpolate', ['linear'], ['zoom'], 6, 1, 14, 2.5] },
      },
      {
        id: 'isochrone',
        type: 'fill',
        source: 'isochrone',
        paint: { 'fill-color': '#805ad5', 'fill-opacity': 0.15, 'fill-outline-color': '#553c9a' },
      },
      {
        id: 'sites-fill',
        type: 'fill',
        source: 'sites',
        paint: { 'fill-color': '#ffd400', 'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.75, 0.35] },
      },
      {
        id: 'sites-line',
        type: 'line',
        source: 'sites',
        paint: { 'line-color': '#1a1a1a', 'line-width': ['case', ['boolean', ['feature-state', 'hover'], false], 4, 2] },
      },
      { id: 'selected', type: 'line', source: 'selected', paint: { 'line-color': '#00bcd4', 'line-width': 3.5 } },
      {
        id: 'nodes',
        type: 'symbol',
        source: 'nodes',
        layout: { 'icon-image': ['concat', 'node-', ['get', 'kind']], 'icon-allow-overlap': true, 'icon-size': 1 },
        // A node not open yet is drawn faint.
        paint: { 'icon-opacity': ['case', ['==', ['get', 'status'], 'existing'], 1, 0.4] },
      },
    ],
  };
}

/** Images the style uses: hatching for idle land, node icons drawn with the page's font. */
export function addImages(map) {
  const ratio = 2;
  const canvasImage = (w, h, draw) => {
    const c = document.createElement('canvas');
    c.width = w * ratio;
    c.height = h * ratio;
    const g = c.getContext('2d');
    g.scale(ratio, ratio);
    draw(g);
    return g.getImageData(0, 0, c.width, c.height);
  };
  const hatch = (colour) =>
    canvasImage(8, 8, (g) => {
      g.strokeStyle = colour;
      g.lineWidth = 1.6;
      g.beginPath();
      g.moveTo(0, 8);
      g.lineTo(8, 0);
      g.moveTo(-2, 2);
      g.lineTo(2, -2);
      g.moveTo(6, 10);
      g.lineTo(10, 6);
      g.stroke();
    });
  for (const [status, ink] of Object.entries(styled('status', 'hatch'))) map.addImage(`hatch-${status}`, hatch(ink), { pixelRatio: ratio });
  for (const kind of codes('node')) {
    const { colour, mark } = styleOf('node', kind);
    map.addImage(
      `node-${kind}`,
      canvasImage(22, 22, (g) => {
        g.fillStyle = colour;
        g.strokeStyle = '#fff';
        g.lineWidth = 2;
        g.beginPath();
        g.roundRect(1, 1, 20, 20, 5);
        g.fill();
        g.stroke();
        g.fillStyle = '#fff';
        g.font = 'bold 13px "WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
        g.textAlign = 'center';
        g.textBaseline = 'middle';
        g.fillText(mark, 11, 12);
      }),
      { pixelRatio: ratio },
    );
  }
}

export function setGroupVisible(map, group, visible) {
  for (const id of GROUPS[group]) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
}
