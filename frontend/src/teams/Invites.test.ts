import { describe, expect, it } from 'vitest';
import { parseEmails } from './Invites';

describe('parseEmails', () => {
  it('finds every address in pasted text once, lower-cased', () => {
    const text = 'Ana <Ana@Example.com>; ben@example.com, ben@example.com\n"Cy" cy@example.org  not-an-address';
    expect(parseEmails(text)).toEqual(['ana@example.com', 'ben@example.com', 'cy@example.org']);
  });
});
