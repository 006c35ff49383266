import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { FormError, fieldError, TextArea } from '../components/Form';
import { teamKeys, usePrompts, useRecognitions } from './queries';
import type { Person, RecognitionKind, Team } from './types';

/** RecognitionFeed is the team's wall of recognition, with the manager's prompts to recognise. */
export function RecognitionFeed({ team, manager }: { team: Team; manager: boolean }) {
  const feed = useRecognitions(team.id);
  const prompts = usePrompts(team.id, manager);
  return (
    <section className="section-block" aria-labelledby="feed-title">
      <h2 id="feed-title">Recognition</h2>
      {manager && prompts.data && prompts.data.prompts.length > 0 && (
        <div className="prompts">
          <h3>Worth recognising this week</h3>
          <ul>
            {prompts.data.prompts.map((p) => (
              <li key={`${p.user_id}-${p.reason}-${p.at}`}>
                <span><strong>{p.name}</strong> {p.detail}</span>
                <RecognizeButton team={team} to={{ user_id: p.user_id, name: p.name }} suggestion={p.reason === 'completed_module' ? `Well done finishing ${p.detail.replace(/^completed /, '')}!` : ''} />
              </li>
            ))}
          </ul>
        </div>
      )}
      <FormError error={feed.error} />
      {feed.data && feed.data.recognitions.length === 0 && <p className="muted">No recognition yet. Praise within the week matters: be the first.</p>}
      <ul className="feed">
        {feed.data?.recognitions.map((r) => (
          <li key={r.id} className="feed-item">
            <p className="feed-head"><strong>{r.from.name}</strong> recognised <strong>{r.to.name}</strong> <span className="badge badge-brand">{r.kind === 'milestone' ? 'milestone' : 'win'}</span></p>
            <blockquote>{r.message}</blockquote>
            <span className="small muted">{new Date(r.created_at).toLocaleString()}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** RecognizeButton opens a dialog to send recognition to one teammate. */
export function RecognizeButton({ team, to, suggestion = '' }: { team: Team; to: Person; suggestion?: string }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const uid = useId(); // the same rep can have a button in the prompts and in the reps table
  const [message, setMessage] = useState(suggestion);
  const [kind, setKind] = useState<RecognitionKind>('win');
  const send = useMutation({
    mutationFn: () => api.POST('/api/v1/teams/{id}/recognitions', { params: { path: { id: team.id } }, body: { user_id: to.user_id, message, kind } }),
    onSuccess: () => {
      setOpen(false);
      setMessage('');
      qc.invalidateQueries({ queryKey: teamKeys.recognitions(team.id) });
      qc.invalidateQueries({ queryKey: teamKeys.prompts(team.id) });
    },
  });
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    send.mutate();
  };
  return (
    <>
      <button className="link-button" onClick={() => setOpen(true)}>Recognise<span className="visually-hidden"> {to.name}</span></button>
      <ConfirmDialog open={open} title={`Recognise ${to.name}`} confirmLabel="Send recognition" busy={send.isPending || !message.trim()}
        onCancel={() => setOpen(false)} onConfirm={() => submit()}>
        <form onSubmit={submit}>
          <FormError error={send.error} />
          <TextArea id={`${uid}-msg`} label="What did they do well?" rows={4} required maxLength={500} value={message}
            onChange={(e) => setMessage(e.target.value)} error={fieldError(send.error, 'message')}
            hint="Be specific: what they did and why it mattered. They get it by e-mail too." />
          <fieldset className="fieldset">
            <legend>Kind</legend>
            <label className="check"><input type="radio" name={`${uid}-kind`} checked={kind === 'win'} onChange={() => setKind('win')} /> A win</label>
            <label className="check"><input type="radio" name={`${uid}-kind`} checked={kind === 'milestone'} onChange={() => setKind('milestone')} /> A milestone</label>
          </fieldset>
        </form>
      </ConfirmDialog>
    </>
  );
}
