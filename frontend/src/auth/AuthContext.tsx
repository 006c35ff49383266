import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, onSessionEnded, refresh, setAccessToken } from '../api/client';
import type { Me, Session } from '../api/types';

type Status = 'loading' | 'signed-in' | 'anonymous';

// The refresh cookie is httpOnly, so the page cannot see it; this flag remembers that a session
// probably exists, so anonymous visitors do not send a refresh that can only fail.
const HINT = 'rapport.session';
const hint = {
  get: () => { try { return localStorage.getItem(HINT) === '1'; } catch { return false; } },
  set: (on: boolean) => { try { if (on) localStorage.setItem(HINT, '1'); else localStorage.removeItem(HINT); } catch { /* storage disabled */ } },
};

type AuthValue = {
  status: Status;
  me: Me | null;
  /** signIn stores a fresh session (from login, register or a password change). */
  signIn: (s: Session) => Promise<void>;
  signOut: (everywhere?: boolean) => Promise<void>;
  reload: () => Promise<void>;
  hasRole: (role: string) => boolean;
};

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const qc = useQueryClient();

  const reload = useCallback(async () => {
    try {
      setMe(await api<Me>('/api/v1/me'));
      setStatus('signed-in');
      hint.set(true);
    } catch {
      hint.set(false);
      setAccessToken(null);
      setMe(null);
      setStatus('anonymous');
    }
  }, []);

  useEffect(() => {
    onSessionEnded(() => {
      hint.set(false);
      setAccessToken(null);
      setMe(null);
      setStatus('anonymous');
      qc.clear();
    });
    // On load, a refresh cookie (if any) becomes an in-memory access token.
    if (!hint.get()) {
      setStatus('anonymous');
      return;
    }
    refresh().then((ok) => {
      if (ok) return reload();
      hint.set(false);
      setStatus('anonymous');
    });
  }, [reload, qc]);

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
        await api(everywhere ? '/api/v1/auth/logout-all' : '/api/v1/auth/logout', { method: 'POST' });
      } finally {
        hint.set(false);
        setAccessToken(null);
        setMe(null);
        setStatus('anonymous');
        qc.clear();
      }
    },
    [qc],
  );

  const value = useMemo<AuthValue>(
    () => ({ status, me, signIn, signOut, reload, hasRole: (r) => !!me?.roles.includes(r) }),
    [status, me, signIn, signOut, reload],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
