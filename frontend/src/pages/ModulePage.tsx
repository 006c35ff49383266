import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { CoachingPanel } from '../catalog/CoachingPanel';
import { useModule } from '../catalog/queries';
import { competencyName } from '../catalog/types';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { NotFound } from './NotFound';

/** ModulePage shows a module's summary and its lesson outline. */
export function ModulePage() {
  const { slug = '' } = useParams();
  const q = useModule(slug);
  usePageTitle(q.data?.title ?? 'Module');
  if (q.error instanceof ApiError && q.error.status === 404) return <NotFound />;
  const m = q.data;
  const next = m?.lessons.find((l) => !l.completed) ?? m?.lessons[0];
  // Every lesson done: offer a re-read, not "Continue" (there is nothing left to continue).
  const finished = !!m && m.lessons.length > 0 && m.lessons.every((l) => l.completed);
  return (
    <div className="container page narrow">
      <p>
        <Link to="/catalog">← All courses</Link>
      </p>
      {q.isLoading && <p aria-busy="true">Loading…</p>}
      <FormError error={q.error} />
      {m && (
        <>
          <span className={m.access === 'free' ? 'badge badge-free' : 'badge badge-premium'}>
            {m.access === 'free' ? 'Free' : 'Premium'}
          </span>
          <h1 className="module-title">{m.title}</h1>
          <p className="lead">{m.summary}</p>
          <p className="muted">
            {m.lessons.length} lessons · about {m.minutes} minutes · builds{' '}
            {m.competencies.map(competencyName).join(', ').toLowerCase()}
          </p>
          {finished && <p className="alert alert-success" role="status">You’ve finished this module. Your certificate is on your dashboard.</p>}
          {next && (
            <p>
              <Link className="button" to={`/modules/${m.slug}/${next.slug}`}>
                {finished ? 'Read it again from the start' : m.lessons.some((l) => l.completed) ? 'Continue' : 'Start the first lesson'}
              </Link>
            </p>
          )}
          <CoachingPanel slug={m.slug} />
          <h2 className="outline-title">Lessons</h2>
          <ol className="outline">
            {m.lessons.map((l, i) => (
              <li key={l.id} className={l.completed ? 'done' : undefined}>
                <span className="outline-num" aria-hidden="true">
                  {l.completed ? '✓' : i + 1}
                </span>
                <Link to={`/modules/${m.slug}/${l.slug}`}>{l.title}</Link>
                <span className="muted small">
                  {l.minutes} min{l.completed && <span className="visually-hidden"> · completed</span>}
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
