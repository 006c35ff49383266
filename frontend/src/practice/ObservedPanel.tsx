import { Link } from 'react-router-dom';
import { roundScore } from '../assess/format';
import type { Skill } from '../assess/types';
import { competencyName } from '../catalog/types';
import { observedReading, signed } from './format';
import { useObserved } from './queries';

/** ObservedPanel sets, per competency, how the learner rates themself, what reviewers observed in
 *  their practice, and the assessment score side by side, with the gap read in plain words. It
 *  shows nothing until a reviewer has scored at least one competency. */
export function ObservedPanel({ skills }: { skills: Skill[] }) {
  const q = useObserved();
  const rows = q.data?.competencies ?? [];
  if (!rows.some((c) => c.observed !== null)) return null;
  const assessed = new Map(skills.map((s) => [s.competency, s.latest]));
  return (
    <section className="panel" aria-labelledby="observed-title">
      <h2 id="observed-title">How you see yourself, and what reviewers observe</h2>
      <p className="muted small">
        Self is your own rating in your latest assessment; observed is your managers’ rubric scores on your last five reviewed <Link to="/practice">practice</Link> attempts; both on 0–100. A small gap means you read yourself accurately.
      </p>
      <div className="table-wrap">
        <table className="table table-cards observed-table">
          <caption className="visually-hidden">Self-rating, observed score, assessment score and the gap per competency</caption>
          <thead>
            <tr>
              <th scope="col">Competency</th>
              <th scope="col">Self</th>
              <th scope="col">Observed</th>
              <th scope="col">Assessment</th>
              <th scope="col">Gap</th>
              <th scope="col">Reading</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => {
              const a = assessed.get(c.competency);
              return (
                <tr key={c.competency}>
                  <th scope="row" className="card-title">
                    {competencyName(c.competency)}
                  </th>
                  <td data-label="Self">{c.self === null ? '–' : roundScore(c.self)}</td>
                  <td data-label="Observed">
                    {c.observed === null ? '–' : roundScore(c.observed)}
                    {c.reviews > 0 && <span className="muted small"> ({c.reviews === 1 ? '1 review' : `${c.reviews} reviews`})</span>}
                  </td>
                  <td data-label="Assessment">{a === null || a === undefined ? '–' : roundScore(a)}</td>
                  <td data-label="Gap">{c.gap === null ? '–' : signed(Math.round(c.gap))}</td>
                  <td data-label="Reading" className="observed-reading small">
                    {observedReading(c.gap, c.observed)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
