// The site search panel: the request of POST /analysis/availability as a form, the sites best first, each shown on
// the map, the diagnostics in words when nothing fits, and the results as files.
import { json } from './api.js';
import { csv } from './csv.js';
import { clear, download, h } from './dom.js';
import { bboxOf } from './geometry.js';
import { codes, localized, name, number, t } from './i18n.js';
import * as state from './state.js';

const DEFAULT = { demand_mu: 300, include: ['available'] };

let ctx;
let request = { ...DEFAULT };
let answer = null;
let hovered = null;

export function init(context) {
  ctx = context;
  const saved = state.read().search;
  if (saved) {
    try {
      request = { ...DEFAULT, ...JSON.parse(saved) };
    } catch {
      request = { ...DEFAULT };
    }
  }
  render();
  if (saved) run();
}

/** Draws the form and the last answer again (after a language switch). */
export function render() {
  clear(ctx.panel, form(), h('div', { id: 'search-results', 'aria-live': 'polite' }));
  if (answer) showAnswer();
}

const checkboxes = (group, values, chosen, label) =>
  h(
    'fieldset',
    {},
    h('legend', {}, label),
    values.map(([value, text]) =>
      h('label', { class: 'check' }, h('input', { type: 'checkbox', name: group, value, checked: chosen.includes(value) }), ' ', text),
    ),
  );

function form() {
  const parks = ctx.parks.map((p) => [p.id, `${p.id} ${localized(p.properties, 'name')}`]);
  return h(
    'form',
    {
      id: 'search-form',
      onsubmit: (e) => {
        e.preventDefault();
        request = readForm(e.target);
        run();
      },
    },
    h(
      'label',
      {},
      t('search.demand'),
      h('input', { type: 'number', name: 'demand_mu', min: '1', max: '100000', step: 'any', required: true, value: request.demand_mu }),
    ),
    h(
      'label',
      {},
      t('search.land_use'),
      h('input', {
        type: 'text',
        name: 'land_use',
        inputmode: 'numeric',
        pattern: '[0-9]{2,6}',
        placeholder: t('search.land_use_hint'),
        value: (request.land_use || []).join(''),
      }),
    ),
    h('label', {}, t('search.industry'), h('input', { type: 'text', name: 'industry', placeholder: t('search.industry_hint'), value: request.industry || '' })),
    h(
      'details',
      { open: (request.parks || []).length > 0 },
      h('summary', {}, t('search.parks')),
      checkboxes('parks', parks, request.parks || [], t('search.parks')),
    ),
    checkboxes(
      'include',
      codes('status').map((s) => [s, name('status', s)]),
      request.include || [],
      t('search.include'),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, t('search.access')),
      codes('node').map((k) =>
        h(
          'div',
          { class: 'inline' },
          h('span', {}, name('node', k)),
          h('input', {
            type: 'number',
            name: `access.${k}`,
            min: '1',
            max: '600',
            step: 'any',
            'aria-label': `${name('node', k)} ${t('unit.min')}`,
            placeholder: t('unit.min'),
            value: request.access?.[k]?.max_minutes ?? '',
          }),
          h('input', {
            type: 'number',
            name: `access_km.${k}`,
            min: '1',
            max: '1000',
            step: 'any',
            'aria-label': `${name('node', k)} ${t('unit.km')}`,
            placeholder: t('unit.km'),
            value: request.access?.[k]?.max_km ?? '',
          }),
        ),
      ),
      h('label', {}, h('input', { type: 'checkbox', name: 'include_planned', checked: request.include_planned === true }), ' ', t('search.include_planned')),
    ),
    h(
      'details',
      { open: (request.infrastructure || []).length > 0 },
      h('summary', {}, t('search.infrastructure')),
      checkboxes(
        'infrastructure',
        codes('utility').map((u) => [u, name('utility', u)]),
        request.infrastructure || [],
        t('search.infrastructure'),
      ),
    ),
    checkboxes(
      'exclude_constraints',
      codes('constraint').map((c) => [c, name('constraint', c)]),
      request.exclude_constraints || [],
      t('search.constraints'),
    ),
    h('button', { type: 'submit', class: 'primary' }, t('search.run')),
  );
}

