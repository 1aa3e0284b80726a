// What the map draws, from parkland's own data only: no basemap and no font server (text
// is drawn by the page, so the map needs no glyphs). Plots and idle findings come as
// vector tiles; parks, roads, nodes and constraints as GeoJSON (a few thousand features).
import { API, tiles } from './api.js';
import { codes } from './i18n.js';

export const STATUS_COLOURS = {
  available: '#1a9850',
  approved_unsupplied: '#91cf60',
  reserve: '#d9ef8b',
  supplied: '#92c5de',
  under_construction: '#f4a582',
  in_production: '#4575b4',
  idle: '#d73027',
  inefficient: '#fc8d59',
  unavailable: '#bdbdbd',
};

export const NODE_STYLE = {
  highway_interchange: { colour: '#2b6cb0', mark: '高' },
  rail_station: { colour: '#6b46c1', mark: '站' },
  rail_freight: { colour: '#553c9a', mark: '货' },
  port: { colour: '#0987a0', mark: '港' },
  airport: { colour: '#b7791f', mark: '空' },
};

export const ROAD_STYLE = {
  expressway: { colour: '#e07b39', width: 3 },
  national: { colour: '#d69e2e', width: 2.2 },
  provincial: { colour: '#c9a227', width: 1.8 },
  county: { colour: '#a0aec0', width: 1.2 },
  estate: { colour: '#cbd5e0', width: 1 },
  access: { colour: '#e2e8f0', width: 0.8 },
};

export const CONSTRAINT_COLOURS = {
  ecological_redline: '#c53030',
  permanent_farmland: '#d4a017',
  flood: '#3182ce',
  water_source: '#319795',
};

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
        paint: { 'fill-color': match('kind', CONSTRAINT_COLOURS, '#888'), 'fill-opacity': 0.12 },
      },
      {
        id: 'constraints-line',
        type: 'line',
        source: 'constraints',
        paint: { 'line-color': match('kind', CONSTRAINT_COLOURS, '#888'), 'line-width': 1.2, 'line-dasharray': [3, 2] },
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
          'line-color': match('class', Object.fromEntries(Object.entries(ROAD_STYLE).map(([k, v]) => [k, v.colour])), '#ccc'),
          'line-width': [
            'interpolate',
            ['linear'],
            ['zoom'],
            8,
            ['*', 0.6, match('class', Object.fromEntries(Object.entries(ROAD_STYLE).map(([k, v]) => [k, v.width])), 1)],
            14,
            ['*', 2.4, match('class', Object.fromEntries(Object.entries(ROAD_STYLE).map(([k, v]) => [k, v.width])), 1)],
          ],
        },
      },
      {
        id: 'plots-fill',
        type: 'fill',
        source: 'plots',
        'source-layer': 'plots',
        paint: { 'fill-color': match('status', STATUS_COLOURS, '#999'), 'fill-opacity': 0.85 },
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
        filter: ['in', ['get', 'kind'], ['literal', ['idle', 'inefficient']]],
        paint: { 'fill-pattern': ['match', ['get', 'kind'], 'idle', 'hatch-idle', 'hatch-inefficient'] },
      },
      {
        id: 'idle-line',
        type: 'line',
        source: 'idle',
        'source-layer': 'idle-land',
        filter: ['in', ['get', 'kind'], ['literal', ['idle', 'inefficient']]],
        paint: { 'line-color': ['match', ['get', 'kind'], 'idle', '#7f0000', '#b35806'], 'line-width': 1.6 },
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
  map.addImage('hatch-idle', hatch('#5c0000'), { pixelRatio: ratio });
  map.addImage('hatch-inefficient', hatch('#8c4a00'), { pixelRatio: ratio });
  for (const kind of codes('node')) {
    const { colour, mark } = NODE_STYLE[kind];
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
