import { Link } from 'react-router-dom';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { useAssessments } from './queries';

/** AssessmentsPage introduces the skills profile and starts, resumes or schedules an attempt. */
export function AssessmentsPage() {
  usePageTitle('Skills profile');
  const q = useAssessments();
  return (
    <div className="container narrow page">
      <h1>Your skills profile</h1>
      <FormError error={q.error} />
      {q.data?.assessments.map((a) => {
        const due = a.next_due_at ? new Date(a.next_due_at) : null;
        const open = a.can_start || !!a.in_progress_attempt_id;
        return (
          <section className="panel" key={a.slug}>
            <h2>{a.title}</h2>
            {a.description && <p>{a.description}</p>}
            <ul className="chips" aria-label="Competencies">
              {a.competencies.map((c) => <li className="chip" key={c.key} title={c.description}>{c.name}</li>)}
            </ul>
            <div className="form-actions">
              {open ? (
                <Link className="button" to={`/assessments/${a.slug}`}>
                  {a.in_progress_attempt_id ? 'Resume where you stopped' : a.baseline_done ? 'Take a progress check-in' : 'Take the baseline'}
                </Link>
              ) : (
                <span className="muted">Your next check-in opens {due!.toLocaleDateString()}, or as soon as you finish a module.</span>
              )}
              {a.baseline_done && <Link to="/skills">See your results</Link>}
            </div>
          </section>
        );
      })}
    </div>
  );
}
