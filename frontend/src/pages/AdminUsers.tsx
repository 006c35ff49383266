import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { deleteUser, downloadUserExport } from '../account/api';
import { adminKeys, useUserSearch } from '../admin/queries';
import { api } from '../api/client';
import type { Schemas } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { AdminNav } from './AdminNav';

type AdminUser = Schemas['AdminUser'];
type Role = Schemas['Role'];

const grantable = ['instructor', 'admin'] as const;

/** AdminUsers lists accounts and lets an admin grant or revoke the instructor and admin roles, and
 *  download or delete an account's data on its owner's behalf. */
export function AdminUsers() {
  usePageTitle('Users');
  const { me } = useAuth();
  const [query, setQuery] = useState('');
  const qc = useQueryClient();
  const users = useUserSearch(query);
  const setRoles = useMutation({
    mutationFn: ({ id, roles }: { id: string; roles: Role[] }) =>
      api.PUT('/api/v1/admin/users/{id}/roles', { params: { path: { id } }, body: { roles } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: adminKeys.users }),
  });

  const toggle = (u: AdminUser, role: Role) => {
    const roles = u.roles.includes(role) ? u.roles.filter((r) => r !== role) : [...u.roles, role];
    setRoles.mutate({ id: u.id, roles });
  };

  return (
    <div className="container page">
      <h1>Admin</h1>
      <AdminNav />
      <div className="field field-inline">
        <label htmlFor="user-search">Search by name or e-mail</label>
        <input id="user-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      <FormError error={setRoles.error} />
      {users.isLoading && <p aria-busy="true">Loading users…</p>}
      {users.error && <FormError error={users.error} />}
      {users.data && (
        <div className="table-wrap">
          <table className="table table-cards">
            <caption className="visually-hidden">Accounts and their roles</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Joined</th>
                {grantable.map((r) => (
                  <th scope="col" key={r}>
                    {r[0].toUpperCase() + r.slice(1)}
                  </th>
                ))}
                <th scope="col">Data</th>
              </tr>
            </thead>
            <tbody>
              {users.data.users.map((u) => (
                <tr key={u.id}>
                  <th scope="row" className="card-title">{u.name}</th>
                  <td data-label="E-mail">
                    <span className="wrap-anywhere">{u.email} {!u.email_verified && <span className="badge badge-muted">unconfirmed</span>}</span>
                  </td>
                  <td data-label="Joined">{new Date(u.created_at).toLocaleDateString()}</td>
                  {grantable.map((r) => (
                    <td key={r} data-label={r[0].toUpperCase() + r.slice(1)}>
                      <input
                        type="checkbox"
                        aria-label={`${r} role for ${u.name}`}
                        checked={u.roles.includes(r)}
                        disabled={setRoles.isPending || (r === 'admin' && u.id === me?.id)}
                        onChange={() => toggle(u, r)}
                      />
                    </td>
                  ))}
                  <td data-label="Data">{u.id === me?.id ? <span className="muted small">Your own: on your account page</span> : <AccountActions user={u} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {users.data.users.length === 0 && <p className="muted">No accounts match.</p>}
        </div>
      )}
    </div>
  );
}

/** AccountActions downloads a user's data archive on their behalf, or deletes their account after a
 *  confirmation that says what goes. Both are logged with the admin's id, never any content. */
function AccountActions({ user }: { user: AdminUser }) {
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const erase = useMutation({
    mutationFn: () => deleteUser(user.id),
    onSuccess: () => {
      setConfirm(false);
      void qc.invalidateQueries({ queryKey: adminKeys.users });
    },
  });
  const download = async () => {
    setDownloading(true);
    setDownloadError(null);
    try {
      await downloadUserExport(user.id);
    } catch (e) {
      setDownloadError(e);
    } finally {
      setDownloading(false);
    }
  };
  return (
    <div className="row-actions">
      <FormError error={downloadError} />
      <button type="button" className="button button-secondary button-small" onClick={() => void download()} disabled={downloading}>
        {downloading ? 'Preparing…' : 'Download data'}<span className="visually-hidden"> of {user.name}</span>
      </button>
      <button type="button" className="button button-danger button-small" onClick={() => { erase.reset(); setConfirm(true); }}>
        Delete account<span className="visually-hidden"> of {user.name}</span>
      </button>
      <ConfirmDialog open={confirm} title={`Delete ${user.name}’s account?`} confirmLabel={erase.isPending ? 'Deleting…' : 'Delete the account for good'}
        busy={erase.isPending} onCancel={() => setConfirm(false)} onConfirm={() => erase.mutate()}>
        <p>This can’t be undone. Download their data first if they asked for a copy. When you confirm, for {user.email}:</p>
        <ul>
          <li>they are signed out on every device;</li>
          <li>their progress, weekly history, assessment answers, skills, certificates, review schedule and Buyer Pulses with their buyers’ answers are deleted;</li>
          <li>their seats on teams are freed and the recognition they received is deleted;</li>
          <li>the recognition they gave stays with its receivers, from “a former member”;</li>
          <li>their own subscription is cancelled at once and their payment details are removed from Stripe.</li>
        </ul>
        <p className="small muted">The deletion is logged with your name and the time, never the account’s content. Their e-mail address can sign up again.</p>
        <FormError error={erase.error} />
      </ConfirmDialog>
    </div>
  );
}
