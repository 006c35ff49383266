import { useCallback, useEffect, useReducer, useRef, useState, type ReactNode, type RefObject } from 'react';
import { formatBytes } from '../media/format';
import { Player } from './Player';
import {
  announcement,
  capabilityProblem,
  formatClock,
  guidanceFor,
  initialRecorderState,
  needsStream,
  pickMimeType,
  problemOf,
  recorderReducer,
  takeOf,
  timeWords,
  uploadType,
  type RecordingKind,
  type Take,
} from './recorder';

/** RecordingUpload is one upload in flight: it settles when the server has the recording. */
export type RecordingUpload = { done: Promise<void>; cancel: () => void };

/** Uploader sends a finished recording, reporting progress. */
export type Uploader = (blob: Blob, contentType: string, seconds: number, onProgress: (sent: number, total: number) => void) => RecordingUpload;

type Props = {
  kind: RecordingKind;
  limitSeconds: number;
  upload: Uploader;
  /** onUploaded runs once the server has stored the recording. */
  onUploaded: () => void;
  /** onWriteInstead switches the activity to its text alternative. */
  onWriteInstead: () => void;
  /** onBusy tells the page a recording or upload is under way (to hold back leaving or submitting). */
  onBusy?: (busy: boolean) => void;
};

// Enough for a clear face and voice at 540p; ten minutes stay near 60 MB, well under the upload limit.
const VIDEO_BITS = 750_000;
const AUDIO_BITS = 64_000;

/** Recorder records an answer in the browser: it asks for the camera and microphone (or the
 *  microphone), counts down 3-2-1, records with a visible timer that stops at the time limit,
 *  plays the take back, and uploads it with a progress bar once the learner chooses to use it.
 *  Every step is a real button, so the keyboard works throughout and Space stays the page's. */
