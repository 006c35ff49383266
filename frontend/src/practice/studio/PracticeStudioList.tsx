import { Link } from 'react-router-dom';
import { competencyName } from '../../catalog/types';
import { FormError } from '../../components/Form';
import { usePageTitle } from '../../components/usePageTitle';
import { StudioNav } from '../../media/StudioNav';
import { useStudioModules } from '../../studio/queries';
import { formatLimit } from './form';
import { usePracticeActivities } from './queries';

const kindNames = { video: 'Video', audio: 'Audio', text: 'Written' } as const;

/** PracticeStudioList lists every practice activity in the order learners see them. */
export function PracticeStudioList() {
  usePageTitle('Practice activities');
  const q = usePracticeActivities();
  const modules = useStudioModules();
  const moduleTitle = (slug?: string) => (slug ? (modules.data?.modules.find((m) => m.slug === slug)?.title ?? slug) : 'No module');
  return (
    <div className="container page">
      <StudioNav />
      <div className="page-head">
        <div>
          <h1>Practice activities</h1>
          <p className="muted">
            Role-plays and written tasks: a buyer situation, what to do in the time limit, and the rubric reviewers score on.
          </p>
        </div>
        <div className="form-actions">
          <Link className="button" to="/studio/practice/new">
            New activity
          </Link>
        </div>
      </div>
      <FormError error={q.error} />
      {q.isLoading && <p aria-busy="true">Loading activities…</p>}
      {q.data && q.data.activities.length === 0 && <p className="muted">No activities yet. Create the first one.</p>}
      {q.data && q.data.activities.length > 0 && (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Practice activities</caption>
            <thead>
              <tr>
                <th scope="col">Activity</th>
                <th scope="col">Module</th>
                <th scope="col">Kind</th>
                <th scope="col">Time limit</th>
                <th scope="col">Competencies</th>
                <th scope="col">Last edited</th>
              </tr>
            </thead>
            <tbody>
              {q.data.activities.map((a) => (
                <tr key={a.slug}>
                  <th scope="row">
                    <Link to={`/studio/practice/${a.slug}`}>{a.title}</Link>
                    <div className="muted small">
                      {a.slug} · {a.criteria} criteria
                    </div>
                  </th>
                  <td data-label="Module">{moduleTitle(a.module_slug)}</td>
                  <td data-label="Kind">{kindNames[a.kind]}</td>
                  <td data-label="Time limit">{formatLimit(a.time_limit_seconds)}</td>
                  <td data-label="Competencies">{a.competencies.map(competencyName).join(', ')}</td>
                  <td data-label="Last edited">{new Date(a.updated_at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
