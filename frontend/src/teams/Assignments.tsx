import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { useModules } from '../catalog/queries';
import { FormError, fieldError, nativeMessage, validateForm } from '../components/Form';
import { teamKeys, useAssignments } from './queries';
import type { Team } from './types';

const statusWords: Record<string, string> = { not_started: 'Not started', in_progress: 'In progress', done: 'Done', overdue: 'Overdue' };

/** Assignments lets a manager assign a module with a due date to chosen reps and follow it. */
export function Assignments({ team }: { team: Team }) {
  const qc = useQueryClient();
  const list = useAssignments(team.id);
  const modules = useModules();
  const learners = team.members.filter((m) => m.role === 'member' || m.is_learner);
  const [moduleSlug, setModuleSlug] = useState('');
  const [due, setDue] = useState(() => new Date(Date.now() + 14 * 864e5).toISOString().slice(0, 10));
  const [chosen, setChosen] = useState<string[]>([]);
  // Browser-side messages (the server checks again); keyed by the server's field names.
  const [local, setLocal] = useState<Record<string, string>>({});
  const today = new Date().toISOString().slice(0, 10);
  const problem = (field: string) => local[field] || fieldError(create.error, field);
  const create = useMutation({
    mutationFn: () => api.POST('/api/v1/teams/{id}/assignments', {
      params: { path: { id: team.id } },
      body: { module_slug: moduleSlug, due_at: new Date(`${due}T17:00:00`).toISOString(), user_ids: chosen },
    }),
    onSuccess: () => { setChosen([]); qc.invalidateQueries({ queryKey: teamKeys.assignments(team.id) }); },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const found: Record<string, string> = {};
    const mod = form.elements.namedItem('module_slug') as HTMLSelectElement;
    const date = form.elements.namedItem('due_at') as HTMLInputElement;
    if (!mod.validity.valid) found.module_slug = nativeMessage(mod, { valueMissing: 'Choose a module to assign.' });
    if (!date.validity.valid) found.due_at = nativeMessage(date, { valueMissing: 'Choose a due date.', rangeUnderflow: 'Choose a due date from today on.' });
    if (chosen.length === 0) found.user_ids = 'Choose at least one rep.';
    setLocal(found);
    if (Object.keys(found).length > 0) {
      validateForm(form);
      if (found.user_ids && !found.module_slug && !found.due_at) form.querySelector<HTMLInputElement>('input[type=checkbox]')?.focus();
      return;
    }
    create.mutate();
  };
  const toggle = (id: string) => {
    setLocal((l) => ({ ...l, user_ids: '' }));
    setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
  };

  return (
    <section className="section-block" aria-labelledby="assign-title">
      <h2 id="assign-title">Assignments</h2>
      <div className="team-grid">
        <form className="panel" onSubmit={submit} noValidate>
          <h3>Assign a module</h3>
          <FormError error={create.error} />
          <div className="field">
            <label htmlFor="assign-module">Module</label>
            <select id="assign-module" name="module_slug" required value={moduleSlug}
              onChange={(e) => { setModuleSlug(e.target.value); setLocal((l) => ({ ...l, module_slug: '' })); }}
              onInvalid={(e) => e.preventDefault()}
              aria-invalid={problem('module_slug') ? true : undefined} aria-describedby={problem('module_slug') ? 'assign-module-err' : undefined}>
              <option value="">Choose a module…</option>
              {modules.data?.modules.map((m) => <option key={m.slug} value={m.slug}>{m.title}</option>)}
            </select>
            {problem('module_slug') && <p className="field-error" id="assign-module-err">{problem('module_slug')}</p>}
          </div>
          <div className="field">
            <label htmlFor="assign-due">Due on</label>
            <input id="assign-due" name="due_at" type="date" required min={today} value={due}
              onChange={(e) => { setDue(e.target.value); setLocal((l) => ({ ...l, due_at: '' })); }}
              onInvalid={(e) => e.preventDefault()}
              aria-invalid={problem('due_at') ? true : undefined} aria-describedby={problem('due_at') ? 'assign-due-err' : undefined} />
            {problem('due_at') && <p className="field-error" id="assign-due-err">{problem('due_at')}</p>}
          </div>
          <fieldset className="fieldset" aria-describedby={problem('user_ids') ? 'assign-reps-err' : undefined}>
            <legend>Reps</legend>
            {learners.length === 0 && <p className="muted small">Invite reps first.</p>}
            {learners.map((m) => (
              <label className="check" key={m.user_id}>
                <input type="checkbox" checked={chosen.includes(m.user_id)} onChange={() => toggle(m.user_id)} /> {m.name}
              </label>
            ))}
            {problem('user_ids') && <p className="field-error" id="assign-reps-err">{problem('user_ids')}</p>}
          </fieldset>
          <button className="button" type="submit" disabled={learners.length === 0 || create.isPending}>Assign</button>
          <p className="hint">Reps see it on their dashboard and get a reminder two days before it is due.</p>
        </form>
        <div>
          <FormError error={list.error} />
          {list.data && list.data.assignments.length === 0 && <p className="muted">Nothing assigned yet.</p>}
          <ul className="assignment-list">
            {list.data?.assignments.map((a) => (
              <li key={a.id} className="panel">
                <h3>{a.module_title}</h3>
                <p className="small muted">Due {new Date(a.due_at).toLocaleDateString()} · assigned by {a.created_by.name}</p>
                <ul className="status-list">
                  {a.members.map((m) => (
                    <li key={m.user_id}>
                      <span>{m.name}</span>
                      <span className={`status status-${m.status}`}>{statusWords[m.status] ?? m.status}</span>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
