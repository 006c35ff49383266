import { api, ApiError } from '../api/client';
import type { RequestBody } from '../api/types';
import type { ProgressRecord } from './types';

/** newKey makes an Idempotency-Key: a retry of the same report reuses it, so time counts once. */
export function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

type Report = RequestBody<'/api/v1/progress/lessons/{lesson_id}', 'put'>;

/** sendProgress PUTs one report, retrying network failures and 5xx with the same key and backoff. */
export async function sendProgress(lessonId: string, report: Report, key = newKey(), attempts = 4): Promise<ProgressRecord | null> {
  let wait = 500;
  for (let i = 0; i < attempts; i++) {
    try {
      return await api.PUT('/api/v1/progress/lessons/{lesson_id}', {
        params: { path: { lesson_id: lessonId }, header: { 'Idempotency-Key': key } },
        body: report,
      });
    } catch (e) {
      const retryable = !(e instanceof ApiError) || e.status === 0 || e.status >= 500;
      if (!retryable || i === attempts - 1) return null;
      await new Promise((r) => setTimeout(r, wait));
      wait *= 2;
    }
  }
  return null;
}
