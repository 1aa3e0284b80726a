// Requests to parkland. The page is served at /map/, so the API is one folder up; every
// request goes to parkland's own address.
import { t } from './i18n.js';

export const API = new URL('../', location.href).href;

export class ApiFailure extends Error {}

// Where parkland's reads are private, the page asks once for a token and keeps it for the
// browser tab (sessionStorage), sending it with every request to parkland.
const TOKEN_KEY = 'parkland-token';
export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}
function authHeaders() {
  const t = token();
  return t ? { authorization: `Bearer ${t}` } : {};
}
/** For MapLibre: parkland's tiles and GeoJSON with the token. */
export function transformRequest(url) {
  return token() && url.startsWith(API) ? { url, headers: authHeaders() } : { url };
}

/** GET or POST JSON; a failure becomes an ApiFailure whose message is ready to show. */
export async function json(path, { body, signal } = {}, askedForToken = false) {
  let res;
  try {
    res = await fetch(API + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        ...(body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' }),
        ...authHeaders(),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiFailure(t('error.network', e.message));
  }
  if (res.status === 401 && !askedForToken) {
    const given = window.prompt(t('auth.prompt'));
    if (given) {
      sessionStorage.setItem(TOKEN_KEY, given.trim());
      return json(path, { body, signal }, true);
    }
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
