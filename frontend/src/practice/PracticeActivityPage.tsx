import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import { competencyName } from '../catalog/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { LessonHtml } from '../media/LessonHtml';
import { NotFound } from '../pages/NotFound';
import { useTeams } from '../teams/queries';
import { criterionError, otherFieldErrors, responseError, scoreFieldFor } from './errors';
import { fromScores, kindWords, limitWords, missingCriteria, reviewerMean, scoreFor, statusWords, toScores } from './format';
import { Player } from './Player';
import { practiceKeys, useAttempts, usePracticeActivity, type PracticeActivity, type Submission } from './queries';
import { Recorder } from './Recorder';
import { RubricGuide, RubricScorer } from './Rubric';
import { TextAnswer } from './TextAnswer';
import { uploadRecording } from './upload';

/** PracticeActivityPage is one activity: the brief, the buyer's line, the rubric as what good looks
 *  like, the learner's attempt (record or write, then score yourself and submit) and their
 *  attempts side by side. */
export function PracticeActivityPage() {
  const { slug = '' } = useParams();
  const activity = usePracticeActivity(slug);
  const a = activity.data;
  usePageTitle(a?.title ?? 'Practice');
  const locked = activity.error instanceof ApiError && activity.error.status === 402;
  const attempts = useAttempts(slug, !!a);
  const [sent, setSent] = useState<Submission | null>(null);

  if (activity.error instanceof ApiError && activity.error.status === 404) return <NotFound />;
  if (locked) {
    return (
      <div className="container page narrow">
        <p>
          <Link to="/practice">← Practice</Link>
        </p>
        <section className="panel">
          <h1>This activity is part of premium practice</h1>
          <p>Practice with manager feedback is included with a subscription or a seat on a team. The first activity of the free module is open to everyone.</p>
          <div className="form-actions">
            <Link className="button" to="/pricing">
              See pricing
            </Link>
            <Link to="/practice">Back to the activities</Link>
          </div>
        </section>
      </div>
    );
  }
  if (!a) {
    return (
      <div className="container page">
        <FormError error={activity.error} />
        {activity.isLoading && <p aria-busy="true">Loading the activity…</p>}
      </div>
    );
  }

  const list = attempts.data?.submissions ?? [];
  const draft = list.find((s) => s.status === 'draft');
  const done = list.filter((s) => s.status !== 'draft');

  return (
    <div className="container page practice-page">
      <p>
        <Link to="/practice">← Practice</Link>
      </p>
      <div className="page-head">
        <div>
          <p className="eyebrow">
            {kindWords[a.kind]} · {limitWords(a.time_limit_seconds)}
          </p>
          <h1>{a.title}</h1>
          <ul className="chips" aria-label="Builds">
            {a.competencies.map((c) => (
              <li key={c} className="chip">
                {competencyName(c)}
              </li>
            ))}
          </ul>
        </div>
      </div>

      <section className="practice-brief" aria-labelledby="brief-title">
        <h2 id="brief-title" className="visually-hidden">
          The brief
        </h2>
        <LessonHtml html={a.brief_html} className="prose" />
      </section>

      {a.buyer_media_url && <BuyerLine activity={a} />}

      <section className="panel rubric-panel" aria-labelledby="rubric-title">
        <h2 id="rubric-title">What good looks like</h2>
        <p className="muted small">You and your reviewers score each of these from 1 to 5.</p>
        <RubricGuide rubric={a.rubric} />
      </section>

      <section className="panel practice-attempt" aria-labelledby="attempt-title">
        <h2 id="attempt-title">{draft ? `Your attempt${draft.attempt > 1 ? ` (attempt ${draft.attempt})` : ''}` : 'Your turn'}</h2>
        <FormError error={attempts.error} />
        {draft ? (
          <DraftPanel key={draft.id} activity={a} draft={draft} onSent={setSent} />
        ) : (
          attempts.data && <StartPanel activity={a} latest={done[0]} sent={sent} />
        )}
      </section>

      {done.length > 0 && <Attempts activity={a} attempts={done} />}
    </div>
  );
}

