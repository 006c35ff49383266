// The API client: the access token lives only in memory; the refresh token is an httpOnly
// cookie the browser sends to /api/v1/auth. Refresh is single-flight, so parallel requests or a
// burst of 401s never present the same refresh token twice (the server treats reuse as theft).

export type FieldError = { field: string; message: string };

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

let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
let onSignedOut: (() => void) | null = null;

export function setAccessToken(t: string | null) {
  accessToken = t;
}
export function hasAccessToken() {
  return accessToken !== null;
}
export function onSessionEnded(fn: () => void) {
  onSignedOut = fn;
}

/** refresh asks for a new access token with the refresh cookie; concurrent callers share one call. */
export function refresh(): Promise<boolean> {
  if (!refreshing) {
    refreshing = fetch('/api/v1/auth/refresh', { method: 'POST', credentials: 'same-origin' })
      .then(async (r) => {
        if (!r.ok) {
          accessToken = null;
          return false;
        }
        const body = (await r.json()) as { access_token: string };
        accessToken = body.access_token;
        return true;
      })
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

type Options = { method?: string; body?: unknown; headers?: Record<string, string>; raw?: boolean };

async function send(path: string, opt: Options): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(opt.headers ?? {}) };
  if (opt.body !== undefined) headers['Content-Type'] = 'application/json';
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  return fetch(path, {
    method: opt.method ?? 'GET',
    headers,
    body: opt.body !== undefined ? JSON.stringify(opt.body) : undefined,
    credentials: 'same-origin',
  });
}

async function toError(r: Response): Promise<ApiError> {
  try {
    const p = (await r.json()) as { detail?: string; title?: string; errors?: FieldError[] };
    return new ApiError(r.status, p.detail || p.title || r.statusText, p.errors ?? []);
  } catch {
    return new ApiError(r.status, r.statusText || 'Request failed');
  }
}

/** api calls the JSON API; on a 401 it refreshes once and retries, then reports the session ended. */
export async function api<T>(path: string, opt: Options = {}): Promise<T> {
  let r: Response;
  try {
    r = await send(path, opt);
  } catch {
    throw new ApiError(0, 'Cannot reach Rapport. Check your connection and try again.');
  }
  if (r.status === 401 && accessToken !== null && !path.startsWith('/api/v1/auth/')) {
    if (await refresh()) {
      r = await send(path, opt);
    } else {
      onSignedOut?.();
    }
  }
  if (!r.ok) throw await toError(r);
  if (r.status === 204 || r.status === 202) return undefined as T;
  if (opt.raw) return (await r.text()) as T;
  return (await r.json()) as T;
}
