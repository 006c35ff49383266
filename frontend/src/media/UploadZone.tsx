import { useCallback, useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ACCEPT, formatBytes } from './format';
import { mediaKeys } from './queries';
import type { MediaItem } from './types';
import { startUpload, UploadError, type UploadHandle } from './upload';

type Row = {
  key: string;
  file: File;
  sent: number;
  state: 'waiting' | 'uploading' | 'done' | 'failed';
  message?: string;
  handle?: UploadHandle;
};

/** At most this many files travel at once; the rest wait their turn. */
const PARALLEL = 3;
let seq = 0;

/** UploadZone takes files by drag and drop or the picker, uploads them (several at a time) with a
 *  progress bar each, and adds what arrives to the library. */
export function UploadZone({ onUploaded }: { onUploaded?: (item: MediaItem) => void }) {
  const qc = useQueryClient();
  const inputId = useId();
  const hintId = useId();
  const [rows, setRows] = useState<Row[]>([]);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const depth = useRef(0);

  const patch = useCallback((key: string, p: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...p } : r))), []);

  const add = (files: FileList | File[]) => {
    const fresh = Array.from(files).map((file): Row => ({ key: `u${++seq}`, file, sent: 0, state: 'waiting' }));
    if (fresh.length) setRows((rs) => [...fresh, ...rs.filter((r) => r.state !== 'done')]);
  };

  // Start waiting files while fewer than PARALLEL are on their way.
  useEffect(() => {
    const busy = rows.filter((r) => r.state === 'uploading').length;
    const next = rows.filter((r) => r.state === 'waiting').slice(0, Math.max(0, PARALLEL - busy));
    for (const row of next) {
      const title = row.file.name.replace(/\.[^.]+$/, '');
      const handle = startUpload(row.file, { title, onProgress: (sent) => patch(row.key, { sent }) });
      patch(row.key, { state: 'uploading', handle });
      handle.done
        .then((item) => {
          patch(row.key, { state: 'done', sent: row.file.size, handle: undefined });
          if (item) {
            qc.setQueryData<MediaItem[]>(mediaKeys.library, (old) => (old ? [item, ...old.filter((m) => m.id !== item.id)] : old));
            onUploaded?.(item);
          }
          void qc.invalidateQueries({ queryKey: mediaKeys.library });
        })
        .catch((e: unknown) => {
          const message = e instanceof UploadError ? e.message : 'The upload didn’t go through. Please try again.';
          patch(row.key, { state: 'failed', message, handle: undefined });
        });
    }
  }, [rows, patch, qc, onUploaded]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    depth.current = 0;
    setOver(false);
    add(e.dataTransfer.files);
  };

  return (
    <section className="upload" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`} className="visually-hidden">Upload media</h2>
      <div
        className={over ? 'dropzone dropzone-over' : 'dropzone'}
        onDragEnter={(e) => {
          e.preventDefault();
          depth.current += 1;
          setOver(true);
        }}
        onDragOver={(e) => e.preventDefault()}
        onDragLeave={() => {
          depth.current -= 1;
          if (depth.current <= 0) setOver(false);
        }}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <svg className="dropzone-icon" width="36" height="36" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <p className="dropzone-title">Drop files here</p>
        <p className="muted small" id={hintId}>
          Images (PNG, JPEG, WebP) up to 10 MB · video (MP4, WebM) and audio (MP3, M4A, Ogg) up to 500 MB · PDF up to 25 MB · WebVTT captions. Large files resume if the connection drops.
        </p>
        <input ref={input} id={inputId} className="file-input" type="file" multiple accept={ACCEPT} aria-describedby={hintId}
          onChange={(e) => {
            if (e.currentTarget.files) add(e.currentTarget.files);
            e.currentTarget.value = '';
          }} />
        <label htmlFor={inputId} className="button">Choose files</label>
      </div>
      {rows.length > 0 && (
        <ul className="upload-list" aria-label="Uploads">
          {rows.map((r) => (
            <UploadRow key={r.key} row={r}
              onCancel={() => r.handle?.cancel()}
              onRetry={() => patch(r.key, { state: 'waiting', sent: 0, message: undefined })}
              onDismiss={() => setRows((rs) => rs.filter((x) => x.key !== r.key))} />
          ))}
        </ul>
      )}
    </section>
  );
}

function UploadRow({ row, onCancel, onRetry, onDismiss }: { row: Row; onCancel: () => void; onRetry: () => void; onDismiss: () => void }) {
  const id = useId();
  const pct = row.file.size > 0 ? Math.min(100, Math.round((row.sent / row.file.size) * 100)) : row.state === 'done' ? 100 : 0;
  return (
    <li className={`upload-row upload-${row.state}`}>
      <div className="upload-head">
        <span className="upload-name" id={`${id}-name`}>{row.file.name}</span>
        <span className="muted small">{formatBytes(row.file.size)}</span>
      </div>
      <progress id={`${id}-bar`} max={100} value={row.state === 'failed' ? 0 : pct} aria-labelledby={`${id}-name`} aria-describedby={`${id}-state`} />
      <div className="upload-foot">
        <span id={`${id}-state`} className="small" role={row.state === 'failed' ? 'alert' : undefined} aria-live="polite">
          {row.state === 'waiting' && 'Waiting…'}
          {row.state === 'uploading' && `Uploading… ${pct}%${row.handle?.resumable ? ' (resumable)' : ''}`}
          {row.state === 'done' && <span className="saved">Uploaded</span>}
          {row.state === 'failed' && <span className="upload-error">{row.message}</span>}
        </span>
        <span className="upload-actions">
          {row.state === 'uploading' && <button type="button" className="link-button" onClick={onCancel}>Cancel</button>}
          {row.state === 'failed' && <button type="button" className="link-button" onClick={onRetry}>Try again</button>}
          {(row.state === 'failed' || row.state === 'done') && <button type="button" className="link-button" onClick={onDismiss}>Dismiss</button>}
        </span>
      </div>
    </li>
  );
}
