import { Link } from 'react-router-dom';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { StudioNav } from '../media/StudioNav';
import { useStudioModules } from './queries';
import { stateLabel } from './types';

/** StudioHome lists every module with its publishing state. */
export function StudioHome() {
  usePageTitle('Studio');
  const q = useStudioModules();
  return (
    <div className="container page">
      <StudioNav />
      <div className="page-head">
        <div>
          <h1>Studio</h1>
          <p className="muted">Write lessons in Markdown, preview them exactly as learners will see them, and publish a version.</p>
        </div>
        <div className="form-actions">
          <Link className="button button-secondary" to="/studio/media">
            Upload media
          </Link>
          <Link className="button" to="/studio/new">
            New module
          </Link>
        </div>
      </div>
      <FormError error={q.error} />
      {q.isLoading && <p aria-busy="true">Loading modules…</p>}
      {q.data && (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Modules</caption>
            <thead>
              <tr>
                <th scope="col">Module</th>
                <th scope="col">Access</th>
                <th scope="col">Lessons</th>
                <th scope="col">State</th>
                <th scope="col">Last edited</th>
              </tr>
            </thead>
            <tbody>
              {q.data.modules.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    <Link to={`/studio/modules/${m.slug}`}>{m.title}</Link>
                    <div className="muted small">{m.slug}</div>
                  </th>
                  <td data-label="Access">{m.access === 'free' ? 'Free' : 'Premium'}</td>
                  <td data-label="Lessons">{m.lesson_count}</td>
                  <td data-label="State">
                    <span>
                      <span className={m.state === 'published' ? 'badge badge-brand' : 'badge badge-muted'}>{stateLabel(m)}</span>
                      {m.has_unpublished_changes && m.state !== 'draft' && <span className="small muted state-note">unpublished edits</span>}
                    </span>
                  </td>
                  <td data-label="Last edited">{new Date(m.updated_at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
