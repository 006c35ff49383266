import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from './AuthContext';

/** RequireAuth renders children for signed-in users (with a role, if given) and sends others to sign in. */
export function RequireAuth({ children, role }: { children: ReactNode; role?: string[] }) {
  const { status, hasRole, offline, retryNow } = useAuth();
  const location = useLocation();
  if (status === 'loading' && offline) {
    return (
      <div className="container narrow center-page" role="status">
        <h1>We can’t reach Rapport right now</h1>
        <p className="lead">You’re still signed in. We’ll keep trying and bring you back here as soon as the connection returns.</p>
        <button className="button" onClick={retryNow}>
          Try again now
        </button>
      </div>
    );
  }
  if (status === 'loading') return <div className="container loading" aria-busy="true">Loading…</div>;
  if (status === 'anonymous') return <Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />;
  if (role && !role.some(hasRole)) {
    return (
      <div className="container narrow center-page">
        <h1>You do not have access to this page</h1>
        <p className="lead">Ask an administrator if you think you should.</p>
      </div>
    );
  }
  return <>{children}</>;
}
