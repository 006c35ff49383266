import { Link } from 'react-router-dom';
import { usePlans } from '../billing/queries';
import type { Team } from './types';

/** SeatsNextStep tells a manager with no free seat what to do next: buy seats when online payment
 *  is on, or ask their Rapport administrator (who grants seats) when it is off. */
export function SeatsNextStep({ team, id }: { team: Team; id?: string }) {
  const plans = usePlans();
  if (!plans.data) return null;
  const { total, pending } = team.seats;
  const state = total === 0
    ? 'Your team has no seats yet.'
    : `All ${total} seat${total === 1 ? ' is' : 's are'} in use${pending > 0 ? ' or held by pending invites' : ''}.`;
  if (plans.data.billing_enabled) {
    return (
      <div className="next-step" id={id}>
        <p>{state} Buy seats to invite more reps.</p>
        <Link className="button button-small" to={`/pricing?team=${team.id}`}>Buy seats</Link>
      </div>
    );
  }
  return (
    <div className="next-step" id={id}>
      <p>{state} <strong>Ask your Rapport administrator for seats.</strong> As soon as they add them, you can invite reps here.</p>
    </div>
  );
}
