import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import type { Schemas } from '../api/types';
import { useAuth } from './AuthContext';

/** RequireAuth renders children for signed-in users (with a role, if given) and sends others to sign in. */
export function RequireAuth({ children, role }: { children: ReactNode; role?: Schemas['Role'][] }) {
  const { status, hasRole } = useAuth();
  const location = useLocation();
  // While Rapport cannot be reached the Layout's banner says so; the page waits for the session.
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
