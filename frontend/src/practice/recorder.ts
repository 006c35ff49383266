// The recorder's rules, kept apart from the browser so they can be tested: which phase the
// recorder is in, what each event does to it, which recording format to ask for, and what a
// refused or missing device means for the person in front of it. Recorder.tsx wires these to
// getUserMedia, MediaRecorder and the upload.

export type RecordingKind = 'video' | 'audio';

/** DeviceProblem is why the recorder cannot use a camera or microphone. */
export type DeviceProblem = 'denied' | 'no-device' | 'in-use' | 'insecure' | 'unsupported' | 'failed';

/** Take is one finished recording, held in the browser until it is uploaded. */
export type Take = {
  url: string;
  size: number;
  mimeType: string;
  seconds: number;
  /** stoppedAtLimit: the time limit ended the recording, not the person. */
  stoppedAtLimit: boolean;
};

export type RecorderState =
  | { phase: 'idle' }
  | { phase: 'asking' }
  | { phase: 'blocked'; problem: DeviceProblem }
  | { phase: 'ready' }
  | { phase: 'countdown'; remaining: number }
  | { phase: 'recording'; elapsed: number }
  | { phase: 'finishing'; elapsed: number; stoppedAtLimit: boolean }
  | { phase: 'recorded'; take: Take }
  | { phase: 'uploading'; take: Take; sent: number; total: number }
  | { phase: 'upload-failed'; take: Take; message: string; sent: number; total: number }
  | { phase: 'uploaded'; take: Take };

export type RecorderEvent =
  | { type: 'ask' }
  | { type: 'granted' }
  | { type: 'refused'; problem: DeviceProblem }
  | { type: 'start' }
  | { type: 'countdown-tick' }
  | { type: 'elapsed'; seconds: number }
  | { type: 'stop' }
  | { type: 'captured'; take: Take }
  | { type: 'capture-failed' }
  | { type: 'rerecord' }
  | { type: 'upload' }
  | { type: 'progress'; sent: number; total: number }
  | { type: 'upload-failed'; message: string }
  | { type: 'uploaded' };

/** COUNTDOWN_FROM is where the 3-2-1 countdown starts. */
export const COUNTDOWN_FROM = 3;

export const initialRecorderState: RecorderState = { phase: 'idle' };

/** recorderReducer moves the recorder on one event, for an activity with a time limit of
 *  `limitSeconds`. An event that makes no sense in the current phase leaves it as it is, so a
 *  late timer tick or a double click can never jump the recorder somewhere unexpected. */
export function recorderReducer(limitSeconds: number) {
  return (s: RecorderState, e: RecorderEvent): RecorderState => {
    switch (e.type) {
      case 'ask':
        return s.phase === 'idle' || s.phase === 'blocked' ? { phase: 'asking' } : s;
      case 'granted':
        return s.phase === 'asking' ? { phase: 'ready' } : s;
      case 'refused':
        return s.phase === 'asking' || s.phase === 'ready' ? { phase: 'blocked', problem: e.problem } : s;
      case 'start':
        return s.phase === 'ready' ? { phase: 'countdown', remaining: COUNTDOWN_FROM } : s;
      case 'countdown-tick':
        if (s.phase !== 'countdown') return s;
        return s.remaining > 1 ? { phase: 'countdown', remaining: s.remaining - 1 } : { phase: 'recording', elapsed: 0 };
      case 'elapsed':
        if (s.phase !== 'recording') return s;
        if (e.seconds >= limitSeconds) return { phase: 'finishing', elapsed: limitSeconds, stoppedAtLimit: true };
        return { phase: 'recording', elapsed: Math.max(s.elapsed, e.seconds) };
      case 'stop':
        if (s.phase === 'countdown') return { phase: 'ready' };
        if (s.phase === 'recording') return { phase: 'finishing', elapsed: s.elapsed, stoppedAtLimit: false };
        return s;
      case 'captured':
        if (s.phase !== 'finishing') return s;
        return { phase: 'recorded', take: { ...e.take, seconds: Math.min(e.take.seconds, limitSeconds), stoppedAtLimit: s.stoppedAtLimit } };
      case 'capture-failed':
        return s.phase === 'finishing' ? { phase: 'blocked', problem: 'failed' } : s;
      case 'rerecord':
        return s.phase === 'recorded' || s.phase === 'upload-failed' || s.phase === 'uploaded' ? { phase: 'ready' } : s;
      case 'upload':
        if (s.phase === 'recorded' || s.phase === 'upload-failed') return { phase: 'uploading', take: s.take, sent: 0, total: s.take.size };
        return s;
      case 'progress':
        return s.phase === 'uploading' ? { ...s, sent: Math.min(e.sent, e.total), total: e.total } : s;
      case 'upload-failed':
        return s.phase === 'uploading' ? { phase: 'upload-failed', take: s.take, message: e.message, sent: s.sent, total: s.total } : s;
      case 'uploaded':
        return s.phase === 'uploading' ? { phase: 'uploaded', take: s.take } : s;
    }
  };
}

/** takeOf is the recording a phase holds, if any (its object URL must be released when replaced). */
export function takeOf(s: RecorderState): Take | null {
  return 'take' in s ? s.take : null;
}

