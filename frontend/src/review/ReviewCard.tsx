import { Link } from 'react-router-dom';
import { nextReviewText, reviewLine } from './format';
import { useReview } from './queries';

/** ReviewCard is the dashboard's review panel: how many checks are due and about how long they
 *  take, linking to the review; when none are due, when the next one is. Learners who never
 *  answered a check do not see it. */
export function ReviewCard() {
  const q = useReview();
  const r = q.data;
  if (!r || (r.due_count === 0 && !r.next_due_at)) return null;
  return (
    <section className="panel review-card" aria-labelledby="review-card-title">
      <h2 id="review-card-title">Review</h2>
      {r.due_count > 0 ? (
        <>
          <p className="review-line">{reviewLine(r.due_count, r.estimated_minutes)}</p>
          <p className="muted">Questions from lessons you have read, back just before you would forget them.</p>
          <Link className="button" to="/review">
            Start review
          </Link>
        </>
      ) : (
        <p className="muted">All caught up. {nextReviewText(r.next_due_at)}</p>
      )}
    </section>
  );
}
