// The idle land view: /analysis/idle-check for a date, most overdue first, each line
// taking the map to its plot.
import { json } from './api.js';
import { clear, h } from './dom.js';
import { bboxOf } from './geometry.js';
import { name, number, t } from './i18n.js';
import * as state from './state.js';

let ctx;
let asOf = null;
let answer = null;

export function init(context) {
  ctx = context;
  asOf = state.read().idle || new Date().toISOString().slice(0, 10);
  render();
  if (state.read().idle) run();
}

export function render() {
  clear(
    ctx.panel,
    h(
      'form',
      {
        id: 'idle-form',
        onsubmit: (e) => {
          e.preventDefault();
          asOf = e.target.as_of.value;
          run();
        },
      },
      h('label', {}, t('idle.as_of'), h('input', { type: 'date', name: 'as_of', required: true, value: asOf })),
      h('button', { type: 'submit', class: 'primary' }, t('idle.run')),
    ),
    h('div', { id: 'idle-results', 'aria-live': 'polite' }),
  );
  if (answer) show();
}

async function run() {
  state.write({ idle: asOf, panel: 'idle' });
  const out = document.getElementById('idle-results');
  clear(out, h('p', { class: 'busy' }, t('loading')));
  try {
    answer = await json(`analysis/idle-check?as_of=${encodeURIComponent(asOf)}`);
    ctx.status(t('ready'));
    show();
  } catch (e) {
    answer = null;
    clear(out, h('p', { class: 'error', role: 'alert' }, e.message));
    ctx.status(e.message, true);
  }
}

function show() {
  const out = document.getElementById('idle-results');
  const hits = [...answer.features].sort((a, b) => b.properties.days_overdue - a.properties.days_overdue);
  if (!hits.length) {
    clear(out, h('p', { class: 'empty' }, t('idle.none')));
    return;
  }
  clear(
    out,
    h('p', {}, t('idle.results', hits.length)),
    h(
      'ol',
      { class: 'idle-list' },
      hits.map((f) => {
        const p = f.properties;
        return h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'idle-pick',
              'data-plot': String(p.plot_id),
              onclick: () => {
                ctx.map.fitBounds(bboxOf(f.geometry), { padding: 80, maxZoom: 16, duration: 600 });
                ctx.select('plot', p.plot_id, f.geometry);
              },
            },
            h('strong', {}, p.code),
            h('span', {}, `${name('rule', p.rule)} · ${t('idle.overdue', number(p.days_overdue, 0))}`),
            h('span', {}, `${number(p.area_mu, 1)} ${t('unit.mu')}${p.fee_wan ? ` · ${t('idle.fee', number(p.fee_wan, 1))}` : ''}`),
            h('span', { class: 'measures' }, p.measures.map((m) => name('measure', m)).join('、')),
          ),
        );
      }),
    ),
  );
}
