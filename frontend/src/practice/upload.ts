import { Upload, type DetailedError } from 'tus-js-client';
import { currentAccessToken, refresh } from '../api/client';
import type { RecordingUpload } from './Recorder';

/** recordingProblem turns an upload's refusal into a sentence for the learner. The server's own
 *  detail names the limit or the type, so it wins when there is one. */
export function recordingProblem(status: number, detail?: string): string {
  if (detail) return detail;
  switch (status) {
    case 0:
      return 'The connection dropped and did not come back in time.';
    case 401:
      return 'Your session has ended. Sign in again in another tab, then try the upload again.';
    case 404:
      return 'This attempt is no longer open. Reload the page to start a new one.';
    case 409:
      return 'This attempt was already submitted. Reload the page to start a new one.';
    case 413:
      return 'This recording is larger than Rapport accepts. Record a shorter answer.';
    case 415:
      return 'Rapport could not read this recording. Record it again.';
    default:
      return status >= 500 ? 'Rapport couldn’t store the recording just now.' : 'The upload didn’t go through.';
  }
}

function problemDetail(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const p = JSON.parse(body) as { detail?: string };
    return p.detail || undefined;
  } catch {
    return undefined;
  }
}

/** uploadRecording sends a recording to a practice draft. It uses tus 1.0 (Upload-Metadata names
 *  the submission) in chunks, so a dropped connection is retried from the offset the server
 *  confirmed and a wobbly network costs seconds, not the whole file. A server that does not take
 *  recordings over tus gets the raw PUT of the contract instead, retried from the start when the
 *  connection drops (the take is still in memory). The take lives only in this tab, so the upload
 *  is not remembered across reloads. */
export function uploadRecording(
  submissionId: string,
  blob: Blob,
  contentType: string,
  seconds: number,
  onProgress: (sent: number, total: number) => void,
): RecordingUpload {
  let cancelled = false;
  let current: RecordingUpload | null = null;
  const done = (async () => {
    const tus = tusUpload(submissionId, blob, contentType, seconds, onProgress);
    current = tus.handle;
    try {
      await tus.handle.done;
      return;
    } catch (err) {
      // Only a refusal of tus itself (not of the recording) falls back to the raw upload.
      if (cancelled || !(err instanceof TusRefused)) throw err;
    }
    const put = putUpload(submissionId, blob, contentType, seconds, onProgress);
    current = put;
    await put.done;
  })();
  return {
    done,
    cancel: () => {
      cancelled = true;
      current?.cancel();
    },
  };
}

/** TusRefused: the server did not accept a tus upload for a recording at all (creation refused
 *  with a status that says "not here", not "not this file"). */
class TusRefused extends Error {}

function tusUpload(submissionId: string, blob: Blob, contentType: string, seconds: number, onProgress: (sent: number, total: number) => void) {
  let upload: Upload | null = null;
  let cancelled = false;
  let started = false;
  const done = new Promise<void>((resolve, reject) => {
    const extension = contentType.endsWith('mp4') ? 'mp4' : 'webm';
    upload = new Upload(blob, {
      endpoint: '/api/v1/uploads/',
      metadata: {
        submission_id: submissionId,
        filename: `recording.${extension}`,
        filetype: contentType,
        duration_seconds: String(seconds),
      },
      chunkSize: 2 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000],
      storeFingerprintForResuming: false,
      onBeforeRequest: (req) => {
        const token = currentAccessToken();
        if (token) req.setHeader('Authorization', `Bearer ${token}`);
      },
      onAfterResponse: (req, res) => {
        if (req.getMethod() === 'POST' && res.getStatus() === 201) started = true;
      },
      onShouldRetry: (err: DetailedError) => {
        if (cancelled) return false;
        const status = err.originalResponse?.getStatus() ?? 0;
        if (status === 401) {
          // Renew the token; the retry's onBeforeRequest sends the new one.
          void refresh();
          return true;
        }
        // The server said no (type, size, gone, submitted): asking again gets the same answer.
        if (status >= 400 && status < 500 && status !== 409 && status !== 423 && status !== 429) return false;
        return true;
      },
      onProgress: (sent, total) => onProgress(sent, total),
      onSuccess: () => {
        onProgress(blob.size, blob.size);
        resolve();
      },
      onError: (err) => {
        const res = (err as DetailedError).originalResponse ?? null;
        const status = res?.getStatus() ?? 0;
        if (!started && [400, 403, 404, 405, 412].includes(status)) {
          reject(new TusRefused(`tus refused: ${status}`));
          return;
        }
        reject(new Error(recordingProblem(status, problemDetail(res?.getBody()))));
      },
    });
    upload.start();
  });
  return {
    handle: {
      done,
      cancel: () => {
        cancelled = true;
        void (upload as Upload | null)?.abort(true);
      },
    } satisfies RecordingUpload,
  };
}

const PUT_RETRIES = [1000, 3000, 8000, 15000];

function putUpload(submissionId: string, blob: Blob, contentType: string, seconds: number, onProgress: (sent: number, total: number) => void): RecordingUpload {
  let xhr: XMLHttpRequest | null = null;
  let cancelled = false;
  const once = () =>
    new Promise<{ status: number; body: string }>((resolve) => {
      const x = new XMLHttpRequest();
      xhr = x;
      x.open('PUT', `/api/v1/submissions/${encodeURIComponent(submissionId)}/recording`);
      x.setRequestHeader('Content-Type', contentType);
      x.setRequestHeader('Accept', 'application/json');
      x.setRequestHeader('X-Duration-Seconds', String(seconds));
      const token = currentAccessToken();
      if (token) x.setRequestHeader('Authorization', `Bearer ${token}`);
      x.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded, e.total);
      x.onload = () => resolve({ status: x.status, body: x.responseText });
      x.onerror = () => resolve({ status: 0, body: '' });
      x.onabort = () => resolve({ status: -1, body: '' });
      x.send(blob);
    });
  const done = (async () => {
    for (let attempt = 0; ; attempt++) {
      let r = await once();
      if (r.status === 401 && !cancelled && (await refresh()) === 'ok') r = await once();
      if (r.status === -1 || cancelled) throw new Error('Upload cancelled.');
      if (r.status >= 200 && r.status < 300) {
        onProgress(blob.size, blob.size);
        return;
      }
      // A dropped connection or a busy server: send the take again after a pause.
      const transient = r.status === 0 || r.status === 502 || r.status === 503 || r.status === 504;
      if (!transient || attempt >= PUT_RETRIES.length) throw new Error(recordingProblem(r.status, problemDetail(r.body)));
      onProgress(0, blob.size);
      await new Promise((res) => setTimeout(res, PUT_RETRIES[attempt]));
      if (cancelled) throw new Error('Upload cancelled.');
    }
  })();
  return {
    done,
    cancel: () => {
      cancelled = true;
      (xhr as XMLHttpRequest | null)?.abort();
    },
  };
}
