import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { ModuleSummary } from '../catalog/types';
import { FormError, fieldError } from '../components/Form';
import type { Assignment, Team } from './types';

const statusWords: Record<string, string> = { not_started: 'Not started', in_progress: 'In progress', done: 'Done', overdue: 'Overdue' };

/** Assignments lets a manager assign a module with a due date to chosen reps and follow it. */
export function Assignments({ team }: { team: Team }) {
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['assignments', team.id], queryFn: () => api<{ assignments: Assignment[] }>(`/api/v1/teams/${team.id}/assignments`) });
  const modules = useQuery({ queryKey: ['modules', 'assign'], queryFn: () => api<{ modules: ModuleSummary[] }>('/api/v1/modules') });
  const learners = team.members.filter((m) => m.role === 'member' || m.is_learner);
  const [moduleSlug, setModuleSlug] = useState('');
  const [due, setDue] = useState(() => new Date(Date.now() + 14 * 864e5).toISOString().slice(0, 10));
  const [chosen, setChosen] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () => api(`/api/v1/teams/${team.id}/assignments`, {
      method: 'POST',
      body: { module_slug: moduleSlug, due_at: new Date(`${due}T17:00:00`).toISOString(), user_ids: chosen },
    }),
    onSuccess: () => { setChosen([]); qc.invalidateQueries({ queryKey: ['assignments', team.id] }); },
  });
  const submit = (e: FormEvent) => { e.preventDefault(); create.mutate(); };
  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));

  return (
    <section className="section-block" aria-labelledby="assign-title">
      <h2 id="assign-title">Assignments</h2>
      <div className="team-grid">
        <form className="panel" onSubmit={submit} noValidate>
          <h3>Assign a module</h3>
          <FormError error={create.error} />
          <div className="field">
            <label htmlFor="assign-module">Module</label>
            <select id="assign-module" value={moduleSlug} onChange={(e) => setModuleSlug(e.target.value)} aria-invalid={fieldError(create.error, 'module_slug') ? true : undefined}>
              <option value="">Choose a module…</option>
              {modules.data?.modules.map((m) => <option key={m.slug} value={m.slug}>{m.title}</option>)}
            </select>
            {fieldError(create.error, 'module_slug') && <p className="field-error">{fieldError(create.error, 'module_slug')}</p>}
          </div>
          <div className="field">
            <label htmlFor="assign-due">Due on</label>
            <input id="assign-due" type="date" value={due} onChange={(e) => setDue(e.target.value)} aria-invalid={fieldError(create.error, 'due_at') ? true : undefined} />
            {fieldError(create.error, 'due_at') && <p className="field-error">{fieldError(create.error, 'due_at')}</p>}
          </div>
          <fieldset className="fieldset">
            <legend>Reps</legend>
            {learners.length === 0 && <p className="muted small">Invite reps first.</p>}
            {learners.map((m) => (
              <label className="check" key={m.user_id}>
                <input type="checkbox" checked={chosen.includes(m.user_id)} onChange={() => toggle(m.user_id)} /> {m.name}
              </label>
            ))}
            {fieldError(create.error, 'user_ids') && <p className="field-error">{fieldError(create.error, 'user_ids')}</p>}
          </fieldset>
          <button className="button" type="submit" disabled={!moduleSlug || chosen.length === 0 || create.isPending}>Assign</button>
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
