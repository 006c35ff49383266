import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { Field, FormError, fieldError, validateForm } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';

/** SignIn logs a user in and returns them to where they were going. */
export function SignIn() {
  usePageTitle('Sign in');
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!validateForm(e)) return;
    setBusy(true);
    setError(null);
    try {
      const s = await api.POST('/api/v1/auth/login', { body: { email, password } });
      await signIn(s);
      navigate(from && from !== '/signin' ? from : '/dashboard', { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="container auth-page">
      <form className="auth-card" onSubmit={submit} noValidate>
        <h1>Sign in</h1>
        <FormError error={error} />
        <Field label="E-mail" type="email" autoComplete="email" required value={email}
          messages={{ valueMissing: 'Enter your e-mail address.' }}
          onChange={(e) => setEmail(e.target.value)} error={fieldError(error, 'email')} />
        <Field label="Password" type="password" autoComplete="current-password" required value={password}
          messages={{ valueMissing: 'Enter your password.' }}
          onChange={(e) => setPassword(e.target.value)} error={fieldError(error, 'password')} />
        <button className="button button-block" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="auth-links">
          <Link to="/forgot-password">Forgot your password?</Link>
          <span>
            New here? <Link to="/signup">Create an account</Link>
          </span>
        </p>
      </form>
    </div>
  );
}
