// Requests to parkland. The page is served at /map/, so the API is one folder up; every
// request goes to parkland's own address.
import { t } from './i18n.js';

export const API = new URL('../', location.href).href;

export class ApiFailure extends Error {}

/** GET or POST JSON; a failure becomes an ApiFailure whose message is ready to show. */
export async function json(path, { body, signal } = {}) {
  let res;
  try {
    res = await fetch(API + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiFailure(t('error.network', e.message));
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) throw new ApiFailure(t('error.api', res.status, data?.description || text.slice(0, 200)));
  return data;
}

/** A tile URL template for a layer of /tiles (MapLibre wants it absolute). */
export function tiles(layer) {
  return `${API}tiles/${layer}/{z}/{x}/{y}.mvt`;
}
