import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { Field, FormError, fieldError } from '../components/Form';
import { studioKeys } from './queries';
import type { StudioModuleDetail } from './types';

const slugify = (s: string) =>
  s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);

/** LessonList shows a module's draft lessons and adds new ones. */
export function LessonList({ module: m }: { module: StudioModuleDetail }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api.POST('/api/v1/studio/modules/{slug}/lessons', {
        params: { path: { slug: m.slug } },
        body: { slug: slugify(title), title, minutes: 5, markdown: '' },
      }),
    onSuccess: (l) => {
      // The editor finds its lesson in the module's cached drafts. Putting the created lesson
      // there first opens the editor on it at once: otherwise the editor opens on the module as
      // it was, says the lesson is not found, and only takes the lesson when the refetch lands,
      // while the person is already typing. The refetch still brings the server's full module.
      qc.setQueryData<StudioModuleDetail>(studioKeys.moduleBySlug(m.slug), (old) =>
        old && !old.lessons.some((x) => x.id === l.id) ? { ...old, lessons: [...old.lessons, l] } : old);
      void qc.invalidateQueries({ queryKey: studioKeys.moduleBySlug(m.slug) });
      navigate(`/studio/modules/${m.slug}/lessons/${l.slug}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section className="panel">
      <h2>Lessons</h2>
      {m.lessons.length === 0 ? (
        <p className="muted">No lessons yet.</p>
      ) : (
        <ol className="outline">
          {m.lessons.map((l, i) => (
            <li key={l.id}>
              <span className="outline-num" aria-hidden="true">{i + 1}</span>
              <Link to={`/studio/modules/${m.slug}/lessons/${l.slug}`}>{l.title}</Link>
              <span className="muted small">{l.minutes} min</span>
            </li>
          ))}
        </ol>
      )}
      <form onSubmit={submit} className="add-lesson" noValidate>
        <FormError error={create.error} />
        <Field label="New lesson title" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)}
          error={fieldError(create.error, 'title') ?? fieldError(create.error, 'slug')} />
        <button className="button button-secondary" type="submit" disabled={!title.trim() || create.isPending}>
          Add lesson
        </button>
      </form>
    </section>
  );
}
