import { Suspense, useState } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { VerifyBanner } from './VerifyBanner';

/** Layout is the app frame: header with navigation, the page, and the footer. */
export function Layout() {
  const { status, me, hasRole, signOut, offline, retryNow } = useAuth();
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const close = () => setOpen(false);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="container header-inner">
          <Link to="/" className="brand" onClick={close}>
            <span className="brand-mark" aria-hidden="true">
              R
            </span>
            Rapport
          </Link>
          <button
            className="nav-toggle"
            aria-expanded={open}
            aria-controls="site-nav"
            onClick={() => setOpen((o) => !o)}
          >
            Menu
          </button>
          <nav id="site-nav" className={open ? 'site-nav open' : 'site-nav'} aria-label="Main">
            {status === 'signed-in' && (
              <NavLink to="/dashboard" onClick={close}>
                Dashboard
              </NavLink>
            )}
            <NavLink to="/catalog" onClick={close}>
              Courses
            </NavLink>
            {status === 'signed-in' && (
              <NavLink to="/practice" onClick={close}>
                Practice
              </NavLink>
            )}
            {status === 'signed-in' && (
              <NavLink to="/review" onClick={close}>
                Review
              </NavLink>
            )}
            {status === 'signed-in' && (
              <NavLink to="/skills" onClick={close}>
                Skills
              </NavLink>
            )}
            {status === 'signed-in' && (
              <NavLink to="/pulse" onClick={close}>
                Buyer Pulse
              </NavLink>
            )}
            {status === 'signed-in' && (
              <NavLink to="/teams" onClick={close}>
                Teams
              </NavLink>
            )}
            {!me?.entitlement.premium && (
              <NavLink to="/pricing" onClick={close}>
                Pricing
              </NavLink>
            )}
            {(hasRole('instructor') || hasRole('admin')) && (
              <NavLink to="/studio" onClick={close}>
                Studio
              </NavLink>
            )}
            {hasRole('admin') && (
              <NavLink to="/admin" onClick={close}>
                Admin
              </NavLink>
            )}
            <span className="nav-spacer" />
            {status === 'signed-in' && me ? (
              <>
                <NavLink to="/account" onClick={close}>
                  {me.name}
                </NavLink>
                <button className="link-button" onClick={() => signOut().then(close)}>
                  Sign out
                </button>
              </>
            ) : status === 'anonymous' ? (
              <>
                <NavLink to="/signin" state={{ from: location.pathname }} onClick={close}>
                  Sign in
                </NavLink>
                <Link to="/signup" className="button button-small" onClick={close}>
                  Start free
                </Link>
              </>
            ) : null}
          </nav>
        </div>
      </header>
      {status === 'signed-in' && me && !me.email_verified && <VerifyBanner />}
      {offline && (
        <div className="banner" role="status">
          <div className="container banner-inner">
            <span>We can’t reach Rapport right now. You’re still signed in, and we’ll keep trying.</span>
            <button className="link-button" onClick={retryNow}>Try again now</button>
          </div>
        </div>
      )}
      <main id="main" className="site-main" tabIndex={-1}>
        <Suspense fallback={<div className="container loading" aria-busy="true">Loading…</div>}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="site-footer">
        <div className="container footer-inner">
          <p>
            <strong>Rapport</strong> · Sales training that measures skill, not activity.
          </p>
          <nav aria-label="Footer">
            <Link to="/catalog">Courses</Link>
            <Link to="/pricing">Pricing</Link>
            {status !== 'signed-in' && <Link to="/signup">Create an account</Link>}
          </nav>
        </div>
      </footer>
    </div>
  );
}
