import { useCallback, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { NotFound } from '../pages/NotFound';
import { criterionError, otherFieldErrors, scoreFieldFor } from './errors';
import { fromScores, missingCriteria, scoreFor, statusBadge, statusWords, toScores } from './format';
import { PeerInvite } from './PeerInvite';
import { Player, type PlayerHandle } from './Player';
import { practiceKeys, useSubmission, type Review, type ReviewComment, type Submission } from './queries';
import { formatClock } from './recorder';
import { RubricScorer, ScoresCompare } from './Rubric';

/** SubmissionPage is one attempt: its owner sees their answer, self-review and the reviews; a
 *  manager or invited peer reviews it blind, and sees the rep's self-score only once they submit. */
export function SubmissionPage() {
  const { id = '' } = useParams();
  const q = useSubmission(id);
  const s = q.data;
  usePageTitle(s ? (s.viewer_role === 'owner' ? `${s.activity_title}: attempt ${s.attempt}` : `Review: ${s.activity_title}`) : 'Practice');
  if (q.error instanceof ApiError && q.error.status === 404) return <NotFound />;
  if (!s) {
    return (
      <div className="container page">
        <FormError error={q.error} />
        {q.isLoading && <p aria-busy="true">Loading the attempt…</p>}
      </div>
    );
  }
  return s.viewer_role === 'owner' ? <OwnerView s={s} /> : <ReviewerView s={s} />;
}

/** Answer shows the recording (or the written answer) with a handle for seeking. */
function Answer({ s, player, onTime, label }: { s: Submission; player?: RefObject<PlayerHandle | null>; onTime?: (t: number) => void; label: string }) {
  if (s.recording_url) {
    const kind = s.kind === 'audio' || s.recording_content_type?.startsWith('audio/') ? 'audio' : 'video';
    return <Player ref={player} src={s.recording_url} kind={kind} label={label} onTime={onTime} />;
  }
  if (s.text) return <blockquote className="practice-written">{s.text}</blockquote>;
  return <p className="muted">No answer was saved.</p>;
}

/** Comments lists a review's comments; a stamped one seeks the player to its moment. */
function Comments({ comments, onSeek, onRemove }: { comments: ReviewComment[]; onSeek?: (t: number) => void; onRemove?: (i: number) => void }) {
  if (comments.length === 0) return null;
  const ordered = comments.map((c, i) => ({ c, i })).sort((x, y) => (x.c.at_seconds ?? Infinity) - (y.c.at_seconds ?? Infinity));
  return (
    <ul className="practice-comments">
      {ordered.map(({ c, i }) => (
        <li key={i}>
          {c.at_seconds !== undefined && c.at_seconds !== null ? (
            onSeek ? (
              <button type="button" className="cue-time" onClick={() => onSeek(c.at_seconds!)} aria-label={`Play from ${formatClock(c.at_seconds)}`}>
                {formatClock(c.at_seconds)}
              </button>
            ) : (
              <span className="cue-time">{formatClock(c.at_seconds)}</span>
            )
          ) : (
            <span className="muted small">General</span>
          )}
          <span className="practice-comment-text">{c.text}</span>
          {onRemove && (
            <button type="button" className="link-button small" onClick={() => onRemove(i)}>
              Remove<span className="visually-hidden"> the comment “{c.text}”</span>
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

function Head({ s, kicker }: { s: Submission; kicker: string }) {
  return (
    <>
      <p>
        {s.viewer_role === 'owner' ? <Link to={`/practice/${s.activity_slug}`}>← {s.activity_title}</Link> : <Link to="/practice/reviews">← Reviews</Link>}
      </p>
      <div className="page-head">
        <div>
          <p className="eyebrow">{kicker}</p>
          <h1>{s.viewer_role === 'owner' ? `${s.activity_title}: attempt ${s.attempt}` : s.activity_title}</h1>
          <p className="muted">
            {s.viewer_role === 'owner' ? 'Your attempt' : `${s.owner.name}, attempt ${s.attempt}`}
            {s.submitted_at && <> · submitted {new Date(s.submitted_at).toLocaleDateString()}</>}
          </p>
        </div>
        <span className={statusBadge(s.status)}>{statusWords[s.status]}</span>
      </div>
    </>
  );
}

function ReviewBlock({ s, r, onSeek }: { s: Submission; r: Review; onSeek: (t: number) => void }) {
  return (
    <article className="panel practice-review">
      <h3>
        {r.reviewer.name} <span className="muted small">· {r.role === 'manager' ? 'manager' : 'peer'}{r.submitted_at && <>, {new Date(r.submitted_at).toLocaleDateString()}</>}</span>
      </h3>
      {r.scores && (
        <ScoresCompare rubric={s.rubric} self={s.self_review?.scores} reviews={[r]} caption={`Your self-score against ${r.reviewer.name}’s score per criterion`} reviewerLabel={r.reviewer.name} />
      )}
      {r.summary && <p className="practice-summary">{r.summary}</p>}
      <Comments comments={r.comments ?? []} onSeek={onSeek} />
    </article>
  );
}

function OwnerView({ s }: { s: Submission }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const player = useRef<PlayerHandle>(null);
  const [confirm, setConfirm] = useState(false);
  const del = useMutation({
    mutationFn: () => api.DELETE('/api/v1/submissions/{id}', { params: { path: { id: s.id } } }),
    onSuccess: () => {
      qc.removeQueries({ queryKey: practiceKeys.submission(s.id) });
      qc.invalidateQueries({ queryKey: practiceKeys.attempts(s.activity_slug) });
      qc.invalidateQueries({ queryKey: practiceKeys.list });
      navigate(`/practice/${s.activity_slug}`);
    },
  });
  const seek = (t: number) => player.current?.seek(t);
  return (
    <div className="container page practice-page">
      <Head s={s} kicker="Practice" />
      {s.status === 'draft' && (
        <div className="alert alert-info">
          This attempt is still a draft. <Link to={`/practice/${s.activity_slug}`}>Finish and submit it</Link>.
        </div>
      )}
      <section aria-labelledby="answer-title">
        <h2 id="answer-title">Your answer</h2>
        <Answer s={s} player={player} label="Your recording" />
      </section>
      <section className="section-block" aria-labelledby="reviews-title">
        <h2 id="reviews-title">Reviews</h2>
        {s.reviews.length === 0 ? (
          <p className="muted">{s.status === 'draft' ? 'Reviews come once you submit.' : 'Waiting for review. Your managers were e-mailed a link; you’ll see their scores and comments here.'}</p>
        ) : (
          s.reviews.map((r, i) => <ReviewBlock key={`${r.reviewer.id}-${i}`} s={s} r={r} onSeek={seek} />)
        )}
        {s.self_review?.note && (
          <p className="small">
            <strong>Your note:</strong> {s.self_review.note}
          </p>
        )}
        {s.reviews.length === 0 && s.self_review && (
          <ul className="practice-self-list">
            {s.rubric.map((c) => (
              <li key={c.id}>
                {c.criterion}: <strong>{scoreFor(s.self_review?.scores, c.id) ?? '–'}</strong>
              </li>
            ))}
          </ul>
        )}
        {s.status !== 'draft' && (
          <p>
            <Link className="button" to={`/practice/${s.activity_slug}`}>
              Try again
            </Link>
          </p>
        )}
      </section>
      {s.status !== 'draft' && <PeerInvite submission={s} />}
      <section className="section-block" aria-labelledby="delete-title">
        <h2 id="delete-title" className="section-title-sm">
          Delete this attempt
        </h2>
        <p className="muted small">Deletes the recording or text, your scores and every review of it, for good.</p>
        <FormError error={del.error} />
        <button type="button" className="button button-danger" onClick={() => setConfirm(true)}>
          Delete attempt {s.attempt}
        </button>
      </section>
      <ConfirmDialog open={confirm} title={`Delete attempt ${s.attempt}?`} confirmLabel="Delete attempt" busy={del.isPending} onCancel={() => setConfirm(false)} onConfirm={() => del.mutate()}>
        <p>The recording and every review of it are deleted from Rapport for good. Reviewers lose access at once.</p>
      </ConfirmDialog>
    </div>
  );
}

function ReviewerView({ s }: { s: Submission }) {
  const submitted = !!s.my_review?.submitted_at;
  const player = useRef<PlayerHandle>(null);
  const seek = (t: number) => player.current?.seek(t);
  return (
    <div className="container page practice-page">
      <Head s={s} kicker={s.viewer_role === 'manager' ? 'Review as manager' : 'Review as peer'} />
      {submitted ? (
        <AfterReview s={s} player={player} seek={seek} />
      ) : (
        <ReviewForm s={s} player={player} />
      )}
      {s.viewer_role === 'manager' && s.status !== 'draft' && <PeerInvite submission={s} />}
    </div>
  );
}

function AfterReview({ s, player, seek }: { s: Submission; player: RefObject<PlayerHandle | null>; seek: (t: number) => void }) {
  const mine = s.my_review!;
  const others = s.reviews.filter((r) => r.reviewer.id !== mine.reviewer.id);
  return (
    <>
      <div className="alert alert-success" role="status">
        Review sent. {s.owner.name} can see it now.
      </div>
      <section aria-labelledby="answer-title">
        <h2 id="answer-title">The answer</h2>
        <Answer s={s} player={player} label={`${s.owner.name}’s recording`} />
      </section>
      <section className="section-block" aria-labelledby="gap-title">
        <h2 id="gap-title">Your scores against {s.owner.name}’s own</h2>
        <p className="muted small">The gap is the self-score minus yours: above zero, {s.owner.name} rated themself higher than you observed.</p>
        <ScoresCompare rubric={s.rubric} self={s.self_review?.scores} reviews={[mine]} caption={`${s.owner.name}’s self-score against your score per criterion, with the gap`} reviewerLabel="Your score" />
        {s.self_review?.note && (
          <p className="small">
            <strong>{s.owner.name}’s note:</strong> {s.self_review.note}
          </p>
        )}
        {mine.summary && <p className="practice-summary">{mine.summary}</p>}
        <Comments comments={mine.comments ?? []} onSeek={seek} />
      </section>
      {others.length > 0 && (
        <section className="section-block" aria-labelledby="others-title">
          <h2 id="others-title">Other reviews</h2>
          {others.map((r, i) => (
            <ReviewBlock key={`${r.reviewer.id}-${i}`} s={s} r={r} onSeek={seek} />
          ))}
        </section>
      )}
    </>
  );
}

function ReviewForm({ s, player }: { s: Submission; player: RefObject<PlayerHandle | null> }) {
  const qc = useQueryClient();
  const uid = useId();
  const [now, setNow] = useState(0);
  const [draftComment, setDraftComment] = useState('');
  const [comments, setComments] = useState<ReviewComment[]>(s.my_review?.comments ?? []);
  const [scores, setScores] = useState<Record<string, number>>(fromScores(s.my_review?.scores));
  const [summary, setSummary] = useState(s.my_review?.summary ?? '');
  const [checked, setChecked] = useState(false);
  const [saved, setSaved] = useState(false);
  const [commentProblem, setCommentProblem] = useState('');
  const form = useRef<HTMLFormElement>(null);
  const path = { params: { path: { id: s.id } } };
  const recorded = !!s.recording_url;
  const onTime = useCallback((t: number) => setNow(t), []);

  const body = () => ({ scores: toScores(s.rubric, scores), comments, ...(summary.trim() ? { summary } : {}) });
  const save = useMutation({
    mutationFn: () => api.PUT('/api/v1/submissions/{id}/reviews/mine', { ...path, body: body() }),
    onSuccess: () => {
      setSaved(true);
      qc.invalidateQueries({ queryKey: practiceKeys.queue });
    },
  });
  const submit = useMutation({
    mutationFn: async () => {
      await api.PUT('/api/v1/submissions/{id}/reviews/mine', { ...path, body: body() });
      return api.POST('/api/v1/submissions/{id}/reviews/mine/submit', path);
    },
    onSuccess: (after) => {
      qc.setQueryData(practiceKeys.submission(s.id), after);
      qc.invalidateQueries({ queryKey: practiceKeys.queue });
      window.scrollTo({ top: 0 });
    },
  });

  const addComment = () => {
    const text = draftComment.trim();
    if (!text) {
      setCommentProblem('Write the comment first.');
      return;
    }
    setCommentProblem('');
    const at = recorded ? Math.round(now * 10) / 10 : undefined;
    setComments((c) => [...c, at === undefined ? { text } : { at_seconds: at, text }]);
    setDraftComment('');
    setSaved(false);
  };

  const missing = missingCriteria(s.rubric, scores);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    setSaved(false);
    if (missing.length > 0) {
      form.current?.querySelector<HTMLElement>(`fieldset[data-criterion="${missing[0].id}"] input`)?.focus();
      return;
    }
    submit.mutate();
  };
  const err = submit.error ?? save.error;
  const others = otherFieldErrors(err, (f) => s.rubric.some((c) => scoreFieldFor(f, c.id)));

  return (
    <form ref={form} onSubmit={onSubmit} noValidate>
      <p className="alert alert-info">
        You review blind: {s.owner.name}’s own scores and other reviewers’ scores appear once you submit yours, so they cannot sway you.
      </p>
      <section aria-labelledby="answer-title">
        <h2 id="answer-title">The answer</h2>
        <Answer s={s} player={player} onTime={onTime} label={`${s.owner.name}’s recording`} />
      </section>

      <section className="section-block" aria-labelledby={`${uid}-comments`}>
        <h2 id={`${uid}-comments`}>Comments</h2>
        <p className="muted small">
          {recorded ? 'Pause where something happens, write what you noticed, and stamp it with that moment. Select a time to play from there.' : 'Note what you noticed in the answer.'}
        </p>
        <div className="field">
          <label htmlFor={`${uid}-comment`}>Comment</label>
          <textarea
            id={`${uid}-comment`}
            rows={2}
            maxLength={1000}
            value={draftComment}
            onChange={(e) => setDraftComment(e.target.value)}
            aria-invalid={commentProblem ? true : undefined}
            aria-describedby={commentProblem ? `${uid}-comment-err` : undefined}
          />
          {commentProblem && (
            <p className="field-error" id={`${uid}-comment-err`}>
              {commentProblem}
            </p>
          )}
        </div>
        <div className="form-actions">
          <button type="button" className="button button-secondary" onClick={addComment}>
            {recorded ? `Add comment at ${formatClock(now)}` : 'Add comment'}
          </button>
        </div>
        <Comments
          comments={comments}
          onSeek={(t) => player.current?.seek(t)}
          onRemove={(i) => {
            setComments((c) => c.filter((_, j) => j !== i));
            setSaved(false);
          }}
        />
      </section>

      <section className="section-block" aria-labelledby={`${uid}-scores`}>
        <h2 id={`${uid}-scores`}>Scores</h2>
        <RubricScorer
          rubric={s.rubric}
          scores={scores}
          onChange={(c, v) => {
            setScores((x) => ({ ...x, [c]: v }));
            setSaved(false);
          }}
          errorFor={(c) => criterionError(err, c) ?? (checked && !(scores[c] >= 1) ? 'Choose a score from 1 to 5.' : undefined)}
        />
        <div className="field">
          <label htmlFor={`${uid}-summary`}>Summary for {s.owner.name} (optional)</label>
          <textarea id={`${uid}-summary`} rows={4} maxLength={5000} value={summary} onChange={(e) => setSummary(e.target.value)} />
          <p className="hint">One thing to keep doing and one to try next time works better than a list.</p>
        </div>
      </section>

      <FormError error={err} />
      {others.length > 0 && (
        <ul className="field-error">
          {others.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
      {checked && missing.length > 0 && (
        <div className="alert alert-error" role="alert">
          Score {missing.length === 1 ? '1 more criterion' : `${missing.length} more criteria`} before you submit.
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button" disabled={submit.isPending}>
          {submit.isPending ? 'Sending…' : 'Submit review'}
        </button>
        <button type="button" className="button button-secondary" onClick={() => save.mutate()} disabled={save.isPending}>
          Save draft
        </button>
        {saved && (
          <span className="saved" role="status">
            Draft saved
          </span>
        )}
      </div>
    </form>
  );
}
