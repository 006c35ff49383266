import { diffLines } from 'diff';
import { competencyName } from '../catalog/types';
import type { StudioLesson, StudioModuleDetail, VersionDetail, VersionLesson } from './types';

/** What differs between a published lesson and its draft. */
export type LessonAspect = 'title' | 'slug' | 'minutes' | 'order' | 'content' | 'checks';

/** LessonChange is one lesson's fate between a published version and the drafts. A lesson is
 *  matched by its id, which stays the same across drafts and versions. contentKnown is false when
 *  the version was published before its Markdown was kept, so the text cannot be compared. */
export type LessonChange =
  | { kind: 'added'; draft: StudioLesson; draftIndex: number }
  | { kind: 'removed'; published: VersionLesson; publishedIndex: number }
  | {
      kind: 'changed' | 'unchanged';
      published: VersionLesson;
      publishedIndex: number;
      draft: StudioLesson;
      draftIndex: number;
      aspects: LessonAspect[];
      contentKnown: boolean;
    };

/** compareLessons lists the drafts in their order (each added, changed or unchanged), then the
 *  published lessons the drafts no longer have. A lesson has moved when its place among the
 *  lessons both sides share changed, so adding or removing one does not move the others. */
export function compareLessons(published: VersionLesson[], drafts: StudioLesson[]): LessonChange[] {
  const byId = new Map(published.map((l, i) => [l.id, { l, i }]));
  const draftIds = new Set(drafts.map((d) => d.id));
  const sharedPublished = published.filter((l) => draftIds.has(l.id)).map((l) => l.id);
  const sharedDraft = drafts.filter((d) => byId.has(d.id)).map((d) => d.id);
  const out: LessonChange[] = [];
  drafts.forEach((d, draftIndex) => {
    const p = byId.get(d.id);
    if (!p) {
      out.push({ kind: 'added', draft: d, draftIndex });
      return;
    }
    byId.delete(d.id);
    const aspects: LessonAspect[] = [];
    if (p.l.title !== d.title) aspects.push('title');
    if (p.l.slug !== d.slug) aspects.push('slug');
    if (p.l.minutes !== d.minutes) aspects.push('minutes');
    if (sharedPublished.indexOf(d.id) !== sharedDraft.indexOf(d.id)) aspects.push('order');
    const contentKnown = p.l.markdown !== null;
    if (contentKnown && !sameText(p.l.markdown ?? '', d.markdown)) aspects.push('content');
    if (JSON.stringify(p.l.checks) !== JSON.stringify(d.checks)) aspects.push('checks');
    out.push({ kind: aspects.length ? 'changed' : 'unchanged', published: p.l, publishedIndex: p.i, draft: d, draftIndex, aspects, contentKnown });
  });
  for (const { l, i } of [...byId.values()].sort((a, b) => a.i - b.i)) out.push({ kind: 'removed', published: l, publishedIndex: i });
  return out;
}

const norm = (s: string) => s.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
const sameText = (a: string, b: string) => norm(a) === norm(b);

/** FieldChange is one module field whose draft differs from the published version. */
export type FieldChange = { field: string; published: string; draft: string };

/** compareModule lists the module fields (title, summary, access, competencies) that changed. */
export function compareModule(v: VersionDetail, m: StudioModuleDetail): FieldChange[] {
  const access = (a: string) => (a === 'free' ? 'Free for everyone' : 'Premium (subscribers)');
  const comps = (cs: string[]) => cs.map(competencyName).join(', ') || 'None';
  const pairs: [string, string, string][] = [
    ['Title', v.title, m.title],
    ['Summary', v.summary || 'None', m.summary || 'None'],
    ['Access', access(v.access), access(m.access)],
    ['Competencies', comps(v.competencies), comps(m.competencies)],
  ];
  return pairs.filter(([, a, b]) => a !== b).map(([field, published, draft]) => ({ field, published, draft }));
}

/** DiffLine is one line of a line diff: kept, removed (only in the published version) or added
 *  (only in the draft), with its line numbers on either side. */
export type DiffLine = { kind: 'same' | 'del' | 'add'; text: string; oldNo?: number; newNo?: number };

/** DiffBlock is what a diff shows: a run of lines, or a run of unchanged lines left out. */
export type DiffBlock = { kind: 'lines'; lines: DiffLine[] } | { kind: 'skip'; count: number };

/** lineDiff compares two Markdown texts line by line (jsdiff) and keeps `context` unchanged lines
 *  around each change; longer unchanged runs are folded into a skip block. */
export function lineDiff(published: string, draft: string, context = 2): DiffBlock[] {
  const lines: DiffLine[] = [];
  let oldNo = 1;
  let newNo = 1;
  for (const part of diffLines(norm(published), norm(draft), { ignoreNewlineAtEof: true })) {
    for (const text of part.value.replace(/\n$/, '').split('\n')) {
      if (part.added) lines.push({ kind: 'add', text, newNo: newNo++ });
      else if (part.removed) lines.push({ kind: 'del', text, oldNo: oldNo++ });
      else lines.push({ kind: 'same', text, oldNo: oldNo++, newNo: newNo++ });
    }
  }
  const near = lines.map(() => false);
  lines.forEach((l, i) => {
    if (l.kind === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) near[j] = true;
  });
  const blocks: DiffBlock[] = [];
  let skipped = 0;
  lines.forEach((l, i) => {
    if (!near[i]) {
      skipped++;
      return;
    }
    if (skipped) blocks.push({ kind: 'skip', count: skipped });
    skipped = 0;
    const last = blocks[blocks.length - 1];
    if (last?.kind === 'lines') last.lines.push(l);
    else blocks.push({ kind: 'lines', lines: [l] });
  });
  if (skipped) blocks.push({ kind: 'skip', count: skipped });
  return blocks;
}

/** summarize says in words how many lessons were added, removed, changed and left alone, e.g.
 *  "1 lesson added, 2 changed, 3 unchanged". */
export function summarize(changes: LessonChange[]): string {
  const kinds: LessonChange['kind'][] = ['added', 'removed', 'changed', 'unchanged'];
  const parts = kinds.map((k) => [changes.filter((c) => c.kind === k).length, k] as const).filter(([n]) => n > 0);
  return parts.map(([n, k], i) => (i === 0 ? `${n} ${n === 1 ? 'lesson' : 'lessons'} ${k}` : `${n} ${k}`)).join(', ');
}
