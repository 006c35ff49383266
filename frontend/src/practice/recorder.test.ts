import { describe, expect, it } from 'vitest';
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
  type RecorderEvent,
  type RecorderState,
  type Take,
} from './recorder';

const take: Take = { url: 'blob:1', size: 5000, mimeType: 'video/webm', seconds: 7, stoppedAtLimit: false };

function run(limit: number, events: RecorderEvent[], from: RecorderState = initialRecorderState): RecorderState {
  const step = recorderReducer(limit);
  return events.reduce(step, from);
}

describe('recorderReducer', () => {
  it('asks, counts down 3-2-1, records, stops and holds the take', () => {
    const step = recorderReducer(60);
    let s = step(initialRecorderState, { type: 'ask' });
    expect(s).toEqual({ phase: 'asking' });
    s = step(s, { type: 'granted' });
    expect(s).toEqual({ phase: 'ready' });
    s = step(s, { type: 'start' });
    expect(s).toEqual({ phase: 'countdown', remaining: 3 });
    s = step(s, { type: 'countdown-tick' });
    expect(s).toEqual({ phase: 'countdown', remaining: 2 });
    s = step(s, { type: 'countdown-tick' });
    expect(s).toEqual({ phase: 'countdown', remaining: 1 });
    s = step(s, { type: 'countdown-tick' });
    expect(s).toEqual({ phase: 'recording', elapsed: 0 });
    s = step(s, { type: 'elapsed', seconds: 7 });
    expect(s).toEqual({ phase: 'recording', elapsed: 7 });
    s = step(s, { type: 'stop' });
    expect(s).toEqual({ phase: 'finishing', elapsed: 7, stoppedAtLimit: false });
    s = step(s, { type: 'captured', take });
    expect(s).toEqual({ phase: 'recorded', take });
  });

  it('stops itself at the time limit and says so', () => {
    const s = run(30, [{ type: 'ask' }, { type: 'granted' }, { type: 'start' }, { type: 'countdown-tick' }, { type: 'countdown-tick' }, { type: 'countdown-tick' }, { type: 'elapsed', seconds: 29 }, { type: 'elapsed', seconds: 30 }]);
    expect(s).toEqual({ phase: 'finishing', elapsed: 30, stoppedAtLimit: true });
    const done = run(30, [{ type: 'captured', take: { ...take, seconds: 30.4 } }], s);
    expect(done).toEqual({ phase: 'recorded', take: { ...take, seconds: 30, stoppedAtLimit: true } });
  });

  it('never runs the timer backwards on a late tick', () => {
    const s = run(60, [{ type: 'elapsed', seconds: 3 }], { phase: 'recording', elapsed: 5 });
    expect(s).toEqual({ phase: 'recording', elapsed: 5 });
  });

  it('cancels a countdown back to ready', () => {
    expect(run(60, [{ type: 'stop' }], { phase: 'countdown', remaining: 2 })).toEqual({ phase: 'ready' });
  });

  it('ignores events that do not fit the phase', () => {
    expect(run(60, [{ type: 'start' }])).toEqual(initialRecorderState);
    expect(run(60, [{ type: 'upload' }], { phase: 'ready' })).toEqual({ phase: 'ready' });
    expect(run(60, [{ type: 'countdown-tick' }], { phase: 'recording', elapsed: 4 })).toEqual({ phase: 'recording', elapsed: 4 });
    expect(run(60, [{ type: 'captured', take }], { phase: 'ready' })).toEqual({ phase: 'ready' });
    expect(run(60, [{ type: 'granted' }], { phase: 'recorded', take })).toEqual({ phase: 'recorded', take });
  });

  it('shows guidance when refused, and asks again from there', () => {
    const s = run(60, [{ type: 'ask' }, { type: 'refused', problem: 'denied' }]);
    expect(s).toEqual({ phase: 'blocked', problem: 'denied' });
    expect(run(60, [{ type: 'ask' }], s)).toEqual({ phase: 'asking' });
  });

  it('uploads with progress, keeps the take when the upload fails, and retries', () => {
    let s = run(60, [{ type: 'upload' }], { phase: 'recorded', take });
    expect(s).toEqual({ phase: 'uploading', take, sent: 0, total: 5000 });
    s = run(60, [{ type: 'progress', sent: 2500, total: 5000 }], s);
    expect(s).toEqual({ phase: 'uploading', take, sent: 2500, total: 5000 });
    s = run(60, [{ type: 'upload-failed', message: 'The connection dropped.' }], s);
    expect(s).toEqual({ phase: 'upload-failed', take, message: 'The connection dropped.', sent: 2500, total: 5000 });
    expect(takeOf(s)).toBe(take);
    s = run(60, [{ type: 'upload' }, { type: 'progress', sent: 6000, total: 5000 }], s);
    expect(s).toEqual({ phase: 'uploading', take, sent: 5000, total: 5000 });
    s = run(60, [{ type: 'uploaded' }], s);
    expect(s).toEqual({ phase: 'uploaded', take });
  });

  it('records again from a take, a failed upload or an uploaded one', () => {
    for (const from of [{ phase: 'recorded', take }, { phase: 'uploaded', take }, { phase: 'upload-failed', take, message: 'x', sent: 0, total: 1 }] as RecorderState[]) {
      expect(run(60, [{ type: 'rerecord' }], from)).toEqual({ phase: 'ready' });
    }
    expect(run(60, [{ type: 'rerecord' }], { phase: 'uploading', take, sent: 1, total: 2 })).toEqual({ phase: 'uploading', take, sent: 1, total: 2 });
  });

  it('knows which phases hold the live device', () => {
    expect(needsStream({ phase: 'ready' })).toBe(true);
    expect(needsStream({ phase: 'recording', elapsed: 1 })).toBe(true);
    expect(needsStream({ phase: 'recorded', take })).toBe(false);
    expect(needsStream({ phase: 'blocked', problem: 'denied' })).toBe(false);
  });
});

