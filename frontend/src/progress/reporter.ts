import { api, ApiError } from '../api/client';
import type { ProgressRecord } from './types';

/** newKey makes an Idempotency-Key: a retry of the same report reuses it, so time counts once. */
export function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

type Report = { status: 'started' | 'completed'; seconds?: number; position?: string };

/** sendProgress PUTs one report, retrying network failures and 5xx with the same key and backoff. */
export async function sendProgress(lessonId: string, report: Report, key = newKey(), attempts = 4): Promise<ProgressRecord | null> {
  let wait = 500;
  for (let i = 0; i < attempts; i++) {
    try {
      return await api<ProgressRecord>(`/api/v1/progress/lessons/${lessonId}`, {
        method: 'PUT',
        body: report,
        headers: { 'Idempotency-Key': key },
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
