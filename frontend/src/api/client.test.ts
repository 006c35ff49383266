import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, onSessionEnded, refresh, REFRESH_BACKOFF, setAccessToken } from './client';
import type { RequestBody } from './types';

type Call = { url: string; method: string; auth?: string };
type Answer = Response | 'network';

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}
const problem = (status: number) => json(status, { title: 'x', status, detail: `status ${status}` });
const fresh = () => json(200, { access_token: 'fresh', expires_in: 900 });

/** server answers each call from the script for its path (the last answer repeats) and records it. */
function server(calls: Call[], script: Record<string, Answer[] | ((c: Call) => Answer)>) {
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const c: Call = { url, method: init?.method ?? 'GET', auth: new Headers(init?.headers).get('Authorization') ?? undefined };
    calls.push(c);
    const s = script[url];
    if (!s) throw new Error(`unexpected ${url}`);
    const a = typeof s === 'function' ? s(c) : s.length > 1 ? s.shift()! : s[0];
    if (a === 'network') throw new TypeError('Failed to fetch');
    return a.clone();
  });
}

/** settle runs a promise to its end while fast-forwarding every backoff pause. */
async function settle<T>(p: Promise<T>): Promise<T> {
  const caught = p.then(
    (v) => ({ v }),
    (e: unknown) => ({ e }),
  );
  await vi.runAllTimersAsync();
  const r = (await caught) as { v?: T; e?: unknown };
  if ('e' in r) throw r.e;
  return r.v as T;
}

const REFRESH = '/api/v1/auth/refresh';
const ME = '/api/v1/me';
/** me reads ME through the typed client, as the app does. */
const me = () => api.GET(ME);

