import { describe, expect, it } from 'vitest';
import { submissionID } from './evidence';

describe('submissionID', () => {
  const id = '3f2c9a1e-5b7d-4c8e-9f0a-1b2c3d4e5f60';
  it('takes the id out of a pasted link', () => {
    expect(submissionID(` https://rapport.example/practice/submissions/${id.toUpperCase()}?x=1 `)).toBe(id);
  });
  it('keeps a bare id', () => {
    expect(submissionID(id)).toBe(id);
  });
  it('sends anything else as typed', () => {
    expect(submissionID(' not a link ')).toBe('not a link');
  });
});
