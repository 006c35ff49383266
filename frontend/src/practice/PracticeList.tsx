import { Link } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { competencyName } from '../catalog/types';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { kindWords, limitWords, statusBadge, statusWords } from './format';
import { usePracticeList, useReviewQueue, type PracticeSummary } from './queries';

/** PracticeList is every practice activity as a card: what it is, how long, what it builds and
 *  where the learner stands; premium activities the learner cannot open say why. */
export function PracticeList() {
  usePageTitle('Practice');
  const { me } = useAuth();
  const list = usePracticeList();
  const queue = useReviewQueue();
  const premium = !!me?.entitlement.premium || !!me?.roles.includes('admin');
  const waiting = queue.data?.submissions.length ?? 0;
  const activities = list.data?.activities;
  return (
    <div className="container page">
      <div className="page-head">
        <div>
          <h1>Practice</h1>
          <p className="lead">Role-plays and pitches you record in the browser. You score yourself first, then your manager reviews blind, and the gap shows how well you read your own performance.</p>
        </div>
      </div>
      {waiting > 0 && (
        <div className="alert alert-info practice-queue-note">
          <span>
            {waiting === 1 ? '1 attempt is' : `${waiting} attempts are`} waiting for your review.
          </span>{' '}
          <Link to="/practice/reviews">Review now</Link>
        </div>
      )}
      <FormError error={list.error} />
      {list.isLoading && <p aria-busy="true">Loading the activities…</p>}
      {activities && activities.length === 0 && <p className="muted">No practice activities are published yet.</p>}
      {activities && activities.length > 0 && (
        <ul className="module-grid practice-grid" aria-label="Practice activities">
          {activities.map((a) => (
            <ActivityCard key={a.slug} a={a} locked={a.access === 'premium' && !premium} />
          ))}
        </ul>
      )}
    </div>
  );
}

function ActivityCard({ a, locked }: { a: PracticeSummary; locked: boolean }) {
  return (
    <li className="module-card practice-card">
      <div className="module-card-top">
        <span className="muted small">
          {kindWords[a.kind]} · {limitWords(a.time_limit_seconds)}
        </span>
        {locked ? <span className="badge badge-premium">Premium</span> : <span className={statusBadge(a.my_status)}>{statusWords[a.my_status]}</span>}
      </div>
      <h2>{locked ? a.title : <Link to={`/practice/${a.slug}`}>{a.title}</Link>}</h2>
      <ul className="chips" aria-label="Builds">
        {a.competencies.map((c) => (
          <li key={c} className="chip">
            {competencyName(c)}
          </li>
        ))}
      </ul>
      {locked && (
        <p className="small practice-locked">
          Included with a subscription or a team seat. <Link to="/pricing">See pricing</Link>
        </p>
      )}
    </li>
  );
}
