import { useId } from 'react';
import { competencyName } from '../catalog/types';
import { gapWords, reviewerMean, scoreFor, signed } from './format';
import type { Criterion, CriterionScore, Review } from './queries';

/** RubricGuide shows the rubric as what good looks like: each criterion with its anchors. */
export function RubricGuide({ rubric }: { rubric: Criterion[] }) {
  return (
    <ol className="rubric-guide">
      {rubric.map((c) => (
        <li key={c.id}>
          <p className="rubric-criterion">
            <strong>{c.criterion}</strong> <span className="chip">{competencyName(c.competency)}</span>
          </p>
          <dl className="rubric-anchors">
            <div className="rubric-anchor-5">
              <dt>5 · Strong</dt>
              <dd>{c.anchors['5']}</dd>
            </div>
            <div>
              <dt>3 · Getting there</dt>
              <dd>{c.anchors['3']}</dd>
            </div>
            <div>
              <dt>1 · Not yet</dt>
              <dd>{c.anchors['1']}</dd>
            </div>
          </dl>
        </li>
      ))}
    </ol>
  );
}

type ScorerProps = {
  rubric: Criterion[];
  scores: Record<string, number>;
  onChange: (criterionId: string, score: number) => void;
  /** errorFor is the message to show under a criterion (a missing score, or the server's word). */
  errorFor: (criterionId: string) => string | undefined;
  disabled?: boolean;
};

/** RubricScorer scores each criterion 1-5, with the 1, 3 and 5 anchors as the options' labels so
 *  the score is chosen against the described behaviour rather than a bare number. */
export function RubricScorer({ rubric, scores, onChange, errorFor, disabled }: ScorerProps) {
  const uid = useId();
  return (
    <div className="rubric-scorer">
      {rubric.map((c) => {
        const err = errorFor(c.id);
        const errId = `${uid}-${c.id}-err`;
        return (
          <fieldset key={c.id} className="scale rubric-scale" aria-describedby={err ? errId : undefined} aria-invalid={err ? true : undefined} data-criterion={c.id}>
            <legend>
              {c.criterion} <span className="muted small">· {competencyName(c.competency)}</span>
            </legend>
            <div className="rubric-options">
              {[1, 2, 3, 4, 5].map((v) => {
                const anchor = v === 1 || v === 3 || v === 5 ? c.anchors[String(v) as '1' | '3' | '5'] : v === 2 ? 'Between 1 and 3' : 'Between 3 and 5';
                return (
                  <label key={v} className={scores[c.id] === v ? 'rubric-option selected' : 'rubric-option'}>
                    <input type="radio" name={`${uid}-${c.id}`} value={v} checked={scores[c.id] === v} disabled={disabled} onChange={() => onChange(c.id, v)} />
                    <span className="scale-num">{v}</span>
                    <span className={v % 2 === 0 ? 'rubric-option-text muted' : 'rubric-option-text'}>{anchor}</span>
                  </label>
                );
              })}
            </div>
            {err && (
              <p className="field-error" id={errId}>
                {err}
              </p>
            )}
          </fieldset>
        );
      })}
    </div>
  );
}

/** ScoresCompare sets one set of scores beside another per criterion, with the gap: the rep's own
 *  view against a reviewer's (or the reviewers' mean). */
export function ScoresCompare({
  rubric,
  self,
  reviews,
  caption,
  reviewerLabel,
}: {
  rubric: Criterion[];
  self: CriterionScore[] | undefined;
  reviews: Review[];
  caption: string;
  reviewerLabel: string;
}) {
  return (
    <div className="table-wrap">
      <table className="table table-cards scores-compare">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            <th scope="col">Self-score</th>
            <th scope="col">{reviewerLabel}</th>
            <th scope="col">Gap</th>
          </tr>
        </thead>
        <tbody>
          {rubric.map((c) => {
            const mine = scoreFor(self, c.id);
            const theirs = reviewerMean(reviews, c.id);
            return (
              <tr key={c.id}>
                <th scope="row" className="card-title">
                  {c.criterion}
                </th>
                <td data-label="Self-score">{mine ?? '–'}</td>
                <td data-label={reviewerLabel}>{theirs ?? '–'}</td>
                <td data-label="Gap">
                  {mine !== undefined && theirs !== undefined ? (
                    <>
                      <strong>{signed(mine - theirs)}</strong> <span className="muted small">{gapWords(mine, theirs)}</span>
                    </>
                  ) : (
                    '–'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
