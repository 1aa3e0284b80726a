// What a click tells: a plot's record, its idle finding and its version; a park's ledger
// with a chart of its area by status, drawn here as SVG.
import { json } from './api.js';
import { h } from './dom.js';
import { codes, localized, name, number, t } from './i18n.js';
import { colour } from './layers.js';

const row = (label, ...value) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, ...value));

const perMu = (x, area) => (x === null || x === undefined || !area ? null : x / area);

/** `parkName(id)` gives a park's name in the page's language. */
export async function plotCard(id, parkName) {
  const [plot, findings, history] = await Promise.all([
    json(`collections/plots/items/${encodeURIComponent(id)}`),
    json(`collections/idle-land/items?plot_id=${encodeURIComponent(id)}&limit=20`),
    json(`collections/plots/items/${encodeURIComponent(id)}/history`),
  ]);
  const p = plot.properties;
  const area = p.area_mu;
  const finding = findings.features.map((f) => f.properties);
  return {
    geometry: plot.geometry,
    element: h(
      'div',
      { class: 'card', 'data-kind': 'plot', 'data-id': String(id) },
      h('h2', {}, t('plot.title', p.code)),
      h(
        'table',
        {},
        row(t('plot.park'), `${parkName(p.park_id)} (${p.park_id})`),
        row(t('plot.land_use'), `${p.land_use} ${localized(p, 'land_use_name')}`),
        row(
          t('plot.status'),
          h('span', { class: 'swatch', style: { background: colour('status', p.status) } }),
          ' ',
          h('span', { 'data-field': 'status' }, name('status', p.status)),
        ),
        row(t('plot.area'), h('span', { 'data-field': 'area_mu' }, `${number(area, 3)} ${t('unit.mu')}`), ` · ${number(p.area_m2, 0)} ${t('unit.m2')}`),
        p.land_user ? row(t('plot.user'), p.land_user) : null,
        row(t('plot.dates'), [p.supplied_on, p.agreed_start, p.actual_start].map((d) => d || '—').join(' / ')),
        row(t('plot.per_mu'), `${number(perMu(p.invested_wan, area), 1)} / ${number(perMu(p.tax_wan, area), 2)} ${t('unit.wan_per_mu')}`),
        row(
          t('plot.finding'),
          finding.length
            ? finding.map((f) =>
                h('div', {}, `${name('finding', f.kind)}${f.found_on ? ` (${f.found_on})` : ''}`, f.measure ? ` → ${name('measure', f.measure)}` : ''),
              )
            : t('plot.no_finding'),
        ),
        row(
          t('plot.history'),
          history.changes.length
            ? h(
                'ul',
                { class: 'history' },
                history.changes.slice(0, 5).map((c) => h('li', {}, `${c.at.slice(0, 10)} ${c.actor}: ${describeChange(c)}`)),
              )
            : t('plot.history_none'),
        ),
      ),
    ),
  };
}

/** What a change did, in a few words: the fields that changed, a status by its name. */
function describeChange(c) {
  const before = c.before?.properties || {};
  const after = c.after?.properties || {};
  const fields = Object.keys(after).filter((k) => !k.endsWith('_zh') && !k.endsWith('_en') && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  const words = fields.map((k) => (k === 'status' ? `${name('status', before[k])} → ${name('status', after[k])}` : k));
  if (JSON.stringify(c.before?.geometry) !== JSON.stringify(c.after?.geometry)) words.push(t('plot.outline'));
  return words.join(', ') || c.action;
}

/** A horizontal bar per status, its length the share of the park's plotted area. */
function statusChart(byStatus) {
  const entries = codes('status')
    .filter((s) => byStatus[s])
    .map((s) => [s, byStatus[s].area_mu]);
  const max = Math.max(1, ...entries.map(([, a]) => a));
  const barH = 16;
  const labelW = 120;
  const width = 300;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${entries.length * (barH + 4)}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('park.by_status'));
  entries.forEach(([status, a], i) => {
    const y = i * (barH + 4);
    const mk = (tag, attrs, text) => {
      const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      if (text !== undefined) el.textContent = text;
      svg.append(el);
    };
    mk('text', { x: labelW - 6, y: y + barH - 4, 'text-anchor': 'end', class: 'chart-label' }, name('status', status));
    const w = ((width - labelW - 60) * a) / max;
    mk('rect', { x: labelW, y, width: Math.max(1, w), height: barH, fill: colour('status', status) });
    mk('text', { x: labelW + w + 4, y: y + barH - 4, class: 'chart-value' }, number(a, 0));
  });
  return svg;
}

export async function parkCard(id) {
  const l = await json(`parks/${encodeURIComponent(id)}/ledger`);
  const f = l.findings || {};
  const mu = (x) => `${number(x, 0)} ${t('unit.mu')}`;
  return h(
    'div',
    { class: 'card', 'data-kind': 'park', 'data-id': id },
    h('h2', {}, localized(l, 'name')),
    h(
      'table',
      {},
      row(t('park.planned'), mu(l.planned_area_mu)),
      row(t('park.plotted'), `${mu(l.plotted_area_mu)} · ${l.plots}`),
      row(t('park.utilisation'), l.utilisation === null ? '—' : `${number(l.utilisation * 100, 1)} %`),
      row(t('park.largest'), mu(l.blocks?.largest_mu)),
      row(
        t('park.idle'),
        codes('finding')
          .map((k) => number(f[k]?.area_mu ?? 0, 0))
          .join(' / '),
      ),
      row(t('plot.per_mu'), `${number(l.per_mu?.investment_wan, 1)} / ${number(l.per_mu?.tax_wan, 2)} ${t('unit.wan_per_mu')}`),
    ),
    h('h3', {}, t('park.by_status')),
    statusChart(l.by_status || {}),
  );
}