function readForm(f) {
  const all = (n) => [...f.querySelectorAll(`input[name="${n}"]:checked`)].map((i) => i.value);
  const r = { demand_mu: Number(f.demand_mu.value), include: all('include') };
  const lu = f.land_use.value.trim();
  if (lu) r.land_use = [lu];
  const industry = f.industry.value.trim();
  if (industry) r.industry = industry;
  const parks = all('parks');
  if (parks.length) r.parks = parks;
  const access = {};
  for (const k of codes('node')) {
    const minutes = f.querySelector(`input[name="access.${k}"]`).value;
    const km = f.querySelector(`input[name="access_km.${k}"]`).value;
    if (minutes || km) access[k] = { ...(minutes ? { max_minutes: Number(minutes) } : {}), ...(km ? { max_km: Number(km) } : {}) };
  }
  if (Object.keys(access).length) r.access = access;
  if (f.querySelector('input[name="include_planned"]').checked) r.include_planned = true;
  for (const key of ['infrastructure', 'exclude_constraints']) {
    const v = all(key);
    if (v.length) r[key] = v;
  }
  return r;
}

let inflight = null;

async function run() {
  inflight?.abort();
  const ctrl = new AbortController();
  inflight = ctrl;
  state.write({ search: JSON.stringify(request), panel: 'search' });
  const out = document.getElementById('search-results');
  clear(out, h('p', { class: 'busy' }, t('search.running')));
  ctx.status(t('search.running'));
  try {
    answer = await json('analysis/availability', { body: { ...request, limit: 20 }, signal: ctrl.signal });
    ctx.status(t('ready'));
    showAnswer();
  } catch (e) {
    if (e.name === 'AbortError') return;
    answer = null;
    clear(out, h('p', { class: 'error', role: 'alert' }, e.message));
    ctx.status(e.message, true);
  }
}

function showAnswer() {
  const out = document.getElementById('search-results');
  const sites = answer.features;
  const source = ctx.map.getSource('sites');
  source?.setData({ type: 'FeatureCollection', features: sites.map((f, i) => ({ ...f, id: i })) });
  if (!sites.length) {
    const d = answer.diagnostics;
    clear(
      out,
      h('p', { class: 'empty', role: 'status' }, t('search.empty'), ' ', d.empty_because ? d.empty_because.description : ''),
      h(
        'ul',
        { class: 'diagnostics' },
        d.steps.map((s) => h('li', {}, t('search.removed', name('condition', s.condition), number(s.removed_mu, 1), number(s.remaining_mu, 1)))),
      ),
    );
    return;
  }
  clear(
    out,
    h(
      'div',
      { class: 'result-head' },
      h('p', {}, t('search.results', sites.length)),
      h('button', { type: 'button', onclick: exportGeoJSON }, t('search.export_geojson')),
      h('button', { type: 'button', onclick: exportCSV }, t('search.export_csv')),
    ),
    h(
      'ol',
      { class: 'sites' },
      sites.map((f, i) => siteItem(f, i)),
    ),
  );
  out.scrollIntoView({ block: 'start' });
}

