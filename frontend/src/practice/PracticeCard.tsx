import { Link } from 'react-router-dom';
import { usePracticeList, useReviewQueue } from './queries';

/** PracticeCard is the dashboard's practice panel: attempts waiting for the caller's review, or a
 *  draft the caller left unfinished. It stays away when there is neither. */
export function PracticeCard() {
  const queue = useReviewQueue();
  const list = usePracticeList();
  const waiting = queue.data?.submissions.length ?? 0;
  const draft = list.data?.activities.find((a) => a.my_status === 'draft');
  if (waiting === 0 && !draft) return null;
  return (
    <section className="panel" aria-labelledby="practice-card-title">
      <h2 id="practice-card-title">Practice</h2>
      {waiting > 0 ? (
        <>
          <p className="review-line">{waiting === 1 ? '1 attempt is' : `${waiting} attempts are`} waiting for your review.</p>
          <Link className="button" to="/practice/reviews">
            Review now
          </Link>
        </>
      ) : (
        draft && (
          <>
            <p className="review-line">Your attempt at “{draft.title}” is not sent yet.</p>
            <Link className="button" to={`/practice/${draft.slug}`}>
              Finish your attempt
            </Link>
          </>
        )
      )}
    </section>
  );
}
