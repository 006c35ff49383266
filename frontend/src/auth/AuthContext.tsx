import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, hasAccessToken, onSessionEnded, refresh, setAccessToken } from '../api/client';
import type { Me, Schemas, Session } from '../api/types';

/** Status is whether the visitor is signed in, once that is known. */
export type Status = 'loading' | 'signed-in' | 'anonymous';

// The refresh cookie is httpOnly, so the page cannot see it; this flag remembers that a session
// probably exists, so anonymous visitors do not send a refresh that can only fail.
const HINT = 'rapport.session';
const hint = {
  get: () => { try { return localStorage.getItem(HINT) === '1'; } catch { return false; } },
  set: (on: boolean) => { try { if (on) localStorage.setItem(HINT, '1'); else localStorage.removeItem(HINT); } catch { /* storage disabled */ } },
};

/** Pauses between attempts to bring the session back while Rapport cannot be reached. */
const OUTAGE_PAUSE_MS = [2000, 4000, 8000, 15000, 30000];

type AuthValue = {
  status: Status;
  me: Me | null;
  /** offline is true while the session cannot be confirmed because Rapport does not answer; the
   *  user is still signed in and the provider keeps trying. */
  offline: boolean;
  /** retryNow skips the current pause of an outage and tries again at once. */
  retryNow: () => void;
  /** signIn stores a fresh session (from login, register or a password change). */
  signIn: (s: Session) => Promise<void>;
  signOut: (everywhere?: boolean) => Promise<void>;
  reload: () => Promise<void>;
  hasRole: (role: Schemas['Role']) => boolean;
};

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const [offline, setOffline] = useState(false);
  const qc = useQueryClient();
  // run numbers the current load; a newer load (or unmounting) makes older ones stop.
  const run = useRef(0);
  const wake = useRef<(() => void) | null>(null);

  const ended = useCallback(() => {
    hint.set(false);
    setAccessToken(null);
    setMe(null);
    setOffline(false);
    setStatus('anonymous');
    qc.clear();
  }, [qc]);

  // reload brings the session up to date: a refresh when there is no access token, then /me.
  // Only a refused refresh token (or a deleted account) signs out; while Rapport cannot be
  // reached the user stays signed in and we keep trying with growing pauses.
  const reload = useCallback(async () => {
    const mine = ++run.current;
    for (let attempt = 0; ; attempt++) {
      const result = hasAccessToken() ? 'ok' : await refresh();
      if (mine !== run.current) return;
      if (result === 'ended') return ended();
      if (result === 'ok') {
        try {
          const m = await api.GET('/api/v1/me');
          if (mine !== run.current) return;
          setMe(m);
          setOffline(false);
          setStatus('signed-in');
          hint.set(true);
          return;
        } catch (e) {
          if (mine !== run.current) return;
          if (e instanceof ApiError && e.status === 401) return ended();
        }
      }
      setOffline(true);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, OUTAGE_PAUSE_MS[Math.min(attempt, OUTAGE_PAUSE_MS.length - 1)]);
        wake.current = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake.current = null;
      if (mine !== run.current) return;
    }
  }, [ended]);

  const retryNow = useCallback(() => wake.current?.(), []);

  useEffect(() => {
    onSessionEnded(ended);
    const online = () => wake.current?.();
    window.addEventListener('online', online);
    // On load, a refresh cookie (if any) becomes an in-memory access token.
    if (hint.get()) reload();
    else setStatus('anonymous');
    return () => {
      run.current++;
      wake.current?.();
      window.removeEventListener('online', online);
    };
  }, [reload, ended]);

  const signIn = useCallback(
    async (s: Session) => {
      setAccessToken(s.access_token);
      qc.clear();
      await reload();
    },
    [reload, qc],
  );

  const signOut = useCallback(
    async (everywhere = false) => {
      try {
        await api.POST(everywhere ? '/api/v1/auth/logout-all' : '/api/v1/auth/logout');
      } finally {
        run.current++;
        ended();
      }
    },
    [ended],
  );

  const value = useMemo<AuthValue>(
    () => ({ status, me, offline, retryNow, signIn, signOut, reload, hasRole: (r) => !!me?.roles.includes(r) }),
    [status, me, offline, retryNow, signIn, signOut, reload],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
