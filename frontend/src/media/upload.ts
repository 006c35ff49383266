import { Upload, type DetailedError } from 'tus-js-client';
import { api, currentAccessToken, refresh } from '../api/client';
import { RESUMABLE_FROM_BYTES, uploadProblem } from './format';
import type { MediaItem } from './types';

/** UploadError carries the sentence shown beside the file, and the status it came from. */
export class UploadError extends Error {
  status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export type UploadHandle = { done: Promise<MediaItem | null>; cancel: () => void; resumable: boolean };

type Options = { title?: string; alt?: string; onProgress: (sent: number, total: number) => void };

/** startUpload sends one file: small files as one multipart POST, large ones with tus 1.0 so a
 *  dropped connection continues from the server's offset (also after a reload: tus-js-client keeps
 *  the upload's URL per file fingerprint). The answer is the stored item, or null when the server
 *  finished a tus upload without describing the item (the caller then reloads the library). */
export function startUpload(file: File, opt: Options): UploadHandle {
  return file.size > RESUMABLE_FROM_BYTES ? tusUpload(file, opt) : multipartUpload(file, opt);
}

function problemDetail(body: string): string | undefined {
  try {
    const p = JSON.parse(body) as { detail?: string; title?: string };
    return p.detail || undefined;
  } catch {
    return undefined;
  }
}

/** fetchItem reads one library item, for a tus upload that finished with only its id. */
async function fetchItem(id: string): Promise<MediaItem> {
  return api.GET('/api/v1/studio/media/{id}', { params: { path: { id } } });
}

function multipartUpload(file: File, opt: Options): UploadHandle {
  let xhr: XMLHttpRequest | null = null;
  let cancelled = false;
  const once = () =>
    new Promise<{ status: number; body: string }>((resolve) => {
      const form = new FormData();
      form.append('file', file, file.name);
      if (opt.title) form.append('title', opt.title);
      if (opt.alt) form.append('alt', opt.alt);
      const x = new XMLHttpRequest();
      xhr = x;
      x.open('POST', '/api/v1/studio/media');
      x.setRequestHeader('Accept', 'application/json');
      const token = currentAccessToken();
      if (token) x.setRequestHeader('Authorization', `Bearer ${token}`);
      x.upload.onprogress = (e) => e.lengthComputable && opt.onProgress(e.loaded, e.total);
      x.onload = () => resolve({ status: x.status, body: x.responseText });
      x.onerror = () => resolve({ status: 0, body: '' });
      x.onabort = () => resolve({ status: -1, body: '' });
      x.send(form);
    });
  const done = (async () => {
    let r = await once();
    // An expired access token: renew it once (single-flight) and send the file again.
    if (r.status === 401 && !cancelled && (await refresh()) === 'ok') r = await once();
    if (r.status === -1 || cancelled) throw new UploadError(-1, 'Upload cancelled.');
    if (r.status === 201 || r.status === 200) {
      opt.onProgress(file.size, file.size);
      return JSON.parse(r.body) as MediaItem;
    }
    throw new UploadError(r.status, r.status === 0 ? 'The connection dropped before the file arrived. Please try again.' : uploadProblem(r.status, problemDetail(r.body)));
  })();
  return {
    done,
    resumable: false,
    cancel: () => {
      cancelled = true;
      xhr?.abort();
    },
  };
}

function tusUpload(file: File, opt: Options): UploadHandle {
  let upload: Upload | null = null;
  let stop: () => void = () => {};
  const done = new Promise<MediaItem | null>((resolve, reject) => {
    stop = () => reject(new UploadError(-1, 'Upload paused. Choose the same file again to continue where it stopped.'));
    const metadata: Record<string, string> = { filename: file.name, filetype: file.type || 'application/octet-stream' };
    if (opt.title) metadata.title = opt.title;
    if (opt.alt) metadata.alt = opt.alt;
    upload = new Upload(file, {
      endpoint: '/api/v1/uploads/',
      metadata,
      chunkSize: 4 * 1024 * 1024,
      // A dropped connection is retried from the server's offset, with growing pauses.
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
      removeFingerprintOnSuccess: true,
      onBeforeRequest: (req) => {
        const token = currentAccessToken();
        if (token) req.setHeader('Authorization', `Bearer ${token}`);
      },
      onShouldRetry: (err: DetailedError) => {
        const status = err.originalResponse?.getStatus() ?? 0;
        if (status === 401) {
          // Renew the token; the retry's onBeforeRequest picks the new one up.
          void refresh();
          return true;
        }
        // The server said no (type, size, empty, gone): asking again would get the same answer.
        if (status >= 400 && status < 500 && status !== 409 && status !== 423 && status !== 429) return false;
        return true;
      },
      onProgress: (sent, total) => opt.onProgress(sent, total),
      onSuccess: ({ lastResponse }) => {
        opt.onProgress(file.size, file.size);
        // The final PATCH names the stored item in its Media-Id header.
        const id = lastResponse.getHeader('Media-Id');
        if (!id) return resolve(null);
        fetchItem(id).then(resolve, () => resolve(null));
      },
      onError: (err) => {
        const res = (err as DetailedError).originalResponse ?? null;
        const status = res?.getStatus() ?? 0;
        reject(new UploadError(status, uploadProblem(status, res ? problemDetail(res.getBody()) : undefined)));
      },
    });
    const u = upload;
    u.findPreviousUploads()
      .then((previous) => {
        if (previous.length > 0) u.resumeFromPreviousUpload(previous[0]);
        u.start();
      })
      .catch(() => u.start());
  });
  return {
    done,
    resumable: true,
    cancel: () => {
      // Keep the partial upload on the server: choosing the same file again continues it. The
      // server sweeps abandoned ones after a day.
      void (upload as Upload | null)?.abort(false);
      stop();
    },
  };
}
