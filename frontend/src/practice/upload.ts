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

/** uploadRecording sends a recording to a practice draft with tus 1.0 (Upload-Metadata names the
 *  submission), in chunks: a dropped connection is retried from the offset the server confirmed,
 *  so a wobbly network costs seconds, not the whole file. The take lives only in this tab, so the
 *  upload is not remembered across reloads. */
export function uploadRecording(
  submissionId: string,
  blob: Blob,
  contentType: string,
  seconds: number,
  onProgress: (sent: number, total: number) => void,
): RecordingUpload {
  let upload: Upload | null = null;
  let cancelled = false;
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
        reject(new Error(recordingProblem(status, problemDetail(res?.getBody()))));
      },
    });
    upload.start();
  });
  return {
    done,
    cancel: () => {
      cancelled = true;
      void (upload as Upload | null)?.abort(true);
    },
  };
}