describe('api client', () => {
  let calls: Call[];
  let ended: number;
  beforeEach(() => {
    calls = [];
    ended = 0;
    setAccessToken(null);
    onSessionEnded(() => ended++);
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
  const refreshes = () => calls.filter((c) => c.url === REFRESH).length;

  it('shares one refresh between concurrent callers', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    vi.stubGlobal('fetch', async (url: string) => {
      calls.push({ url, method: 'POST' });
      await gate;
      return fresh();
    });
    const all = Promise.all([refresh(), refresh(), refresh()]);
    release();
    expect(await all).toEqual(['ok', 'ok', 'ok']);
    expect(refreshes()).toBe(1);
  });

  it('refreshes once on a 401 and retries with the new token', async () => {
    setAccessToken('stale');
    server(calls, { [REFRESH]: [fresh()], [ME]: (c) => (c.auth === 'Bearer fresh' ? json(200, { ok: true }) : problem(401)) });
    await expect(me()).resolves.toEqual({ ok: true });
    expect(calls.map((c) => c.auth ?? c.url)).toEqual(['Bearer stale', REFRESH, 'Bearer fresh']);
  });

  it('parallel 401s share one refresh', async () => {
    setAccessToken('stale');
    server(calls, { [REFRESH]: [fresh()], [ME]: (c) => (c.auth === 'Bearer fresh' ? json(200, { ok: true }) : problem(401)) });
    const all = await Promise.all([me(), me(), me()]);
    expect(all).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(refreshes()).toBe(1);
  });

  it('retries a refresh that answered 503 and keeps the session', async () => {
    server(calls, { [REFRESH]: [problem(503), fresh()] });
    expect(await settle(refresh())).toBe('ok');
    expect(refreshes()).toBe(2);
  });

  it('retries a refresh after a network error', async () => {
    server(calls, { [REFRESH]: ['network', 'network', fresh()] });
    expect(await settle(refresh())).toBe('ok');
    expect(refreshes()).toBe(3);
  });

  it('honours Retry-After on a 429 from refresh', async () => {
    server(calls, { [REFRESH]: [json(429, { detail: 'slow down' }, { 'Retry-After': '2' }), fresh()] });
    const p = refresh();
    await vi.advanceTimersByTimeAsync(1900);
    expect(refreshes()).toBe(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(await p).toBe('ok');
    expect(refreshes()).toBe(2);
  });

  it('ends the session only on a 401 from refresh, without retrying it', async () => {
    server(calls, { [REFRESH]: [problem(401)] });
    expect(await settle(refresh())).toBe('ended');
    expect(refreshes()).toBe(1);
  });

  it('gives up after the backoff on a long outage, without signing out', async () => {
    setAccessToken('stale');
    server(calls, { [REFRESH]: [problem(503)], [ME]: [problem(401)] });
    const err = (await settle(me()).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(503);
    expect(err.detail).toMatch(/still signed in/);
    expect(refreshes()).toBe(REFRESH_BACKOFF.length + 1);
    expect(ended).toBe(0);
  });

  it('reports the end of the session when refresh answers 401', async () => {
    setAccessToken('stale');
    server(calls, { [REFRESH]: [problem(401)], [ME]: [problem(401)] });
    const err = (await settle(me()).catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(401);
    expect(ended).toBe(1);
  });

  it('retries a GET after a network error and a 503', async () => {
    server(calls, { [ME]: ['network', problem(503), json(200, { ok: true })] });
    expect(await settle(me())).toEqual({ ok: true });
    expect(calls).toHaveLength(3);
  });

  it('does not retry a 500: asking again gives the same answer', async () => {
    server(calls, { [ME]: [problem(500), json(200, { ok: true })] });
    const err = (await settle(me()).catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(500);
    expect(calls).toHaveLength(1);
  });

  it('never sends a POST twice on its own', async () => {
    server(calls, { '/api/v1/teams': ['network', json(201, { id: 't' })] });
    const err = (await settle(api.POST('/api/v1/teams', { body: { name: 'x' } })).catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(0);
    expect(err.detail).toMatch(/can’t reach Rapport/);
    expect(calls).toHaveLength(1);

    calls.length = 0;
    server(calls, { '/api/v1/teams': [problem(503), json(201, { id: 't' })] });
    const err2 = (await settle(api.POST('/api/v1/teams', { body: { name: 'x' } })).catch((e: unknown) => e)) as ApiError;
    expect(err2.status).toBe(503);
    expect(calls).toHaveLength(1);
  });

  it('retries a POST that carries an Idempotency-Key', async () => {
    server(calls, { '/api/v1/teams': ['network', json(200, { ok: true })] });
    const p = api.POST('/api/v1/teams', { body: { name: 'x' }, headers: { 'Idempotency-Key': 'k1' } });
    expect(await settle(p)).toEqual({ ok: true });
    expect(calls).toHaveLength(2);
  });

  it('refreshes when a public route ignored an expired token, then asks again', async () => {
    setAccessToken('stale');
    const modules = '/api/v1/modules' as const;
    server(calls, {
      [REFRESH]: [fresh()],
      [modules]: (c) =>
        c.auth === 'Bearer fresh'
          ? json(200, { modules: ['with progress'] })
          : json(200, { modules: ['anonymous'] }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }),
    });
    expect(await api.GET(modules)).toEqual({ modules: ['with progress'] });
    expect(calls.map((c) => c.auth ?? c.url)).toEqual(['Bearer stale', REFRESH, 'Bearer fresh']);
  });

  it('builds each request from the contract: path parameters encoded, the body as JSON', async () => {
    let sent: { url: string; init?: RequestInit } | undefined;
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      sent = { url, init };
      return json(200, { ok: true });
    });
    await api.PUT('/api/v1/studio/modules/{slug}/lessons/{lesson}', {
      params: { path: { slug: 'a b', lesson: 'x/y' } },
      body: { title: 'T' },
    });
    expect(sent?.url).toBe('/api/v1/studio/modules/a%20b/lessons/x%2Fy');
    expect(sent?.init?.method).toBe('PUT');
    expect(new Headers(sent?.init?.headers).get('Content-Type')).toBe('application/json');
    expect(JSON.parse(String(sent?.init?.body))).toEqual({ title: 'T' });
  });

  it('turns problem+json into an ApiError with its fields', async () => {
    server(calls, {
      '/api/v1/auth/register': [json(422, { title: 'Unprocessable Entity', detail: 'Some fields need attention.', errors: [{ field: 'email', message: 'Enter your e-mail address.' }] })],
    });
    const empty = {} as RequestBody<'/api/v1/auth/register', 'post'>;
    const err = (await api.POST('/api/v1/auth/register', { body: empty }).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.fieldError('email')).toBe('Enter your e-mail address.');
  });

  it('gives a sentence, not a status text, when an error has no problem body', async () => {
    server(calls, { [ME]: [new Response('<html>Bad gateway</html>', { status: 502 })] });
    const err = (await settle(me()).catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(502);
    expect(err.detail).toMatch(/try again in a moment\.$/);
  });
});
