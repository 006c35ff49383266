import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { FormError, TextArea, fieldError } from '../components/Form';
import { SeatsNextStep } from './SeatsNextStep';
import { teamKeys, useInvites } from './queries';
import type { Team } from './types';

/** parseEmails splits pasted text (commas, semicolons, spaces, new lines, "Name <a@b>") into addresses. */
export function parseEmails(text: string): string[] {
  const found = text.match(/[^\s,;<>"']+@[^\s,;<>"']+/g) ?? [];
  return [...new Set(found.map((e) => e.toLowerCase()))];
}

/** looksLikeEmail is the browser-side check of one address: something@domain.tld, no spaces. */
export function looksLikeEmail(a: string): boolean {
  return /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/.test(a);
}

/** Invites lists pending invites and opens the dialog to invite many reps at once. */
export function Invites({ team }: { team: Team }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState('');
  const invites = useInvites(team.id);
  const refresh = () => {
    qc.invalidateQueries({ queryKey: teamKeys.invites(team.id) });
    qc.invalidateQueries({ queryKey: teamKeys.team(team.id) });
  };
  const send = useMutation({
    mutationFn: (emails: string[]) => api.POST('/api/v1/teams/{id}/invites', { params: { path: { id: team.id } }, body: { emails } }),
    onSuccess: () => { setOpen(false); setText(''); setProblem(''); refresh(); },
  });
  const invite = (id: string) => ({ params: { path: { id: team.id, invite_id: id } } });
  const resend = useMutation({ mutationFn: (id: string) => api.POST('/api/v1/teams/{id}/invites/{invite_id}/resend', invite(id)), onSuccess: refresh });
  const revoke = useMutation({ mutationFn: (id: string) => api.DELETE('/api/v1/teams/{id}/invites/{invite_id}', invite(id)), onSuccess: refresh });
  const emails = parseEmails(text);
  const free = team.seats.free;
  const tooMany = emails.length > free;
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    // Checked here first (the server checks again): every address must look like one.
    const wrong = emails.filter((a) => !looksLikeEmail(a));
    if (emails.length === 0) return setProblem('Enter at least one e-mail address.');
    if (tooMany) return;
    if (wrong.length > 0) return setProblem(`${wrong.join(', ')} ${wrong.length === 1 ? 'doesn’t look like an e-mail address' : 'don’t look like e-mail addresses'}. Please correct ${wrong.length === 1 ? 'it' : 'them'}, such as name@company.com.`);
    setProblem('');
    send.mutate(emails);
  };
  const pending = invites.data?.invites.filter((i) => i.state === 'pending') ?? [];

  return (
    <section className="panel" aria-labelledby="invites-title">
      <div className="section-head">
        <h2 id="invites-title">Invites</h2>
        <button className="button button-small" onClick={() => setOpen(true)} disabled={free === 0}
          aria-describedby={free === 0 ? 'seats-next-step' : undefined}>Invite reps</button>
      </div>
      <p className="muted small">{free} free seat{free === 1 ? '' : 's'}. Invites expire after 14 days; a pending invite holds a seat.</p>
      {free === 0 && <SeatsNextStep team={team} id="seats-next-step" />}
      <FormError error={resend.error ?? revoke.error} />
      {pending.length === 0 ? (
        <p className="muted">No pending invites.</p>
      ) : (
        <ul className="invite-list">
          {pending.map((i) => (
            <li key={i.id}>
              <span>{i.email}</span>
              <span className="small muted">expires {new Date(i.expires_at).toLocaleDateString()}</span>
              <button className="link-button" onClick={() => resend.mutate(i.id)}>Resend</button>
              <button className="link-button danger" onClick={() => revoke.mutate(i.id)}>Revoke</button>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog open={open} title="Invite reps" confirmLabel={`Send ${emails.length || ''} invite${emails.length === 1 ? '' : 's'}`}
        busy={send.isPending || emails.length === 0 || tooMany} onCancel={() => setOpen(false)} onConfirm={() => submit()}>
        <form onSubmit={submit}>
          <FormError error={send.error} />
          <TextArea id="invite-emails" label="E-mail addresses" rows={6} value={text}
            onChange={(e) => { setText(e.target.value); setProblem(''); }}
            error={problem || fieldError(send.error, 'emails') || (tooMany
              ? `You have ${free} free seat${free === 1 ? '' : 's'}, so remove ${emails.length - free} address${emails.length - free === 1 ? '' : 'es'} or get more seats first.`
              : undefined)}
            hint={<>Separate with commas or new lines, or paste from your address book. {emails.length} address{emails.length === 1 ? '' : 'es'} found · {free} free seat{free === 1 ? '' : 's'}.</>} />
        </form>
      </ConfirmDialog>
    </section>
  );
}
