import { afterEach, describe, expect, it, vi } from 'vitest';
import { sendProgress } from './reporter';

describe('sendProgress', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('retries a failed report with the same idempotency key', async () => {
    const keys: string[] = [];
    let n = 0;
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      keys.push(new Headers(init.headers).get('Idempotency-Key') ?? '');
      n++;
      if (n < 3) return new Response('{"detail":"down"}', { status: 503 });
      return new Response(JSON.stringify({ lesson_id: 'l1', status: 'started', seconds: 30 }), { status: 200 });
    });
    const rec = await sendProgress('l1', { status: 'started', seconds: 30 }, 'key-1', 4);
    expect(rec?.seconds).toBe(30);
    expect(keys).toEqual(['key-1', 'key-1', 'key-1']);
  });

  it('does not retry a 422', async () => {
    let n = 0;
    vi.stubGlobal('fetch', async () => {
      n++;
      return new Response('{"detail":"bad"}', { status: 422 });
    });
    expect(await sendProgress('l1', { status: 'started', seconds: 99999 }, 'k', 4)).toBeNull();
    expect(n).toBe(1);
  });
});
