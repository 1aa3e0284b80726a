// The map view in a real browser (Debian's chromium through playwright-core), against a
// running parkland with the demo data. Run by tests/map_view.rs:
//   node tests/browser/map_view.mjs BASE_URL SCREENSHOT_DIR PLOT_JSON
// PLOT_JSON describes one plot, from the database: {id, code, lon, lat, status,
// status_zh, status_en, area_mu}. Exits non-zero with the first failed check.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from '../../web/node_modules/playwright-core/index.mjs';

const [base, shots, plotJson] = process.argv.slice(2);
const plot = JSON.parse(plotJson);
const origin = new URL(base).origin;
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

const problems = [];
async function open(url, viewport = { width: 1366, height: 768 }) {
  const page = await browser.newPage({ viewport });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`request outside parkland: ${u}`);
  });
  // The map cancels tiles it no longer needs (ERR_ABORTED) when it moves: not a failure.
  page.on('requestfailed', (r) => { if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`); });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  await idle(page);
  return page;
}

/** Waits until the map has drawn everything it asked for. */
async function idle(page) {
  await page.evaluate(() => new Promise((resolve) => {
    const map = window.parklandMap;
    if (map.loaded() && map.areTilesLoaded() && !map.isMoving()) resolve();
    else map.once('idle', resolve);
  }));
}

const step = (name) => console.log(`map view: ${name}`);

// 1. The page loads, draws plots from the tiles, asks nothing of any other address.
step('load at the plot');
const page = await open(`${base}/map/#map=16/${plot.lat}/${plot.lon}`);
const at = await page.evaluate(({ lon, lat }) => {
  const map = window.parklandMap;
  const p = map.project([lon, lat]);
  const rect = map.getCanvas().getBoundingClientRect();
  const hits = map.queryRenderedFeatures(p, { layers: ['plots-fill'] });
  return { x: rect.left + p.x, y: rect.top + p.y, ids: hits.map((f) => f.id), drawn: map.queryRenderedFeatures({ layers: ['plots-fill'] }).length };
}, plot);
assert.ok(at.drawn > 10, `plots drawn in view: ${at.drawn}; the page said: ${problems.join("; ") || "nothing"}`);
assert.ok(at.ids.includes(plot.id), `plot ${plot.id} is drawn at its own place: ${JSON.stringify(at.ids)}`);
const legendCount = await page.textContent(`#legend li[data-status="${plot.status}"] .count`);
assert.ok(Number(legendCount.replace(/\D/g, '')) >= 1, `the legend counts the plot's status: '${legendCount}'`);
await page.screenshot({ path: `${shots}/map.png` });

// 2. A click opens the plot's card with its code, status and area.
step('click the plot');
await page.mouse.click(at.x, at.y);
const card = page.locator(`.maplibregl-popup .card[data-kind="plot"][data-id="${plot.id}"]`);
await card.waitFor({ timeout: 15000 });
const text = await card.textContent();
assert.ok(text.includes(plot.code), `the card names ${plot.code}: ${text}`);
assert.equal(await card.locator('[data-field="status"]').textContent(), plot.status_zh);
const shownArea = Number((await card.locator('[data-field="area_mu"]').textContent()).replace(/[^\d.]/g, ''));
assert.ok(Math.abs(shownArea - plot.area_mu) < 0.001, `area ${shownArea} vs ${plot.area_mu}`);
assert.ok(text.includes('测试编辑: land_price_wan'), `the card shows the recorded change: ${text}`);
await page.screenshot({ path: `${shots}/popup.png` });

// 3. English: labels, legend and the open card change language.
step('switch to English');
await page.click('#lang');
await page.locator(`.maplibregl-popup [data-field="status"]:text-is("${plot.status_en}")`).waitFor({ timeout: 15000 });
assert.equal(await page.textContent('[data-panel="search"]'), 'Site search');
assert.equal(await page.textContent('#legend h2'), 'Plot status (in view)');
assert.equal(await page.getAttribute('html', 'lang'), 'en');
await page.screenshot({ path: `${shots}/english.png` });

// 4. A site search for 300 mu: at least one site, highlighted on the map, and the first
// one's area and score equal the API's answer to the same request.
step('site search');
await page.keyboard.press('Escape');
await page.click('[data-panel="search"]');
await page.fill('#search-form input[name="demand_mu"]', '300');
await page.click('#search-form button[type="submit"]');
await page.locator('.site').first().waitFor({ timeout: 60000 });
const first = page.locator('.site-pick').first();
const shown = { area: Number(await first.getAttribute('data-area')), score: Number(await first.getAttribute('data-score')) };
const sent = JSON.parse(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('search'));
assert.equal(sent.demand_mu, 300);
const api = await (await fetch(`${base}/analysis/availability`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...sent, limit: 20 }),
})).json();
assert.ok(api.features.length >= 1, 'the API finds a site');
assert.equal(shown.area, api.features[0].properties.area_mu);
assert.equal(shown.score, api.features[0].properties.score);
// The results as files: CSV with a byte-order mark for Excel, one row a site.
const [csv] = await Promise.all([page.waitForEvent('download'), page.click('.result-head button:nth-of-type(2)')]);
const csvText = (await (await csv.createReadStream()).toArray()).join('');
assert.ok(csvText.startsWith('\ufeffrank,park_id'), `CSV header: ${csvText.slice(0, 40)}`);
assert.equal(csvText.trim().split('\r\n').length, api.features.length + 1);
// The isochrone of the first site's interchange is drawn.
await page.locator('.site').first().locator('button.link').first().click();
await page.waitForFunction(() => window.parklandMap.queryRenderedFeatures({ layers: ['isochrone'] }).length > 0, null, { timeout: 15000 });
await first.click();
await page.waitForTimeout(800);
await idle(page);
const lit = await page.evaluate(() => {
  const map = window.parklandMap;
  return { state: map.getFeatureState({ source: 'sites', id: 0 }), drawn: map.queryRenderedFeatures({ layers: ['sites-fill'] }).map((f) => f.id) };
});
assert.equal(lit.state.hover, true, 'the chosen site is highlighted');
assert.ok(lit.drawn.includes(0), `the chosen site is drawn in view: ${JSON.stringify(lit.drawn)}`);
assert.ok(await page.locator('.site.active[data-rank="1"]').count() === 1, 'the list marks the chosen site');

