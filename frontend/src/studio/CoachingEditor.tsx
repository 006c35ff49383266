import { useEffect, useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import DOMPurify from 'dompurify';
import { api } from '../api/client';
import type { Schemas } from '../api/types';
import { FormError, fieldError } from '../components/Form';
import { studioKeys } from './queries';
import { useDebounced } from './useDebounced';

/** maxCoachingBytes mirrors the contract's CoachingMarkdown limit (20 kB of UTF-8). */
const maxCoachingBytes = 20480;

/** CoachingEditor edits a module's one-page coaching guide for managers, with the server's
 *  preview (the same sanitising renderer as lessons). Managers read it from the next publish. */
export function CoachingEditor({ module }: { module: Schemas['StudioModuleDetail'] }) {
  const qc = useQueryClient();
  const [text, setText] = useState(module.coaching);
  const [saved, setSaved] = useState(false);
  const [preview, setPreview] = useState('');
  const inputId = useId();
  const previewId = useId();
  useEffect(() => setText(module.coaching), [module.coaching]);

  const source = useDebounced(text, 300);
  useEffect(() => {
    let live = true;
    if (!source.trim()) {
      setPreview('');
      return;
    }
    api.POST('/api/v1/studio/preview', { body: { markdown: source } })
      .then((r) => live && setPreview(DOMPurify.sanitize(r.html)))
      .catch(() => live && setPreview('<p><em>The preview is unavailable right now.</em></p>'));
    return () => {
      live = false;
    };
  }, [source]);

  const save = useMutation({
    mutationFn: (coaching: string) => api.PUT('/api/v1/studio/modules/{slug}', { params: { path: { slug: module.slug } }, body: { coaching } }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: studioKeys.modules });
      qc.invalidateQueries({ queryKey: studioKeys.module });
      setSaved(true);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    save.mutate(text);
  };
  const bytes = new TextEncoder().encode(text.trim()).length;
  const tooLong = bytes > maxCoachingBytes;
  const words = text.trim() ? text.trim().split(/\s+/).length : 0;
  const err = fieldError(save.error, 'coaching') ?? (tooLong ? 'Keep the coaching guide to at most 20 kB: it is meant to fit on one printed page.' : undefined);

  return (
    <form className="panel coaching-editor" onSubmit={submit} noValidate>
      <h2>Coaching guide for managers</h2>
      <p className="muted small">
        One printed page (about 300-450 words) that team managers see on the module page: what good looks like, team
        discussion questions, 1:1 prompts, what to recognise. Leave it empty for no guide. Managers see changes after the
        next publish.
      </p>
      <FormError error={save.error && !fieldError(save.error, 'coaching') ? save.error : null} />
      <div className="field">
        <label htmlFor={inputId}>Guide (Markdown)</label>
        <textarea id={inputId} className="markdown-input coaching-input" rows={14} value={text} spellCheck
          onChange={(e) => { setText(e.target.value); setSaved(false); }}
          aria-invalid={err ? true : undefined} aria-describedby={`${inputId}-count`} />
        <p id={`${inputId}-count`} className="muted small">{words} words</p>
        {err && <p className="field-error">{err}</p>}
      </div>
      {preview && (
        <>
          <span className="pane-label" id={previewId}>Preview (as managers will see it)</span>
          <div className="preview prose coaching-preview" aria-labelledby={previewId} dangerouslySetInnerHTML={{ __html: preview }} />
        </>
      )}
      <div className="form-actions">
        <button className="button" type="submit" disabled={save.isPending || tooLong || text === module.coaching}>
          Save guide
        </button>
        {saved && <span className="saved" role="status">Saved. Publish the module to show it to managers.</span>}
      </div>
    </form>
  );
}
