import { useEffect, useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import type { Schemas } from '../api/types';
import { FormError, fieldError } from '../components/Form';
import { studioKeys } from './queries';

type Check = Schemas['StudioCheck'];
type Option = Schemas['StudioCheckOption'];

const letters = 'abcde';

const blankOption = (i: number): Option => ({ id: letters[i], text: '', explanation: '' });
const blankCheck = (lessonSlug: string, n: number): Check => ({
  id: `${lessonSlug}-${n + 1}`.slice(0, 60),
  prompt: '',
  options: [blankOption(0), blankOption(1), blankOption(2)],
  answer: 'a',
});

/** ChecksEditor edits a lesson's knowledge checks (none, or 2-3): prompt, options (2-5) with their
 *  explanations, and the answer, with a preview of what learners see. Checks are saved with their
 *  own button, not autosaved: a half-written check is not valid, and the lesson text keeps
 *  autosaving meanwhile. The server applies the content files' rules and names any bad field. */
export function ChecksEditor({ moduleSlug, lessonSlug, saved }: { moduleSlug: string; lessonSlug: string; saved: Check[] }) {
  const qc = useQueryClient();
  const [checks, setChecks] = useState<Check[]>(saved);
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; error: unknown }>({ kind: 'idle' });
  useEffect(() => setChecks(saved), [saved]);
  const dirty = JSON.stringify(checks) !== JSON.stringify(saved);
  const err = state.kind === 'error' ? state.error : null;

  const update = (i: number, patch: Partial<Check>) => setChecks(checks.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const save = () => {
    setState({ kind: 'saving' });
    api
      .PUT('/api/v1/studio/modules/{slug}/lessons/{lesson}', { params: { path: { slug: moduleSlug, lesson: lessonSlug } }, body: { checks } })
      .then(() => {
        setState({ kind: 'saved' });
        void qc.invalidateQueries({ queryKey: studioKeys.modules });
      })
      .catch((error) => setState({ kind: 'error', error }));
  };

  return (
    <section className="checks-editor" aria-labelledby="checks-editor-title">
      <div className="checks-editor-head">
        <div>
          <h2 id="checks-editor-title">Knowledge checks</h2>
          <p className="muted">
            Two or three questions that make learners apply the lesson to a situation. Each option explains why it is right or
            wrong. Keep a check’s id when you edit it; give a new meaning a new id.
          </p>
        </div>
        <div className="checks-editor-actions">
          <span role="status" aria-live="polite" className="save-state">
            {state.kind === 'saving' && 'Saving…'}
            {state.kind === 'saved' && !dirty && 'Checks saved'}
            {state.kind === 'error' && 'Not saved. Please fix the highlighted fields.'}
          </span>
          <button className="button" onClick={save} disabled={!dirty || state.kind === 'saving'}>
            Save checks
          </button>
        </div>
      </div>
      {err && !(err instanceof ApiError && err.status === 422) ? <FormError error={err} /> : null}
      {fieldError(err, 'checks') && <p className="field-error">{fieldError(err, 'checks')}</p>}
      {checks.map((c, i) => (
        <CheckFields
          key={i}
          index={i}
          check={c}
          err={err}
          onChange={(patch) => update(i, patch)}
          onRemove={() => setChecks(checks.filter((_, j) => j !== i))}
        />
      ))}
      {checks.length < 3 && (
        <button className="button button-secondary" onClick={() => setChecks([...checks, blankCheck(lessonSlug, checks.length)])}>
          Add a check
        </button>
      )}
    </section>
  );
}

function CheckFields({
  index,
  check,
  err,
  onChange,
  onRemove,
}: {
  index: number;
  check: Check;
  err: unknown;
  onChange: (patch: Partial<Check>) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const f = `checks[${index}]`;
  const setOption = (j: number, patch: Partial<Option>) => onChange({ options: check.options.map((o, k) => (k === j ? { ...o, ...patch } : o)) });
  const removeOption = (j: number) => {
    const options = check.options.filter((_, k) => k !== j);
    onChange({ options, answer: check.answer === check.options[j].id ? (options[0]?.id ?? '') : check.answer });
  };
  const addOption = () => {
    const free = [...letters].find((l) => !check.options.some((o) => o.id === l)) ?? 'e';
    onChange({ options: [...check.options, blankOption(letters.indexOf(free))] });
  };
  const err_ = (field: string) => fieldError(err, `${f}.${field}`);

  return (
    <fieldset className="check-edit">
      <legend>Check {index + 1}</legend>
      <div className="check-edit-grid">
        <div>
          <div className="field">
            <label htmlFor={`${id}-id`}>Id</label>
            <input id={`${id}-id`} value={check.id} onChange={(e) => onChange({ id: e.target.value })} aria-invalid={err_('id') ? true : undefined} />
            {err_('id') && <p className="field-error">{err_('id')}</p>}
          </div>
          <div className="field">
            <label htmlFor={`${id}-prompt`}>Question</label>
            <textarea id={`${id}-prompt`} rows={3} value={check.prompt} onChange={(e) => onChange({ prompt: e.target.value })}
              aria-invalid={err_('prompt') ? true : undefined} />
            {err_('prompt') && <p className="field-error">{err_('prompt')}</p>}
          </div>
          {check.options.map((o, j) => {
            const of = `options[${j}]`;
            return (
              <div key={j} className="option-edit">
                <label className="option-answer">
                  <input type="radio" name={`${id}-answer`} checked={check.answer === o.id} onChange={() => onChange({ answer: o.id })} />
                  Answer {o.id.toUpperCase()} is right
                </label>
                <div className="field">
                  <label htmlFor={`${id}-o${j}-text`}>Option {o.id.toUpperCase()}</label>
                  <input id={`${id}-o${j}-text`} value={o.text} onChange={(e) => setOption(j, { text: e.target.value })}
                    aria-invalid={err_(`${of}.text`) ? true : undefined} />
                  {err_(`${of}.text`) && <p className="field-error">{err_(`${of}.text`)}</p>}
                </div>
                <div className="field">
                  <label htmlFor={`${id}-o${j}-why`}>Why option {o.id.toUpperCase()} is {check.answer === o.id ? 'right' : 'wrong'}</label>
                  <textarea id={`${id}-o${j}-why`} rows={2} value={o.explanation} onChange={(e) => setOption(j, { explanation: e.target.value })}
                    aria-invalid={err_(`${of}.explanation`) ? true : undefined} />
                  {err_(`${of}.explanation`) && <p className="field-error">{err_(`${of}.explanation`)}</p>}
                </div>
                {check.options.length > 2 && (
                  <button className="link-button" onClick={() => removeOption(j)}>
                    Remove option {o.id.toUpperCase()}
                  </button>
                )}
              </div>
            );
          })}
          {err_('options') && <p className="field-error">{err_('options')}</p>}
          {err_('answer') && <p className="field-error">{err_('answer')}</p>}
          <p className="check-edit-actions">
            {check.options.length < 5 && (
              <button className="button button-secondary button-small" onClick={addOption}>
                Add an option
              </button>
            )}
            <button className="button button-danger button-small" onClick={onRemove}>
              Remove check {index + 1}
            </button>
          </p>
        </div>
        <div className="check-preview" aria-label={`Preview of check ${index + 1}`}>
          <span className="pane-label">Preview</span>
          <p className="check-prompt">{check.prompt || 'Your question'}</p>
          <ul className="check-options">
            {check.options.map((o, j) => (
              <li key={j} className={check.answer === o.id ? 'check-option right' : 'check-option'}>
                <span>{o.text || `Option ${o.id.toUpperCase()}`}</span>
                {check.answer === o.id && <span className="check-mark">Right answer</span>}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </fieldset>
  );
}
