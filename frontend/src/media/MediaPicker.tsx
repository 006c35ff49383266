import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { FormError } from '../components/Form';
import { formatBytes, formatDuration, KIND_LABEL, snippet } from './format';
import { useMediaLibrary } from './queries';
import type { MediaItem, MediaKind } from './types';
import { UploadZone } from './UploadZone';

type Props = { open: boolean; onClose: () => void; onInsert: (markdown: string) => void };

/** What a lesson can show: captions are attached to a video rather than placed on their own. */
const PLACEABLE: MediaKind[] = ['image', 'video', 'audio', 'document'];

/** MediaPicker is a modal over the library: choose an item (or upload one), give an image its alt
 *  text or a video its captions, and insert the Markdown form at the editor's cursor. */
export function MediaPicker({ open, onClose, onInsert }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // The library loads when the picker first opens, not with every lesson editor.
  const q = useMediaLibrary(open);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<string>('');
  const [alt, setAlt] = useState('');
  const [captionsId, setCaptionsId] = useState('');
  const [showUpload, setShowUpload] = useState(false);
  const [altMissing, setAltMissing] = useState(false);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const items = useMemo(() => q.data ?? [], [q.data]);
  const captions = items.filter((m) => m.kind === 'captions');
  const listed = items.filter((m) => PLACEABLE.includes(m.kind) && (!query || m.title.toLowerCase().includes(query.toLowerCase())));
  const item = items.find((m) => m.id === chosen);

  const choose = (m: MediaItem) => {
    setChosen(m.id);
    setAlt(m.alt);
    setAltMissing(false);
    setCaptionsId('');
  };
  const insert = () => {
    if (!item) return;
    if (item.kind === 'image' && !alt.trim()) {
      setAltMissing(true);
      document.getElementById(`${titleId}-alt`)?.focus();
      return;
    }
    onInsert(snippet({ ...item, alt: alt.trim() }, captionsId || undefined));
    setChosen('');
  };

  return (
    <dialog ref={ref} className="dialog dialog-wide" aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <div className="picker-head">
        <h2 id={titleId}>Insert media</h2>
        <button type="button" className="button button-secondary button-small" onClick={() => setShowUpload((s) => !s)} aria-expanded={showUpload}>
          {showUpload ? 'Hide upload' : 'Upload new'}
        </button>
      </div>
      {showUpload && <UploadZone onUploaded={(m) => PLACEABLE.includes(m.kind) && choose(m)} />}
      <div className="field">
        <label htmlFor={`${titleId}-q`}>Search the library</label>
        <input id={`${titleId}-q`} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      <FormError error={q.error} />
      {q.isLoading && <p aria-busy="true">Loading the library…</p>}
      {q.data && listed.length === 0 && <p className="muted">{items.length === 0 ? 'The library is empty. Upload a file to place it here.' : 'Nothing matches that search.'}</p>}
      <fieldset className="picker-list">
        <legend className="visually-hidden">Media</legend>
        {listed.map((m) => (
          <label key={m.id} className={m.id === chosen ? 'picker-item picker-item-on' : 'picker-item'}>
            <input type="radio" name={`${titleId}-pick`} value={m.id} checked={m.id === chosen} onChange={() => choose(m)} />
            {m.kind === 'image' ? <img src={m.url} alt="" loading="lazy" className="picker-thumb" /> : <span className={`picker-thumb media-icon media-icon-${m.kind}`} aria-hidden="true">{m.kind === 'document' ? 'PDF' : m.kind === 'video' ? '▶' : '♪'}</span>}
            <span className="picker-text">
              <span className="picker-title">{m.title || 'Untitled'}</span>
              <span className="small muted">
                {KIND_LABEL[m.kind]} · {formatBytes(m.bytes)}
                {m.duration_seconds != null && (m.kind === 'video' || m.kind === 'audio') ? ` · ${formatDuration(m.duration_seconds)}` : ''}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      {item?.kind === 'image' && (
        <div className="field">
          <label htmlFor={`${titleId}-alt`}>Alt text</label>
          <input id={`${titleId}-alt`} value={alt} maxLength={500} aria-invalid={altMissing ? true : undefined} aria-describedby={`${titleId}-alth`}
            onChange={(e) => { setAlt(e.target.value); setAltMissing(false); }} />
          <p className={altMissing ? 'field-error' : 'hint'} id={`${titleId}-alth`}>
            {altMissing ? 'Describe the image before inserting it: learners who can’t see it hear this text.' : 'What the image shows, for learners who can’t see it.'}
          </p>
        </div>
      )}
      {item?.kind === 'video' && (
        <div className="field">
          <label htmlFor={`${titleId}-cap`}>Captions</label>
          <select id={`${titleId}-cap`} value={captionsId} onChange={(e) => setCaptionsId(e.target.value)} aria-describedby={`${titleId}-caph`}>
            <option value="">No captions</option>
            {captions.map((c) => <option key={c.id} value={c.id}>{c.title || c.id}</option>)}
          </select>
          <p className="hint" id={`${titleId}-caph`}>
            {captions.length === 0 ? 'Upload a WebVTT file to give this video captions and a transcript.' : 'Captions can be switched on by learners, and give the video a transcript.'}
          </p>
        </div>
      )}
      {item && <p className="small muted picker-preview">Inserts <code>{snippet({ ...item, alt: alt.trim() || item.alt }, captionsId || undefined)}</code></p>}
      <div className="form-actions dialog-actions">
        <button className="button button-secondary" type="button" onClick={onClose}>Cancel</button>
        <button className="button" type="button" onClick={insert} disabled={!item}>Insert</button>
      </div>
    </dialog>
  );
}