export function Recorder({ kind, limitSeconds, upload, onUploaded, onWriteInstead, onBusy }: Props) {
  const [state, dispatch] = useReducer(recorderReducer(limitSeconds), initialRecorderState);
  const [spoken, setSpoken] = useState('');
  // Whether the camera or microphone is on now (asking again after a take takes a moment).
  const [streaming, setStreaming] = useState(false);
  const stream = useRef<MediaStream | null>(null);
  const acquiring = useRef(false);
  const mediaRecorder = useRef<MediaRecorder | null>(null);
  const chunks = useRef<Blob[]>([]);
  const startedAt = useRef(0);
  const blob = useRef<Blob | null>(null);
  const inFlight = useRef<RecordingUpload | null>(null);
  const preview = useRef<HTMLVideoElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const primary = useRef<HTMLButtonElement>(null);
  const mimeType = useRef<string | null>(null);
  const devices = kind === 'video' ? 'camera and microphone' : 'microphone';

  const release = useCallback(() => {
    stream.current?.getTracks().forEach((t) => t.stop());
    stream.current = null;
    setStreaming(false);
  }, []);

  const acquire = useCallback(async () => {
    if (acquiring.current || stream.current) return;
    const problem = capabilityProblem({
      secureContext: window.isSecureContext,
      getUserMedia: !!navigator.mediaDevices?.getUserMedia,
      mediaRecorder: typeof MediaRecorder !== 'undefined',
    });
    mimeType.current = problem ? null : pickMimeType(kind, (t) => MediaRecorder.isTypeSupported(t));
    if (problem || !mimeType.current) {
      dispatch({ type: 'refused', problem: problem ?? 'unsupported' });
      return;
    }
    acquiring.current = true;
    try {
      const s = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true },
        video: kind === 'video' ? { width: { ideal: 960 }, height: { ideal: 540 }, frameRate: { ideal: 24, max: 30 }, facingMode: 'user' } : false,
      });
      stream.current = s;
      if (preview.current) preview.current.srcObject = s;
      setStreaming(true);
      dispatch({ type: 'granted' });
    } catch (err) {
      dispatch({ type: 'refused', problem: problemOf(err) });
    } finally {
      acquiring.current = false;
    }
  }, [kind]);

  // The device is on only while it is needed: asked for when the learner turns it on (or records
  // again), and switched off once a take is in hand, on guidance, and when the page closes.
  useEffect(() => {
    if (state.phase === 'asking' || (needsStream(state) && !stream.current)) void acquire();
    else if (!needsStream(state)) release();
  }, [state, acquire, release]);
  useEffect(() => () => {
    release();
    inFlight.current?.cancel();
    if (mediaRecorder.current?.state === 'recording') mediaRecorder.current.stop();
  }, [release]);

  // The preview shows the live camera whenever one is on.
  useEffect(() => {
    if (preview.current && stream.current && preview.current.srcObject !== stream.current) preview.current.srcObject = stream.current;
  }, [streaming, state.phase]);

  // 3-2-1: one second per step, spoken as it is shown.
  useEffect(() => {
    if (state.phase !== 'countdown') return;
    setSpoken(String(state.remaining));
    const t = window.setTimeout(() => dispatch({ type: 'countdown-tick' }), 1000);
    return () => window.clearTimeout(t);
  }, [state]);

  // Recording starts when the countdown ends; the timer runs from the recorder's own start.
  const phase = state.phase;
  useEffect(() => {
    if (phase !== 'recording' || !stream.current || mediaRecorder.current) return;
    chunks.current = [];
    let mr: MediaRecorder;
    try {
      mr = new MediaRecorder(stream.current, {
        mimeType: mimeType.current ?? undefined,
        audioBitsPerSecond: AUDIO_BITS,
        ...(kind === 'video' ? { videoBitsPerSecond: VIDEO_BITS } : {}),
      });
    } catch {
      dispatch({ type: 'stop' });
      dispatch({ type: 'capture-failed' });
      return;
    }
    mr.ondataavailable = (e) => {
      if (e.data.size > 0) chunks.current.push(e.data);
    };
    mr.onstop = () => {
      const seconds = (performance.now() - startedAt.current) / 1000;
      const type = mr.mimeType || mimeType.current || `${kind}/webm`;
      const b = new Blob(chunks.current, { type });
      mediaRecorder.current = null;
      if (b.size === 0) {
        dispatch({ type: 'capture-failed' });
        return;
      }
      blob.current = b;
      dispatch({ type: 'captured', take: { url: URL.createObjectURL(b), size: b.size, mimeType: type, seconds, stoppedAtLimit: false } });
    };
    mediaRecorder.current = mr;
    startedAt.current = performance.now();
    mr.start(1000);
  }, [phase, kind]);

  useEffect(() => {
    if (phase !== 'recording') return;
    const t = window.setInterval(() => {
      dispatch({ type: 'elapsed', seconds: Math.floor((performance.now() - startedAt.current) / 1000) });
    }, 250);
    return () => window.clearInterval(t);
  }, [phase]);

  const elapsed = state.phase === 'recording' ? state.elapsed : null;
  useEffect(() => {
    if (elapsed === null) return;
    const words = announcement(elapsed, limitSeconds);
    if (words) setSpoken(words);
  }, [elapsed, limitSeconds]);

  // Stopping (by the learner or the limit) asks MediaRecorder for the last data; onstop makes the take.
  useEffect(() => {
    if (phase !== 'finishing') return;
    const mr = mediaRecorder.current;
    if (mr && mr.state !== 'inactive') mr.stop();
  }, [phase]);

  // A take's object URL lives as long as the take.
  const take = takeOf(state);
  const takeUrl = take?.url;
  useEffect(() => () => {
    if (takeUrl) URL.revokeObjectURL(takeUrl);
  }, [takeUrl]);

  useEffect(() => {
    if (phase === 'recorded') setSpoken(state.phase === 'recorded' && state.take.stoppedAtLimit ? `Stopped at the ${timeWords(limitSeconds)} limit. Play it back before you use it.` : 'Recording stopped. Play it back before you use it.');
    if (phase === 'uploaded') setSpoken('Recording saved.');
    if (phase === 'blocked') setSpoken('');
  }, [phase, state, limitSeconds]);

  useEffect(() => {
    onBusy?.(['countdown', 'recording', 'finishing', 'uploading'].includes(phase));
  }, [phase, onBusy]);

  // When the button that had focus goes away with its phase, focus moves to the next step's main
  // button rather than falling back to the top of the page. The first render leaves focus alone.
  const firstPhase = useRef(true);
  useEffect(() => {
    if (firstPhase.current) {
      firstPhase.current = false;
      return;
    }
    const active = document.activeElement;
    if (!active || active === document.body) primary.current?.focus();
  }, [phase]);

  const sendTake = () => {
    const b = blob.current;
    if (!b || !take) return;
    dispatch({ type: 'upload' });
    const handle = upload(b, uploadType(kind, take.mimeType), Math.round(take.seconds), (sent, total) => dispatch({ type: 'progress', sent, total }));
    inFlight.current = handle;
    handle.done.then(
      () => {
        inFlight.current = null;
        dispatch({ type: 'uploaded' });
        onUploaded();
      },
      (err: unknown) => {
        inFlight.current = null;
        dispatch({ type: 'upload-failed', message: err instanceof Error ? err.message : 'The upload didn’t go through. Please try again.' });
      },
    );
  };

  const rerecord = () => {
    blob.current = null;
    dispatch({ type: 'rerecord' });
  };

  const live = needsStream(state);
  const countdown = state.phase === 'countdown' ? state.remaining : null;
  const shownSeconds = state.phase === 'recording' || state.phase === 'finishing' ? state.elapsed : 0;
  const writeInstead = (
    <p className="recorder-alt">
      <button type="button" className="link-button" onClick={onWriteInstead}>
        I can’t record right now — write my answer instead
      </button>
    </p>
  );

  return (
    <div className="recorder" ref={root}>
      <p className="visually-hidden" aria-live="assertive" aria-atomic="true">{spoken}</p>

      {state.phase === 'idle' && (
        <div className="recorder-intro">
          <p>
            You have <strong>{timeWords(limitSeconds)}</strong>. When you press Start, a 3-2-1 countdown runs, then recording begins; it stops by itself at the limit. You can play it back and record again before anything is sent.
          </p>
          <button ref={primary} type="button" className="button" onClick={() => dispatch({ type: 'ask' })}>
            Turn on your {devices}
          </button>
          {writeInstead}
        </div>
      )}

      {state.phase === 'asking' && (
        <p role="status" className="recorder-asking">
          Waiting for your browser: allow Rapport to use your {devices} in the prompt near the address bar.
        </p>
      )}

      {state.phase === 'blocked' && <Blocked problem={state.problem} kind={kind} onRetry={() => dispatch({ type: 'ask' })} primaryRef={primary} writeInstead={writeInstead} />}

      {live && (
        <div className="recorder-live">
          <div className={kind === 'video' ? 'recorder-stage' : 'recorder-stage recorder-stage-audio'}>
            {kind === 'video' ? (
              <video ref={preview} className="recorder-preview" autoPlay muted playsInline aria-label="Your camera, as it will be recorded" />
            ) : (
              <p className="recorder-mic">
                <span className="recorder-mic-dot" aria-hidden="true" /> Microphone on
              </p>
            )}
            {countdown !== null && (
              <div className="recorder-countdown" aria-hidden="true">
                {countdown}
              </div>
            )}
            {(state.phase === 'recording' || state.phase === 'finishing') && (
              <span className="recorder-rec" aria-hidden="true">
                REC
              </span>
            )}
          </div>
          <div className="recorder-timer-row">
            <span className="recorder-timer" role="timer" aria-label={`Recorded ${timeWords(shownSeconds)} of ${timeWords(limitSeconds)}`}>
              {formatClock(shownSeconds)} <span className="muted">/ {formatClock(limitSeconds)}</span>
            </span>
            <div className="progress recorder-time-bar" aria-hidden="true">
              <span className="progress-fill" style={{ width: `${Math.min(100, (100 * shownSeconds) / limitSeconds)}%` }} />
            </div>
          </div>
          <div className="form-actions">
            {state.phase === 'ready' && (
              <button
                ref={primary}
                type="button"
                className="button"
                aria-disabled={streaming ? undefined : true}
                onClick={() => streaming && dispatch({ type: 'start' })}
              >
                {streaming ? 'Start recording' : `Turning on your ${devices}…`}
              </button>
            )}
            {state.phase === 'countdown' && (
              <button ref={primary} type="button" className="button button-secondary" onClick={() => dispatch({ type: 'stop' })}>
                Cancel countdown
              </button>
            )}
            {state.phase === 'recording' && (
              <button ref={primary} type="button" className="button button-danger" onClick={() => dispatch({ type: 'stop' })}>
                Stop recording
              </button>
            )}
            {state.phase === 'finishing' && (
              <button ref={primary} type="button" className="button" aria-disabled="true">
                Finishing…
              </button>
            )}
          </div>
        </div>
      )}

      {take && <TakeView take={take} kind={kind} limitSeconds={limitSeconds} />}

      {state.phase === 'recorded' && (
        <div className="form-actions">
          <button ref={primary} type="button" className="button" onClick={sendTake}>
            Use this recording
          </button>
          <button type="button" className="button button-secondary" onClick={rerecord}>
            Record again
          </button>
        </div>
      )}

      {(state.phase === 'uploading' || state.phase === 'upload-failed') && (
        <div className="recorder-upload">
          <p className="small" id="recorder-upload-label">
            {state.phase === 'uploading' ? 'Uploading your recording…' : 'Upload stopped.'} {formatBytes(state.sent)} of {formatBytes(state.total)}
          </p>
          <div
            className="progress"
            role="progressbar"
            aria-labelledby="recorder-upload-label"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={state.total > 0 ? Math.round((100 * state.sent) / state.total) : 0}
          >
            <span className="progress-fill" style={{ width: `${state.total > 0 ? (100 * state.sent) / state.total : 0}%` }} />
          </div>
          {state.phase === 'upload-failed' && (
            <>
              <div className="alert alert-error" role="alert">
                {state.message} Your recording is still here.
              </div>
              <div className="form-actions">
                <button ref={primary} type="button" className="button" onClick={sendTake}>
                  Try the upload again
                </button>
                <button type="button" className="button button-secondary" onClick={rerecord}>
                  Record again
                </button>
              </div>
            </>
          )}
        </div>
      )}

      {state.phase === 'uploaded' && (
        <div className="form-actions">
          <p className="saved" role="status">Recording saved.</p>
          <button ref={primary} type="button" className="button button-secondary" onClick={rerecord}>
            Record again
          </button>
        </div>
      )}

      {(live || state.phase === 'recorded') && writeInstead}
    </div>
  );
}

function TakeView({ take, kind, limitSeconds }: { take: Take; kind: RecordingKind; limitSeconds: number }) {
  return (
    <div className="recorder-take">
      <Player src={take.url} kind={kind} label="Your recording" />
      <p className="small muted">
        {formatClock(take.seconds)} recorded · {formatBytes(take.size)}
        {take.stoppedAtLimit && <> · stopped at the {timeWords(limitSeconds)} limit</>}
      </p>
    </div>
  );
}

type BlockedProps = {
  problem: Parameters<typeof guidanceFor>[0];
  kind: RecordingKind;
  onRetry: () => void;
  primaryRef: RefObject<HTMLButtonElement | null>;
  writeInstead: ReactNode;
};

function Blocked({ problem, kind, onRetry, primaryRef, writeInstead }: BlockedProps) {
  const g = guidanceFor(problem, kind);
  return (
    <div className="alert alert-info recorder-guidance" role="alert">
      <p>
        <strong>{g.title}</strong>
      </p>
      <ol>
        {g.steps.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ol>
      <div className="form-actions">
        {problem !== 'insecure' && problem !== 'unsupported' && (
          <button ref={primaryRef} type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
      {writeInstead}
    </div>
  );
}
