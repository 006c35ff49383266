import { describe, expect, it } from 'vitest';
import { compareLessons, compareModule, lineDiff, summarize } from './compare';
import type { StudioLesson, StudioModuleDetail, VersionDetail, VersionLesson } from './types';

const pub = (id: string, markdown: string | null, extra: Partial<VersionLesson> = {}): VersionLesson => ({
  id, slug: id, title: `Lesson ${id}`, minutes: 5, position: 1, markdown, html: '<p>x</p>', checks: [], ...extra,
});
const draft = (id: string, markdown: string, extra: Partial<StudioLesson> = {}): StudioLesson => ({
  id, slug: id, title: `Lesson ${id}`, minutes: 5, markdown, position: 1, updated_at: '2026-12-01T09:00:00Z', checks: [], ...extra,
});

describe('compareLessons', () => {
  it('matches lessons by id and names what changed', () => {
    const changes = compareLessons(
      [pub('a', 'one\n'), pub('b', 'two'), pub('c', 'three')],
      [draft('a', 'one'), draft('c', 'three', { title: 'Renamed' }), draft('b', 'two, edited'), draft('d', 'new')],
    );
    expect(changes.map((c) => c.kind)).toEqual(['unchanged', 'changed', 'changed', 'added']);
    const [, c, b] = changes;
    expect(c.kind === 'changed' && c.aspects).toEqual(['title', 'order']);
    expect(b.kind === 'changed' && b.aspects).toEqual(['order', 'content']);
    expect(summarize(changes)).toBe('1 lesson added, 2 changed, 1 unchanged');
  });

  it('does not call lessons moved when one is added before them', () => {
    const changes = compareLessons([pub('a', 'x'), pub('b', 'y')], [draft('n', 'new'), draft('a', 'x'), draft('b', 'y')]);
    expect(changes.map((c) => c.kind)).toEqual(['added', 'unchanged', 'unchanged']);
  });

  it('lists removed lessons after the drafts, and does not claim content it cannot compare', () => {
    const changes = compareLessons([pub('a', null), pub('b', 'gone')], [draft('a', 'anything')]);
    expect(changes.map((c) => c.kind)).toEqual(['unchanged', 'removed']);
    expect(changes[0].kind === 'unchanged' && changes[0].contentKnown).toBe(false);
  });
});

describe('compareModule', () => {
  it('lists only the fields that differ, in words', () => {
    const v = { title: 'T', summary: '', access: 'free', competencies: ['self_awareness'] } as VersionDetail;
    const m = { title: 'T', summary: 'New', access: 'premium', competencies: ['self_awareness'] } as StudioModuleDetail;
    expect(compareModule(v, m)).toEqual([
      { field: 'Summary', published: 'None', draft: 'New' },
      { field: 'Access', published: 'Free for everyone', draft: 'Premium (subscribers)' },
    ]);
  });
});

describe('lineDiff', () => {
  it('numbers lines on both sides and folds long unchanged runs', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8'].join('\n');
    const after = ['1', '2', '3', '4', '5', '6', 'seven', '8'].join('\n');
    const blocks = lineDiff(before, after, 1);
    expect(blocks[0]).toEqual({ kind: 'skip', count: 5 });
    expect(blocks[1]).toEqual({
      kind: 'lines',
      lines: [
        { kind: 'same', text: '6', oldNo: 6, newNo: 6 },
        { kind: 'del', text: '7', oldNo: 7 },
        { kind: 'add', text: 'seven', newNo: 7 },
        { kind: 'same', text: '8', oldNo: 8, newNo: 8 },
      ],
    });
  });

  it('ignores a missing newline at the end and Windows line ends', () => {
    expect(lineDiff('a\r\nb\n', 'a\nb')).toEqual([{ kind: 'skip', count: 2 }]);
  });
});
