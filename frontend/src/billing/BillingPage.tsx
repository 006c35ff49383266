import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { usePlans, useSubscription } from './queries';

const statusWords: Record<string, string> = {
  active: 'Active', trialing: 'Free trial', past_due: 'Payment failed — please update your card', canceled: 'Cancelled', incomplete: 'Incomplete', unpaid: 'Unpaid',
};

/** BillingPage shows the subscription and opens Stripe's customer portal. */
export function BillingPage() {
  usePageTitle('Billing');
  const { me } = useAuth();
  const sub = useSubscription();
  const plans = usePlans();
  const portal = useMutation({
    mutationFn: () => api.POST('/api/v1/billing/portal'),
    onSuccess: (r) => window.location.assign(r.url),
  });
  const s = sub.data;
  const plan = plans.data?.plans.find((p) => p.id === s?.plan_id);
  const source = me?.entitlement.source;
  return (
    <div className="container narrow page">
      <h1>Billing</h1>
      <FormError error={sub.error} />
      {sub.isSuccess && !s && (
        <section className="panel">
          {me?.entitlement.premium ? (
            <p>You have full access {source === 'team' ? 'through your team' : source === 'grant' ? 'through complimentary access from Rapport' : ''}. There is nothing to pay.</p>
          ) : (
            <>
              <p>You are on the free plan: the first module and your baseline skills profile.</p>
              {plans.data && !plans.data.billing_enabled && (
                <p>Plans can’t be bought online on this Rapport site. Ask your Rapport administrator for full access.</p>
              )}
              <Link className="button" to="/pricing">See plans</Link>
            </>
          )}
        </section>
      )}
      {s && (
        <section className="panel">
          <dl className="facts">
            <div><dt>Plan</dt><dd>{plan?.name ?? s.plan_id}</dd></div>
            <div><dt>Status</dt><dd>{statusWords[s.status] ?? s.status}</dd></div>
            {s.seats > 1 && <div><dt>Seats</dt><dd>{s.seats}</dd></div>}
            {s.current_period_end && (
              // Stripe may not have told us the period yet (an incomplete subscription).
              <div>
                <dt>{s.cancel_at_period_end ? 'Access ends' : 'Renews'}</dt>
                <dd>{new Date(s.current_period_end).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' })}</dd>
              </div>
            )}
          </dl>
          <FormError error={portal.error} />
          <button className="button" onClick={() => portal.mutate()} disabled={portal.isPending}>Manage billing</button>
          <p className="hint">Change your card, switch plans, download invoices or cancel in Stripe’s secure portal.</p>
        </section>
      )}
    </div>
  );
}
