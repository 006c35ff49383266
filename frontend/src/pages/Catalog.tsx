import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { competencyName, type ModuleSummary } from '../catalog/types';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';

/** Catalog lists the published modules as cards. */
export function Catalog() {
  usePageTitle('Courses');
  const { status, me } = useAuth();
  const q = useQuery({
    queryKey: ['modules', status],
    queryFn: () => api<{ modules: ModuleSummary[] }>('/api/v1/modules'),
    enabled: status !== 'loading',
  });
  const premium = !!me?.entitlement.premium || !!me?.roles.includes('admin');
  return (
    <div className="container page">
      <h1>Courses</h1>
      <p className="lead">
        Eight short modules on emotional intelligence and buyer enablement. Each lesson takes about five minutes and ends
        with something to practise on your next call.
      </p>
      {q.isLoading && <p aria-busy="true">Loading courses…</p>}
      <FormError error={q.error} />
      {q.data && q.data.modules.length === 0 && <p className="muted">No courses are published yet.</p>}
      <ul className="module-grid" aria-label="Modules">
        {q.data?.modules.map((m) => (
          <li key={m.id} className="module-card">
            <div className="module-card-top">
              <span className={m.access === 'free' ? 'badge badge-free' : 'badge badge-premium'}>
                {m.access === 'free' ? 'Free' : premium ? 'Included' : 'Premium'}
              </span>
              <span className="muted small">
                {m.lesson_count} lessons · {m.minutes} min
              </span>
            </div>
            <h2>
              <Link to={`/modules/${m.slug}`} className="stretched">
                {m.title}
              </Link>
            </h2>
            <p>{m.summary}</p>
            <ul className="chips" aria-label="Competencies">
              {m.competencies.map((c) => (
                <li key={c} className="chip">
                  {competencyName(c)}
                </li>
              ))}
            </ul>
            {m.progress && (
              <div className="progress-line">
                <div
                  className="progress"
                  role="progressbar"
                  aria-label={`${m.title} progress`}
                  aria-valuenow={m.progress.percent}
                  aria-valuemin={0}
                  aria-valuemax={100}
                >
                  <span className="progress-fill" style={{ width: `${m.progress.percent}%` }} />
                </div>
                <span className="small muted">{m.progress.percent}%</span>
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
