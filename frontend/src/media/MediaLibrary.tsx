import { useId, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { formatBytes, formatDuration, KIND_LABEL, snippet } from './format';
import { useDeleteMedia, useMediaLibrary, useUpdateMedia } from './queries';
import { StudioNav } from './StudioNav';
import type { MediaItem, MediaKind } from './types';
import { UploadZone } from './UploadZone';

const FILTERS: { value: '' | MediaKind; label: string }[] = [
  { value: '', label: 'All media' },
  { value: 'image', label: 'Images' },
  { value: 'video', label: 'Video' },
  { value: 'audio', label: 'Audio' },
  { value: 'document', label: 'Documents' },
  { value: 'captions', label: 'Captions' },
];

/** MediaLibrary is the Studio's media page: uploads on top, then every item as a card. */
export function MediaLibrary() {
  usePageTitle('Media library');
  const q = useMediaLibrary();
  const [kind, setKind] = useState<'' | MediaKind>('');
  const [query, setQuery] = useState('');
  const items = q.data ?? [];
  const captions = useMemo(() => items.filter((m) => m.kind === 'captions'), [items]);
  const shown = items.filter((m) => (!kind || m.kind === kind) && (!query || m.title.toLowerCase().includes(query.toLowerCase())));

  return (
    <div className="container page">
      <StudioNav />
      <div className="page-head">
        <div>
          <h1>Media library</h1>
          <p className="muted">Images, video, audio, captions and worksheets for your lessons. Copy an item’s Markdown into a lesson, or use “Insert media” in the lesson editor.</p>
        </div>
      </div>
      <UploadZone />
      <FormError error={q.error} />
      {q.isLoading && <p aria-busy="true">Loading the library…</p>}
      {q.data && (
        <section aria-labelledby="library-title" className="library">
          <div className="library-head">
            <h2 id="library-title">
              {items.length === 0 ? 'Nothing uploaded yet' : `${items.length} ${items.length === 1 ? 'item' : 'items'}`}
            </h2>
            {items.length > 0 && (
              <div className="library-filters">
                <div className="field">
                  <label htmlFor="media-kind">Show</label>
                  <select id="media-kind" value={kind} onChange={(e) => setKind(e.target.value as '' | MediaKind)}>
                    {FILTERS.map((f) => <option key={f.value} value={f.value}>{f.label}</option>)}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="media-search">Search titles</label>
                  <input id="media-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
                </div>
              </div>
            )}
          </div>
          {items.length === 0 && <p className="muted">Upload a file above: it appears here with its Markdown, ready to place in a lesson.</p>}
          {items.length > 0 && shown.length === 0 && <p className="muted">No media matches. Try another kind or search.</p>}
          <ul className="media-grid">
            {shown.map((m) => <MediaCard key={m.id} item={m} captions={captions} />)}
          </ul>
        </section>
      )}
    </div>
  );
}

/** Thumb is what a card shows of its item: the image itself, a video's first frame, or an icon. */
export function Thumb({ item }: { item: MediaItem }) {
  if (item.kind === 'image') return <img className="media-thumb" src={item.url} alt={item.alt} loading="lazy" decoding="async" />;
  if (item.kind === 'video') return <video className="media-thumb" src={`${item.url}#t=0.1`} preload="metadata" muted playsInline tabIndex={-1} aria-hidden="true" />;
  return (
    <div className={`media-thumb media-icon media-icon-${item.kind}`} aria-hidden="true">
      <span>{item.kind === 'document' ? 'PDF' : item.kind === 'captions' ? 'VTT' : '♪'}</span>
    </div>
  );
}

/** facts is the card's one line: kind, size and, for audio and video, the duration. */
export function facts(item: MediaItem): string {
  const parts = [KIND_LABEL[item.kind], formatBytes(item.bytes)];
  if (item.duration_seconds != null && (item.kind === 'video' || item.kind === 'audio')) parts.push(formatDuration(item.duration_seconds));
  return parts.join(' · ');
}

function MediaCard({ item, captions }: { item: MediaItem; captions: MediaItem[] }) {
  const id = useId();
  const update = useUpdateMedia();
  const del = useDeleteMedia();
  const [title, setTitle] = useState(item.title);
  const [alt, setAlt] = useState(item.alt);
  const [saved, setSaved] = useState(false);
  const [captionsId, setCaptionsId] = useState('');
  const [copied, setCopied] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const dirty = title !== item.title || alt !== item.alt;
  const md = snippet({ ...item, alt }, captionsId || undefined);
  const uses = item.used_in ?? [];
  const published = uses.filter((u) => u.published);

  const save = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    update.mutate({ id: item.id, patch: item.kind === 'image' ? { title, alt } : { title } }, { onSuccess: () => setSaved(true) });
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(md);
      setCopied(true);
      setTimeout(() => setCopied(false), 2500);
    } catch {
      // Without clipboard access the snippet stays selectable on the card.
      document.getElementById(`${id}-md`)?.focus();
    }
  };
  const remove = () => del.mutate(item.id, { onSettled: () => setConfirm(false) });
  const delError = del.error instanceof ApiError && del.error.status === 409
    ? `“${item.title}” is used by a published lesson${published.length ? ` (${published.map((u) => u.lesson_title).join(', ')})` : ''}. Published versions never change, so it stays until you publish a version of that module without it.`
    : del.error;

  return (
    <li className="media-card" aria-labelledby={`${id}-title`}>
      <div className="media-frame">
        <Thumb item={item} />
      </div>
      <div className="media-body">
        <p className="media-facts small"><span className="badge badge-muted">{KIND_LABEL[item.kind]}</span> <span>{facts(item).split(' · ').slice(1).join(' · ')}</span></p>
        <h3 id={`${id}-title`} className="media-title">{item.title || 'Untitled'}</h3>
        <form className="media-edit" onSubmit={save} noValidate>
          <div className="field">
            <label htmlFor={`${id}-t`}>Title</label>
            <input id={`${id}-t`} value={title} maxLength={200} onChange={(e) => { setTitle(e.target.value); setSaved(false); }} />
          </div>
          {item.kind === 'image' && (
            <div className="field">
              <label htmlFor={`${id}-a`}>Alt text</label>
              <input id={`${id}-a`} value={alt} maxLength={500} aria-describedby={`${id}-ah`} aria-invalid={!alt ? true : undefined}
                onChange={(e) => { setAlt(e.target.value); setSaved(false); }} />
              <p className="hint" id={`${id}-ah`}>{alt ? 'What the image shows, for people who can’t see it.' : 'Needed before a lesson with this image can be published.'}</p>
            </div>
          )}
          {(dirty || saved || update.error) && (
            <div className="form-actions">
              {dirty && <button className="button button-small" type="submit" disabled={update.isPending}>Save</button>}
              {saved && !dirty && <span className="saved" role="status">Saved</span>}
            </div>
          )}
          <FormError error={update.error} />
        </form>
        {item.kind === 'video' && captions.length > 0 && (
          <div className="field">
            <label htmlFor={`${id}-c`}>Captions for the Markdown</label>
            <select id={`${id}-c`} value={captionsId} onChange={(e) => setCaptionsId(e.target.value)}>
              <option value="">No captions</option>
              {captions.map((c) => <option key={c.id} value={c.id}>{c.title || c.id}</option>)}
            </select>
          </div>
        )}
        <div className="media-uses">
          <span className="small muted">Used in</span>
          {uses.length === 0 ? (
            <span className="small"> no lesson yet</span>
          ) : (
            <ul>
              {uses.map((u) => (
                <li key={`${u.module_slug}/${u.lesson_slug}/${u.published}`} className="small">
                  <Link to={`/studio/modules/${u.module_slug}/lessons/${u.lesson_slug}`}>{u.lesson_title}</Link>{' '}
                  <span className={u.published ? 'badge badge-brand' : 'badge badge-muted'}>{u.published ? 'Published' : 'Draft'}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        {item.kind === 'captions' ? (
          <p className="small muted">Captions go with a video: choose them on the video’s card, or under “Captions” in Insert media.</p>
        ) : (
          <div className="media-snippet">
            <label htmlFor={`${id}-md`} className="small muted">Markdown</label>
            <input id={`${id}-md`} className="snippet-input" readOnly value={md} onFocus={(e) => e.currentTarget.select()} />
          </div>
        )}
        <div className="media-actions">
          {item.kind !== 'captions' && (
            <button type="button" className="button button-secondary button-small" onClick={copy}>
              {copied ? 'Copied' : 'Copy Markdown'}
            </button>
          )}
          <span className="visually-hidden" role="status">{copied ? 'Markdown copied' : ''}</span>
          <a className="button button-secondary button-small" href={item.url} target="_blank" rel="noreferrer">Open<span className="visually-hidden"> {item.title}</span></a>
          <button type="button" className="button button-danger button-small" onClick={() => { del.reset(); setConfirm(true); }}>Delete<span className="visually-hidden"> {item.title}</span></button>
        </div>
        <FormError error={delError instanceof ApiError || !delError ? delError : null} />
        {typeof delError === 'string' && <div className="alert alert-error" role="alert">{delError}</div>}
      </div>
      <ConfirmDialog open={confirm} title={`Delete “${item.title || 'this item'}”?`} confirmLabel="Delete" busy={del.isPending}
        onCancel={() => setConfirm(false)} onConfirm={remove}>
        {uses.length > 0 ? (
          <p>It appears in {uses.length === 1 ? 'a lesson' : `${uses.length} lessons`}: {uses.map((u) => u.lesson_title).join(', ')}. Lessons that still show it can’t be saved or published until you remove it from them.</p>
        ) : (
          <p>The file is removed from Rapport. No lesson uses it.</p>
        )}
      </ConfirmDialog>
    </li>
  );
}
