import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { Field, FormError, fieldError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { AdminNav } from './AdminNav';

type Grant = { id: string; user_id: string | null; team_id: string | null; seats: number | null; ends_at: string; created_at: string; revoked_at: string | null; active: boolean };
type AdminUser = { id: string; email: string; name: string };

/** AdminGrants gives a user complimentary access, or a team free seats, until a date. */
export function AdminGrants() {
  usePageTitle('Complimentary access');
  const qc = useQueryClient();
  const grants = useQuery({ queryKey: ['grants'], queryFn: () => api<{ grants: Grant[] }>('/api/v1/admin/grants') });
  const users = useQuery({ queryKey: ['admin-users', ''], queryFn: () => api<{ users: AdminUser[] }>('/api/v1/admin/users?query=') });
  const [email, setEmail] = useState('');
  const [teamId, setTeamId] = useState('');
  const [seats, setSeats] = useState(5);
  const [ends, setEnds] = useState(() => new Date(Date.now() + 90 * 864e5).toISOString().slice(0, 10));
  const [localError, setLocalError] = useState('');
  const create = useMutation({
    mutationFn: (body: object) => api('/api/v1/admin/grants', { method: 'POST', body }),
    onSuccess: () => { setEmail(''); setTeamId(''); qc.invalidateQueries({ queryKey: ['grants'] }); },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/api/v1/admin/grants/${id}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['grants'] }),
  });
  const byId = new Map(users.data?.users.map((u) => [u.id, u]) ?? []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setLocalError('');
    const endsAt = new Date(`${ends}T23:59:59Z`).toISOString();
    if (teamId.trim()) return create.mutate({ team_id: teamId.trim(), seats, ends_at: endsAt });
    const found = await api<{ users: AdminUser[] }>(`/api/v1/admin/users?query=${encodeURIComponent(email.trim())}`);
    const u = found.users.find((x) => x.email === email.trim().toLowerCase());
    if (!u) return setLocalError('No account has that e-mail address.');
    create.mutate({ user_id: u.id, ends_at: endsAt });
  };

  return (
    <div className="container page">
      <h1>Admin</h1>
      <AdminNav />
      <form className="panel" onSubmit={submit} noValidate>
        <h2>Grant access</h2>
        <p className="muted">Give one person full access, or a team free seats, until the end date.</p>
        <FormError error={create.error} />
        {localError && <div className="alert alert-error" role="alert">{localError}</div>}
        <div className="grant-grid">
          <Field label="Person’s e-mail" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(create.error, 'user_id')} hint="Leave empty when granting team seats." />
          <Field label="Or team id" value={teamId} onChange={(e) => setTeamId(e.target.value)} error={fieldError(create.error, 'team_id')} />
          <Field label="Team seats" type="number" min={1} value={seats} onChange={(e) => setSeats(Number(e.target.value))} error={fieldError(create.error, 'seats')} />
          <Field label="Ends on" type="date" value={ends} onChange={(e) => setEnds(e.target.value)} error={fieldError(create.error, 'ends_at')} />
        </div>
        <button className="button" type="submit" disabled={create.isPending || (!email.trim() && !teamId.trim())}>Grant access</button>
      </form>
      <FormError error={grants.error ?? revoke.error} />
      {grants.data && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Grants</caption>
            <thead><tr><th scope="col">For</th><th scope="col">Seats</th><th scope="col">Ends</th><th scope="col">State</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {grants.data.grants.map((g) => (
                <tr key={g.id}>
                  <td>{g.user_id ? byId.get(g.user_id)?.email ?? g.user_id : `Team ${g.team_id}`}</td>
                  <td>{g.seats ?? '–'}</td>
                  <td>{new Date(g.ends_at).toLocaleDateString()}</td>
                  <td>{g.active ? <span className="badge badge-free">active</span> : <span className="badge badge-muted">{g.revoked_at ? 'revoked' : 'ended'}</span>}</td>
                  <td>{g.active && <button className="link-button" onClick={() => revoke.mutate(g.id)}>Revoke</button>}</td>
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
