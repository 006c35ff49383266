import { useId, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import type { RequestBody } from '../api/types';
import { usePlans } from './queries';
import { useAuth } from '../auth/AuthContext';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { capitalised, freeModules, offerOf, plural } from '../catalog/offer';
import { useModules } from '../catalog/queries';
import { money, type Plan } from './types';

/** PricingPage shows the plans with a monthly / annual toggle and a seat selector for teams. */
export function PricingPage() {
  usePageTitle('Pricing', 'Rapport pricing: start free with your skills baseline, subscribe as an individual, or buy seats for your sales team.');
  const { status, me } = useAuth();
  const navigate = useNavigate();
  const [interval, setInterval] = useState<'month' | 'year'>('month');
  const [seats, setSeats] = useState(5);
  // ?team=ID (from a team page's "Buy seats") picks the team the seats are for.
  const [params] = useSearchParams();
  const [teamId, setTeamId] = useState(() => params.get('team') ?? '');
  const seatsId = useId();
  const teamSelectId = useId();
  const q = usePlans();
  const mods = useModules();
  const offer = mods.data ? offerOf(mods.data.modules) : null;
  const free = offer ? freeModules(offer) : null;
  const checkout = useMutation({
    mutationFn: (body: RequestBody<'/api/v1/billing/checkout', 'post'>) => api.POST('/api/v1/billing/checkout', { body }),
    onSuccess: (r) => window.location.assign(r.url),
  });
  const plans = q.data?.plans ?? [];
  const individual = plans.find((p) => !p.per_seat && p.interval === interval);
  const monthly = plans.find((p) => !p.per_seat && p.interval === 'month');
  const team = plans.find((p) => p.per_seat);
  const managed = me?.teams.filter((t) => t.role === 'manager') ?? [];
  const forTeam = managed.find((t) => t.id === teamId) ?? managed[0];
  const enabled = !!q.data?.billing_enabled;

  const buy = (p: Plan) => {
    if (status !== 'signed-in') {
      navigate('/signup', { state: { from: '/pricing' } });
      return;
    }
    if (p.per_seat) checkout.mutate({ plan_id: p.id, seats, team_id: forTeam?.id });
    else checkout.mutate({ plan_id: p.id });
  };

  return (
    <div className="container page">
      <div className="center pricing-head">
        <h1>Simple pricing</h1>
        <p className="lead">
          {free ? `${capitalised(free)}, your` : 'Your'} baseline skills profile with progress
          check-ins, and certificates for the modules you finish are free.{' '}
          {offer && offer.premium > 0
            ? `Subscribe to open the ${plural(offer.premium, 'premium module')} as well.`
            : 'Subscribe to open the premium modules as well.'}
        </p>
        {me?.entitlement.premium && <div className="alert alert-success">You already have full access{me.entitlement.source === 'team' ? ' through your team' : ''}.</div>}
        {q.data && !enabled && (
          <div className="alert alert-info" role="status">
            Plans can’t be bought online on this Rapport site. Ask your Rapport administrator: they can give you full access, or your team seats, right away.
          </div>
        )}
        <div className="toggle" role="group" aria-label="Billing period">
          <button className={interval === 'month' ? 'toggle-on' : ''} aria-pressed={interval === 'month'} onClick={() => setInterval('month')}>Monthly</button>
          <button className={interval === 'year' ? 'toggle-on' : ''} aria-pressed={interval === 'year'} onClick={() => setInterval('year')}>Annual</button>
        </div>
      </div>
      <FormError error={checkout.error} />
      <div className="plans">
        {individual && (
          <section className="plan" aria-labelledby="plan-individual">
            <h2 id="plan-individual">Individual</h2>
            <p className="price">
              {money(individual.amount, individual.currency)}
              <span className="per"> / {individual.interval}</span>
            </p>
            {interval === 'year' && monthly && (
              <p className="save">Save {money(monthly.amount * 12 - individual.amount, individual.currency)} a year</p>
            )}
            <ul className="features">
              <li>{offer ? `All ${plural(offer.total, 'module')}, the ${plural(offer.premium, 'premium one')} included,` : 'Every module'} and every new one we publish</li>
              <li>A certificate for every module you finish</li>
              <li>Your skills profile and progress check-ins, as on the free plan</li>
              {individual.trial_days > 0 && <li>{individual.trial_days}-day free trial</li>}
            </ul>
            {enabled ? (
              <button className="button button-block" disabled={checkout.isPending} onClick={() => buy(individual)}>
                {individual.trial_days > 0 ? 'Start free trial' : 'Subscribe'}
              </button>
            ) : (
              <p className="plan-note">Ask your Rapport administrator for full access.</p>
            )}
          </section>
        )}
        {team && (
          <section className="plan plan-team" aria-labelledby="plan-team">
            <h2 id="plan-team">Team</h2>
            <p className="price">
              {money(team.amount, team.currency)}
              <span className="per"> per seat / {team.interval}</span>
            </p>
            <div className="seat-picker">
              <label htmlFor={seatsId}>Seats</label>
              <input id={seatsId} type="number" min={1} max={1000} value={seats} onChange={(e) => setSeats(Math.max(1, Math.min(1000, Number(e.target.value) || 1)))} />
              <span className="total" aria-live="polite">Total {money(team.amount * seats, team.currency)} / {team.interval}</span>
            </div>
            {managed.length === 1 && <p className="hint">Seats for {managed[0].name}.</p>}
            {managed.length > 1 && (
              <div className="field">
                <label htmlFor={teamSelectId}>For team</label>
                <select id={teamSelectId} value={forTeam?.id ?? ''} onChange={(e) => setTeamId(e.target.value)}>
                  {managed.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
                </select>
              </div>
            )}
            <ul className="features">
              <li>Everything in Individual for each rep</li>
              <li>Team report: progress and growth per rep, CSV export</li>
              <li>Assign modules with due dates, recognise wins</li>
            </ul>
            {!enabled ? (
              <p className="plan-note">Ask your Rapport administrator for team seats.</p>
            ) : status === 'signed-in' && managed.length === 0 ? (
              <Link className="button button-block" to="/teams/new">Create your team first</Link>
            ) : (
              <button className="button button-block" disabled={checkout.isPending} onClick={() => buy(team)}>
                Buy {seats} seats
              </button>
            )}
          </section>
        )}
      </div>
    </div>
  );
}
