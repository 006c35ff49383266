import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { usePageTitle } from '../components/usePageTitle';

/** CheckoutSuccess waits for Stripe's webhook to grant access, polling /me for a little while. */
export function CheckoutSuccess() {
  usePageTitle('Thank you');
  const { me, reload } = useAuth();
  const [waited, setWaited] = useState(0);
  const premium = !!me?.entitlement.premium;
  useEffect(() => {
    if (premium || waited >= 30) return;
    const t = setTimeout(() => reload().then(() => setWaited((w) => w + 1)), 2000);
    return () => clearTimeout(t);
  }, [premium, waited, reload]);
  return (
    <div className="container narrow center-page">
      {premium ? (
        <>
          <h1>You are all set</h1>
          <p className="lead">Every module is open. Pick up where you left off.</p>
          <Link className="button" to="/dashboard">Go to your dashboard</Link>
        </>
      ) : waited >= 30 ? (
        <>
          <h1>Payment received</h1>
          <p className="lead">Stripe has not confirmed it to us yet. Access opens as soon as it does; you can keep using Rapport meanwhile.</p>
          <Link className="button" to="/billing">See your billing</Link>
        </>
      ) : (
        <>
          <h1>Confirming your subscription…</h1>
          <p className="lead" aria-busy="true">This usually takes a few seconds.</p>
        </>
      )}
    </div>
  );
}
