import { useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { Field, FormError, fieldError, validateForm } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { GoalRing } from '../progress/GoalRing';
import { firstSteps, greeting, isNewLearner, showChecklist, type FirstStep } from '../progress/firstSteps';
import { studyNext, type Recommendation } from '../progress/studyNext';
import { progressKeys, useCertificates, useProgress } from '../progress/queries';
import type { ModuleProgress } from '../progress/types';
import { useAssessments, useSkills } from '../assess/queries';
import { SkillsSnapshot } from '../assess/SkillsSnapshot';
import { useModules } from '../catalog/queries';
import { competencyName, type ModuleSummary } from '../catalog/types';
import { TeamInbox } from '../teams/TeamInbox';
import { ReviewCard } from '../review/ReviewCard';
import { PracticeCard } from '../practice/PracticeCard';

const goalAnchor = 'weekly-goal';

/** Dashboard is a signed-in learner's home: first steps, resume, weekly goal, module progress,
 *  skills, certificates. The rules it shows live in progress/firstSteps and progress/studyNext
 *  (client) and in the server's module `state` (finished or in progress). */
export function Dashboard() {
  usePageTitle('Your dashboard');
  const { me } = useAuth();
  const progress = useProgress();
  const assessments = useAssessments();
  const modules = useModules();
  const skills = useSkills();
  const certs = useCertificates();
  const [editingGoal, setEditingGoal] = useState(false);
  const p = progress.data;
  const assessment = assessments.data?.assessments[0];
  const baselineDone = !!assessments.data?.assessments.some((a) => a.baseline_done);
  const ready = !!p && !!assessments.data;
  const inProgress = p?.modules.filter((m) => m.state === 'in_progress') ?? [];
  const finished = p?.modules.filter((m) => m.state === 'completed') ?? [];
  const catalog = modules.data?.modules ?? [];
  const firstFree = catalog.find((m) => m.access === 'free') ?? catalog[0];
  const next = p && modules.data && skills.data ? studyNext(catalog, skills.data.competencies, p.modules, 1)[0] : undefined;
  const steps = p
    ? firstSteps({
        progress: p,
        baselineDone,
        links: {
          baseline: assessment ? `/assessments/${assessment.slug}` : '/assessments',
          lesson: p.resume ? `/modules/${p.resume.module_slug}/${p.resume.lesson_slug}` : firstFree ? `/modules/${firstFree.slug}` : '/catalog',
          goal: `#${goalAnchor}`,
        },
      })
    : [];

  return (
    <div className="container page">
      <h1 className="dash-title">{p && ready ? greeting(isNewLearner(p, baselineDone), me?.name) : 'Your dashboard'}</h1>
      <FormError error={progress.error} />
      {ready && showChecklist(steps) && <FirstSteps steps={steps} onGoal={() => setEditingGoal(true)} />}
      <TeamInbox />
      <div className="dash-grid">
        <section className="panel resume-panel" aria-labelledby="resume-title">
          {p?.resume ? (
            <>
              <h2 id="resume-title">Continue where you left off</h2>
              <p className="resume-line">
                <strong>{p.resume.lesson_title ?? p.resume.lesson_slug}</strong>
                <span className="muted"> in {p.resume.module_title ?? p.resume.module_slug}</span>
              </p>
              <Link className="button" to={`/modules/${p.resume.module_slug}/${p.resume.lesson_slug}`}>
                Resume lesson
              </Link>
            </>
          ) : (
            <>
              <h2 id="resume-title">What to study next</h2>
              {next ? <NextModule pick={next} /> : p && modules.data && <p>You have finished every module in the catalog. Well done.</p>}
            </>
          )}
        </section>
        <section className="panel week-panel" id={goalAnchor} aria-labelledby="week-title">
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
                <GoalForm goal={p.week.goal_minutes} goalSet={p.week.goal_set} editing={editingGoal} setEditing={setEditingGoal} />
              </div>
            </div>
          )}
        </section>
      </div>
      <ReviewCard />
      <PracticeCard />

      <section className="section-block" aria-labelledby="modules-title">
        <h2 id="modules-title">Your modules</h2>
        {p && p.modules.length === 0 ? (
          <p className="muted">
            Nothing started yet. <Link to="/catalog">Browse the courses</Link>.
          </p>
        ) : (
          <>
            <p className="module-counts muted">
              {inProgress.length} in progress · {finished.length} finished
            </p>
            <ul className="progress-list">
              {[...inProgress, ...finished].map((m) => (
                <ModuleLine key={m.slug} m={m} />
              ))}
            </ul>
          </>
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

/** FirstSteps is a new learner's checklist; each open step links to where it is done. */
function FirstSteps({ steps, onGoal }: { steps: FirstStep[]; onGoal: () => void }) {
  const titleId = useId();
  const done = steps.filter((s) => s.done).length;
  return (
    <section className="panel first-steps" aria-labelledby={titleId}>
      <div className="section-head">
        <h2 id={titleId}>Your first steps</h2>
        <span className="muted small">{done} of {steps.length} done</span>
      </div>
      <ol className="step-list">
        {steps.map((s) => (
          <li key={s.key} className={s.done ? 'step step-done' : 'step'}>
            <span className="step-mark" aria-hidden="true">{s.done ? '✓' : ''}</span>
            {s.done ? (
              <span>
                {s.label} <span className="visually-hidden">(done)</span>
              </span>
            ) : s.to.startsWith('#') ? (
              <a href={s.to} onClick={(e) => { e.preventDefault(); onGoal(); }}>{s.label}</a>
            ) : (
              <Link to={s.to}>{s.label}</Link>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** NextModule shows the one module recommended next and why. */
function NextModule({ pick }: { pick: Recommendation<ModuleSummary> }) {
  const m = pick.module;
  const why =
    pick.reason === 'in_progress'
      ? `You have finished ${pick.progress.completed_lessons} of ${pick.progress.lesson_count} lessons.`
      : pick.reason === 'weakest'
        ? `It builds ${competencyName(pick.competency).toLowerCase()}, your lowest score.`
        : `${m.lesson_count} lessons, about ${m.minutes} minutes.`;
  return (
    <>
      <p className="resume-line">
        <strong>{m.title}</strong>
      </p>
      <p className="muted">{why}</p>
      <div className="form-actions">
        <Link className="button" to={`/modules/${m.slug}`}>
          {pick.reason === 'in_progress' ? 'Continue the module' : 'Open the module'}
        </Link>
        <Link className="button button-ghost" to="/catalog">
          Browse all courses
        </Link>
      </div>
    </>
  );
}

function ModuleLine({ m }: { m: ModuleProgress }) {
  return (
    <li>
      <Link to={`/modules/${m.slug}`}>{m.title}</Link>
      {m.state === 'completed' && <span className="badge badge-done">Finished</span>}
      <div className="progress-line">
        <div className="progress" role="progressbar" aria-label={`${m.title} progress`} aria-valuenow={m.percent} aria-valuemin={0} aria-valuemax={100}>
          <span className="progress-fill" style={{ width: `${m.percent}%` }} />
        </div>
        <span className="small muted">
          {m.completed_lessons}/{m.lesson_count} lessons
        </span>
      </div>
    </li>
  );
}

type GoalFormProps = { goal: number; goalSet: boolean; editing: boolean; setEditing: (b: boolean) => void };

function GoalForm({ goal, goalSet, editing, setEditing }: GoalFormProps) {
  const qc = useQueryClient();
  const [value, setValue] = useState(String(goal));
  const save = useMutation({
    mutationFn: (g: number) => api.PUT('/api/v1/progress/goal', { body: { goal_minutes: g } }),
    onSuccess: () => {
      setEditing(false);
      qc.invalidateQueries({ queryKey: progressKeys.progress });
    },
  });
  if (!editing) {
    return (
      <button className="link-button" onClick={() => setEditing(true)}>
        {goalSet ? 'Change weekly goal' : 'Set your weekly goal'}
      </button>
    );
  }
  // Checked in the browser first (the server checks the same range again).
  const range = 'Choose a weekly goal from 5 to 600 minutes.';
  return (
    <form className="goal-form" noValidate onSubmit={(e) => { e.preventDefault(); if (validateForm(e)) save.mutate(Number(value)); }}>
      <Field label="Minutes per week" type="number" inputMode="numeric" min={5} max={600} step={1} required autoFocus
        value={value} onChange={(e) => setValue(e.target.value)} error={fieldError(save.error, 'goal_minutes')}
        messages={{ valueMissing: range, rangeUnderflow: range, rangeOverflow: range, stepMismatch: 'Enter a whole number of minutes.' }} />
      <button className="button button-small" type="submit" disabled={save.isPending}>Save</button>
      <button className="link-button" type="button" onClick={() => setEditing(false)}>Cancel</button>
      <FormError error={save.error} />
    </form>
  );
}
