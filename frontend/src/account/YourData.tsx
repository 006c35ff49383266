import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field, FormError, fieldError } from '../components/Form';
import { deleteAccount, downloadExport } from './api';

/** YourData is the account page's section for the data as a whole: download it, or delete the account. */
export function YourData() {
  return (
    <section className="panel" aria-labelledby="your-data">
      <h2 id="your-data">Your data</h2>
      <DownloadData />
      <DeleteAccount />
    </section>
  );
}

function DownloadData() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [queued, setQueued] = useState(false);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      setQueued((await downloadExport()) === 'queued');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <p>
        Download a ZIP file with everything Rapport holds about you: your profile, lesson progress and weekly
        history, assessment answers and scores, certificates, subscription, team memberships and the recognition you
        received.
      </p>
      <FormError error={error} />
      <p role="status" className={queued ? 'alert alert-info' : 'visually-hidden'}>
        {queued && 'Your data is large, so we are preparing your file and will e-mail you a link. The link works once, for 24 hours.'}
      </p>
      <div className="form-actions">
        <button className="button button-secondary" type="button" onClick={download} disabled={busy}>
          {busy ? 'Preparing your data…' : 'Download my data'}
        </button>
      </div>
    </div>
  );
}

function DeleteAccount() {
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);

  const confirm = async (e?: FormEvent) => {
    e?.preventDefault();
    setMissing(!password);
    if (!password) return;
    setBusy(true);
    setError(null);
    try {
      await deleteAccount(password);
      setOpen(false);
      // The next page forgets this tab's session once it is on screen: signing out here would
      // let this page's sign-in guard send the browser to the sign-in form first.
      navigate('/account-deleted', { replace: true, state: { deleted: true } });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const close = () => {
    setOpen(false);
    setPassword('');
    setError(null);
    setMissing(false);
  };

  return (
    <div>
      <h3>Delete my account</h3>
      <p>Deleting your account is permanent. Download your data first if you want to keep it.</p>
      <div className="form-actions">
        <button className="button button-danger" type="button" onClick={() => setOpen(true)}>
          Delete my account
        </button>
      </div>
      <ConfirmDialog open={open} title="Delete your account?" confirmLabel={busy ? 'Deleting…' : 'Delete my account for good'}
        onConfirm={() => void confirm()} onCancel={close} busy={busy}>
        <p>This can’t be undone. When you confirm:</p>
        <ul>
          <li>you are signed out on every device;</li>
          <li>your progress, weekly history, assessment answers, skills and certificates are deleted;</li>
          <li>your seats on teams are freed and the recognition you received is deleted;</li>
          <li>the recognition you gave stays with its receivers, from “a former member”;</li>
          <li>your own subscription is cancelled at once and your payment details are removed from Stripe.</li>
        </ul>
        <form onSubmit={confirm} noValidate>
          <FormError error={error} />
          <Field label="Your password" type="password" autoComplete="current-password" required value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={missing ? 'Enter your password to confirm.' : fieldError(error, 'password')} />
        </form>
      </ConfirmDialog>
    </div>
  );
}
