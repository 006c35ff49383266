import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Line } from 'react-chartjs-2';
import { api } from '../api/client';
import { brand, accent } from '../assess/charts';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field, FormError, fieldError, validateForm } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { accuracyWords, mean, pulseKeys, questions, usePulses, type Pulse, type PulseScores } from './queries';

/** PulsePage is Buyer Pulse for the rep: predict how the buyer felt, send a one-minute link, and
 *  learn how close the reading was. */
export function PulsePage() {
  usePageTitle('Buyer Pulse');
  const list = usePulses();
  const pulses = list.data?.pulses ?? [];
  const summary = list.data?.summary;
  return (
    <div className="container page">
      <div className="page-head">
        <h1>Buyer Pulse</h1>
        <p className="lead">After a meeting, predict how your buyer felt, then ask them in one minute — no account needed. The gap between the two is your read of the room.</p>
      </div>
      <div className="pulse-grid">
        <CreatePulse />
        <section className="panel" aria-labelledby="acc-title">
          <h2 id="acc-title">Your accuracy</h2>
          {summary && summary.responses > 0 && summary.mean_abs_error !== null ? (
            <>
              <p className="pulse-stat">
                <strong>{accuracyWords(summary.mean_abs_error)}</strong> — your predictions were {summary.mean_abs_error.toFixed(2)} points off on average over {summary.responses} {summary.responses === 1 ? 'answer' : 'answers'} (0 is a perfect read).
              </p>
              <AccuracyChart pulses={pulses} />
            </>
          ) : (
            <p className="muted">When buyers answer, you’ll see how your predictions compare, meeting by meeting.</p>
          )}
        </section>
      </div>
      <section className="section-block" aria-labelledby="list-title">
        <h2 id="list-title">Your pulses</h2>
        <FormError error={list.error} />
        {list.data && pulses.length === 0 && <p className="muted">No pulses yet. Send your first after your next meeting.</p>}
        <ul className="pulse-list">
          {pulses.map((p) => (
            <PulseItem key={p.id} pulse={p} />
          ))}
        </ul>
      </section>
    </div>
  );
}

const blank = { clarity: 0, understood: 0, again: 0 };

function CreatePulse() {
  const qc = useQueryClient();
  const uid = useId();
  const [meeting, setMeeting] = useState('');
  const [email, setEmail] = useState('');
  const [pred, setPred] = useState<PulseScores>(blank);
  const [missing, setMissing] = useState(false);
  const [link, setLink] = useState<{ url: string; mailed: boolean } | null>(null);
  const [copied, setCopied] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      api.POST('/api/v1/pulses', { body: { meeting, prediction: pred, ...(email.trim() ? { buyer_email: email.trim() } : {}) } }),
    onSuccess: (p) => {
      setLink({ url: p.link, mailed: !!email.trim() });
      setCopied(false);
      setMeeting('');
      setEmail('');
      setPred(blank);
      qc.invalidateQueries({ queryKey: pulseKeys.mine });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const chosen = questions.every((q) => pred[q.id] > 0);
    setMissing(!chosen);
    if (!validateForm(e) || !chosen) return;
    create.mutate();
  };
  const copy = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="new-title">
      <h2 id="new-title">Ask a buyer</h2>
      {link && (
        <div className="alert alert-success" role="status">
          <p>{link.mailed ? 'We e-mailed the link to your buyer (their address is not kept). You can also share it yourself:' : 'Your link is ready. Send it to your buyer:'}</p>
          <div className="pulse-link">
            <input aria-label="Link for your buyer" readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" className="button button-small" onClick={copy}>{copied ? 'Copied' : 'Copy link'}</button>
          </div>
        </div>
      )}
      <form onSubmit={submit} noValidate>
        <FormError error={create.error} />
        <Field label="Meeting" required maxLength={120} value={meeting} onChange={(e) => setMeeting(e.target.value)}
          placeholder="Discovery call with Acme" error={fieldError(create.error, 'meeting')} hint="The buyer sees this name." />
        <p className="hint">Your prediction: how will the buyer answer?</p>
        {questions.map((q) => (
          <fieldset key={q.id} className="scale">
            <legend>{q.rep}</legend>
            <div className="scale-options">
              {[1, 2, 3, 4, 5].map((v) => (
                <label key={v} className={pred[q.id] === v ? 'scale-option selected' : 'scale-option'}>
                  <input type="radio" name={`${uid}-${q.id}`} value={v} checked={pred[q.id] === v}
                    onChange={() => setPred({ ...pred, [q.id]: v })} />
                  <span className="scale-num" aria-hidden="true">{v}</span>
                  <span className="scale-label">{v === 1 ? q.low : v === 5 ? q.high : <span className="visually-hidden">{v}</span>}</span>
                </label>
              ))}
            </div>
            {(fieldError(create.error, `prediction.${q.id}`) || (missing && !pred[q.id])) && (
              <p className="field-error">{fieldError(create.error, `prediction.${q.id}`) ?? 'Choose a number from 1 to 5.'}</p>
            )}
          </fieldset>
        ))}
        <Field label="Buyer’s e-mail (optional)" type="email" maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)}
          error={fieldError(create.error, 'buyer_email')} hint="We send the link once and don’t keep the address. Leave it empty to copy the link instead." />
        <div className="form-actions">
          <button className="button" type="submit" disabled={create.isPending}>Create pulse</button>
        </div>
      </form>
    </section>
  );
}

