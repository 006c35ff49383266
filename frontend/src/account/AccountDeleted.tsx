import { useEffect } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { usePageTitle } from '../components/usePageTitle';

/** AccountDeleted confirms an erasure to a visitor who is now signed out. */
export function AccountDeleted() {
  usePageTitle('Account deleted');
  const { status, signOut } = useAuth();
  const deleted = (useLocation().state as { deleted?: boolean } | null)?.deleted === true;
  // The server already ended every session of the account; this forgets the one in this tab.
  useEffect(() => {
    if (deleted && status === 'signed-in') void signOut().catch(() => undefined);
  }, [deleted, status, signOut]);
  return (
    <div className="container narrow page">
      <h1>Your account has been deleted</h1>
      <section className="panel">
        <p role="status">
          Everything in your Rapport account is gone and you have been signed out on every device. If you had a
          subscription, it was cancelled and you won’t be charged again.
        </p>
        <p>Thank you for learning with us. You are welcome back any time with the same e-mail address.</p>
        <div className="form-actions">
          <Link className="button" to="/">
            Go to the home page
          </Link>
          <Link className="button button-secondary" to="/signup">
            Create a new account
          </Link>
        </div>
      </section>
    </div>
  );
}
