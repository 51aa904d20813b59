import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, call, kollabFetch, onProblem, query, resetCsrfToken, setApiLanguage, setReauthHandler } from './client';
import { ApiError } from './problem';

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
const problem = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  json(status, { type: `urn:kollab:problem:${code}`, title: code, status, code, ...extra }, 'application/problem+json');

/** A fake server: answers the CSRF endpoint with numbered tokens and records the requests. */
function fakeServer(handler: (req: Request, n: number) => Response | Promise<Response>) {
  const seen: Request[] = [];
  let tokens = 0;
  let calls = 0;
  const fetchFn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    seen.push(req);
    if (new URL(req.url).pathname === '/api/v1/auth/csrf') {
      tokens++;
      return json(200, { csrf_token: `token-${tokens}`, header: 'X-CSRF-Token' });
    }
    return handler(req, ++calls);
  });
  return { fetchFn, seen, tokens: () => tokens };
}

beforeEach(() => {
  resetCsrfToken();
  setApiLanguage('de');
});
afterEach(() => vi.unstubAllGlobals());

describe('kollabFetch', () => {
  it('sends Accept-Language with every request and no CSRF token on reads', async () => {
    const srv = fakeServer(() => json(200, {}));
    setApiLanguage('en');
    await kollabFetch(srv.fetchFn)(new Request('http://localhost/api/v1/me'));
    expect(srv.seen).toHaveLength(1);
    expect(srv.seen[0].headers.get('Accept-Language')).toBe('en');
    expect(srv.seen[0].headers.get('X-CSRF-Token')).toBeNull();
  });

  it('fetches the CSRF token once and sends it with every write', async () => {
    const srv = fakeServer(() => new Response(null, { status: 204 }));
    const f = kollabFetch(srv.fetchFn);
    await f(new Request('http://localhost/api/v1/auth/logout', { method: 'POST' }));
    await f(new Request('http://localhost/api/v1/me/tokens/x', { method: 'DELETE' }));
    const writes = srv.seen.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => r.headers.get('X-CSRF-Token'))).toEqual(['token-1', 'token-1']);
    expect(srv.tokens()).toBe(1);
  });

  it('renews the token and retries once, with the same body, on csrf-failed', async () => {
    const srv = fakeServer(async (req, n) => (n === 1 ? problem(403, 'csrf-failed') : json(200, { echo: await req.text() })));
    const res = await kollabFetch(srv.fetchFn)(
      new Request('http://localhost/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ email: 'a@b.de', password: 'x' }) }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ echo: '{"email":"a@b.de","password":"x"}' });
    const writes = srv.seen.filter((r) => r.method === 'POST');
    expect(writes.map((r) => r.headers.get('X-CSRF-Token'))).toEqual(['token-1', 'token-2']);
  });

  it('does not retry a second time, nor on other 403 problems', async () => {
    const always = fakeServer(() => problem(403, 'csrf-failed'));
    const res = await kollabFetch(always.fetchFn)(new Request('http://localhost/api/v1/me/password', { method: 'POST', body: '{}' }));
    expect(res.status).toBe(403);
    expect(always.seen.filter((r) => r.method === 'POST')).toHaveLength(2);

    resetCsrfToken();
    const forbidden = fakeServer(() => problem(403, 'forbidden'));
    await kollabFetch(forbidden.fetchFn)(new Request('http://localhost/api/v1/t/demo/settings', { method: 'PUT', body: '{}' }));
    expect(forbidden.seen.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it('asks for a proof on reauth-required and sends the action once more, with the same body', async () => {
    const srv = fakeServer(async (req, n) => (n === 1 ? problem(403, 'reauth-required') : json(201, { echo: await req.text() })));
    const handler = vi.fn(async () => true);
    const off = setReauthHandler(handler);
    try {
      const res = await kollabFetch(srv.fetchFn)(new Request('http://localhost/api/v1/me/tokens', { method: 'POST', body: '{"name":"Skript"}' }));
      expect(handler).toHaveBeenCalledTimes(1);
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({ echo: '{"name":"Skript"}' });
    } finally {
      off();
    }
  });

  it('passes reauth-required on when the proof is cancelled or nobody can ask for it', async () => {
    const srv = fakeServer(() => problem(403, 'reauth-required'));
    const off = setReauthHandler(async () => false);
    try {
      const res = await kollabFetch(srv.fetchFn)(new Request('http://localhost/api/v1/me/password', { method: 'POST', body: '{}' }));
      expect(res.status).toBe(403);
      expect(srv.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
    } finally {
      off();
    }
    const res = await kollabFetch(srv.fetchFn)(new Request('http://localhost/api/v1/me/password', { method: 'POST', body: '{}' }));
    expect(res.status).toBe(403);
  });

  it('asks once for calls that need a proof at the same time, and never again for the retry', async () => {
    const srv = fakeServer((req) => (req.headers.get('X-Retry') ? json(200, {}) : problem(403, 'reauth-required')));
    let release: (ok: boolean) => void = () => undefined;
    const handler = vi.fn(() => new Promise<boolean>((r) => (release = r)));
    const off = setReauthHandler(handler);
    try {
      const f = kollabFetch(async (input, init) => {
        const req = input instanceof Request ? input : new Request(String(input), init);
        // The second attempt of each call is marked, so the fake server accepts it.
        const n = srv.seen.filter((r) => r.url === req.url && r.method === req.method).length;
        if (n > 0 && req.method === 'POST') req.headers.set('X-Retry', '1');
        return srv.fetchFn(req);
      });
      const a = f(new Request('http://localhost/api/v1/me/tokens', { method: 'POST', body: '{}' }));
      const b = f(new Request('http://localhost/api/v1/me/recovery-codes', { method: 'POST' }));
      await vi.waitFor(() => expect(handler).toHaveBeenCalled());
      release(true);
      expect((await a).status).toBe(200);
      expect((await b).status).toBe(200);
      expect(handler).toHaveBeenCalledTimes(1);
    } finally {
      off();
    }
  });

  it('turns a failed connection into a network ApiError', async () => {
    const f = kollabFetch(vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(f(new Request('http://localhost/api/v1/me'))).rejects.toMatchObject({ code: 'network', status: 0 });
  });
});

describe('call', () => {
  it('returns the data, or undefined for 204', async () => {
    const srv = fakeServer((req) => (req.method === 'GET' ? json(200, { sessions: [] }) : new Response(null, { status: 204 })));
    vi.stubGlobal('fetch', srv.fetchFn);
    await expect(call(api.GET('/api/v1/me/sessions'))).resolves.toEqual({ sessions: [] });
    await expect(call(api.POST('/api/v1/auth/logout'))).resolves.toBeUndefined();
  });

  it('throws the problem as ApiError and tells the listeners which path failed', async () => {
    const srv = fakeServer(() => problem(401, 'unauthenticated', { title: 'Nicht angemeldet', detail: 'Bitte melden Sie sich an.' }));
    vi.stubGlobal('fetch', srv.fetchFn);
    const heard: [string, string][] = [];
    const off = onProblem((err, path) => heard.push([err.code, path]));
    const err = await call(api.GET('/api/v1/me')).catch((e: unknown) => e);
    off();
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 401, code: 'unauthenticated', title: 'Nicht angemeldet', detail: 'Bitte melden Sie sich an.' });
    expect(heard).toEqual([['unauthenticated', '/api/v1/me']]);
  });

  it('keeps the field of an invalid-input problem', async () => {
    const srv = fakeServer(() => problem(422, 'invalid-input', { field: 'current_password', detail: 'Das bisherige Passwort ist nicht korrekt.' }));
    vi.stubGlobal('fetch', srv.fetchFn);
    const err = (await call(api.POST('/api/v1/me/password', { body: { current_password: 'a', new_password: 'b' } })).catch((e: unknown) => e)) as ApiError;
    expect(err.field).toBe('current_password');
    expect(err.detail).toBe('Das bisherige Passwort ist nicht korrekt.');
  });
});

describe('query', () => {
  it('drops empty filter values', () => {
    expect(query({ q: '', role: 'staff', status: undefined, cursor: null, limit: 20 })).toEqual({ role: 'staff', limit: 20 });
  });
});
