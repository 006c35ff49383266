import { Line } from 'react-chartjs-2';
import { Link, useLocation } from 'react-router-dom';
import { useModules } from '../catalog/queries';
import { competencyName, type ModuleSummary } from '../catalog/types';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { studyNext, weakestCompetencies } from '../progress/studyNext';
import { useProgress } from '../progress/queries';
import { bandFill, brand } from './charts';
import { bandIntro, formatChange, intervalAround, intervalWords, roundScore } from './format';
import { ObservedPanel } from '../practice/ObservedPanel';
import { SkillsRadar } from './SkillsRadar';
import { useAssessments, useSkills } from './queries';
import { bandWords, type AssessmentInfo, type Skill } from './types';

/** SkillsPage shows the learner's profile: baseline vs latest on a radar, each competency over time,
 *  the growth band in plain words, and the modules that build the weakest competencies. */
export function SkillsPage() {
  usePageTitle('Your skills');
  const justSubmitted = (useLocation().state as { justSubmitted?: boolean } | null)?.justSubmitted;
  const skills = useSkills();
  const assessments = useAssessments();
  const modules = useModules();
  const list = skills.data?.competencies.filter((c) => c.baseline !== null) ?? [];
  const a = assessments.data?.assessments[0];

  return (
    <div className="container page">
      <div className="page-head">
        <div>
          <h1>Your skills</h1>
          <p className="muted">Eight competencies of emotional intelligence and buyer enablement, scored 0–100.</p>
        </div>
        {a && <NextAttempt info={a} />}
      </div>
      {justSubmitted && <div className="alert alert-success" role="status">Thank you. Your answers are scored and your profile is updated.</div>}
      <FormError error={skills.error} />
      {skills.data && list.length === 0 && (
        <section className="panel">
          <h2>Start with your baseline</h2>
          <p>About 15 minutes of honest answers gives you a starting point. Later check-ins show how much you have grown.</p>
          {a && <Link className="button" to={`/assessments/${a.slug}`}>Take the baseline</Link>}
        </section>
      )}
      {list.length > 0 && (
        <>
          <div className="skills-top">
            <section className="panel chart-panel" aria-labelledby="radar-title">
              <h2 id="radar-title">Baseline and now</h2>
              <SkillsRadar
                label="Radar chart of your baseline and latest scores per competency"
                baselineLabel="Baseline"
                latestLabel="Latest"
                axes={list.map((c) => ({ competency: c.competency, name: c.name ?? competencyName(c.competency), baseline: c.baseline ?? 0, latest: c.latest ?? 0 }))}
              />
            </section>
            <StudyNext skills={list} modules={modules.data?.modules ?? []} />
          </div>
          <h2 className="section-title-sm">Each competency over time</h2>
          {list.some((c) => c.history.length > 1) && <p className="muted band-intro">{bandIntro}</p>}
          <ul className="skill-grid">
            {list.map((c) => (
              <SkillCard key={c.competency} skill={c} />
            ))}
          </ul>
          <SkillsTable skills={list} />
        </>
      )}
      {skills.data && <ObservedPanel skills={skills.data.competencies} />}
    </div>
  );
}

function NextAttempt({ info }: { info: AssessmentInfo }) {
  if (info.in_progress_attempt_id) return <Link className="button" to={`/assessments/${info.slug}`}>Resume your check-in</Link>;
  if (!info.baseline_done) return <Link className="button" to={`/assessments/${info.slug}`}>Take the baseline</Link>;
  if (info.can_start) return <Link className="button" to={`/assessments/${info.slug}`}>Take a progress check-in</Link>;
  const due = info.next_due_at ? new Date(info.next_due_at) : null;
  return <p className="muted small next-due">Next check-in opens {due ? due.toLocaleDateString() : 'soon'} (or sooner when you finish a module).</p>;
}

