// The API client: the access token lives only in memory; the refresh token is an httpOnly
// cookie the browser sends to /api/v1/auth. Refresh is single-flight, so parallel requests or a
// burst of 401s never present the same refresh token twice (the server treats reuse as theft).
//
// A session ends only when the server refuses the refresh token (401 from /auth/refresh). An
// outage — the network dropping, a 5xx, a 429 — is retried with backoff and never signs anyone out.
//
// Requests are typed by the contract: `api` is an openapi-fetch client over the paths generated
// from the OpenAPI document (schema.d.ts), so a path, a parameter or a body field the server does
// not know is a type error. openapi-fetch builds each request; authFetch below sends it.

import createClient, { type MaybeOptionalInit } from 'openapi-fetch';
import type { paths } from './schema';
import type { Method, PathsFor, ResponseBody, Schemas } from './types';

export type FieldError = Schemas['FieldError'];

export class ApiError extends Error {
  status: number;
  detail: string;
  fields: FieldError[];
  constructor(status: number, detail: string, fields: FieldError[] = []) {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.fields = fields;
  }
  fieldError(name: string): string | undefined {
    return this.fields.find((f) => f.field === name)?.message;
  }
}

/** The outcome of a refresh: a new access token, a session the server ended, or no answer yet. */
export type RefreshResult = 'ok' | 'ended' | 'unavailable';

export const OFFLINE_MESSAGE = 'We can’t reach Rapport right now. Check your connection and try again in a moment.';
const UNAVAILABLE_MESSAGE = 'Rapport is busy right now. You’re still signed in; please try again in a moment.';

/** Waits between attempts, in milliseconds: the number of entries is the number of retries. */
export const REFRESH_BACKOFF = [400, 1200, 3000];
export const REQUEST_BACKOFF = [300, 1000];
const MAX_RETRY_AFTER_MS = 10_000;

let accessToken: string | null = null;
let refreshing: Promise<RefreshResult> | null = null;
let onSignedOut: (() => void) | null = null;

export function setAccessToken(t: string | null) {
  accessToken = t;
  mediaCookie(t);
}

/** mediaCookie hands the access token to /media/ as a cookie scoped to that path: <img>, <video>,
 *  <audio> and download links cannot send an Authorization header, and the server reads this
 *  cookie nowhere else. It follows every new token and is cleared on sign-out. */
function mediaCookie(t: string | null) {
  if (typeof document === 'undefined') return;
  const secure = globalThis.location?.protocol === 'https:' ? '; Secure' : '';
  document.cookie = t ? `rapport_media=${encodeURIComponent(t)}; Path=/media; SameSite=Strict${secure}` : `rapport_media=; Path=/media; Max-Age=0; SameSite=Strict${secure}`;
}
export function hasAccessToken() {
  return accessToken !== null;
}
/** currentAccessToken is for the requests `api` cannot send: uploads with progress (XHR, tus). */
export function currentAccessToken(): string | null {
  return accessToken;
}
export function onSessionEnded(fn: () => void) {
  onSignedOut = fn;
}

const sleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));

/** delayFor is the wait before retry number `attempt` (0-based), honouring a server's Retry-After. */
function delayFor(backoff: number[], attempt: number, r?: Response): number {
  const after = Number(r?.headers.get('Retry-After'));
  if (Number.isFinite(after) && after > 0) return Math.min(after * 1000, MAX_RETRY_AFTER_MS);
  return backoff[attempt];
}

