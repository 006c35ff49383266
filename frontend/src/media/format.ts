import type { MediaItem, MediaKind } from './types';

/** Files above this size go through tus, so a dropped connection resumes instead of restarting. */
export const RESUMABLE_FROM_BYTES = 8 * 1024 * 1024;

/** ACCEPT is what the file picker offers; the server decides the type from the bytes anyway. */
export const ACCEPT = [
  'image/png', 'image/jpeg', 'image/webp',
  'video/mp4', 'video/webm',
  'audio/mpeg', 'audio/mp4', 'audio/aac', 'audio/ogg', 'audio/x-m4a',
  'application/pdf', 'text/vtt',
  '.png', '.jpg', '.jpeg', '.webp', '.mp4', '.webm', '.mp3', '.m4a', '.aac', '.ogg', '.oga', '.pdf', '.vtt',
].join(',');

export const KIND_LABEL: Record<MediaKind, string> = {
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  document: 'Document',
  captions: 'Captions',
};

/** formatBytes is a size people read: 512 B, 14 KB, 3.2 MB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(1)} GB`;
}

/** formatDuration is m:ss, or h:mm:ss from an hour on. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** snippet is the lesson Markdown that shows an item (API.md § Media). A video may name its captions. */
export function snippet(item: Pick<MediaItem, 'id' | 'kind' | 'alt' | 'title'>, captionsId?: string): string {
  switch (item.kind) {
    case 'image':
      return `![${escapeAlt(item.alt || item.title)}](media:${item.id})`;
    case 'video':
      return captionsId ? `::video{media=${item.id} captions=${captionsId}}` : `::video{media=${item.id}}`;
    case 'audio':
      return `::audio{media=${item.id}}`;
    default:
      return `::download{media=${item.id}}`;
  }
}

/** escapeAlt keeps alt text from closing the image's brackets early. */
function escapeAlt(s: string): string {
  return s.replace(/[\[\]\\]/g, (c) => `\\${c}`).replace(/\s+/g, ' ').trim();
}

/** insertBlock puts a snippet into Markdown at the cursor. Directives must stand on their own line,
 *  so the snippet gets blank lines around it unless the text there already has them; the answer
 *  includes where the cursor goes next. */
export function insertBlock(text: string, at: number, block: string): { text: string; cursor: number } {
  const pos = Math.max(0, Math.min(at, text.length));
  const before = text.slice(0, pos);
  const after = text.slice(pos);
  const lead = before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  const trail = after === '' ? '\n' : after.startsWith('\n\n') ? '' : after.startsWith('\n') ? '\n' : '\n\n';
  const out = before + lead + block + trail + after;
  return { text: out, cursor: (before + lead + block + trail).length };
}

/** uploadProblem turns an upload's refusal into a sentence for the person who chose the file.
 *  The server's own detail names the limit or the type, so it wins when there is one. */
export function uploadProblem(status: number, detail?: string): string {
  if (detail) return detail;
  switch (status) {
    case 0:
      return 'The connection dropped. Choose the file again to continue where it stopped.';
    case 401:
      return 'Your session has ended. Sign in again, then upload the file.';
    case 403:
      return 'Only instructors can upload media.';
    case 413:
      return 'This file is too large. Images can be up to 10 MB, documents up to 25 MB, audio and video up to 500 MB.';
    case 415:
      return 'Rapport can’t use this type of file. Upload PNG, JPEG or WebP images, MP4 or WebM video, MP3, M4A or Ogg audio, PDF documents or WebVTT captions.';
    case 422:
      return 'This file is empty or unreadable. Check that it opens on your computer, then try again.';
    default:
      return status >= 500 ? 'Rapport couldn’t store the file just now. Please try again in a moment.' : 'The upload didn’t go through. Please try again.';
  }
}
