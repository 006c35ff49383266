import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import DOMPurify from 'dompurify';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { FormError, fieldError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import type { RequestBody } from '../api/types';
import { studioKeys, useStudioModule } from './queries';
import { useDebounced } from './useDebounced';
import { ChecksEditor } from './ChecksEditor';
import { insertBlock } from '../media/format';
import { LessonHtml } from '../media/LessonHtml';
import { MediaPicker } from '../media/MediaPicker';

/** Draft is what the editor autosaves: the lesson's fields it always sends. */
type Draft = Required<Pick<RequestBody<'/api/v1/studio/modules/{slug}/lessons/{lesson}', 'put'>, 'slug' | 'title' | 'minutes' | 'markdown'>>;
type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: Date } | { kind: 'error'; error: unknown };

/** LessonEditor: Markdown on the left, the server-rendered (sanitised) preview on the right, autosaved. */
export function LessonEditor() {
  const { slug = '', lesson = '' } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const mod = useStudioModule(slug);
  const current = mod.data?.lessons.find((l) => l.slug === lesson);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [preview, setPreview] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [picking, setPicking] = useState(false);
  const markdownRef = useRef<HTMLTextAreaElement>(null);
  const cursor = useRef<number | null>(null);
  const savedSlug = useRef(lesson);
  const lastSaved = useRef<string>('');
  usePageTitle(draft?.title ? `Edit: ${draft.title}` : 'Edit lesson');

  useEffect(() => {
    if (current && !draft) {
      const initial = { slug: current.slug, title: current.title, minutes: current.minutes, markdown: current.markdown };
      setDraft(initial);
      lastSaved.current = JSON.stringify(initial);
      savedSlug.current = current.slug;
    }
  }, [current, draft]);

  // Leaving the editor before the autosave's pause has passed would drop the last edits: send
  // what is unsaved on the way out (the server's answer no longer has a page to show on).
  const latest = useRef<Draft | null>(null);
  latest.current = draft;
  useEffect(
    () => () => {
      const d = latest.current;
      if (!d || lastSaved.current === '' || JSON.stringify(d) === lastSaved.current) return;
      void api.PUT('/api/v1/studio/modules/{slug}/lessons/{lesson}', { params: { path: { slug, lesson: savedSlug.current } }, body: d })
        .then(() => {
          void qc.invalidateQueries({ queryKey: studioKeys.modules });
          void qc.invalidateQueries({ queryKey: studioKeys.module });
        })
        .catch(() => undefined);
    },
    [slug, qc],
  );

  const debounced = useDebounced(draft, 900);
  useEffect(() => {
    if (!debounced || !current) return;
    const body = JSON.stringify(debounced);
    if (lastSaved.current === '') {
      lastSaved.current = JSON.stringify({ slug: current.slug, title: current.title, minutes: current.minutes, markdown: current.markdown });
    }
    if (body === lastSaved.current) return;
    setSave({ kind: 'saving' });
    api.PUT('/api/v1/studio/modules/{slug}/lessons/{lesson}', { params: { path: { slug, lesson: savedSlug.current } }, body: debounced })
      .then((l) => {
        lastSaved.current = body;
        setSave({ kind: 'saved', at: new Date() });
        if (l.slug !== savedSlug.current) {
          savedSlug.current = l.slug;
          navigate(`/studio/modules/${slug}/lessons/${l.slug}`, { replace: true });
        }
        qc.invalidateQueries({ queryKey: studioKeys.modules });
      })
      .catch((error) => setSave({ kind: 'error', error }));
  }, [debounced, current, slug, navigate, qc]);

  const previewSource = useDebounced(draft?.markdown ?? '', 300);
  useEffect(() => {
    let live = true;
    api.POST('/api/v1/studio/preview', { body: { markdown: previewSource } })
      .then((r) => live && setPreview(DOMPurify.sanitize(r.html)))
      .catch((e: unknown) => {
        if (!live) return;
        // A 422 names the line to fix (an unknown media id, say): show it where the preview goes.
        const p = document.createElement('p');
        const em = document.createElement('em');
        em.textContent = e instanceof ApiError && e.status === 422 ? (e.fields[0]?.message ?? e.detail) : 'The preview is unavailable right now.';
        p.append(em);
        setPreview(p.outerHTML);
      });
    return () => {
      live = false;
    };
  }, [previewSource]);

  const remove = async () => {
    await api.DELETE('/api/v1/studio/modules/{slug}/lessons/{lesson}', { params: { path: { slug, lesson: savedSlug.current } } });
    await qc.invalidateQueries({ queryKey: studioKeys.moduleBySlug(slug) });
    navigate(`/studio/modules/${slug}`);
  };

  if (mod.error) return <div className="container page"><FormError error={mod.error} /></div>;
  // A lesson missing from a module that is being fetched again may be on its way (a lesson just
  // created elsewhere): say so only once the module is current.
  if (mod.data && !current && !draft && !mod.isFetching) {
    return (
      <div className="container page">
        <h1>Lesson not found</h1>
        <Link to={`/studio/modules/${slug}`}>Back to the module</Link>
      </div>
    );
  }
  if (!draft) return <div className="container loading" aria-busy="true">Loading the lesson…</div>;
  const err = save.kind === 'error' ? save.error : null;
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const openPicker = () => {
    cursor.current = markdownRef.current?.selectionStart ?? draft.markdown.length;
    setPicking(true);
  };
  const insertMedia = (block: string) => {
    const { text, cursor: at } = insertBlock(draft.markdown, cursor.current ?? draft.markdown.length, block);
    set({ markdown: text });
    setPicking(false);
    // Back in the editor, just after what was inserted.
    requestAnimationFrame(() => {
      const el = markdownRef.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(at, at);
    });
  };

  return (
    <div className="editor-page">
      <div className="editor-bar">
        <Link to={`/studio/modules/${slug}`}>← {mod.data?.title}</Link>
        {mod.data && mod.data.version > 0 && current && (
          <Link to={`/studio/modules/${slug}/versions/${mod.data.version}?view=changes#lesson-${current.id}`}>Changes since v{mod.data.version}</Link>
        )}
        <span className="save-state" role="status" aria-live="polite">
          {save.kind === 'saving' && 'Saving…'}
          {save.kind === 'saved' && `Draft saved at ${save.at.toLocaleTimeString()}`}
          {save.kind === 'error' && (err instanceof ApiError && err.status === 422 ? 'Not saved yet. Please fix the highlighted fields.' : 'Not saved yet. We’ll try again as soon as you type.')}
        </span>
        <button className="button button-danger button-small" onClick={() => setConfirmDelete(true)}>
          Delete lesson
        </button>
      </div>
      <div className="editor-meta">
        <div className="field">
          <label htmlFor="lesson-title">Title</label>
          <input id="lesson-title" value={draft.title} onChange={(e) => set({ title: e.target.value })} aria-invalid={fieldError(err, 'title') ? true : undefined} />
          {fieldError(err, 'title') && <p className="field-error">{fieldError(err, 'title')}</p>}
        </div>
        <div className="field">
          <label htmlFor="lesson-slug">Slug</label>
          <input id="lesson-slug" value={draft.slug} onChange={(e) => set({ slug: e.target.value })} aria-invalid={fieldError(err, 'slug') ? true : undefined} />
          {fieldError(err, 'slug') && <p className="field-error">{fieldError(err, 'slug')}</p>}
        </div>
        <div className="field field-minutes">
          <label htmlFor="lesson-minutes">Minutes</label>
          <input id="lesson-minutes" type="number" min={1} max={120} value={draft.minutes}
            onChange={(e) => set({ minutes: Number(e.target.value) })} aria-invalid={fieldError(err, 'minutes') ? true : undefined} />
          {fieldError(err, 'minutes') && <p className="field-error">{fieldError(err, 'minutes')}</p>}
        </div>
      </div>
      {err && !(err instanceof ApiError && err.status === 422) ? <FormError error={err} /> : null}
      <div className="editor-split">
        <div className="editor-pane">
          <div className="pane-head">
            <label htmlFor="lesson-markdown" className="pane-label">Markdown</label>
            <button type="button" className="button button-secondary button-small" onClick={openPicker}>Insert media</button>
          </div>
          <textarea ref={markdownRef} id="lesson-markdown" className="markdown-input" value={draft.markdown} spellCheck
            onChange={(e) => set({ markdown: e.target.value })} aria-invalid={fieldError(err, 'markdown') ? true : undefined} />
          {fieldError(err, 'markdown') && <p className="field-error">{fieldError(err, 'markdown')}</p>}
        </div>
        <div className="editor-pane">
          <span className="pane-label" id="preview-label">Preview (exactly as learners will see it)</span>
          <LessonHtml className="preview prose" aria-labelledby="preview-label" html={preview} />
        </div>
      </div>
      {current && <ChecksEditor moduleSlug={slug} lessonSlug={savedSlug.current} saved={current.checks} />}
      <MediaPicker open={picking} onClose={() => setPicking(false)} onInsert={insertMedia} />
      <ConfirmDialog open={confirmDelete} title={`Delete “${draft.title}”?`} confirmLabel="Delete lesson"
        onCancel={() => setConfirmDelete(false)} onConfirm={remove}>
        <p>The lesson leaves the draft. Published versions keep it until you publish again, and learners keep their progress.</p>
      </ConfirmDialog>
    </div>
  );
}