/** transient is an answer worth asking again: the server (or a proxy) could not serve it now. */
function transient(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * refreshOnce presents the refresh cookie, retrying transient failures with backoff.
 *
 * Why a retry never presents a spent token by mistake:
 * - A 5xx or 429 from our server means the rotation did not commit (the server rotates inside one
 *   transaction and answers only after it commits, and it leaves the cookie alone on errors), so
 *   the cookie still holds a live token and asking again is safe.
 * - A network error mid-flight is ambiguous: the request may have reached the server and rotated
 *   the token. We retry anyway, because it cannot make things worse. If the request never arrived,
 *   the retry simply succeeds. If the server rotated and the browser received the response headers,
 *   the cookie jar already holds the new token, so the retry presents that one. Only if the whole
 *   answer was lost is the new token gone — and then this login is already unrecoverable; the retry
 *   presents the spent token, the server revokes that one login's tokens and answers 401, and we
 *   sign out, which is where we were anyway. (A 502/504 from a proxy is the same case.)
 * Retries run inside the single flight, one after another, so two requests never overlap.
 */
async function refreshOnce(): Promise<RefreshResult> {
  for (let attempt = 0; ; attempt++) {
    let r: Response | undefined;
    try {
      r = await fetch('/api/v1/auth/refresh', { method: 'POST', credentials: 'same-origin' });
      if (r.ok) {
        const body = (await r.json()) as Schemas['AccessToken'];
        setAccessToken(body.access_token);
        return 'ok';
      }
      if (r.status === 401) {
        setAccessToken(null);
        return 'ended';
      }
      // Any other 4xx is not about the token: do not sign out, and do not insist either.
      if (!transient(r.status)) return 'unavailable';
    } catch {
      // The network failed (or the body was cut off after the new cookie arrived): see above.
    }
    if (attempt >= REFRESH_BACKOFF.length) return 'unavailable';
    await sleep(delayFor(REFRESH_BACKOFF, attempt, r));
  }
}

/** withTabLock runs fn while holding a lock shared by every tab of this origin (when the browser
 *  has Web Locks), so two tabs never present the same refresh cookie at once: the second tab's
 *  refresh starts after the first tab's new cookie is in the jar. */
function withTabLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request('rapport.refresh', fn) as Promise<T>) : fn();
}