function BuyerLine({ activity: a }: { activity: PracticeActivity }) {
  const url = a.buyer_media_url!;
  return (
    <section className="panel buyer-line" aria-labelledby="buyer-title">
      <h2 id="buyer-title">The buyer’s line</h2>
      <p className="muted small">Watch or listen first, then respond as if you were in the room.</p>
      {a.buyer_media_kind === 'video' && <video className="practice-player" src={url} controls playsInline preload="metadata" aria-label="The buyer’s line" />}
      {a.buyer_media_kind === 'audio' && <audio className="practice-player practice-player-audio" src={url} controls preload="metadata" aria-label="The buyer’s line" />}
      {a.buyer_media_kind === 'image' && <img className="practice-image" src={url} alt="The buyer’s line" />}
      {(a.buyer_media_kind === 'document' || !a.buyer_media_kind) && (
        <a href={url} target="_blank" rel="noreferrer">
          Open the buyer’s line
        </a>
      )}
    </section>
  );
}

function StartPanel({ activity: a, latest, sent }: { activity: PracticeActivity; latest?: Submission; sent: Submission | null }) {
  const qc = useQueryClient();
  const teams = useTeams();
  const onTeam = (teams.data?.teams ?? []).some((t) => t.is_learner);
  const start = useMutation({
    mutationFn: () => api.POST('/api/v1/practice/{slug}/submissions', { params: { path: { slug: a.slug } } }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: practiceKeys.attempts(a.slug) });
      qc.invalidateQueries({ queryKey: practiceKeys.list });
    },
  });
  return (
    <>
      {sent && (
        <FocusOnMount className="alert alert-success practice-sent">
          <p>
            <strong>Sent to your manager.</strong>{' '}
            {onTeam
              ? 'Your managers have an e-mail with a link to review it. They score it without seeing your own scores, and you’ll see their review here.'
              : 'You’re not on a team yet, so no manager was told. Join your team to have it reviewed.'}
          </p>
          <p>
            <Link to={`/practice/submissions/${sent.id}`}>Open your submitted attempt</Link> to invite teammates as peer reviewers.
          </p>
        </FocusOnMount>
      )}
      {latest && !sent && (
        <p>
          Your latest attempt (attempt {latest.attempt}) is <strong>{statusWords[latest.status].toLowerCase()}</strong>.{' '}
          {latest.status === 'reviewed' ? 'Compare it with earlier attempts below, then try again.' : 'You can try again while you wait.'}
        </p>
      )}
      {!latest && !sent && (
        <p>
          {a.kind === 'text'
            ? `Write your answer, score yourself against the rubric, then send it for review.`
            : `Record your answer (up to ${limitWords(a.time_limit_seconds)}), score yourself against the rubric, then send it for review. You can also write your answer instead.`}
        </p>
      )}
      <FormError error={start.error} />
      <div className="form-actions">
        <button type="button" className="button" onClick={() => start.mutate()} disabled={start.isPending}>
          {latest ? 'Try again' : 'Start your attempt'}
        </button>
      </div>
    </>
  );
}

/** FocusOnMount is a status message that takes focus once when it appears, so a keyboard or screen
 *  reader user lands on the outcome of what they just did. */
function FocusOnMount({ className, children }: { className: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div ref={ref} className={className} role="status" tabIndex={-1}>
      {children}
    </div>
  );
}

type Mode = 'record' | 'write';