function SkillCard({ skill: c }: { skill: Skill }) {
  const band = c.band ? bandWords[c.band] : null;
  const tone = c.band?.includes('growth') ? 'up' : c.band?.includes('decline') ? 'down' : 'flat';
  const bands = c.history.map((h) => intervalAround(h.score, c.sem));
  return (
    <li className="skill-card">
      <div className="skill-head">
        <h3>{c.name ?? competencyName(c.competency)}</h3>
        <span className="skill-score">{roundScore(c.latest ?? 0)}</span>
      </div>
      {c.history.length > 1 ? (
        <>
          <p className={`band band-${tone}`}>
            {band} {c.baseline !== null && c.latest !== null && <span className="muted">({formatChange(c.baseline, c.latest)} since baseline)</span>}
          </p>
          <div className="line-box">
            <Line
              role="img"
              aria-label={`${c.name ?? competencyName(c.competency)} scores over time, with the band where the true score likely lies`}
              data={{
                labels: c.history.map((h) => new Date(h.at).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })),
                datasets: [
                  // The band is drawn as two invisible lines with the area between them filled.
                  { label: 'Likely true score, upper', data: bands.map((b) => b[1]), borderWidth: 0, pointRadius: 0, pointHitRadius: 0, fill: false, tension: 0.25 },
                  { label: 'Likely true score, lower', data: bands.map((b) => b[0]), borderWidth: 0, pointRadius: 0, pointHitRadius: 0, fill: '-1', backgroundColor: bandFill, tension: 0.25 },
                  { label: 'Score', data: c.history.map((h) => h.score), borderColor: brand, backgroundColor: brand, tension: 0.25 },
                ],
              }}
              options={{
                maintainAspectRatio: false,
                scales: { y: { min: 0, max: 100, ticks: { stepSize: 50 } } },
                plugins: {
                  legend: { display: false },
                  tooltip: {
                    filter: (item) => item.datasetIndex === 2,
                    callbacks: { afterLabel: (item) => `Likely true score ${roundScore(bands[item.dataIndex][0])}–${roundScore(bands[item.dataIndex][1])}` },
                  },
                },
              }}
            />
          </div>
          <p className="muted small band-note">{intervalWords(c)}</p>
        </>
      ) : (
        <p className="muted small">Baseline set. Your next check-in shows the change.</p>
      )}
    </li>
  );
}

function StudyNext({ skills, modules }: { skills: Skill[]; modules: ModuleSummary[] }) {
  const progress = useProgress();
  const weakest = weakestCompetencies(skills).slice(0, 2);
  const picks = progress.data ? studyNext(modules, skills, progress.data.modules) : [];
  return (
    <section className="panel" aria-labelledby="next-title">
      <h2 id="next-title">What to study next</h2>
      <p className="muted">
        Your lowest scores are in {weakest.map((w) => competencyName(w).toLowerCase()).join(' and ')}.
      </p>
      {progress.data && picks.length === 0 && <p>You have finished every module that builds them. Well done.</p>}
      <ul className="study-list">
        {picks.map((p) => (
          <li key={p.module.slug}>
            <Link to={`/modules/${p.module.slug}`}>{p.module.title}</Link>
            <span className="muted small">
              {' · '}
              {p.reason === 'in_progress'
                ? `in progress, ${p.progress.completed_lessons} of ${p.progress.lesson_count} lessons done`
                : p.reason === 'weakest'
                  ? `builds ${competencyName(p.competency).toLowerCase()}`
                  : `${p.module.lesson_count} lessons · ${p.module.minutes} min`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function SkillsTable({ skills }: { skills: Skill[] }) {
  return (
    <details className="panel">
      <summary>Scores as a table</summary>
      <table className="table table-cards">
        <caption className="visually-hidden">Baseline, latest score and change per competency</caption>
        <thead>
          <tr><th scope="col">Competency</th><th scope="col">Baseline</th><th scope="col">Latest</th><th scope="col">Change</th><th scope="col">Reading</th></tr>
        </thead>
        <tbody>
          {skills.map((c) => (
            <tr key={c.competency}>
              <th scope="row" className="card-title">{c.name ?? competencyName(c.competency)}</th>
              <td data-label="Baseline">{roundScore(c.baseline ?? 0)}</td>
              <td data-label="Latest">{roundScore(c.latest ?? 0)}</td>
              <td data-label="Change">{c.baseline === null || c.latest === null ? '–' : formatChange(c.baseline, c.latest)}</td>
              <td data-label="Reading">{c.band ? bandWords[c.band] : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
