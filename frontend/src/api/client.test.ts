import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, refresh, setAccessToken } from './client';

type Call = { url: string; auth?: string };

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('api client', () => {
  let calls: Call[];
  beforeEach(() => {
    calls = [];
    setAccessToken(null);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shares one refresh between concurrent callers', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    vi.stubGlobal('fetch', async (url: string) => {
      calls.push({ url });
      await gate;
      return json(200, { access_token: 'fresh', expires_in: 900 });
    });
    const all = Promise.all([refresh(), refresh(), refresh()]);
    release();
    expect(await all).toEqual([true, true, true]);
    expect(calls.filter((c) => c.url.endsWith('/auth/refresh'))).toHaveLength(1);
  });

  it('refreshes once on a 401 and retries with the new token', async () => {
    setAccessToken('stale');
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      const auth = (init?.headers as Record<string, string> | undefined)?.Authorization;
      calls.push({ url, auth });
      if (url.endsWith('/auth/refresh')) return json(200, { access_token: 'fresh', expires_in: 900 });
      return auth === 'Bearer fresh' ? json(200, { ok: true }) : json(401, { detail: 'expired' });
    });
    await expect(api('/api/v1/me')).resolves.toEqual({ ok: true });
    expect(calls.map((c) => c.auth ?? c.url)).toEqual(['Bearer stale', '/api/v1/auth/refresh', 'Bearer fresh']);
  });

  it('turns problem+json into an ApiError with its fields', async () => {
    vi.stubGlobal('fetch', async () =>
      json(422, { title: 'Unprocessable Entity', detail: 'some fields are invalid', errors: [{ field: 'email', message: 'is required' }] }),
    );
    const err = (await api('/api/v1/auth/register', { method: 'POST', body: {} }).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.fieldError('email')).toBe('is required');
  });
});
