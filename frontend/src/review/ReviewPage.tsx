import { useRef, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import type { Schemas } from '../api/types';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { CheckCard } from './CheckCard';
import { nextReviewText, reviewLine } from './format';
import { useReview } from './queries';

type Item = Schemas['ReviewItem'];

/** ReviewPage is the spaced review: the due checks one at a time, with feedback after each and
 *  the place in the round ("3 of 6"). The round is the list as the page first read it, so
 *  answering (which refetches the queue) never reshuffles the checks under the learner. */
export function ReviewPage() {
  usePageTitle('Review');
  // Following a link to the page again (the nav's Review) starts a fresh round.
  return <ReviewRound key={useLocation().key} />;
}

function ReviewRound() {
  const q = useReview();
  const [round, setRound] = useState<Item[] | null>(null);
  const [index, setIndex] = useState(0);
  const [answered, setAnswered] = useState(false);
  const [right, setRight] = useState(0);
  const nextRef = useRef<HTMLButtonElement>(null);

  const items = round ?? q.data?.due ?? [];
  const finished = round !== null && index >= round.length;
  const current = finished ? undefined : items[index];

  const startRound = () => {
    setRound(null);
    setIndex(0);
    setRight(0);
    setAnswered(false);
  };

  return (
    <div className="container page narrow review-page">
      <p className="eyebrow">Spaced review</p>
      <h1>Review</h1>
      <p className="lead">
        A few questions from lessons you have read, each coming back just as you might forget it. Every answer counts toward
        your weekly goal.
      </p>
      <FormError error={q.error} />
      {q.isLoading && <p aria-busy="true">Loading your review…</p>}
      {q.data && !current && !finished && (
        <section className="panel review-empty" aria-labelledby="review-empty-title">
          <h2 id="review-empty-title">Nothing to review right now</h2>
          <p>{nextReviewText(q.data.next_due_at)}</p>
          <Link className="button button-secondary" to="/dashboard">
            Back to your dashboard
          </Link>
        </section>
      )}
      {current && (
        <>
          <div className="review-progress">
            <p className="muted" aria-live="polite">
              {index + 1} of {items.length}
            </p>
            <div
              className="bar"
              role="progressbar"
              aria-label="Review progress"
              aria-valuemin={0}
              aria-valuemax={items.length}
              aria-valuenow={index + (answered ? 1 : 0)}
            >
              <span style={{ width: `${((index + (answered ? 1 : 0)) / items.length) * 100}%` }} />
            </div>
          </div>
          <CheckCard
            key={current.id}
            check={current}
            heading={`From “${current.lesson.title}”`}
            onAnswered={(r) => {
              if (!round) setRound(items);
              setAnswered(true);
              if (r.correct) setRight((n) => n + 1);
              requestAnimationFrame(() => nextRef.current?.focus({ preventScroll: true }));
            }}
          />
          {answered && (
            <p className="review-next">
              <Link to={`/modules/${current.lesson.module_slug}/${current.lesson.slug}`}>Reread the lesson</Link>
              <button
                ref={nextRef}
                className="button"
                onClick={() => {
                  if (!round) setRound(items);
                  setIndex((i) => i + 1);
                  setAnswered(false);
                }}
              >
                {index + 1 < items.length ? 'Next question' : 'Finish'}
              </button>
            </p>
          )}
        </>
      )}
      {finished && round && (
        <section className="panel review-done" aria-labelledby="review-done-title">
          <h2 id="review-done-title">Review done</h2>
          <p>
            You answered {right} of {round.length} right.{' '}
            {right < round.length ? 'The ones you missed come back tomorrow.' : 'They will come back later, spaced further apart.'}
          </p>
          {q.data && q.data.due_count > 0 ? (
            <>
              <p>{reviewLine(q.data.due_count, q.data.estimated_minutes)} still.</p>
              <button className="button" onClick={startRound}>
                Keep reviewing
              </button>
            </>
          ) : (
            q.data && <p className="muted">{nextReviewText(q.data.next_due_at)}</p>
          )}
          <p>
            <Link to="/dashboard">Back to your dashboard</Link>
          </p>
        </section>
      )}
    </div>
  );
}
