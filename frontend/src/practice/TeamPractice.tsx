import { Link } from 'react-router-dom';
import type { Report } from '../teams/types';
import { useReviewQueue } from './queries';

/** PracticeCounts is a rep's practice as the team report counts it. */
type PracticeCounts = { submitted: number; reviewed: number; awaiting_review: number };
type WithPractice = { practice?: PracticeCounts | null };

/** TeamPractice tells a manager how many practice attempts on the team await review, with a call
 *  to action to the queue, and each rep's submitted and reviewed counts. Before the report carries
 *  practice counts it falls back to the manager's own queue. */
export function TeamPractice({ report }: { report: Report }) {
  const queue = useReviewQueue();
  const members = report.members.map((m) => ({ id: m.user_id, name: m.name, practice: (m as WithPractice).practice ?? null }));
  const counted = members.some((m) => m.practice);
  const awaiting = counted
    ? members.reduce((n, m) => n + (m.practice?.awaiting_review ?? 0), 0)
    : (queue.data?.submissions.filter((s) => s.role === 'manager').length ?? 0);
  const active = members.filter((m) => m.practice && (m.practice.submitted > 0 || m.practice.reviewed > 0));
  return (
    <section className="panel" aria-labelledby="team-practice-title">
      <h2 id="team-practice-title">Practice</h2>
      <div className="practice-awaiting">
        <p>
          {awaiting === 0 ? (
            <span className="muted">No practice attempts are waiting for review.</span>
          ) : (
            <>
              <strong>{awaiting}</strong> {awaiting === 1 ? 'attempt is' : 'attempts are'} waiting for your review.
            </>
          )}
        </p>
        {awaiting > 0 && (
          <Link className="button" to="/practice/reviews">
            Review now
          </Link>
        )}
      </div>
      {active.length > 0 && (
        <ul className="gap-list">
          {active.map((m) => (
            <li key={m.id}>
              <strong>{m.name}</strong>
              <span className="muted small">
                {m.practice!.submitted} submitted · {m.practice!.reviewed} reviewed
                {m.practice!.awaiting_review > 0 && ` · ${m.practice!.awaiting_review} awaiting review`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
