import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { formatChange, roundScore } from '../assess/format';
import { bandWords } from '../assess/types';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { NotFound } from '../pages/NotFound';
import { useTeamMember } from './queries';

/** MemberPage is the manager's drill-down into one rep: progress and each competency's growth. */
export function MemberPage() {
  const { id = '', userId = '' } = useParams();
  const q = useTeamMember(id, userId);
  usePageTitle(q.data?.name ?? 'Rep');
  if (q.error instanceof ApiError && q.error.status === 404) return <NotFound />;
  const m = q.data;
  return (
    <div className="container page narrow">
      <p><Link to={`/teams/${id}`}>← Team</Link></p>
      <FormError error={q.error} />
      {m && (
        <>
          <h1>{m.name}</h1>
          <p className="muted wrap-anywhere">{m.email} · joined {new Date(m.joined_at).toLocaleDateString()} · last active {m.last_active_at ? new Date(m.last_active_at).toLocaleDateString() : 'not yet'}</p>
          <dl className="facts panel">
            <div><dt>Lessons completed</dt><dd>{m.completed_lessons} of {m.lesson_count}</dd></div>
            <div><dt>Progress</dt><dd>{m.percent}%</dd></div>
            <div><dt>Recognitions</dt><dd>{m.recognitions}</dd></div>
          </dl>
          <h2 className="section-title-sm">Skills</h2>
          {m.competencies.length === 0 ? (
            <p className="muted">No baseline skills profile yet.</p>
          ) : (
            <table className="table table-cards">
              <caption className="visually-hidden">{m.name}’s baseline, latest score and change per competency</caption>
              <thead><tr><th scope="col">Competency</th><th scope="col">Baseline</th><th scope="col">Latest</th><th scope="col">Change</th><th scope="col">Reading</th></tr></thead>
              <tbody>
                {m.competencies.map((c) => (
                  <tr key={c.competency}>
                    <th scope="row" className="card-title">{c.name}</th>
                    <td data-label="Baseline">{roundScore(c.baseline)}</td>
                    <td data-label="Latest">{roundScore(c.latest)}</td>
                    <td data-label="Change">{formatChange(c.baseline, c.latest)}</td>
                    <td data-label="Reading" className={c.band.includes('growth') ? 'band-up' : c.band.includes('decline') ? 'band-down' : ''}>{bandWords[c.band]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="hint">Coach from this evidence: ask what helped where they grew, and what gets in the way where they did not.</p>
        </>
      )}
    </div>
  );
}
