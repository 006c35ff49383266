import { describe, expect, it } from 'vitest';
import { looksLikeEmail, parseEmails } from './Invites';

describe('parseEmails', () => {
  it('finds every address in pasted text once, lower-cased', () => {
    const text = 'Ana <Ana@Example.com>; ben@example.com, ben@example.com\n"Cy" cy@example.org  not-an-address';
    expect(parseEmails(text)).toEqual(['ana@example.com', 'ben@example.com', 'cy@example.org']);
  });
});

describe('looksLikeEmail', () => {
  it('accepts ordinary addresses and refuses half-typed ones', () => {
    expect(['ana@example.com', 'b.c+tag@sub.example.org'].filter(looksLikeEmail)).toHaveLength(2);
    expect(['ana@example', 'ana@', '@example.com', 'ana@example.', 'ana@@example.com'].filter(looksLikeEmail)).toEqual([]);
  });
});