const statusWords: Record<Pulse['status'], string> = { waiting: 'Waiting', answered: 'Answered', expired: 'Expired' };

function PulseItem({ pulse: p }: { pulse: Pulse }) {
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const del = useMutation({
    mutationFn: () => api.DELETE('/api/v1/pulses/{id}', { params: { path: { id: p.id } } }),
    onSuccess: () => {
      setConfirm(false);
      qc.invalidateQueries({ queryKey: pulseKeys.mine });
    },
  });
  const r = p.response;
  return (
    <li className="panel pulse-item">
      <div className="pulse-head">
        <h3>{p.meeting}</h3>
        <span className={`badge ${p.status === 'answered' ? 'badge-done' : p.status === 'expired' ? 'badge-muted' : 'badge-brand'}`}>{statusWords[p.status]}</span>
      </div>
      <p className="small muted">
        Sent {new Date(p.created_at).toLocaleDateString()}
        {p.status === 'waiting' && <> · open until {new Date(p.expires_at).toLocaleDateString()}</>}
        {r && <> · answered {new Date(r.answered_at).toLocaleDateString()}</>}
      </p>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Your prediction{r ? ' and the buyer’s answer' : ''} for {p.meeting}</caption>
          <thead>
            <tr><th scope="col">Question</th><th scope="col">You predicted</th>{r && <th scope="col">Buyer said</th>}</tr>
          </thead>
          <tbody>
            {questions.map((q) => (
              <tr key={q.id}>
                <th scope="row">{q.rep}</th>
                <td>{p.prediction[q.id]}</td>
                {r && <td>{r[q.id]}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {p.accuracy && <p><strong>{accuracyWords(p.accuracy.mean_abs_error)}</strong> <span className="muted">({p.accuracy.mean_abs_error.toFixed(2)} points off on average)</span></p>}
      {r && (
        <p className="small muted">
          Pulse reference <code className="mono">{p.id}</code> — share it with your manager to attach this answer as evidence when they recognise you. They see the scores’ source, never your buyer’s comment.
        </p>
      )}
      {r?.comment && (
        <figure className="pulse-comment">
          <blockquote>{r.comment}</blockquote>
          <figcaption className="small muted">The buyer’s comment — only you see it.</figcaption>
        </figure>
      )}
      <FormError error={del.error} />
      <button type="button" className="link-button" onClick={() => setConfirm(true)}>Delete<span className="visually-hidden"> {p.meeting}</span></button>
      <ConfirmDialog open={confirm} title="Delete this pulse?" confirmLabel="Delete pulse" busy={del.isPending}
        onCancel={() => setConfirm(false)} onConfirm={() => del.mutate()}>
        <p>“{p.meeting}” and {r ? 'the buyer’s answer' : 'its link'} will be gone for good{r ? '' : ': the buyer can no longer answer'}.</p>
      </ConfirmDialog>
    </li>
  );
}

/** AccuracyChart plots, for every answered pulse in time order, the mean of the rep's prediction
 *  against the mean of the buyer's answer. */
function AccuracyChart({ pulses }: { pulses: Pulse[] }) {
  const answered = pulses.filter((p) => p.response).slice().reverse();
  return (
    <div className="line-box pulse-chart">
      <Line
        role="img"
        aria-label={`Predicted versus actual over ${answered.length} answered pulses: ${answered
          .map((p) => `${p.meeting}, predicted ${mean(p.prediction)}, actual ${mean(p.response!)}`)
          .join('; ')}`}
        data={{
          labels: answered.map((p) => new Date(p.response!.answered_at).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })),
          datasets: [
            { label: 'You predicted', data: answered.map((p) => mean(p.prediction)), borderColor: accent, backgroundColor: accent, borderDash: [6, 4], tension: 0.25 },
            { label: 'Buyer said', data: answered.map((p) => mean(p.response!)), borderColor: brand, backgroundColor: brand, tension: 0.25 },
          ],
        }}
        options={{ maintainAspectRatio: false, scales: { y: { min: 1, max: 5, ticks: { stepSize: 1 } } }, plugins: { legend: { display: true, position: 'bottom' } } }}
      />
    </div>
  );
}
