import { Link } from 'react-router-dom';
import { useMyAssignments, useMyRecognitions } from './queries';

const statusWords: Record<string, string> = { not_started: 'not started', in_progress: 'in progress', done: 'done', overdue: 'overdue' };

/** TeamInbox shows what a rep's manager assigned and the recognition they received. */
export function TeamInbox() {
  const assignments = useMyAssignments();
  const recognitions = useMyRecognitions();
  const open = assignments.data?.assignments.filter((a) => a.status !== 'done') ?? [];
  const kudos = recognitions.data?.recognitions.slice(0, 3) ?? [];
  if (open.length === 0 && kudos.length === 0) return null;
  return (
    <div className="inbox">
      {open.length > 0 && (
        <section className="panel" aria-labelledby="assigned-title">
          <h2 id="assigned-title">Assigned to you</h2>
          <ul className="assigned-list">
            {open.map((a) => (
              <li key={a.id} className={a.status === 'overdue' ? 'overdue' : undefined}>
                <Link to={`/modules/${a.module_slug}`}>{a.module_title}</Link>
                <span className="muted small">
                  {' '}· assigned by {a.assigned_by}, due {new Date(a.due_at).toLocaleDateString()} · {statusWords[a.status] ?? a.status}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {kudos.length > 0 && (
        <section className="panel kudos" aria-labelledby="kudos-title">
          <h2 id="kudos-title">Recognition</h2>
          <ul className="kudos-list">
            {kudos.map((r) => (
              <li key={r.id}>
                <blockquote>“{r.message}”</blockquote>
                <span className="muted small">
                  — {r.from.name}, {new Date(r.created_at).toLocaleDateString()}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
