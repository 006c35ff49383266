import { Link } from 'react-router-dom';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { kindWords } from './format';
import { useReviewQueue } from './queries';

/** ReviewQueue is what awaits the caller's review: their reps' submitted attempts (as manager) and
 *  the attempts they were invited to review (as peer), oldest first. */
export function ReviewQueue() {
  usePageTitle('Practice reviews');
  const q = useReviewQueue();
  const items = q.data?.submissions ?? [];
  return (
    <div className="container page">
      <p>
        <Link to="/practice">← Practice</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>Practice reviews</h1>
          <p className="lead">Watch, comment at the moments that matter, and score each criterion. You see the rep’s own scores only after you submit yours.</p>
        </div>
      </div>
      <FormError error={q.error} />
      {q.isLoading && <p aria-busy="true">Loading your queue…</p>}
      {q.data && items.length === 0 && <p className="muted">Nothing is waiting for your review. When a rep on your team submits an attempt, you’ll get an e-mail and it will appear here.</p>}
      {items.length > 0 && (
        <ul className="feed practice-queue">
          {items.map((s) => (
            <li key={s.id} className="feed-item practice-queue-item">
              <div>
                <p className="feed-head">
                  <strong>{s.owner.name}</strong> · {s.activity_title}
                  {s.attempt > 1 && <span className="muted"> (attempt {s.attempt})</span>}
                </p>
                <p className="muted small">
                  {kindWords[s.kind]} · submitted {new Date(s.submitted_at).toLocaleDateString()} · {s.role === 'manager' ? 'as their manager' : 'as a peer'}
                  {s.review_started && ' · draft saved'}
                </p>
              </div>
              <Link className="button button-small" to={`/practice/submissions/${s.id}`}>
                {s.review_started ? 'Continue review' : 'Review'}
                <span className="visually-hidden">
                  {' '}
                  {s.owner.name}: {s.activity_title}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