function siteItem(f, i) {
  const p = f.properties;
  const access = Object.entries(p.access || {});
  return h(
    'li',
    { class: 'site', 'data-rank': String(i + 1) },
    h(
      'button',
      {
        type: 'button',
        class: 'site-pick',
        'data-area': String(p.area_mu),
        'data-score': String(p.score),
        onmouseenter: () => highlight(i),
        onfocus: () => highlight(i),
        onclick: () => fit(f, i),
      },
      h('strong', {}, `${t('search.site', i + 1)} · ${ctx.parkName(p.park_id)}`),
      h('span', { class: 'area' }, `${number(p.area_mu, 1)} ${t('unit.mu')}`),
      h('span', { class: 'score' }, `${t('search.score')} ${number(p.score, 3)}`),
    ),
    h(
      'div',
      { class: 'site-detail' },
      h(
        'div',
        {},
        `${t('search.parts')}: `,
        Object.entries(p.score_parts)
          .map(([k, v]) => `${name('part', k)} ${number(v, 2)}`)
          .join(' · '),
      ),
      h(
        'div',
        {},
        `${t('search.nearest')}: `,
        access.map(([kind, a], j) => [
          j ? ' · ' : '',
          `${name('node', kind)} ${localizedNode(a)}`,
          a.open === false ? h('span', { class: 'not-open' }, a.opens_on ? t('node.opens_on', a.opens_on) : t('node.not_open')) : null,
          ` ${number(a.minutes, 0)} ${t('unit.min')} / ${number(a.road_km ?? a.km, 1)} ${t('unit.km')} `,
          a.node_id
            ? h(
                'button',
                { type: 'button', class: 'link', onclick: () => isochrone(a.node_id, limitFor(kind), a.open === false) },
                t('search.isochrone', limitFor(kind)),
              )
            : null,
        ]),
      ),
      h(
        'div',
        {},
        `${t('search.missing')}: `,
        p.infrastructure_missing.length ? p.infrastructure_missing.map((u) => name('utility', u)).join('、') : t('search.none'),
      ),
    ),
  );
}

const localizedNode = (a) => (document.documentElement.lang === 'en' && a.name_en) || a.name || '';
const limitFor = (kind) => request.access?.[kind]?.max_minutes ?? 15;

function highlight(i) {
  if (hovered !== null) ctx.map.setFeatureState({ source: 'sites', id: hovered }, { hover: false });
  hovered = i;
  ctx.map.setFeatureState({ source: 'sites', id: i }, { hover: true });
  for (const li of document.querySelectorAll('.site')) li.classList.toggle('active', li.dataset.rank === String(i + 1));
}

function fit(f, i) {
  highlight(i);
  ctx.map.fitBounds(bboxOf(f.geometry), { padding: 60, maxZoom: 16, duration: 600 });
}

/** A node not open yet has an isochrone only when planned nodes are asked for. */
async function isochrone(node, minutes, notOpen) {
  try {
    ctx.status(t('loading'));
    const iso = await json(`analysis/isochrone?node=${encodeURIComponent(node)}&minutes=${minutes}${notOpen ? '&include_planned=true' : ''}`);
    ctx.map.getSource('isochrone').setData(iso);
    const b = iso.type === 'FeatureCollection' ? iso.features[0]?.geometry : iso.geometry;
    if (b) ctx.map.fitBounds(bboxOf(b), { padding: 40, duration: 600 });
    ctx.status(t('ready'));
  } catch (e) {
    ctx.status(e.message, true);
  }
}

function exportGeoJSON() {
  download('parkland-sites.geojson', 'application/geo+json', JSON.stringify({ type: 'FeatureCollection', request, features: answer.features }, null, 1));
}

function exportCSV() {
  const kinds = codes('node');
  const head = [
    'rank',
    'park_id',
    'park_name',
    'area_mu',
    'area_m2',
    'score',
    ...Object.keys(answer.features[0]?.properties.score_parts || {}),
    ...kinds.flatMap((k) => [`${k}_node`, `${k}_open`, `${k}_minutes`]),
    'infrastructure_missing',
    'plot_ids',
  ];
  const rows = answer.features.map((f, i) => {
    const p = f.properties;
    return [
      i + 1,
      p.park_id,
      p.park_name,
      p.area_mu,
      p.area_m2,
      p.score,
      ...Object.values(p.score_parts),
      ...kinds.flatMap((k) => {
        const a = p.access?.[k];
        return a ? [a.node_id, a.open, a.minutes ?? ''] : ['', '', ''];
      }),
      p.infrastructure_missing.join(' '),
      p.plot_ids.join(' '),
    ];
  });
  download('parkland-sites.csv', 'text/csv;charset=utf-8', csv([head, ...rows]));
}
