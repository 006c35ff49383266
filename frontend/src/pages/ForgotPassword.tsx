import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import { Field, FormError, fieldError, validateForm } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';

/** ForgotPassword asks for a reset link; the answer is the same whether or not the account exists. */
export function ForgotPassword() {
  usePageTitle('Reset your password');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!validateForm(e)) return;
    setBusy(true);
    setError(null);
    try {
      await api.POST('/api/v1/auth/password/forgot', { body: { email } });
      setSent(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="container auth-page">
      <form className="auth-card" onSubmit={submit} noValidate>
        <h1>Reset your password</h1>
        {sent ? (
          <div className="alert alert-success" role="status">
            If an account exists for <strong>{email}</strong>, a reset link is on its way. It works once and expires in
            an hour.
          </div>
        ) : (
          <>
            <p className="muted">Enter the e-mail you signed up with and we will send you a link.</p>
            <FormError error={error} />
            <Field label="E-mail" type="email" autoComplete="email" required value={email}
              messages={{ valueMissing: 'Enter the e-mail address of your account.' }}
              onChange={(e) => setEmail(e.target.value)} error={fieldError(error, 'email')} />
            <button className="button button-block" type="submit" disabled={busy}>
              {busy ? 'Sending…' : 'Send reset link'}
            </button>
          </>
        )}
        <p className="auth-links">
          <Link to="/signin">Back to sign in</Link>
        </p>
      </form>
    </div>
  );
}
