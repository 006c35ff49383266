import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { Field, FormError, fieldError, validateForm } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';

/** SignUp creates an account; the verification e-mail is sent by the server. */
export function SignUp() {
  usePageTitle('Create your account');
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!validateForm(e)) return;
    setBusy(true);
    setError(null);
    try {
      const s = await api.POST('/api/v1/auth/register', { body: form });
      await signIn(s);
      navigate(from ?? '/dashboard', { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="container auth-page">
      <form className="auth-card" onSubmit={submit} noValidate>
        <h1>Create your account</h1>
        <p className="muted">Free to start: the first module and your baseline skills profile cost nothing.</p>
        <FormError error={error} />
        <Field label="Your name" autoComplete="name" required maxLength={100}
          messages={{ valueMissing: 'Enter your name.' }} value={form.name} onChange={set('name')}
          error={fieldError(error, 'name')} />
        <Field label="Work e-mail" type="email" autoComplete="email" required maxLength={254}
          messages={{ valueMissing: 'Enter your work e-mail address.' }} value={form.email} onChange={set('email')}
          error={fieldError(error, 'email')} />
        <Field label="Password" type="password" autoComplete="new-password" required minLength={10}
          messages={{ valueMissing: 'Choose a password of at least 10 characters.', tooShort: 'Use at least 10 characters for your password.' }} value={form.password}
          onChange={set('password')} error={fieldError(error, 'password')} hint="At least 10 characters." />
        <button className="button button-block" type="submit" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
        <p className="auth-links">
          <span>
            Already have an account? <Link to="/signin">Sign in</Link>
          </span>
        </p>
      </form>
    </div>
  );
}
