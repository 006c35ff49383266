import { useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { ItemView } from './ItemView';
import { answered, screens } from './screens';
import { assessKeys } from './queries';
import type { Answer, Attempt } from './types';

/** TakeAssessment runs an attempt: a few statements or one scenario per screen, each answer saved
 *  as it is given, so a reload resumes where the learner was. */
export function TakeAssessment() {
  const { slug = '' } = useParams();
  usePageTitle('Skills profile');
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [screen, setScreen] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const started = useRef(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    api.POST('/api/v1/assessments/{slug}/attempts', { params: { path: { slug } } })
      .then((a) => {
        const resp = a.responses ?? {};
        setAttempt(a);
        setValues(resp);
        const pages = screens(a.items);
        const first = pages.findIndex((p) => p.some((it) => !answered(it, resp[it.id])));
        setScreen(first < 0 ? pages.length - 1 : first);
      })
      .catch(setError);
  }, [slug]);

  const pages = useMemo(() => (attempt ? screens(attempt.items) : []), [attempt]);
  useEffect(() => heading.current?.focus(), [screen]);

  if (error && !attempt) {
    const e = error instanceof ApiError ? error : null;
    return (
      <div className="container narrow page">
        <h1>Your skills profile</h1>
        {e?.status === 409 ? <div className="alert alert-info">{e.detail}</div> : <FormError error={error} />}
        <Link to="/skills">See your results</Link>
      </div>
    );
  }
  if (!attempt) return <div className="container loading" aria-busy="true">Preparing your questions…</div>;

  const total = attempt.items.length;
  const done = attempt.items.filter((it) => answered(it, values[it.id])).length;
  const page = pages[screen] ?? [];
  const last = screen === pages.length - 1;
  const pageDone = page.every((it) => answered(it, values[it.id]));

  const save = (itemId: string, value: Answer) => {
    setValues((v) => ({ ...v, [itemId]: value }));
    const item = attempt.items.find((i) => i.id === itemId);
    if (item && !answered(item, value)) return; // a scenario is saved once every action is rated
    setSaving((n) => n + 1);
    api.PUT('/api/v1/attempts/{id}/responses/{item}', { params: { path: { id: attempt.id, item: itemId } }, body: { value } })
      .catch(setError)
      .finally(() => setSaving((n) => n - 1));
  };

  const submit = async () => {
    setSubmitting(true);
    setError(null);
    try {
      await api.POST('/api/v1/attempts/{id}/submit', { params: { path: { id: attempt.id } } });
      qc.invalidateQueries({ queryKey: assessKeys.skills });
      qc.invalidateQueries({ queryKey: assessKeys.assessments });
      navigate('/skills', { state: { justSubmitted: true } });
    } catch (e) {
      setError(e);
      if (e instanceof ApiError && e.status === 422) {
        const missing = new Set(e.fields.map((f) => f.field.replace(/^items\./, '')));
        const idx = pages.findIndex((p) => p.some((it) => missing.has(it.id)));
        if (idx >= 0) setScreen(idx);
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="container narrow page assessment">
      <p className="eyebrow">{attempt.kind === 'baseline' ? 'Baseline' : 'Progress check-in'}</p>
      <div className="assess-progress">
        <div className="progress" role="progressbar" aria-label="Answered" aria-valuenow={done} aria-valuemin={0} aria-valuemax={total}>
          <span className="progress-fill" style={{ width: `${(100 * done) / total}%` }} />
        </div>
        <span className="small muted">
          {done} of {total} answered · {saving > 0 ? 'saving…' : 'all answers saved'}
        </span>
      </div>
      <h1 ref={heading} tabIndex={-1} className="assess-heading">
        {page[0]?.type === 'likert' ? 'How accurately does each statement describe you?' : page[0]?.type === 'sjt' ? 'A situation' : 'A question'}
      </h1>
      {page[0]?.type === 'sjt' && <p className="muted">{attempt.sjt_instruction ?? 'Rate how effective each action would be, from 1 (very ineffective) to 5 (very effective).'}</p>}
      {error instanceof ApiError && error.status === 422 ? (
        <div className="alert alert-error" role="alert">Some questions still need an answer; they are shown below.</div>
      ) : (
        <FormError error={error} />
      )}
      {page.map((it) => (
        <ItemView key={it.id} item={it} value={values[it.id]} labels={attempt.likert_labels} onChange={(v) => save(it.id, v)} />
      ))}
      <div className="assess-nav">
        <button className="button button-secondary" onClick={() => setScreen((s) => s - 1)} disabled={screen === 0}>
          Back
        </button>
        <span className="small muted">
          Screen {screen + 1} of {pages.length}
        </span>
        {last ? (
          <button className="button" onClick={submit} disabled={submitting || done < total}>
            {submitting ? 'Scoring…' : 'See my results'}
          </button>
        ) : (
          <button className="button" onClick={() => setScreen((s) => s + 1)} disabled={!pageDone}>
            Next
          </button>
        )}
      </div>
    </div>
  );
}
