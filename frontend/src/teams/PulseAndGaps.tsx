import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { FormError } from '../components/Form';
import { teamKeys } from './queries';
import { RecognizeButton } from './RecognitionFeed';
import type { Report, Team } from './types';

/** RecognitionGaps nudges fair, regular praise: reps not recognised in 30 days, longest first. */
export function RecognitionGaps({ team }: { team: Team }) {
  const gaps = useQuery({
    queryKey: teamKeys.gaps(team.id),
    queryFn: () => api.GET('/api/v1/teams/{id}/recognition-gaps', { params: { path: { id: team.id } } }),
  });
  const members = gaps.data?.members ?? [];
  return (
    <section className="panel" aria-labelledby="gaps-title">
      <h2 id="gaps-title">Not recognised in 30 days</h2>
      <FormError error={gaps.error} />
      {gaps.data && members.length === 0 && <p className="muted">Everyone on the team was recognised this month. Keep it regular.</p>}
      {members.length > 0 && (
        <ul className="gap-list">
          {members.map((m) => (
            <li key={m.user_id}>
              <span>
                <strong>{m.name}</strong>{' '}
                <span className="muted small">{m.last_recognized_at ? `last recognised ${new Date(m.last_recognized_at).toLocaleDateString()}` : 'never recognised here'}</span>
              </span>
              <RecognizeButton team={team} to={{ user_id: m.user_id, name: m.name }} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** PulseAggregates shows each rep's Buyer Pulse as a manager may see it: answers counted and,
 *  from the third answer on, the averages. Comments never reach managers. */
export function PulseAggregates({ report }: { report: Report }) {
  return (
    <section className="panel" aria-labelledby="pulse-agg-title">
      <h2 id="pulse-agg-title">Buyer Pulse</h2>
      <p className="muted small">How buyers felt after meetings, per rep (1-5). Averages appear from the third answer, so no single buyer can be singled out; comments stay with the rep.</p>
      <ul className="pulse-agg">
        {report.members.map((m) => (
          <li key={m.user_id}>
            <strong>{m.name}</strong>{' '}
            <span className="muted small">{m.pulse.responses} {m.pulse.responses === 1 ? 'answer' : 'answers'}</span>
            {m.pulse.averages ? (
              <dl className="pulse-avg">
                <div><dt>Easier decision</dt><dd>{m.pulse.averages.clarity.toFixed(1)}</dd></div>
                <div><dt>Felt understood</dt><dd>{m.pulse.averages.understood.toFixed(1)}</dd></div>
                <div><dt>Welcome again</dt><dd>{m.pulse.averages.again.toFixed(1)}</dd></div>
              </dl>
            ) : (
              <p className="muted small">{m.pulse.responses === 0 ? 'No answers yet.' : `Averages appear from 3 answers (${m.pulse.responses} so far).`}</p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
