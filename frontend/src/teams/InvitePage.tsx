import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';

type Preview = { team_name: string; inviter_name: string; email: string; state: string; expires_at: string };
type Membership = { team_id: string; team_name: string };

/** InvitePage shows an invite and lets the invited person accept it after signing in or up. */
export function InvitePage() {
  const { token = '' } = useParams();
  usePageTitle('Team invite');
  const { status, me, reload } = useAuth();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const q = useQuery({ queryKey: ['invite', token], queryFn: () => api<Preview>(`/api/v1/invites/${encodeURIComponent(token)}`) });
  const here = `/invites/${token}`;
  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      const m = await api<Membership>(`/api/v1/invites/${encodeURIComponent(token)}/accept`, { method: 'POST' });
      await reload();
      qc.invalidateQueries();
      navigate('/dashboard', { state: { joined: m.team_name } });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const p = q.data;
  return (
    <div className="container narrow center-page">
      <FormError error={q.error} />
      {p && (
        <>
          <p className="eyebrow">Team invite</p>
          <h1>Join {p.team_name} on Rapport</h1>
          <p className="lead">{p.inviter_name} invited {p.email} to learn with the team.</p>
          {p.state !== 'pending' ? (
            <div className="alert alert-info">This invite is {p.state}. Ask {p.inviter_name} for a new one.</div>
          ) : status === 'signed-in' ? (
            <>
              <FormError error={error} />
              <p className="muted">Signed in as {me?.email}.</p>
              <button className="button button-large" onClick={accept} disabled={busy}>Accept and join</button>
            </>
          ) : (
            <div className="form-actions center-actions">
              <Link className="button" to="/signup" state={{ from: here }}>Create an account</Link>
              <Link className="button button-ghost" to="/signin" state={{ from: here }}>Sign in</Link>
            </div>
          )}
        </>
      )}
    </div>
  );
}
