/** Cue is one caption: when it starts and ends (seconds) and its words as plain text. */
export type Cue = { start: number; end: number; text: string };

/** parseTimestamp reads a WebVTT timestamp, `mm:ss.ttt` or `hh:mm:ss.ttt`; NaN when it isn't one. */
export function parseTimestamp(s: string): number {
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$/.exec(s.trim());
  if (!m) return NaN;
  const [, h, min, sec, ms] = m;
  return Number(h ?? 0) * 3600 + Number(min) * 60 + Number(sec) + (ms ? Number(ms.padEnd(3, '0')) / 1000 : 0);
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&nbsp;': '\u00a0', '&lrm;': '', '&rlm;': '' };

/** cueText drops WebVTT's markup (voice, class, timestamp tags) and decodes its entities: the
 *  transcript shows words, never markup. A voice tag's speaker is kept as "Name: ". */
function cueText(lines: string[]): string {
  return lines
    .join(' ')
    .replace(/<v(?:\.[^\s>]+)?\s+([^>]+)>/g, '$1: ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(?:amp|lt|gt|nbsp|lrm|rlm);/g, (e) => ENTITIES[e])
    .replace(/\s+/g, ' ')
    .trim();
}

/** parseVTT reads a WebVTT file's cues in order. NOTE, STYLE and REGION blocks are skipped, and a
 *  block without a valid timing line is ignored rather than failing the whole transcript. */
export function parseVTT(src: string): Cue[] {
  const blocks = src.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split(/\n{2,}/);
  const cues: Cue[] = [];
  for (const block of blocks) {
    const lines = block.split('\n');
    const at = lines.findIndex((l) => l.includes('-->'));
    if (at < 0 || /^(NOTE|STYLE|REGION)\b/.test(lines[0])) continue;
    const [from, rest = ''] = lines[at].split('-->');
    const start = parseTimestamp(from);
    const end = parseTimestamp(rest.trim().split(/\s+/)[0] ?? '');
    const text = cueText(lines.slice(at + 1));
    if (Number.isNaN(start) || Number.isNaN(end) || !text) continue;
    cues.push({ start, end, text });
  }
  return cues;
}

/** clock shows a cue's start as m:ss (h:mm:ss from an hour on). */
export function clock(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** spoken is a timestamp as a screen reader should say it: "1 minute 5 seconds". */
export function spoken(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const part = (n: number, w: string) => (n ? `${n} ${w}${n === 1 ? '' : 's'}` : '');
  return [part(h, 'hour'), part(m, 'minute'), part(r, 'second')].filter(Boolean).join(' ') || '0 seconds';
}
