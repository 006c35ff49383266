import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import type { Me } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { Field, FormError, fieldError, validateForm } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { YourData } from '../account/YourData';

/** Account lets a user change their name, time zone, reminders and password, and sign out everywhere. */
export function Account() {
  usePageTitle('Your account');
  const { me } = useAuth();
  if (!me) return null;
  return (
    <div className="container narrow page">
      <h1>Your account</h1>
      <p className="muted">
        {me.email} · {me.email_verified ? 'e-mail confirmed' : 'e-mail not yet confirmed'}
      </p>
      <ProfileForm me={me} />
      <section className="panel">
        <h2>Plan</h2>
        <p>
          {me.entitlement.premium
            ? `Full access${me.entitlement.source === 'team' ? ' through your team' : me.entitlement.source === 'grant' ? ' (complimentary)' : ''}.`
            : 'Free plan: the first module and your baseline skills profile.'}
        </p>
        <Link to="/billing">Billing and subscription</Link>
      </section>
      <PasswordForm />
      <Sessions />
      <YourData />
    </div>
  );
}

function ProfileForm({ me }: { me: Me }) {
  const { reload } = useAuth();
  const [name, setName] = useState(me.name);
  const [reminders, setReminders] = useState(me.weekly_reminders);
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => setSaved(false), [name, reminders]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!validateForm(e)) return;
    setError(null);
    try {
      await api.PATCH('/api/v1/me', { body: { name, weekly_reminders: reminders, time_zone: browserZone } });
      await reload();
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <form className="panel" onSubmit={submit} noValidate>
      <h2>Profile</h2>
      <FormError error={error} />
      <Field label="Name" required maxLength={100} messages={{ valueMissing: 'Enter your name.' }} value={name} onChange={(e) => setName(e.target.value)} error={fieldError(error, 'name')} />
      <p className="hint">
        Time zone: <strong>{me.time_zone}</strong>
        {me.time_zone !== browserZone && <> (saving will switch it to {browserZone}, your browser’s zone)</>}
      </p>
      <label className="check">
        <input type="checkbox" checked={reminders} onChange={(e) => setReminders(e.target.checked)} />
        E-mail me on Fridays when I have not met my weekly learning goal
      </label>
      <div className="form-actions">
        <button className="button" type="submit">
          Save profile
        </button>
        {saved && (
          <span className="saved" role="status">
            Saved
          </span>
        )}
      </div>
    </form>
  );
}

function PasswordForm() {
  const { signIn } = useAuth();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!validateForm(e)) return;
    setError(null);
    setSaved(false);
    try {
      const s = await api.PUT('/api/v1/me/password', { body: { current_password: current, new_password: next } });
      await signIn(s);
      setCurrent('');
      setNext('');
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <form className="panel" onSubmit={submit} noValidate>
      <h2>Password</h2>
      <FormError error={error} />
      <Field label="Current password" type="password" autoComplete="current-password" required
        messages={{ valueMissing: 'Enter your current password.' }} value={current}
        onChange={(e) => setCurrent(e.target.value)} error={fieldError(error, 'current_password')} />
      <Field label="New password" type="password" autoComplete="new-password" required minLength={10}
        messages={{ valueMissing: 'Choose a new password of at least 10 characters.', tooShort: 'Use at least 10 characters for your new password.' }} value={next}
        onChange={(e) => setNext(e.target.value)} error={fieldError(error, 'new_password')} hint="At least 10 characters." />
      <div className="form-actions">
        <button className="button" type="submit">
          Change password
        </button>
        {saved && (
          <span className="saved" role="status">
            Password changed; other devices were signed out
          </span>
        )}
      </div>
    </form>
  );
}

function Sessions() {
  const { signOut } = useAuth();
  const navigate = useNavigate();
  return (
    <section className="panel">
      <h2>Sessions</h2>
      <p>Lost a laptop or used a shared computer? Sign out of Rapport on every device at once.</p>
      <button className="button button-danger" onClick={() => signOut(true).then(() => navigate('/signin'))}>
        Sign out everywhere
      </button>
    </section>
  );
}
