import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { Field, FormError, fieldError, validateForm } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { teamKeys, useTeams } from './queries';

/** TeamsPage lists the caller's teams and creates a new one (the creator becomes its manager). */
export function TeamsPage() {
  usePageTitle('Teams');
  const q = useTeams();
  return (
    <div className="container page narrow">
      <h1>Teams</h1>
      <p className="muted">Give your reps evidence to grow from: progress and skills per rep, assignments with due dates, and recognition that lands.</p>
      <FormError error={q.error} />
      {q.data && q.data.teams.length > 0 && (
        <ul className="team-list">
          {q.data.teams.map((t) => (
            <li key={t.id}>
              <Link to={`/teams/${t.id}`}>{t.name}</Link>
              <span className="muted small"> · {t.role === 'manager' ? 'you manage it' : 'member'} · {t.member_count} members</span>
            </li>
          ))}
        </ul>
      )}
      <CreateTeam />
    </div>
  );
}

/** CreateTeam is the "new team" form; it is also the /teams/new page. */
export function CreateTeam() {
  usePageTitle('New team');
  const qc = useQueryClient();
  const { reload } = useAuth();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => api.POST('/api/v1/teams', { body: { name } }),
    onSuccess: async (t) => {
      qc.invalidateQueries({ queryKey: teamKeys.teams });
      await reload();
      navigate(`/teams/${t.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!validateForm(e)) return;
    create.mutate();
  };
  return (
    <form className="panel" onSubmit={submit} noValidate>
      <h2>Create a team</h2>
      <FormError error={create.error} />
      <Field label="Team name" required maxLength={100} messages={{ valueMissing: 'Enter a name for the team.' }} value={name} onChange={(e) => setName(e.target.value)} error={fieldError(create.error, 'name')} hint="For example: EMEA Enterprise Sales" />
      <button className="button" type="submit" disabled={create.isPending}>Create team</button>
    </form>
  );
}
