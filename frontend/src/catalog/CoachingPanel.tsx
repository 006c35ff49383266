import { Link } from 'react-router-dom';
import { useCanCoach, useCoaching } from './queries';

/** CoachingPanel shows managers (and instructors and admins) the way to a module's one-page
 *  coaching guide. Others see nothing, and so does everyone when the module has no guide. */
export function CoachingPanel({ slug }: { slug: string }) {
  const canCoach = useCanCoach();
  const q = useCoaching(slug, canCoach);
  if (!canCoach || !q.data) return null;
  return (
    <aside className="coaching-panel" aria-labelledby="coaching-panel-title">
      <h2 id="coaching-panel-title">Coaching guide for managers</h2>
      <p>
        One page for your team meeting and your 1:1s: what good looks like, discussion questions, 1:1 prompts and
        what to recognise when you see it.
      </p>
      <p className="coaching-panel-actions">
        <Link className="button button-secondary" to={`/coaching/${slug}`}>
          Open the coaching guide
        </Link>
      </p>
    </aside>
  );
}