describe('pickMimeType', () => {
  it('prefers WebM and falls back to MP4', () => {
    expect(pickMimeType('video', () => true)).toBe('video/webm;codecs=vp8,opus');
    expect(pickMimeType('video', (t) => t.startsWith('video/mp4'))).toBe('video/mp4;codecs=avc1,mp4a');
    expect(pickMimeType('audio', (t) => t === 'audio/webm')).toBe('audio/webm');
    expect(pickMimeType('audio', () => false)).toBeNull();
  });
});

describe('uploadType', () => {
  it('names the container the server accepts, in the activity’s kind', () => {
    expect(uploadType('video', 'video/webm;codecs=vp9,opus')).toBe('video/webm');
    expect(uploadType('audio', 'video/webm')).toBe('audio/webm');
    expect(uploadType('audio', 'audio/mp4;codecs=mp4a')).toBe('audio/mp4');
  });
});

describe('problemOf and capabilityProblem', () => {
  it('maps browser errors to what a person can act on', () => {
    expect(problemOf({ name: 'NotAllowedError' })).toBe('denied');
    expect(problemOf({ name: 'SecurityError' })).toBe('denied');
    expect(problemOf({ name: 'NotFoundError' })).toBe('no-device');
    expect(problemOf({ name: 'NotReadableError' })).toBe('in-use');
    expect(problemOf(new Error('boom'))).toBe('failed');
    expect(problemOf(undefined)).toBe('failed');
  });
  it('needs a secure page, getUserMedia and MediaRecorder', () => {
    expect(capabilityProblem({ secureContext: false, getUserMedia: true, mediaRecorder: true })).toBe('insecure');
    expect(capabilityProblem({ secureContext: true, getUserMedia: false, mediaRecorder: true })).toBe('unsupported');
    expect(capabilityProblem({ secureContext: true, getUserMedia: true, mediaRecorder: true })).toBeNull();
  });
  it('explains a refusal with steps for the kind of recording', () => {
    expect(guidanceFor('denied', 'video').title).toMatch(/camera and microphone/);
    expect(guidanceFor('denied', 'audio').title).toMatch(/microphone/);
    expect(guidanceFor('denied', 'audio').title).not.toMatch(/camera/);
    expect(guidanceFor('denied', 'video').steps.join(' ')).toMatch(/Allow/);
  });
});

describe('formatClock, timeWords and announcement', () => {
  it('formats a timer', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(12.7)).toBe('0:12');
    expect(formatClock(125)).toBe('2:05');
  });
  it('says a length in words', () => {
    expect(timeWords(45)).toBe('45 seconds');
    expect(timeWords(60)).toBe('1 minute');
    expect(timeWords(90)).toBe('1 minute 30 seconds');
    expect(timeWords(120)).toBe('2 minutes');
  });
  it('announces the start, each remaining minute and the last ten seconds only', () => {
    expect(announcement(0, 120)).toBe('Recording. You have 2 minutes.');
    expect(announcement(60, 120)).toBe('1 minute left.');
    expect(announcement(110, 120)).toBe('10 seconds left.');
    expect(announcement(61, 120)).toBeNull();
    expect(announcement(5, 15)).toBeNull();
  });
});
