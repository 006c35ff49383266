import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { adminKeys, useGrants, useTeamSearch, useUserSearch } from '../admin/queries';
import { api } from '../api/client';
import type { RequestBody, Schemas } from '../api/types';
import { Combobox } from '../components/Combobox';
import { Field, FormError, fieldError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { useDebounced } from '../studio/useDebounced';
import { AdminNav } from './AdminNav';

type Grant = Schemas['Grant'];
type AdminUser = Schemas['AdminUser'];
type AdminTeam = Schemas['AdminTeam'];
type Target = 'team' | 'person';

const longDate = (iso: string) => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });
const teamLine = (t: AdminTeam) =>
  `${t.manager_name ? `managed by ${t.manager_name} · ` : ''}${t.seats.total === 0 ? 'no seats yet'
    : `${t.seats.used} of ${t.seats.total} seat${t.seats.total === 1 ? '' : 's'} used`}`;

/** AdminGrants gives a team free seats, or one person full access, until a date. Teams and people
 *  are chosen by name from suggestions, and the list names who each grant is for. */
export function AdminGrants() {
  usePageTitle('Complimentary access');
  const qc = useQueryClient();
  const [target, setTarget] = useState<Target>('team');
  const [query, setQuery] = useState('');
  const [team, setTeam] = useState<AdminTeam | null>(null);
  const [person, setPerson] = useState<AdminUser | null>(null);
  const [seats, setSeats] = useState('5');
  const [ends, setEnds] = useState(() => new Date(Date.now() + 90 * 864e5).toISOString().slice(0, 10));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState('');
  const q = useDebounced(query.trim(), 200);

  const grants = useGrants();
  const teams = useTeamSearch(q, { enabled: target === 'team' && !team, keepPrevious: true });
  const people = useUserSearch(q, { enabled: target === 'person' && !person, keepPrevious: true });
  const create = useMutation({
    mutationFn: (body: RequestBody<'/api/v1/admin/grants', 'post'>) => api.POST('/api/v1/admin/grants', { body }),
    onSuccess: (g) => {
      setDone(g.team_id
        ? `${g.seats} seat${g.seats === 1 ? '' : 's'} granted to ${g.team_name ?? 'the team'} until ${longDate(g.ends_at)}.`
        : `Full access granted to ${g.user_name ?? 'the person'} until ${longDate(g.ends_at)}.`);
      setQuery(''); setTeam(null); setPerson(null);
      qc.invalidateQueries({ queryKey: adminKeys.grants });
      qc.invalidateQueries({ queryKey: adminKeys.teams });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.DELETE('/api/v1/admin/grants/{id}', { params: { path: { id } } }),
    onSuccess: () => { qc.invalidateQueries({ queryKey: adminKeys.grants }); qc.invalidateQueries({ queryKey: adminKeys.teams }); },
  });

  const switchTarget = (t: Target) => { setTarget(t); setQuery(''); setTeam(null); setPerson(null); setErrors({}); };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone('');
    const found: Record<string, string> = {};
    const n = Number(seats);
    if (target === 'team' && !team) found.team = 'Choose a team from the suggestions.';
    if (target === 'person' && !person) found.person = 'Choose a person from the suggestions.';
    if (target === 'team' && (!Number.isInteger(n) || n < 1 || n > 1000)) found.seats = 'Enter a whole number of seats from 1 to 1,000.';
    if (!ends || new Date(`${ends}T23:59:59Z`) <= new Date()) found.ends = 'Choose an end date in the future.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const endsAt = new Date(`${ends}T23:59:59Z`).toISOString();
    create.mutate(target === 'team' ? { team_id: team!.id, seats: n, ends_at: endsAt } : { user_id: person!.id, ends_at: endsAt });
  };

  return (
    <div className="container page">
      <h1>Admin</h1>
      <AdminNav />
      <form className="panel" onSubmit={submit} noValidate aria-labelledby="grant-title">
        <h2 id="grant-title">Grant access</h2>
        <p className="muted">Give a team free seats, or one person full access, until the end date. No payment is needed.</p>
        <FormError error={create.error} />
        {done && <div className="alert alert-success" role="status">{done}</div>}
        <fieldset className="fieldset segmented">
          <legend>Grant to</legend>
          <label className="check"><input type="radio" name="grant-target" checked={target === 'team'} onChange={() => switchTarget('team')} /> A team</label>
          <label className="check"><input type="radio" name="grant-target" checked={target === 'person'} onChange={() => switchTarget('person')} /> One person</label>
        </fieldset>
        <div className="grant-grid">
          {target === 'team' ? (
            <Combobox<AdminTeam>
              label="Team"
              placeholder="Type the team’s name"
              query={query}
              onQuery={(v) => { setQuery(v); setTeam(null); }}
              options={teams.data?.teams ?? []}
              selected={!!team}
              loading={teams.isFetching}
              optionKey={(t) => t.id}
              renderOption={(t) => <><span className="option-main">{t.name}</span><span className="option-sub">{teamLine(t)}</span></>}
              onSelect={(t) => { setTeam(t); setQuery(t.name); setErrors((x) => ({ ...x, team: '' })); }}
              emptyText="No team matches. Try part of the name or the manager’s e-mail."
              hint={team ? `Chosen: ${team.name}, ${teamLine(team)}.` : 'Search by team name or its manager’s name or e-mail.'}
              error={errors.team || fieldError(create.error, 'team_id')}
            />
          ) : (
            <Combobox<AdminUser>
              label="Person"
              placeholder="Type a name or e-mail"
              query={query}
              onQuery={(v) => { setQuery(v); setPerson(null); }}
              options={people.data?.users ?? []}
              selected={!!person}
              loading={people.isFetching}
              optionKey={(u) => u.id}
              renderOption={(u) => <><span className="option-main">{u.name}</span><span className="option-sub">{u.email}</span></>}
              onSelect={(u) => { setPerson(u); setQuery(`${u.name} (${u.email})`); setErrors((x) => ({ ...x, person: '' })); }}
              emptyText="No account matches. Try part of the name or e-mail address."
              hint={person ? `Chosen: ${person.name}, ${person.email}.` : 'Search by name or e-mail address.'}
              error={errors.person || fieldError(create.error, 'user_id')}
            />
          )}
          {target === 'team' && (
            <Field label="Seats" type="number" min={1} max={1000} inputMode="numeric" value={seats} onChange={(e) => setSeats(e.target.value)}
              error={errors.seats || fieldError(create.error, 'seats')} />
          )}
          <Field label="Ends on" type="date" value={ends} onChange={(e) => setEnds(e.target.value)} error={errors.ends || fieldError(create.error, 'ends_at')} />
        </div>
        <button className="button" type="submit" disabled={create.isPending}>
          {target === 'team' ? 'Grant seats' : 'Grant access'}
        </button>
      </form>
      <h2 className="section-title-sm">Grants</h2>
      <FormError error={grants.error ?? revoke.error} />
      {grants.data && (
        <div className="table-wrap">
          <table className="table table-cards">
            <caption className="visually-hidden">Grants, newest first</caption>
            <thead><tr><th scope="col">For</th><th scope="col">Seats</th><th scope="col">Ends</th><th scope="col">State</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {grants.data.grants.map((g) => (
                <tr key={g.id}>
                  <td className="card-title"><GrantFor g={g} /></td>
                  <td data-label="Seats">{g.seats ?? 'Full access'}</td>
                  <td data-label="Ends">{new Date(g.ends_at).toLocaleDateString()}</td>
                  <td data-label="State">{g.active ? <span className="badge badge-free">active</span> : <span className="badge badge-muted">{g.revoked_at ? 'revoked' : 'ended'}</span>}</td>
                  <td className="card-actions">
                    {g.active && (
                      <button className="link-button danger" onClick={() => revoke.mutate(g.id)} disabled={revoke.isPending}>
                        Revoke<span className="visually-hidden"> the grant for {g.team_name ?? g.user_name ?? 'this team'}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {grants.data.grants.length === 0 && <p className="muted">No grants yet.</p>}
        </div>
      )}
    </div>
  );
}

/** GrantFor names who a grant is for: the team, or the person with their e-mail. */
function GrantFor({ g }: { g: Grant }) {
  if (g.team_id) {
    return (
      <span className="grant-for">
        <span className="badge badge-brand">Team</span> {g.team_name ?? <span className="muted">A team that no longer exists</span>}
      </span>
    );
  }
  return (
    <span className="grant-for">
      <span className="badge badge-muted">Person</span> {g.user_name}
      {g.user_email && <span className="grant-email small muted wrap-anywhere">{g.user_email}</span>}
    </span>
  );
}
