import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { adminKeys, useUserSearch } from '../admin/queries';
import { api } from '../api/client';
import type { Schemas } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { AdminNav } from './AdminNav';

type AdminUser = Schemas['AdminUser'];
type Role = Schemas['Role'];

const grantable = ['instructor', 'admin'] as const;

/** AdminUsers lists accounts and lets an admin grant or revoke the instructor and admin roles. */
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
