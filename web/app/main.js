// The map view: wires the map, the panels, the language and the address together.
import * as maplibregl from '../vendor/maplibre-gl/maplibre-gl.mjs';
import { json, transformRequest } from './api.js';
import { clear, h } from './dom.js';
import { bboxOf, labelPoint } from './geometry.js';
import { codes, getLang, localized, name, number, setLang, setVocabularies, styleOf, t, translatePage } from './i18n.js';
import * as idle from './idle.js';
import { parkCard, plotCard } from './inspect.js';
import { addImages, colour, GROUPS, setGroupVisible, style } from './layers.js';
import * as search from './search.js';
import * as state from './state.js';

const PANELS = { layers: renderLayersPanel, search: () => search.render(), idle: () => idle.render() };
const initial = state.read();
setLang(initial.lang);
const visible = new Set(initial.layers ? initial.layers.split(',').filter((g) => g in GROUPS) : Object.keys(GROUPS));
let panel = initial.panel in PANELS ? initial.panel : 'layers';

const statusEl = document.getElementById('status');
function status(text, error = false) {
  statusEl.textContent = text;
  statusEl.classList.toggle('error', error);
}

// Where reads are private this asks for the token before the map asks for data; then the
// codes and their names and colours, which the map's style is made from.
try {
  await json('conformance');
  setVocabularies(await json('vocabularies'));
} catch (e) {
  status(e.message, true);
}

const view = state.parseView(initial.map);
const map = new maplibregl.Map({
  container: 'map',
  style: style(),
  center: view?.center ?? [113.05, 23.9],
  zoom: view?.zoom ?? 7.5,
  attributionControl: false,
  transformRequest,
  // Park names are page elements; the map itself needs no font server.
  localIdeographFontFamily: '"WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif',
});
map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
window.parklandMap = map; // for the browser tests and for people at the console

let parks = [];
const parkLabels = [];
const popup = new maplibregl.Popup({ maxWidth: '360px', closeButton: true, focusAfterOpen: true });
popup.on('close', () => {
  state.write({ sel: null });
  map.getSource('selected')?.setData({ type: 'FeatureCollection', features: [] });
});

status(t('loading'));
map.on('error', (e) => status(t('error.network', e.error?.message || e.message || ''), true));
// Images before the first tile asks for them.
map.once('style.load', () => addImages(map));
map.on('load', async () => {
  try {
    const { basemap } = await json('map/config.json');
    if (basemap) addBasemap(basemap);
  } catch (e) {
    status(e.message, true);
  }
  for (const g of Object.keys(GROUPS)) setGroupVisible(map, g, visible.has(g));
  try {
    // Parks recorded before they are drawn have no geometry: nothing to show on the map.
    parks = (await json('collections/parks/items?limit=1000')).features.filter((f) => f.geometry);
    map.getSource('parks').setData({ type: 'FeatureCollection', features: parks.map((f) => ({ ...f, properties: { ...f.properties, park_id: f.id } })) });
  } catch (e) {
    status(e.message, true);
  }
  drawParkLabels();
  if (!view && parks.length) {
    const all = { type: 'GeometryCollection', geometries: parks.map((p) => p.geometry) };
    map.fitBounds(bboxOf(all), { padding: 30, duration: 0 });
  }
  const context = (el) => ({ map, parks, status, panel: el, select, parkName });
  search.init(context(document.getElementById('panel-search')));
  idle.init(context(document.getElementById('panel-idle')));
  renderLayersPanel();
  showPanel(panel);
  if (initial.sel) {
    const [kind, id] = initial.sel.split(':');
    select(kind, id);
  }
  status(t('ready'));
  map.once('idle', () => document.body.setAttribute('data-ready', 'true'));
});

map.on('moveend', () => state.write({ map: state.viewOf(map) }));
map.on('idle', updateLegend);

