import { useEffect, useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../api/client';
import { competencyKeys, competencyNames, type CompetencyKey } from '../catalog/types';
import { Field, FormError, TextArea, fieldError, validateForm } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { PublishPanel } from './PublishPanel';
import { LessonList } from './LessonList';
import { CoachingEditor } from './CoachingEditor';
import type { RequestBody } from '../api/types';
import { studioKeys, useStudioModule } from './queries';

/** ModuleForm is what the form edits: the fields of a new module that it always sends. */
type ModuleForm = Required<Pick<RequestBody<'/api/v1/studio/modules', 'post'>, 'slug' | 'title' | 'summary' | 'access' | 'competencies'>>;
const empty: ModuleForm = { slug: '', title: '', summary: '', access: 'premium', competencies: [] };

/** ModuleEditor creates a module or edits one, with its lessons and publishing controls. */
export function ModuleEditor() {
  const { slug } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const q = useStudioModule(slug);
  usePageTitle(slug ? q.data?.title ?? 'Module' : 'New module');
  const [form, setForm] = useState<ModuleForm>(empty);
  const [saved, setSaved] = useState(false);
  const summaryId = useId();
  useEffect(() => {
    if (q.data) {
      const { slug: s, title, summary, access, competencies } = q.data;
      setForm({ slug: s, title, summary, access, competencies });
    }
  }, [q.data]);

  const save = useMutation({
    mutationFn: (f: ModuleForm) =>
      slug
        ? api.PUT('/api/v1/studio/modules/{slug}', { params: { path: { slug } }, body: f })
        : api.POST('/api/v1/studio/modules', { body: f }),
    onSuccess: (m) => {
      qc.invalidateQueries({ queryKey: studioKeys.modules });
      qc.invalidateQueries({ queryKey: studioKeys.module });
      setSaved(true);
      if (!slug || m.slug !== slug) navigate(`/studio/modules/${m.slug}`, { replace: true });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    if (!validateForm(e)) return; // the server checks the same limits again
    save.mutate(form);
  };
  const toggle = (c: CompetencyKey) =>
    setForm((f) => ({ ...f, competencies: f.competencies.includes(c) ? f.competencies.filter((x) => x !== c) : [...f.competencies, c] }));

  return (
    <div className="container page">
      <p>
        <Link to="/studio">← Studio</Link>
      </p>
      <h1>{slug ? form.title || 'Module' : 'New module'}</h1>
      <FormError error={q.error} />
      <div className="studio-grid">
        <form className="panel" onSubmit={submit} noValidate>
          <h2>Module details</h2>
          <FormError error={save.error} />
          <Field label="Title" required maxLength={200} value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} error={fieldError(save.error, 'title')} />
          <Field label="Slug" required maxLength={60} pattern="[a-z0-9]+(-[a-z0-9]+)*"
            messages={{ patternMismatch: 'Use lowercase letters, digits and single dashes only, such as reading-buyers.' }} value={form.slug} onChange={(e) => setForm({ ...form, slug: e.target.value })} error={fieldError(save.error, 'slug')}
            hint="Lowercase letters, digits and dashes; it appears in the address." />
          <TextArea id={summaryId} label="Summary" rows={3} maxLength={1000} value={form.summary}
            onChange={(e) => setForm({ ...form, summary: e.target.value })} error={fieldError(save.error, 'summary')} />
          <fieldset className="fieldset">
            <legend>Access</legend>
            {(['free', 'premium'] as const).map((a) => (
              <label className="check" key={a}>
                <input type="radio" name="access" checked={form.access === a} onChange={() => setForm({ ...form, access: a })} />
                {a === 'free' ? 'Free for everyone' : 'Premium (subscribers)'}
              </label>
            ))}
          </fieldset>
          <fieldset className="fieldset">
            <legend>Competencies it builds</legend>
            {competencyKeys.map((k) => (
              <label className="check" key={k}>
                <input type="checkbox" checked={form.competencies.includes(k)} onChange={() => toggle(k)} />
                {competencyNames[k]}
              </label>
            ))}
            {fieldError(save.error, 'competencies') && <p className="field-error">{fieldError(save.error, 'competencies')}</p>}
          </fieldset>
          <div className="form-actions">
            <button className="button" type="submit" disabled={save.isPending}>
              {slug ? 'Save module' : 'Create module'}
            </button>
            {saved && <span className="saved" role="status">Saved</span>}
          </div>
        </form>
        {slug && q.data && (
          <div>
            <LessonList module={q.data} />
            <PublishPanel module={q.data} />
            <CoachingEditor module={q.data} />
          </div>
        )}
      </div>
    </div>
  );
}