/** refresh asks for a new access token with the refresh cookie; concurrent callers share one call. */
export function refresh(): Promise<RefreshResult> {
  if (!refreshing) {
    refreshing = withTabLock(refreshOnce).finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/** Outgoing is a request as authFetch sends it (and may send again): its body is read once. */
type Outgoing = { path: string; method: string; headers: Headers; body?: string };

/** retryable reports whether a request may be sent twice: safe and idempotent methods, and any
 *  request carrying an Idempotency-Key (the server applies it once). */
function retryable(req: Outgoing): boolean {
  return ['GET', 'HEAD', 'PUT', 'DELETE'].includes(req.method) || req.headers.has('Idempotency-Key');
}

function sendOnce(req: Outgoing): Promise<Response> {
  const headers = new Headers(req.headers);
  if (accessToken) headers.set('Authorization', `Bearer ${accessToken}`);
  return fetch(req.path, { method: req.method, headers, body: req.body, credentials: 'same-origin' });
}

/** send sends a request, retrying network errors and 502/503/504 with backoff when that is safe.
 *  A 500 is not retried: it is our bug, and asking again gives the same answer. */
async function send(req: Outgoing): Promise<Response> {
  const again = retryable(req);
  for (let attempt = 0; ; attempt++) {
    let r: Response | undefined;
    try {
      r = await sendOnce(req);
      if (!(again && [502, 503, 504].includes(r.status))) return r;
    } catch {
      if (!again) throw new ApiError(0, OFFLINE_MESSAGE);
    }
    if (attempt >= REQUEST_BACKOFF.length) {
      if (r) return r;
      throw new ApiError(0, OFFLINE_MESSAGE);
    }
    await sleep(delayFor(REQUEST_BACKOFF, attempt, r));
  }
}

async function toError(r: Response): Promise<ApiError> {
  try {
    const p = (await r.json()) as Partial<Schemas['Problem']>;
    return new ApiError(r.status, p.detail || p.title || fallbackMessage(r.status), p.errors ?? []);
  } catch {
    return new ApiError(r.status, fallbackMessage(r.status));
  }
}

/** fallbackMessage is what a user reads when an answer has no problem body (a proxy's error page). */
function fallbackMessage(status: number): string {
  if (status >= 500) return UNAVAILABLE_MESSAGE;
  if (status === 404) return 'We couldn’t find that. It may have been moved or removed.';
  return 'Something went wrong with that request. Please try again.';
}

/** tokenIgnored: the server answered a public route but ignored our (expired) token, telling us so
 *  in WWW-Authenticate; we should refresh to see the signed-in version of the page. */
function tokenIgnored(r: Response): boolean {
  return (r.headers.get('WWW-Authenticate') ?? '').includes('invalid_token');
}

/** authFetch is the fetch behind `api`. It sends the request with the access token; when the
 *  server rejects or ignores that token it refreshes once and sends it again; only a refused
 *  refresh ends the session. Any answer that is not a success becomes a thrown ApiError, so a
 *  typed call either yields the operation's success body or throws. */
export async function authFetch(request: Request): Promise<Response> {
  // Every call is same-origin; the path alone keeps the request relative to the page. The body is
  // read as text (not through Request.body, which not every browser has); a JSON body is never "".
  const url = new URL(request.url);
  const body = await request.text();
  const req: Outgoing = {
    path: url.pathname + url.search,
    method: request.method.toUpperCase(),
    headers: new Headers(request.headers),
    body: body === '' ? undefined : body,
  };
  const sentToken = accessToken !== null;
  let r = await send(req);
  const stale = r.status === 401 || (r.ok && tokenIgnored(r) && retryable(req));
  if (stale && sentToken && !req.path.startsWith('/api/v1/auth/')) {
    const result = await refresh();
    if (result === 'ok') {
      r = await send(req);
    } else if (result === 'ended') {
      onSignedOut?.();
    } else if (r.status === 401) {
      throw new ApiError(503, 'We couldn’t renew your session because Rapport is unreachable. You’re still signed in; please try again in a moment.');
    }
  }
  if (!r.ok) throw await toError(r);
  return r;
}

/** client is openapi-fetch over the generated paths; it builds each request (path parameters
 *  encoded, query serialised, body as JSON) and hands it to authFetch. */
const client = createClient<paths>({
  // openapi-fetch builds a Request, which needs an absolute URL; authFetch sends only its path.
  baseUrl: globalThis.location?.origin ?? 'http://localhost',
  headers: { Accept: 'application/json' },
  fetch: authFetch,
});

type Init<P extends keyof paths, M extends Method> = MaybeOptionalInit<paths[P], M>;
/** Args is the call's options: required when the operation has a required parameter or body. */
type Args<P extends keyof paths, M extends Method> = undefined extends Init<P, M> ? [init?: Init<P, M>] : [init: Init<P, M>];

/** call makes one typed method. Unlike openapi-fetch's own methods, the options are not inferred
 *  from the argument but checked against the operation, so an unknown body field is a type error
 *  even when every required one is there. The answer is the success body: every other answer
 *  was thrown by authFetch as an ApiError. */
function call<M extends Method>(method: M) {
  return async <P extends PathsFor<M>>(path: P, ...init: Args<P, M>): Promise<ResponseBody<P, M>> => {
    const { data } = await client.request(method, path as never, init[0] as never);
    return data as ResponseBody<P, M>;
  };
}

/** api calls the JSON API, typed by the contract, with paths as the document names them:
 *  `api.GET('/api/v1/modules/{slug}', { params: { path: { slug } } })` resolves to the module. */
export const api = {
  GET: call('get'),
  POST: call('post'),
  PUT: call('put'),
  PATCH: call('patch'),
  DELETE: call('delete'),
  /** text reads a GET answer as text, for the exports a page downloads (pass their Accept). */
  text: async <P extends PathsFor<'get'>>(path: P, ...init: Args<P, 'get'>): Promise<string> => {
    const { data } = await client.request('get', path as never, { ...(init[0] as object), parseAs: 'text' } as never);
    return data as unknown as string;
  },
};