// Clicks: a plot before its park, a transport node before either.
map.on('click', (e) => {
  const hit = map.queryRenderedFeatures(e.point, {
    layers: ['nodes', 'plots-fill', 'parks-fill'].filter((l) => map.getLayoutProperty(l, 'visibility') !== 'none'),
  });
  const node = hit.find((f) => f.layer.id === 'nodes');
  const plot = hit.find((f) => f.layer.id === 'plots-fill');
  const park = hit.find((f) => f.layer.id === 'parks-fill');
  if (node) showNode(node, e.lngLat);
  else if (plot) select('plot', plot.id, null, e.lngLat);
  else if (park) select('park', park.properties.park_id, null, e.lngLat);
});
for (const layer of ['plots-fill', 'parks-fill', 'nodes']) {
  map.on('mouseenter', layer, () => {
    map.getCanvas().style.cursor = 'pointer';
  });
  map.on('mouseleave', layer, () => {
    map.getCanvas().style.cursor = '';
  });
}

// A configured raster basemap goes under every layer of parkland's own.
function addBasemap(b) {
  map.addSource('basemap', { type: 'raster', tiles: [b.tiles], tileSize: 256, attribution: b.attribution || undefined });
  map.addLayer({ id: 'basemap', type: 'raster', source: 'basemap' }, 'constraints-fill');
  map.addControl(new maplibregl.AttributionControl({ compact: true }), 'bottom-left');
  GROUPS.basemap = ['basemap'];
  if (!initial.layers || initial.layers.split(',').includes('basemap')) visible.add('basemap');
}

/** Opens the card of a plot or park; `at` is where the popup points (else the shape's middle). */
async function select(kind, id, geometry = null, at = null) {
  status(t('loading'));
  try {
    let element;
    if (kind === 'plot') {
      const card = await plotCard(id, parkName);
      element = card.element;
      geometry = card.geometry;
    } else if (kind === 'park') {
      element = await parkCard(id);
      geometry = parks.find((p) => String(p.id) === String(id))?.geometry ?? geometry;
    } else return;
    map.getSource('selected').setData(geometry ? { type: 'Feature', geometry, properties: {} } : { type: 'FeatureCollection', features: [] });
    const where = at ?? (geometry ? labelPoint(geometry) : map.getCenter());
    popup.setLngLat(where).setDOMContent(element).addTo(map);
    state.write({ sel: `${kind}:${id}` });
    status(t('ready'));
  } catch (e) {
    status(e.message, true);
  }
}

function parkName(id) {
  const p = parks.find((x) => String(x.id) === String(id));
  return p ? localized(p.properties, 'name') : id;
}

function showNode(f, at) {
  const p = f.properties;
  popup
    .setLngLat(at)
    .setDOMContent(
      h(
        'div',
        { class: 'card', 'data-kind': 'node' },
        h('h2', {}, localized(p, 'name')),
        h('p', {}, name('node', p.kind)),
        p.status !== 'existing' ? h('p', { class: 'not-open' }, p.opens_on ? t('node.opens_on', p.opens_on) : t('node.not_open')) : null,
      ),
    )
    .addTo(map);
}

function drawParkLabels() {
  for (const m of parkLabels) m.remove();
  parkLabels.length = 0;
  for (const p of parks) {
    const at = labelPoint(p.geometry);
    if (!at) continue;
    const el = h(
      'button',
      { type: 'button', class: 'park-label', title: localized(p.properties, 'name'), onclick: () => select('park', p.id) },
      localized(p.properties, 'name'),
    );
    parkLabels.push(new maplibregl.Marker({ element: el, anchor: 'center' }).setLngLat(at).addTo(map));
  }
  declutterParkLabels();
}

// Labels that would cover one another: the first park listed keeps its label.
function declutterParkLabels() {
  const shown = [];
  for (const m of parkLabels) {
    const el = m.getElement();
    el.hidden = !visible.has('parks');
    if (el.hidden) continue;
    const p = map.project(m.getLngLat());
    const w = el.offsetWidth || 160;
    const hgt = el.offsetHeight || 20;
    const box = [p.x - w / 2, p.y - hgt / 2, p.x + w / 2, p.y + hgt / 2];
    el.hidden = shown.some((b) => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1]);
    if (!el.hidden) shown.push(box);
  }
}
map.on('moveend', declutterParkLabels);