/** needsStream reports whether a phase uses the live camera or microphone. */
export function needsStream(s: RecorderState): boolean {
  return s.phase === 'ready' || s.phase === 'countdown' || s.phase === 'recording' || s.phase === 'finishing';
}

const CANDIDATES: Record<RecordingKind, string[]> = {
  video: ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm', 'video/mp4;codecs=avc1,mp4a', 'video/mp4'],
  audio: ['audio/webm;codecs=opus', 'audio/webm', 'audio/mp4;codecs=mp4a', 'audio/mp4'],
};

/** pickMimeType is the first recording format the browser supports, WebM first (it is what the
 *  server checks for and what every Chromium records), MP4 for Safari; null when none is. VP8
 *  before VP9: it encodes in real time on a modest laptop with a busy CPU, where VP9 can fall
 *  behind and lose the take. */
export function pickMimeType(kind: RecordingKind, isTypeSupported: (t: string) => boolean): string | null {
  return CANDIDATES[kind].find((t) => isTypeSupported(t)) ?? null;
}

/** uploadType is the Content-Type the server accepts for a recording: the container without the
 *  codecs, and the kind the activity asked for even when a browser labels audio-only WebM as video. */
export function uploadType(kind: RecordingKind, recorded: string): string {
  const container = recorded.toLowerCase().includes('mp4') ? 'mp4' : 'webm';
  return `${kind}/${container}`;
}

/** problemOf turns a getUserMedia failure into the reason a person can act on. */
export function problemOf(err: unknown): DeviceProblem {
  const name = err && typeof err === 'object' && 'name' in err ? String((err as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'no-device';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'in-use';
    default:
      return 'failed';
  }
}

/** Capabilities is what the browser offers for recording. */
export type Capabilities = { secureContext: boolean; getUserMedia: boolean; mediaRecorder: boolean };

/** capabilityProblem is why recording cannot even be tried in this browser, or null when it can. */
export function capabilityProblem(c: Capabilities): DeviceProblem | null {
  if (!c.secureContext) return 'insecure';
  if (!c.getUserMedia || !c.mediaRecorder) return 'unsupported';
  return null;
}

/** Guidance is what the recorder says when it cannot record: a title and the steps to fix it. */
export type Guidance = { title: string; steps: string[] };

/** guidanceFor explains a device problem in plain words, with what to do next. The text
 *  alternative is offered beside it in every case. */
export function guidanceFor(problem: DeviceProblem, kind: RecordingKind): Guidance {
  const devices = kind === 'video' ? 'camera and microphone' : 'microphone';
  switch (problem) {
    case 'denied':
      return {
        title: `Your browser is not letting Rapport use your ${devices}.`,
        steps: [
          'Select the camera or padlock icon at the left of the address bar.',
          `Set ${kind === 'video' ? 'Camera and Microphone' : 'Microphone'} to Allow for this site.`,
          'Press Try again. Some browsers need the page reloaded first.',
          'On a work computer, your IT team may block recording; write your answer instead.',
        ],
      };
    case 'no-device':
      return {
        title: kind === 'video' ? 'We could not find a camera and microphone.' : 'We could not find a microphone.',
        steps: [
          `Connect a ${kind === 'video' ? 'webcam or headset' : 'headset or microphone'}, or check that it is switched on.`,
          'Check your computer’s privacy settings allow the browser to use it.',
          'Press Try again.',
        ],
      };
    case 'in-use':
      return {
        title: `Your ${devices} is busy or could not start.`,
        steps: ['Close other apps that may be using it (video calls, other tabs).', 'Press Try again.'],
      };
    case 'insecure':
      return {
        title: 'Recording needs a secure connection.',
        steps: ['Open Rapport through its https:// address, then come back to this activity.'],
      };
    case 'unsupported':
      return {
        title: 'This browser cannot record here.',
        steps: ['Use a recent version of Chrome, Edge, Firefox or Safari.'],
      };
    case 'failed':
      return {
        title: 'The recording could not be made.',
        steps: ['Press Try again. If it keeps failing, reload the page or write your answer instead.'],
      };
  }
}

/** formatClock is m:ss for a recording's timer and comment stamps. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** timeWords says a length in words for screen readers and limits: "2 minutes", "1 minute 30 seconds". */
export function timeWords(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  const r = s % 60;
  const mins = m === 1 ? '1 minute' : `${m} minutes`;
  const secs = r === 1 ? '1 second' : `${r} seconds`;
  if (m === 0) return secs;
  return r === 0 ? mins : `${mins} ${secs}`;
}

/** announcement is what the recorder's live region says as a recording runs: its start, each
 *  remaining minute, the last ten seconds, then nothing until it stops (a spoken second every
 *  second would drown the person out). Null when nothing is worth saying at this second. */
export function announcement(elapsed: number, limit: number): string | null {
  const left = limit - elapsed;
  if (elapsed === 0) return `Recording. You have ${timeWords(limit)}.`;
  if (left === 10 && limit > 20) return '10 seconds left.';
  if (left > 0 && left % 60 === 0) return `${timeWords(left)} left.`;
  return null;
}