function DraftPanel({ activity: a, draft, onSent }: { activity: PracticeActivity; draft: Submission; onSent: (s: Submission) => void }) {
  const qc = useQueryClient();
  const recordable = a.kind !== 'text';
  const [mode, setMode] = useState<Mode>(!recordable || (draft.text && !draft.has_recording) ? 'write' : 'record');
  const [rerecording, setRerecording] = useState(false);
  const [text, setText] = useState(draft.text ?? '');
  const [scores, setScores] = useState<Record<string, number>>(fromScores(draft.self_review?.scores));
  const [note, setNote] = useState(draft.self_review?.note ?? '');
  const [checked, setChecked] = useState(false);
  const [recording, setRecording] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [saved, setSaved] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const id = draft.id;
  const path = { params: { path: { id } } };

  const refresh = () => {
    qc.invalidateQueries({ queryKey: practiceKeys.attempts(a.slug) });
    qc.invalidateQueries({ queryKey: practiceKeys.list });
  };

  const hasResponse = mode === 'write' ? text.trim().length > 0 : draft.has_recording && !rerecording;
  const missing = missingCriteria(a.rubric, scores);

  const saveParts = async () => {
    if (mode === 'write' && text.trim() && text !== (draft.text ?? '')) await api.PUT('/api/v1/submissions/{id}/text', { ...path, body: { text } });
    await api.PUT('/api/v1/submissions/{id}/self-review', { ...path, body: { scores: toScores(a.rubric, scores), ...(note.trim() ? { note } : {}) } });
  };

  const save = useMutation({
    mutationFn: saveParts,
    onSuccess: () => {
      setSaved(true);
      refresh();
    },
  });
  const submit = useMutation({
    mutationFn: async () => {
      await saveParts();
      return api.POST('/api/v1/submissions/{id}/submit', path);
    },
    onSuccess: (s) => {
      onSent(s);
      refresh();
    },
  });
  const discard = useMutation({
    mutationFn: () => api.DELETE('/api/v1/submissions/{id}', path),
    onSuccess: () => {
      setConfirmDiscard(false);
      refresh();
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    setSaved(false);
    if (!hasResponse || missing.length > 0) {
      // Focus the first thing to fix: the answer, or the first criterion without a score.
      const target = !hasResponse
        ? form.current?.querySelector<HTMLElement>('.practice-response [aria-invalid="true"], .practice-response button, .practice-response textarea')
        : form.current?.querySelector<HTMLElement>(`fieldset[data-criterion="${missing[0].id}"] input`);
      target?.focus();
      return;
    }
    submit.mutate();
  };

  const err = submit.error ?? save.error;
  const responseProblem =
    responseError(err) ??
    (checked && !hasResponse ? (mode === 'write' ? 'Write your answer before you submit.' : 'Record your answer (and choose “Use this recording”) before you submit.') : undefined);
  const others = otherFieldErrors(err, (f) => a.rubric.some((c) => scoreFieldFor(f, c.id)) || f === 'recording' || f === 'text');
  const onBusy = useCallback((b: boolean) => setRecording(b), []);

  return (
    <form ref={form} onSubmit={onSubmit} noValidate className="practice-draft">
      <h3 className="practice-step">1. Your answer</h3>
      <div className="practice-response">
        {mode === 'record' && (
          <>
            {draft.has_recording && !rerecording && draft.recording_url ? (
              <div className="recorder-take">
                <Player src={draft.recording_url} kind={a.kind === 'audio' ? 'audio' : 'video'} label="Your saved recording" />
                <p className="saved">Recording saved{draft.duration_seconds ? ` (${Math.round(draft.duration_seconds)} s)` : ''}.</p>
                <div className="form-actions">
                  <button type="button" className="button button-secondary" onClick={() => setRerecording(true)}>
                    Record again
                  </button>
                </div>
              </div>
            ) : (
              <Recorder
                kind={a.kind === 'audio' ? 'audio' : 'video'}
                limitSeconds={a.time_limit_seconds}
                upload={(blob, type, seconds, onProgress) => uploadRecording(id, blob, type, seconds, onProgress)}
                onUploaded={() => {
                  setRerecording(false);
                  refresh();
                }}
                onWriteInstead={() => setMode('write')}
                onBusy={onBusy}
              />
            )}
          </>
        )}
        {mode === 'write' && (
          <>
            <TextAnswer
              value={text}
              onChange={setText}
              label={recordable ? 'Your answer, written' : 'Your answer'}
              hint={recordable ? 'Write what you would say, in your own words, as you would say it to the buyer.' : 'Write your answer as you would send or say it.'}
              error={responseProblem}
            />
            {recordable && (
              <p>
                <button type="button" className="link-button" onClick={() => setMode('record')}>
                  Record my answer instead
                </button>
              </p>
            )}
          </>
        )}
        {mode === 'record' && responseProblem && (
          <p className="field-error" role="alert">
            {responseProblem}
          </p>
        )}
      </div>

      <h3 className="practice-step">2. Score yourself</h3>
      <p className="muted small">Be honest: your manager scores the same rubric without seeing yours, and the gap between the two is part of what you learn.</p>
      <RubricScorer
        rubric={a.rubric}
        scores={scores}
        onChange={(c, v) => {
          setScores((s) => ({ ...s, [c]: v }));
          setSaved(false);
        }}
        errorFor={(c) => criterionError(err, c) ?? (checked && !(scores[c] >= 1) ? 'Choose a score from 1 to 5.' : undefined)}
      />
      <div className="field">
        <label htmlFor={`${id}-note`}>What did you notice about your attempt? (optional)</label>
        <textarea id={`${id}-note`} rows={3} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>

      <FormError error={err} />
      {others.length > 0 && (
        <ul className="field-error">
          {others.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
      {checked && (missing.length > 0 || !hasResponse) && (
        <div className="alert alert-error" role="alert">
          Before you submit: {[!hasResponse && (mode === 'write' ? 'write your answer' : 'record your answer'), missing.length > 0 && `score ${missing.length === 1 ? '1 more criterion' : `${missing.length} more criteria`}`].filter(Boolean).join(' and ')}.
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button" disabled={submit.isPending || recording}>
          {submit.isPending ? 'Sending…' : 'Submit for review'}
        </button>
        <button type="button" className="button button-secondary" onClick={() => save.mutate()} disabled={save.isPending || recording}>
          Save for later
        </button>
        {saved && (
          <span className="saved" role="status">
            Saved
          </span>
        )}
        <span className="nav-spacer" />
        <button type="button" className="link-button" onClick={() => setConfirmDiscard(true)}>
          Discard this attempt
        </button>
      </div>
      <FormError error={discard.error} />
      <ConfirmDialog
        open={confirmDiscard}
        title="Discard this attempt?"
        confirmLabel="Discard attempt"
        busy={discard.isPending}
        onCancel={() => setConfirmDiscard(false)}
        onConfirm={() => discard.mutate()}
      >
        <p>Your recording or written answer and your scores for this attempt are deleted for good.</p>
      </ConfirmDialog>
    </form>
  );
}

/** Attempts sets the learner's submitted attempts side by side, oldest first: per criterion their
 *  own score against the reviewers'. */
function Attempts({ activity: a, attempts }: { activity: PracticeActivity; attempts: Submission[] }) {
  const ordered = attempts.slice().sort((x, y) => x.attempt - y.attempt);
  return (
    <section className="section-block" aria-labelledby="attempts-title">
      <h2 id="attempts-title">Your attempts side by side</h2>
      <p className="muted small">Your score, then the reviewers’ average, per criterion. Reviews appear when they are submitted.</p>
      <div className="table-wrap">
        <table className="table attempts-table">
          <caption className="visually-hidden">Self-scores and reviewer scores per criterion for each attempt</caption>
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              {ordered.map((s) => (
                <th scope="col" key={s.id}>
                  Attempt {s.attempt}
                  <span className="attempt-when">{s.submitted_at ? new Date(s.submitted_at).toLocaleDateString() : ''}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {a.rubric.map((c) => (
              <tr key={c.id}>
                <th scope="row">{c.criterion}</th>
                {ordered.map((s) => {
                  const mine = scoreFor(s.self_review?.scores, c.id);
                  const theirs = reviewerMean(s.reviews, c.id);
                  return (
                    <td key={s.id}>
                      <span className="attempt-score">You {mine ?? '–'}</span>
                      <span className="attempt-score muted"> · Reviewers {theirs ?? '–'}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
            <tr>
              <th scope="row">Status</th>
              {ordered.map((s) => (
                <td key={s.id}>
                  {statusWords[s.status]}
                  {s.reviews.length > 0 && <span className="muted small"> · {s.reviews.length === 1 ? '1 review' : `${s.reviews.length} reviews`}</span>}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      <ul className="attempt-links">
        {ordered.map((s) => (
          <li key={s.id}>
            <Link to={`/practice/submissions/${s.id}`}>
              {s.status === 'reviewed' ? 'See the review of' : 'Open'} attempt {s.attempt}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
