import { describe, expect, it } from 'vitest';
import { answerSeconds, nextReviewText, reviewLine } from './format';

describe('reviewLine', () => {
  it('names the count and the minutes', () => {
    expect(reviewLine(6, 4)).toBe('6 to review, about 4 minutes');
    expect(reviewLine(1, 1)).toBe('1 to review, about 1 minute');
    expect(reviewLine(1, 0)).toBe('1 to review, about 1 minute');
  });
});

describe('nextReviewText', () => {
  const now = new Date(2026, 11, 7, 9, 0);
  it('explains the queue when nothing is scheduled', () => {
    expect(nextReviewText(null, now)).toMatch(/checks at the end of a lesson/);
  });
  it('says today, tomorrow or the date', () => {
    expect(nextReviewText(new Date(2026, 11, 7, 17, 0).toISOString(), now)).toMatch(/later today/);
    expect(nextReviewText(new Date(2026, 11, 8, 9, 0).toISOString(), now)).toMatch(/tomorrow/);
    expect(nextReviewText(new Date(2026, 11, 10, 9, 0).toISOString(), now)).toMatch(/^Your next review is due on /);
  });
});

describe('answerSeconds', () => {
  it('rounds and caps at 600', () => {
    expect(answerSeconds(0, 12_400)).toBe(12);
    expect(answerSeconds(0, 3_600_000)).toBe(600);
    expect(answerSeconds(10, 0)).toBe(0);
  });
});
