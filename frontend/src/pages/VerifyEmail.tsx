import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { usePageTitle } from '../components/usePageTitle';

/** VerifyEmail confirms the address with the token from the e-mailed link. */
export function VerifyEmail() {
  usePageTitle('Confirm your e-mail');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { status, reload } = useAuth();
  const [state, setState] = useState<'working' | 'done' | 'failed'>(token ? 'working' : 'failed');
  const sent = useRef(false);

  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true; // the token is single-use: never post it twice (StrictMode runs effects twice)
    api.POST('/api/v1/auth/verify-email', { body: { token } })
      .then(() => setState('done'))
      .catch(() => setState('failed'));
  }, [token]);

  useEffect(() => {
    if (state === 'done' && status === 'signed-in') reload();
  }, [state, status, reload]);

  return (
    <div className="container narrow center-page">
      {state === 'working' && <p aria-busy="true">Confirming your e-mail address…</p>}
      {state === 'done' && (
        <>
          <h1>Your e-mail is confirmed</h1>
          <p className="lead">Thank you. You are all set.</p>
          <Link className="button" to="/catalog">
            Browse the courses
          </Link>
        </>
      )}
      {state === 'failed' && (
        <>
          <h1>This link did not work</h1>
          <p className="lead">It may be already used or expired. Sign in and ask for a new one from the banner.</p>
          <Link className="button" to="/signin">
            Sign in
          </Link>
        </>
      )}
    </div>
  );
}
