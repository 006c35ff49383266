import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { GoalRing } from '../progress/GoalRing';
import type { Certificate, ProgressSummary } from '../progress/types';
import { SkillsSnapshot } from '../assess/SkillsSnapshot';
import { TeamInbox } from '../teams/TeamInbox';

/** Dashboard is a signed-in learner's home: resume, weekly goal, module progress, skills, certificates. */
export function Dashboard() {
  usePageTitle('Your dashboard');
  const { me } = useAuth();
  const progress = useQuery({ queryKey: ['progress'], queryFn: () => api<ProgressSummary>('/api/v1/progress') });
  const certs = useQuery({ queryKey: ['certificates'], queryFn: () => api<{ certificates: Certificate[] }>('/api/v1/certificates') });
  const p = progress.data;
  const started = p?.modules.filter((m) => m.completed_lessons > 0) ?? [];

  return (
    <div className="container page">
      <h1 className="dash-title">Welcome back{me ? `, ${me.name.split(' ')[0]}` : ''}</h1>
      <FormError error={progress.error} />
      <TeamInbox />
      <div className="dash-grid">
        <section className="panel resume-panel" aria-labelledby="resume-title">
          <h2 id="resume-title">Continue where you left off</h2>
          {p?.resume ? (
            <>
              <p className="resume-line">
                <strong>{p.resume.lesson_title ?? p.resume.lesson_slug}</strong>
                <span className="muted"> in {p.resume.module_title ?? p.resume.module_slug}</span>
              </p>
              <Link className="button" to={`/modules/${p.resume.module_slug}/${p.resume.lesson_slug}`}>
                Resume lesson
              </Link>
            </>
          ) : started.length > 0 ? (
            <>
              <p>You have finished every lesson you started. What next?</p>
              <div className="form-actions">
                <Link className="button" to="/catalog">
                  Choose your next module
                </Link>
                <Link className="button button-ghost" to="/skills">
                  See your skills
                </Link>
              </div>
            </>
          ) : (
            <>
              <p>Start with the free module, or take your baseline skills profile first.</p>
              <div className="form-actions">
                <Link className="button" to="/modules/buyer-has-changed">
                  Start learning
                </Link>
                <Link className="button button-ghost" to="/assessments">
                  Take the baseline
                </Link>
              </div>
            </>
          )}
        </section>
        <section className="panel week-panel" aria-labelledby="week-title">
          <h2 id="week-title">This week</h2>
          {p && (
            <div className="week">
              <GoalRing minutes={p.week.minutes} goal={p.week.goal_minutes} />
              <div>
                <p className="week-line">
                  {p.week.minutes >= p.week.goal_minutes
                    ? 'Goal met. Well done.'
                    : `${p.week.goal_minutes - p.week.minutes} minutes to your goal.`}
                </p>
                <p className="muted">
                  {p.week.streak_weeks > 0
                    ? `${p.week.streak_weeks}-week streak`
                    : 'Meet your goal this week to start a streak.'}
                </p>
                <GoalForm goal={p.week.goal_minutes} />
              </div>
            </div>
          )}
        </section>
      </div>

      <section className="section-block" aria-labelledby="modules-title">
        <h2 id="modules-title">Your modules</h2>
        {started.length === 0 ? (
          <p className="muted">
            Nothing started yet. <Link to="/catalog">Browse the courses</Link>.
          </p>
        ) : (
          <ul className="progress-list">
            {started.map((m) => (
              <li key={m.slug}>
                <Link to={`/modules/${m.slug}`}>{m.title}</Link>
                <div className="progress-line">
                  <div className="progress" role="progressbar" aria-label={`${m.title} progress`} aria-valuenow={m.percent} aria-valuemin={0} aria-valuemax={100}>
                    <span className="progress-fill" style={{ width: `${m.percent}%` }} />
                  </div>
                  <span className="small muted">
                    {m.completed_lessons}/{m.lesson_count} lessons
                  </span>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <SkillsSnapshot />

      <section className="section-block" aria-labelledby="certs-title">
        <h2 id="certs-title">Certificates</h2>
        {certs.data && certs.data.certificates.length > 0 ? (
          <ul className="cert-list">
            {certs.data.certificates.map((c) => (
              <li key={c.code}>
                <Link to={`/certificates/${c.code}`}>{c.module_title}</Link>
                <span className="muted small"> · {new Date(c.issued_at).toLocaleDateString()}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Finish every lesson of a module to earn its certificate.</p>
        )}
      </section>
    </div>
  );
}

function GoalForm({ goal }: { goal: number }) {
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(goal);
  const save = useMutation({
    mutationFn: (g: number) => api('/api/v1/progress/goal', { method: 'PUT', body: { goal_minutes: g } }),
    onSuccess: () => {
      setEditing(false);
      qc.invalidateQueries({ queryKey: ['progress'] });
    },
  });
  if (!editing) {
    return (
      <button className="link-button" onClick={() => setEditing(true)}>
        Change weekly goal
      </button>
    );
  }
  return (
    <form className="goal-form" onSubmit={(e) => { e.preventDefault(); save.mutate(value); }}>
      <label htmlFor="goal">Minutes per week</label>
      <input id="goal" type="number" min={5} max={600} value={value} onChange={(e) => setValue(Number(e.target.value))} />
      <button className="button button-small" type="submit" disabled={save.isPending}>Save</button>
      <FormError error={save.error} />
    </form>
  );
}
