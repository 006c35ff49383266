import { useId } from 'react';
import { competencyKeys, competencyNames, type CompetencyKey } from '../../catalog/types';
import { fieldError } from '../../components/Form';
import { blankCriterion, criterionId, MAX_CRITERIA, MIN_CRITERIA, moveCriterion, withCriterionCompetency, type ActivityForm, type Criterion } from './form';

const anchorHints: Record<'1' | '3' | '5', string> = {
  '1': 'What a 1 looks like: the behaviour you see when it is missing or goes wrong.',
  '3': 'What a 3 looks like: partly there.',
  '5': 'What a 5 looks like: the behaviour done well, in observable terms.',
};

/** RubricEditor edits an activity's 3-6 criteria: each an observable behaviour mapped to a
 *  competency, with anchors describing a 1, a 3 and a 5, in the order reviewers score them. */
export function RubricEditor({ form, error, onChange }: { form: ActivityForm; error: unknown; onChange: (f: ActivityForm) => void }) {
  const setRubric = (rubric: Criterion[]) => onChange({ ...form, rubric });
  const update = (i: number, patch: Partial<Criterion>) => setRubric(form.rubric.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <section className="checks-editor rubric-editor" aria-labelledby="rubric-editor-title">
      <h2 id="rubric-editor-title">Rubric</h2>
      <p className="muted">
        {MIN_CRITERIA} to {MAX_CRITERIA} criteria a reviewer can see in the recording. Describe behaviour, not attitude: “asks what the number is
        compared with”, not “is curious”. Keep a criterion’s id when you reword it; scores already given point at the id.
      </p>
      {fieldError(error, 'rubric') && <p className="field-error">{fieldError(error, 'rubric')}</p>}
      {form.rubric.map((c, i) => (
        <CriterionFields
          key={i}
          index={i}
          count={form.rubric.length}
          criterion={c}
          error={error}
          taken={form.rubric.filter((_, j) => j !== i).map((x) => x.id)}
          onChange={(patch) => update(i, patch)}
          onCompetency={(k) => onChange(withCriterionCompetency(form, i, k))}
          onMove={(delta) => setRubric(moveCriterion(form.rubric, i, delta))}
          onRemove={() => setRubric(form.rubric.filter((_, j) => j !== i))}
        />
      ))}
      {form.rubric.length < MAX_CRITERIA && (
        <button type="button" className="button button-secondary" onClick={() => setRubric([...form.rubric, blankCriterion(form.competencies[0] ?? '')])}>
          Add a criterion
        </button>
      )}
    </section>
  );
}

function CriterionFields({
  index,
  count,
  criterion,
  error,
  taken,
  onChange,
  onCompetency,
  onMove,
  onRemove,
}: {
  index: number;
  count: number;
  criterion: Criterion;
  error: unknown;
  taken: string[];
  onChange: (patch: Partial<Criterion>) => void;
  onCompetency: (k: CompetencyKey) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const f = `rubric[${index}]`;
  const e = (field: string) => fieldError(error, `${f}.${field}`);
  const anchorsError = fieldError(error, `${f}.anchors`);
  const n = index + 1;
  return (
    <fieldset className="check-edit criterion-edit">
      <legend>Criterion {n}</legend>
      {fieldError(error, f) && <p className="field-error">{fieldError(error, f)}</p>}
      <div className="field">
        <label htmlFor={`${id}-text`}>Criterion {n}: the behaviour scored</label>
        <textarea id={`${id}-text`} rows={2} maxLength={300} value={criterion.criterion}
          onChange={(ev) => onChange({ criterion: ev.target.value })}
          // A new criterion gets an id from its first words when the writer leaves the text.
          onBlur={() => !criterion.id && criterion.criterion.trim() && onChange({ id: criterionId(criterion.criterion, taken) })}
          aria-invalid={e('criterion') ? true : undefined} />
        {e('criterion') && <p className="field-error">{e('criterion')}</p>}
      </div>
      <div className="criterion-meta">
        <div className="field">
          <label htmlFor={`${id}-competency`}>Criterion {n}: competency</label>
          <select id={`${id}-competency`} value={criterion.competency} onChange={(ev) => onCompetency(ev.target.value as CompetencyKey)}
            aria-invalid={e('competency') ? true : undefined}>
            <option value="" disabled>Choose a competency</option>
            {competencyKeys.map((k) => (
              <option key={k} value={k}>{competencyNames[k]}</option>
            ))}
          </select>
          {e('competency') && <p className="field-error">{e('competency')}</p>}
        </div>
        <div className="field">
          <label htmlFor={`${id}-id`}>Criterion {n}: id</label>
          <input id={`${id}-id`} value={criterion.id} maxLength={60} onChange={(ev) => onChange({ id: ev.target.value })}
            aria-describedby={`${id}-id-hint`} aria-invalid={e('id') ? true : undefined} />
          <p className="hint" id={`${id}-id-hint`}>Lowercase letters, digits, - or _.</p>
          {e('id') && <p className="field-error">{e('id')}</p>}
        </div>
      </div>
      {anchorsError && <p className="field-error">{anchorsError}</p>}
      <div className="anchor-grid">
        {(['1', '3', '5'] as const).map((level) => (
          <div className="field" key={level}>
            <label htmlFor={`${id}-a${level}`}>Criterion {n}: a {level}</label>
            <textarea id={`${id}-a${level}`} rows={3} maxLength={500} value={criterion.anchors[level]}
              onChange={(ev) => onChange({ anchors: { ...criterion.anchors, [level]: ev.target.value } })}
              aria-describedby={`${id}-a${level}-hint`} aria-invalid={e(`anchors.${level}`) ? true : undefined} />
            <p className="hint" id={`${id}-a${level}-hint`}>{anchorHints[level]}</p>
            {e(`anchors.${level}`) && <p className="field-error">{e(`anchors.${level}`)}</p>}
          </div>
        ))}
      </div>
      <p className="check-edit-actions">
        <button type="button" className="button button-secondary button-small" onClick={() => onMove(-1)} disabled={index === 0}>
          Move criterion {n} up
        </button>
        <button type="button" className="button button-secondary button-small" onClick={() => onMove(1)} disabled={index === count - 1}>
          Move criterion {n} down
        </button>
        {count > MIN_CRITERIA && (
          <button type="button" className="button button-danger button-small" onClick={onRemove}>
            Remove criterion {n}
          </button>
        )}
      </p>
    </fieldset>
  );
}
