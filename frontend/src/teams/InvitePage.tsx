import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';

import type { ResponseBody } from '../api/types';
import { useInvitePreview } from './queries';

type Membership = ResponseBody<'/api/v1/invites/{token}/accept', 'post'>;

/** InvitePage shows an invite and lets the invited person accept it after signing in or up. */
export function InvitePage() {
  const { token = '' } = useParams();
  usePageTitle('Team invite');
  const { status, me, reload } = useAuth();
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [joined, setJoined] = useState<Membership | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (joined) heading.current?.focus();
  }, [joined]);
  const q = useInvitePreview(token);
  const here = `/invites/${token}`;
  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      const m = await api.POST('/api/v1/invites/{token}/accept', { params: { path: { token } } });
      await reload();
      qc.invalidateQueries();
      setJoined(m);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const p = q.data;
  if (joined) {
    const who = p?.inviter_name && p.inviter_name !== 'A manager' ? p.inviter_name : 'Your manager';
    return (
      <div className="container narrow center-page joined" role="status">
        <p className="eyebrow">Team invite accepted</p>
        <h1 ref={heading} tabIndex={-1}>You’ve joined {joined.team_name}</h1>
        <p className="lead">
          {who} can now see your course progress and skills growth on the team report, assign you modules with due dates
          and recognise your wins.
        </p>
        {me?.entitlement.premium && <p>Your seat also opens the full curriculum: every module and progress check is yours to use.</p>}
        <div className="form-actions center-actions">
          <Link className="button button-large" to="/dashboard">Go to your dashboard</Link>
          <Link className="button button-ghost" to="/catalog">Browse courses</Link>
        </div>
      </div>
    );
  }
  return (
    <div className="container narrow center-page">
      <FormError error={q.error} />
      {p && (
        <>
          <p className="eyebrow">Team invite</p>
          <h1>Join {p.team_name} on Rapport</h1>
          <p className="lead">{p.inviter_name} invited {p.email} to learn with the team.</p>
          {p.state !== 'pending' ? (
            <div className="alert alert-info">{stateSentence(p.state)} Ask {p.inviter_name} for a new one if you still need to join.</div>
          ) : status === 'loading' ? (
            <p className="muted" aria-busy="true">Checking whether you’re signed in…</p>
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

/** stateSentence says why an invite can no longer be accepted. */
function stateSentence(state: string): string {
  switch (state) {
    case 'accepted':
      return 'This invitation was already used.';
    case 'revoked':
      return 'This invitation was withdrawn.';
    case 'expired':
      return 'This invitation has expired.';
    default:
      return 'This invitation can no longer be accepted.';
  }
}
