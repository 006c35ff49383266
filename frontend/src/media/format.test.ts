import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, insertBlock, snippet, uploadProblem } from './format';

describe('snippet', () => {
  it('writes the Markdown form of each kind', () => {
    expect(snippet({ id: 'img1', kind: 'image', alt: 'A funnel', title: 'Funnel' })).toBe('![A funnel](media:img1)');
    expect(snippet({ id: 'v1', kind: 'video', alt: '', title: 'Demo' })).toBe('::video{media=v1}');
    expect(snippet({ id: 'v1', kind: 'video', alt: '', title: 'Demo' }, 'c1')).toBe('::video{media=v1 captions=c1}');
    expect(snippet({ id: 'a1', kind: 'audio', alt: '', title: 'Call' })).toBe('::audio{media=a1}');
    expect(snippet({ id: 'd1', kind: 'document', alt: '', title: 'Worksheet' })).toBe('::download{media=d1}');
  });
  it('keeps alt text from breaking the image syntax', () => {
    expect(snippet({ id: 'i', kind: 'image', alt: 'a [b]\nc', title: '' })).toBe('![a \\[b\\] c](media:i)');
  });
});

describe('insertBlock', () => {
  it('puts a directive on its own line with blank lines around it', () => {
    const r = insertBlock('Intro text.More.', 11, '::audio{media=a}');
    expect(r.text).toBe('Intro text.\n\n::audio{media=a}\n\nMore.');
    expect(r.text.slice(0, r.cursor)).toBe('Intro text.\n\n::audio{media=a}\n\n');
  });
  it('adds nothing extra where the blank lines already are', () => {
    expect(insertBlock('A\n\n\n\nB', 3, 'X').text).toBe('A\n\nX\n\nB');
    expect(insertBlock('', 0, 'X').text).toBe('X\n');
  });
  it('clamps a cursor beyond the text', () => {
    expect(insertBlock('A', 99, 'X').text).toBe('A\n\nX\n');
  });
});

describe('formats', () => {
  it('reads sizes and durations', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(14 * 1024)).toBe('14 KB');
    expect(formatBytes(3.25 * 1024 * 1024)).toBe('3.3 MB');
    expect(formatBytes(120 * 1024 * 1024)).toBe('120 MB');
    expect(formatDuration(65.4)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
  it('explains refusals in customer sentences, preferring the server’s', () => {
    expect(uploadProblem(415)).toMatch(/can’t use this type of file/);
    expect(uploadProblem(413)).toMatch(/too large/);
    expect(uploadProblem(422)).toMatch(/empty/);
    expect(uploadProblem(413, 'Images can be up to 10 MB; this one is 14 MB.')).toBe('Images can be up to 10 MB; this one is 14 MB.');
  });
});
