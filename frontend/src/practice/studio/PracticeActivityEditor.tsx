import { useEffect, useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import DOMPurify from 'dompurify';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { competencyKeys, competencyNames, type CompetencyKey } from '../../catalog/types';
import { Field, FormError, fieldError, validateForm } from '../../components/Form';
import { usePageTitle } from '../../components/usePageTitle';
import { LessonHtml } from '../../media/LessonHtml';
import { useMediaLibrary } from '../../media/queries';
import { useStudioModules } from '../../studio/queries';
import { useDebounced } from '../../studio/useDebounced';
import { blankActivity, formatLimit, kindLabels, MAX_TIME_LIMIT, MIN_TIME_LIMIT, requestBody, type ActivityForm, type ActivityKind } from './form';
import { practiceStudioKeys, usePracticeActivity } from './queries';
import { RubricEditor } from './RubricEditor';

/** The media a buyer's line can be: something to hear, watch or look at. */
const BUYER_MEDIA_KINDS = ['audio', 'video', 'image'];

/** PracticeActivityEditor creates a practice activity or edits one: its details, the brief with
 *  a live preview rendered by the server exactly as learners will see it, and the rubric. It saves
 *  with its button, not as you type: a rubric is only valid once every criterion is written. */
export function PracticeActivityEditor() {
  const { slug } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const q = usePracticeActivity(slug);
  const modules = useStudioModules();
  const media = useMediaLibrary(true);
  const [form, setForm] = useState<ActivityForm | null>(slug ? null : blankActivity());
  const [savedJSON, setSavedJSON] = useState('');
  const [preview, setPreview] = useState('');
  const ids = useId();
  usePageTitle(slug ? (q.data ? `Edit: ${q.data.title}` : 'Edit activity') : 'New practice activity');

  useEffect(() => {
    if (!q.data) return;
    const a = q.data;
    const loaded: ActivityForm = {
      slug: a.slug, title: a.title, module_slug: a.module_slug ?? '', competencies: a.competencies, kind: a.kind,
      brief: a.brief, buyer_media_id: a.buyer_media_id ?? '', time_limit_seconds: a.time_limit_seconds, rubric: a.rubric,
    };
    setForm(loaded);
    setSavedJSON(JSON.stringify(loaded));
  }, [q.data]);

  const save = useMutation({
    mutationFn: (f: ActivityForm) => {
      const body = requestBody(f);
      if (slug) {
        const { slug: _fixed, ...update } = body;
        return api.PUT('/api/v1/studio/practice/{slug}', { params: { path: { slug } }, body: update });
      }
      return api.POST('/api/v1/studio/practice', { body });
    },
    onSuccess: (a, f) => {
      setSavedJSON(JSON.stringify(f));
      qc.setQueryData(practiceStudioKeys.bySlug(a.slug), a);
      void qc.invalidateQueries({ queryKey: practiceStudioKeys.list });
      if (!slug) navigate(`/studio/practice/${a.slug}`, { replace: true });
    },
  });

  const previewSource = useDebounced(form?.brief ?? '', 300);
  useEffect(() => {
    let live = true;
    api.POST('/api/v1/studio/practice/preview', { body: { markdown: previewSource } })
      .then((r) => live && setPreview(DOMPurify.sanitize(r.html)))
      .catch((e: unknown) => {
        if (!live) return;
        const p = document.createElement('p');
        const em = document.createElement('em');
        em.textContent = e instanceof ApiError && (e.status === 422 || e.status === 413) ? (e.fields[0]?.message ?? e.detail) : 'The preview is unavailable right now.';
        p.append(em);
        setPreview(p.outerHTML);
      });
    return () => {
      live = false;
    };
  }, [previewSource]);

  if (q.error) {
    return (
      <div className="container page">
        <p>
          <Link to="/studio/practice">← Practice activities</Link>
        </p>
        {q.error instanceof ApiError && q.error.status === 404 ? <h1>Activity not found</h1> : <FormError error={q.error} />}
      </div>
    );
  }
  if (!form) return <div className="container loading" aria-busy="true">Loading the activity…</div>;

  const err = save.error;
  const dirty = JSON.stringify(form) !== savedJSON;
  const set = (patch: Partial<ActivityForm>) => setForm({ ...form, ...patch });
  const toggle = (c: CompetencyKey) =>
    set({ competencies: form.competencies.includes(c) ? form.competencies.filter((x) => x !== c) : [...form.competencies, c] });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!validateForm(e)) return; // the server checks the same rules again and names any field
    save.mutate(form);
  };
  const buyerMedia = (media.data ?? []).filter((m) => BUYER_MEDIA_KINDS.includes(m.kind) || m.id === form.buyer_media_id);

  return (
    <form className="editor-page practice-editor" onSubmit={submit} noValidate>
      <div className="editor-bar">
        <Link to="/studio/practice">← Practice activities</Link>
        <span className="save-state" role="status" aria-live="polite">
          {save.isPending && 'Saving…'}
          {save.isSuccess && !dirty && 'Saved. Learners see this version now.'}
          {err instanceof ApiError && err.status === 422 && 'Not saved yet. Please fix the highlighted fields.'}
          {!save.isPending && dirty && !err && slug && 'Unsaved changes'}
        </span>
        <button className="button" type="submit" disabled={save.isPending}>
          {slug ? 'Save activity' : 'Create activity'}
        </button>
      </div>
      <h1>{slug ? form.title || 'Activity' : 'New practice activity'}</h1>
      {err && !(err instanceof ApiError && err.status === 422) ? <FormError error={err} /> : null}

      <div className="studio-grid">
        <section className="panel" aria-labelledby={`${ids}-details`}>
          <h2 id={`${ids}-details`}>Details</h2>
          <Field label="Title" required maxLength={200} value={form.title} onChange={(e) => set({ title: e.target.value })} error={fieldError(err, 'title')} />
          {slug ? (
            <p className="muted small">
              Slug: <code>{form.slug}</code> (fixed once the activity exists)
            </p>
          ) : (
            <Field label="Slug" required maxLength={80} pattern="[a-z0-9]+(-[a-z0-9]+)*"
              messages={{ patternMismatch: 'Use lowercase letters, digits and single dashes only, such as respond-to-the-cfo.' }}
              value={form.slug} onChange={(e) => set({ slug: e.target.value })} error={fieldError(err, 'slug')}
              hint="Lowercase letters, digits and dashes; it appears in the address and can’t change later." />
          )}
          <div className="field">
            <label htmlFor={`${ids}-module`}>Module</label>
            <select id={`${ids}-module`} value={form.module_slug} onChange={(e) => set({ module_slug: e.target.value })}
              aria-describedby={`${ids}-module-hint`} aria-invalid={fieldError(err, 'module_slug') ? true : undefined}>
              <option value="">No module</option>
              {(modules.data?.modules ?? []).map((m) => (
                <option key={m.slug} value={m.slug}>{m.title}</option>
              ))}
              {form.module_slug && !modules.data?.modules.some((m) => m.slug === form.module_slug) && (
                <option value={form.module_slug}>{form.module_slug}</option>
              )}
            </select>
            <p className="hint" id={`${ids}-module-hint`}>The module decides who may open it; the first activity of a free module is free.</p>
            {fieldError(err, 'module_slug') && <p className="field-error">{fieldError(err, 'module_slug')}</p>}
          </div>
          <fieldset className="fieldset">
            <legend>What the learner hands in</legend>
            {(Object.keys(kindLabels) as ActivityKind[]).map((k) => (
              <label className="check" key={k}>
                <input type="radio" name={`${ids}-kind`} checked={form.kind === k} onChange={() => set({ kind: k })} />
                {kindLabels[k]}
              </label>
            ))}
            {fieldError(err, 'kind') && <p className="field-error">{fieldError(err, 'kind')}</p>}
          </fieldset>
          <Field label="Time limit (seconds)" type="number" required min={MIN_TIME_LIMIT} max={MAX_TIME_LIMIT} step={1}
            value={Number.isFinite(form.time_limit_seconds) ? form.time_limit_seconds : ''}
            onChange={(e) => set({ time_limit_seconds: e.target.valueAsNumber })}
            hint={`${MIN_TIME_LIMIT} to ${MAX_TIME_LIMIT} seconds${formatLimit(form.time_limit_seconds) ? `; learners see ${formatLimit(form.time_limit_seconds)}` : ''}.`}
            error={fieldError(err, 'time_limit_seconds')} />
          <fieldset className="fieldset">
            <legend>Competencies it builds</legend>
            <p className="hint">Tick the main one first. Every criterion of the rubric scores one of these.</p>
            {competencyKeys.map((k) => (
              <label className="check" key={k}>
                <input type="checkbox" checked={form.competencies.includes(k)} onChange={() => toggle(k)} />
                {competencyNames[k]}
                {form.competencies[0] === k && <span className="badge badge-muted">main</span>}
              </label>
            ))}
            {fieldError(err, 'competencies') && <p className="field-error">{fieldError(err, 'competencies')}</p>}
          </fieldset>
          <div className="field">
            <label htmlFor={`${ids}-buyer`}>The buyer’s line (optional)</label>
            <select id={`${ids}-buyer`} value={form.buyer_media_id} onChange={(e) => set({ buyer_media_id: e.target.value })}
              aria-describedby={`${ids}-buyer-hint`} aria-invalid={fieldError(err, 'buyer_media_id') ? true : undefined}>
              <option value="">None: the brief quotes the buyer</option>
              {buyerMedia.map((m) => (
                <option key={m.id} value={m.id}>{m.title} ({m.kind})</option>
              ))}
            </select>
            <p className="hint" id={`${ids}-buyer-hint`}>
              A recording or picture from the <Link to="/studio/media">media library</Link> that learners respond to. Quote its words in the brief too, for learners who can’t play it.
            </p>
            {fieldError(err, 'buyer_media_id') && <p className="field-error">{fieldError(err, 'buyer_media_id')}</p>}
          </div>
        </section>

        <section className="panel" aria-labelledby={`${ids}-brief-label`}>
          <h2 id={`${ids}-brief-label`}>Brief</h2>
          <p className="hint">The buyer situation (who, what happened, what is at stake) and what to do in the time limit, in Markdown.</p>
          <div className="editor-pane">
            <label htmlFor={`${ids}-brief`} className="pane-label">Markdown</label>
            <textarea id={`${ids}-brief`} className="markdown-input practice-brief-input" value={form.brief} spellCheck required maxLength={20000}
              onChange={(e) => set({ brief: e.target.value })} aria-invalid={fieldError(err, 'brief') ? true : undefined} />
            {fieldError(err, 'brief') && <p className="field-error">{fieldError(err, 'brief')}</p>}
          </div>
          <div className="editor-pane practice-brief-preview">
            <span className="pane-label" id={`${ids}-preview`}>Preview (exactly as learners will see it)</span>
            <LessonHtml className="preview prose" aria-labelledby={`${ids}-preview`} html={preview} />
          </div>
        </section>
      </div>

      <RubricEditor form={form} error={err} onChange={setForm} />

      <div className="form-actions">
        <button className="button" type="submit" disabled={save.isPending}>
          {slug ? 'Save activity' : 'Create activity'}
        </button>
        {save.isSuccess && !dirty && <span className="saved">Saved</span>}
      </div>
    </form>
  );
}
