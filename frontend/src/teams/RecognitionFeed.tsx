import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field, FormError, fieldError, TextArea } from '../components/Form';
import { competencyKeys, competencyName } from '../catalog/types';
import { submissionID } from './evidence';
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
            <p className="feed-head"><strong>{r.from.name}</strong> recognised <strong>{r.to.name}</strong> <span className="badge badge-brand">{r.kind === 'milestone' ? 'milestone' : 'win'}</span>
              {r.competency && <> <span className="badge badge-muted">{competencyName(r.competency)}</span></>}</p>
            <blockquote>{r.message}</blockquote>
            {r.evidence && (
              <p className="small evidence">
                <strong>Evidence:</strong>{' '}
                {r.evidence.kind === 'pulse' && 'a buyer’s answer to a Buyer Pulse (the answers stay with the rep)'}
                {r.evidence.kind === 'submission' && r.evidence.id && (
                  <Link to={`/practice/submissions/${r.evidence.id}`}>Practice: {r.evidence.title}, reviewed</Link>
                )}
                {r.evidence.kind === 'note' && r.evidence.text}
              </p>
            )}
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
  const [competency, setCompetency] = useState('');
  const [evidence, setEvidence] = useState<'none' | 'pulse' | 'submission' | 'note'>('none');
  const [pulseRef, setPulseRef] = useState('');
  const [submissionRef, setSubmissionRef] = useState('');
  const [note, setNote] = useState('');
  const send = useMutation({
    mutationFn: () =>
      api.POST('/api/v1/teams/{id}/recognitions', {
        params: { path: { id: team.id } },
        body: {
          user_id: to.user_id,
          message,
          kind,
          ...(competency ? { competency: competency as (typeof competencyKeys)[number] } : {}),
          ...(evidence === 'pulse' ? { evidence: { kind: 'pulse' as const, id: pulseRef.trim() } } : {}),
          ...(evidence === 'submission' ? { evidence: { kind: 'submission' as const, id: submissionID(submissionRef) } } : {}),
          ...(evidence === 'note' ? { evidence: { kind: 'note' as const, text: note } } : {}),
        },
      }),
    onSuccess: () => {
      setOpen(false);
      setMessage('');
      qc.invalidateQueries({ queryKey: teamKeys.recognitions(team.id) });
      qc.invalidateQueries({ queryKey: teamKeys.prompts(team.id) });
      qc.invalidateQueries({ queryKey: teamKeys.gaps(team.id) });
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
        {/* The form exists only while its dialog is open: a rep can have several Recognise
            buttons on one page (prompts, gaps, the reps table), and closed forms must not
            duplicate labels. */}
        {open && <form onSubmit={submit}>
          <FormError error={send.error} />
          <TextArea id={`${uid}-msg`} label="What did they do well?" rows={4} required maxLength={500} value={message}
            onChange={(e) => setMessage(e.target.value)} error={fieldError(send.error, 'message')}
            hint="Be specific: what they did and why it mattered. They get it by e-mail too." />
          <fieldset className="fieldset">
            <legend>Kind</legend>
            <label className="check"><input type="radio" name={`${uid}-kind`} checked={kind === 'win'} onChange={() => setKind('win')} /> A win</label>
            <label className="check"><input type="radio" name={`${uid}-kind`} checked={kind === 'milestone'} onChange={() => setKind('milestone')} /> A milestone</label>
          </fieldset>
          <div className="field">
            <label htmlFor={`${uid}-comp`}>Competency it shows (optional)</label>
            <select id={`${uid}-comp`} value={competency} onChange={(e) => setCompetency(e.target.value)}
              aria-invalid={fieldError(send.error, 'competency') ? true : undefined}>
              <option value="">No particular competency</option>
              {competencyKeys.map((k) => <option key={k} value={k}>{competencyName(k)}</option>)}
            </select>
            {fieldError(send.error, 'competency') && <p className="field-error">{fieldError(send.error, 'competency')}</p>}
          </div>
          <fieldset className="fieldset">
            <legend>Evidence (optional)</legend>
            <label className="check"><input type="radio" name={`${uid}-ev`} checked={evidence === 'none'} onChange={() => setEvidence('none')} /> None</label>
            <label className="check"><input type="radio" name={`${uid}-ev`} checked={evidence === 'pulse'} onChange={() => setEvidence('pulse')} /> A Buyer Pulse answer</label>
            <label className="check"><input type="radio" name={`${uid}-ev`} checked={evidence === 'submission'} onChange={() => setEvidence('submission')} /> A reviewed practice attempt</label>
            <label className="check"><input type="radio" name={`${uid}-ev`} checked={evidence === 'note'} onChange={() => setEvidence('note')} /> A note</label>
          </fieldset>
          {evidence === 'pulse' && (
            <Field id={`${uid}-pulse`} label="Pulse reference" required value={pulseRef} onChange={(e) => setPulseRef(e.target.value)}
              error={fieldError(send.error, 'evidence.id')} hint={`${to.name} finds it under each answered pulse on their Buyer Pulse page and shares it with you.`} />
          )}
          {evidence === 'submission' && (
            <Field id={`${uid}-submission`} label="Practice attempt" required value={submissionRef} onChange={(e) => setSubmissionRef(e.target.value)}
              error={fieldError(send.error, 'evidence.id')} hint={`Paste the link of ${to.name}’s reviewed attempt (open it from your review queue).`} />
          )}
          {evidence === 'note' && (
            <TextArea id={`${uid}-note`} label="Note" rows={2} required maxLength={500} value={note} onChange={(e) => setNote(e.target.value)}
              error={fieldError(send.error, 'evidence.text')} hint="What happened, in a sentence: the deal, the call, the result." />
          )}
        </form>}
      </ConfirmDialog>
    </>
  );
}
