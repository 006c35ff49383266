import { Link } from 'react-router-dom';
import { competencyName } from '../catalog/types';
import { formatChange, roundScore } from './format';
import { useSkills } from './queries';
import { bandWords } from './types';

/** SkillsSnapshot is the dashboard's small view of the skills profile. */
export function SkillsSnapshot() {
  const q = useSkills();
  const list = q.data?.competencies.filter((c) => c.latest !== null) ?? [];
  return (
    <section className="section-block" aria-labelledby="skills-title">
      <h2 id="skills-title">Your skills</h2>
      {q.data && list.length === 0 && (
        <p>
          You have not taken your baseline yet. <Link to="/assessments/sales-eq-profile">Take it now</Link> — about 15 minutes.
        </p>
      )}
      {list.length > 0 && (
        <>
          <ul className="snapshot">
            {list.map((c) => (
              <li key={c.competency}>
                <span className="snapshot-name">{c.name ?? competencyName(c.competency)}</span>
                <span className="snapshot-score">{roundScore(c.latest ?? 0)}</span>
                {c.band && c.baseline !== null && c.latest !== null && c.history.length > 1 && (
                  <span className="small muted">{formatChange(c.baseline, c.latest)} since baseline · {bandWords[c.band]}</span>
                )}
              </li>
            ))}
          </ul>
          <Link to="/skills">See your charts</Link>
        </>
      )}
    </section>
  );
}