function renderLayersPanel() {
  const el = document.getElementById('panel-layers');
  clear(
    el,
    h(
      'fieldset',
      {},
      h('legend', {}, t('panel.layers')),
      Object.keys(GROUPS).map((g) =>
        h(
          'label',
          { class: 'check' },
          h('input', { type: 'checkbox', name: 'layer', value: g, checked: visible.has(g), onchange: (e) => toggleGroup(g, e.target.checked) }),
          ' ',
          t(`layer.${g}`),
        ),
      ),
    ),
  );
}

function toggleGroup(g, on) {
  if (on) visible.add(g);
  else visible.delete(g);
  setGroupVisible(map, g, on);
  if (g === 'parks') declutterParkLabels();
  state.write({ layers: visible.size === Object.keys(GROUPS).length ? null : [...visible].join(',') || 'none' });
  updateLegend();
}

function showPanel(p) {
  panel = p;
  for (const b of document.querySelectorAll('[data-panel]')) b.setAttribute('aria-selected', String(b.dataset.panel === p));
  for (const s of document.querySelectorAll('.panel')) s.hidden = s.id !== `panel-${p}`;
  state.write({ panel: p === 'layers' ? null : p });
}

for (const b of document.querySelectorAll('[data-panel]')) b.addEventListener('click', () => showPanel(b.dataset.panel));

// The legend counts the plots drawn in view, each plot once (tiles cut plots in pieces).
function updateLegend() {
  const el = document.getElementById('legend');
  const counts = {};
  const plotsShown = visible.has('plots') && map.getZoom() >= 10;
  if (plotsShown) {
    const seen = new Set();
    for (const f of map.queryRenderedFeatures({ layers: ['plots-fill'] })) {
      if (seen.has(f.id)) continue;
      seen.add(f.id);
      counts[f.properties.status] = (counts[f.properties.status] || 0) + 1;
    }
  }
  const swatch = (colour, cls = 'swatch') => h('span', { class: cls, style: { background: colour } });
  clear(
    el,
    h('h2', {}, t('legend.title')),
    plotsShown ? null : h('p', { class: 'hint' }, t('legend.zoom')),
    h(
      'ul',
      {},
      codes('status').map((s) =>
        h(
          'li',
          { 'data-status': s },
          swatch(colour('status', s), styleOf('status', s)?.hatch ? 'swatch hatched' : 'swatch'),
          name('status', s),
          h('span', { class: 'count' }, plotsShown ? number(counts[s] || 0, 0) : ''),
        ),
      ),
    ),
    h('h2', {}, t('legend.nodes')),
    h(
      'ul',
      { class: 'compact' },
      codes('node').map((k) =>
        h('li', {}, h('span', { class: 'node-icon', style: { background: colour('node', k) } }, styleOf('node', k).mark), name('node', k)),
      ),
    ),
    h('h2', {}, t('legend.roads')),
    h(
      'ul',
      { class: 'compact' },
      codes('road')
        .slice(0, 5)
        .map((k) =>
          h('li', {}, h('span', { class: 'road', style: { background: colour('road', k), height: `${styleOf('road', k).width + 1}px` } }), name('road', k)),
        ),
    ),
    h('h2', {}, t('legend.constraints')),
    h(
      'ul',
      { class: 'compact' },
      codes('constraint').map((k) => h('li', {}, swatch(colour('constraint', k), 'swatch outline'), name('constraint', k))),
    ),
  );
}

// The language switch redraws every text the page made.
const langButton = document.getElementById('lang');
function applyLang() {
  translatePage();
  langButton.textContent = t('lang.switch');
  langButton.setAttribute('aria-label', t('lang.label'));
}
langButton.addEventListener('click', () => {
  setLang(getLang() === 'zh' ? 'en' : 'zh');
  state.write({ lang: getLang() === 'en' ? 'en' : null });
  applyLang();
  renderLayersPanel();
  search.render();
  idle.render();
  drawParkLabels();
  updateLegend();
  const sel = state.read().sel;
  if (popup.isOpen() && sel) {
    const [kind, id] = sel.split(':');
    select(kind, id, null, popup.getLngLat());
  }
});
applyLang();