// 5. Hide a layer; the address now holds view, language, layers, panel and search.
await page.click('[data-panel="layers"]');
await page.uncheck('input[name="layer"][value="constraints"]');
await page.click('[data-panel="search"]');
await page.screenshot({ path: `${shots}/search.png` });
const link = page.url();
const before = await page.evaluate(() => ({ z: window.parklandMap.getZoom(), c: window.parklandMap.getCenter() }));

step('reopen the copied link');
const again = await open(link);
await again.locator('.site').first().waitFor({ timeout: 60000 });
const after = await again.evaluate(() => ({
  z: window.parklandMap.getZoom(),
  c: window.parklandMap.getCenter(),
  constraints: window.parklandMap.getLayoutProperty('constraints-fill', 'visibility'),
}));
assert.ok(Math.abs(after.z - before.z) < 0.01, `zoom ${after.z} vs ${before.z}`);
assert.ok(Math.abs(after.c.lng - before.c.lng) < 1e-4 && Math.abs(after.c.lat - before.c.lat) < 1e-4, 'same centre');
assert.equal(after.constraints, 'none', 'the hidden layer stays hidden');
assert.equal(await again.getAttribute('[data-panel="search"]', 'aria-selected'), 'true', 'the search panel is open');
assert.equal(await again.isVisible('#panel-search'), true);
assert.equal(await again.textContent('[data-panel="search"]'), 'Site search', 'still in English');
assert.equal(Number(await again.locator('.site-pick').first().getAttribute('data-area')), shown.area, 'the same first site');
await again.close();

// 6. The idle land view lists the API's findings, most overdue first, and takes the map
// to a plot.
step('idle land');
await page.click('[data-panel="idle"]');
await page.fill('#idle-form input[name="as_of"]', '2026-10-31');
await page.click('#idle-form button[type="submit"]');
await page.locator('.idle-pick').first().waitFor({ timeout: 30000 });
const idleApi = await (await fetch(`${base}/analysis/idle-check?as_of=2026-10-31`)).json();
assert.equal(await page.locator('.idle-pick').count(), idleApi.features.length);
const most = Math.max(...idleApi.features.map((f) => f.properties.days_overdue));
const firstIdle = await page.locator('.idle-pick').first().getAttribute('data-plot');
assert.equal(idleApi.features.find((f) => String(f.properties.plot_id) === firstIdle).properties.days_overdue, most);
await page.locator('.idle-pick').first().click();
await page.locator(`.maplibregl-popup .card[data-kind="plot"][data-id="${firstIdle}"]`).waitFor({ timeout: 15000 });
await page.close();

// 7. An impossible request says in words which condition left nothing.
step('impossible search');
const lone = await open(`${base}/map/#panel=search`);
await lone.fill('#search-form input[name="demand_mu"]', '90000');
await lone.click('#search-form button[type="submit"]');
const empty = await lone.locator('#search-results .empty').textContent({ timeout: 60000 });
assert.ok(empty.includes('没有足够大的连片用地'), `the diagnostics name contiguity: ${empty}`);
assert.ok(await lone.locator('.diagnostics li').count() >= 6, 'every condition is listed');
await lone.close();

// 7b. Transport not open yet: an airport within 30 minutes at 连州 only with planned
// nodes counted, and the planned airport marked as not open.
step('planned transport');
const far = await open(`${base}/map/#panel=search`);
await far.fill('#search-form input[name="demand_mu"]', '50');
await far.locator('#search-form details').first().evaluate((d) => { d.open = true; });
await far.check('#search-form input[name="parks"][value="GQ-08"]');
await far.fill('#search-form input[name="access.airport"]', '30');
await far.click('#search-form button[type="submit"]');
await far.locator('#search-results .empty').waitFor({ timeout: 60000 });
await far.check('#search-form input[name="include_planned"]');
await far.click('#search-form button[type="submit"]');
await far.locator('.site').first().waitFor({ timeout: 60000 });
const mark = await far.locator('.site').first().locator('.not-open').first().textContent();
assert.ok(mark.includes('未开通'), `the planned airport is marked: ${mark}`);
await far.close();

// 8. A phone: everything fits the width.
step('phone width');
const phone = await open(`${base}/map/`, { width: 390, height: 844 });
const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
assert.ok(overflow <= 0, `no sideways scrolling on a phone (${overflow} px too wide)`);
await phone.screenshot({ path: `${shots}/phone.png` });
await phone.close();

await browser.close();
assert.deepEqual(problems, [], problems.join('\n'));
console.log(`map view: every check passed; screenshots in ${shots}`);
