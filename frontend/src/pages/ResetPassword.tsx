import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import { Field, FormError, fieldError, validateForm } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';

/** ResetPassword sets a new password with the token from the e-mailed link. */
export function ResetPassword() {
  usePageTitle('Choose a new password');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!validateForm(e)) return;
    setBusy(true);
    setError(null);
    try {
      await api.POST('/api/v1/auth/password/reset', { body: { token, password } });
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const tokenProblem = fieldError(error, 'token');
  return (
    <div className="container auth-page">
      <form className="auth-card" onSubmit={submit} noValidate>
        <h1>Choose a new password</h1>
        {done ? (
          <>
            <div className="alert alert-success" role="status">
              Your password has been changed and you have been signed out everywhere.
            </div>
            <Link className="button button-block" to="/signin">
              Sign in
            </Link>
          </>
        ) : !token || tokenProblem ? (
          <>
            <div className="alert alert-error" role="alert">
              This reset link no longer works: it was already used or has expired.
            </div>
            <Link className="button button-block" to="/forgot-password">
              Send a new link
            </Link>
          </>
        ) : (
          <>
            <FormError error={error} />
            <Field label="New password" type="password" autoComplete="new-password" required minLength={10}
              messages={{ valueMissing: 'Choose a new password of at least 10 characters.', tooShort: 'Use at least 10 characters for your password.' }}
              value={password} onChange={(e) => setPassword(e.target.value)} error={fieldError(error, 'password')}
              hint="At least 10 characters." />
            <button className="button button-block" type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Set new password'}
            </button>
          </>
        )}
      </form>
    </div>
  );
}
