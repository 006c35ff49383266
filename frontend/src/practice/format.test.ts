import { describe, expect, it } from 'vitest';
import { fromScores, gapWords, limitWords, missingCriteria, observedReading, reviewerMean, scoreFor, signed, toScores } from './format';

const rubric = [
  { id: 'opens', competency: 'social_awareness', criterion: 'Opens', anchors: { '1': 'a', '3': 'b', '5': 'c' } },
  { id: 'listens', competency: 'empathy', criterion: 'Listens', anchors: { '1': 'a', '3': 'b', '5': 'c' } },
  { id: 'closes', competency: 'buyer_enablement', criterion: 'Closes', anchors: { '1': 'a', '3': 'b', '5': 'c' } },
];

describe('scores', () => {
  it('lists what is missing and sends the rest in rubric order', () => {
    const chosen = { closes: 4, opens: 2 };
    expect(missingCriteria(rubric, chosen).map((c) => c.id)).toEqual(['listens']);
    expect(toScores(rubric, chosen)).toEqual([{ criterion_id: 'opens', score: 2 }, { criterion_id: 'closes', score: 4 }]);
    expect(fromScores(toScores(rubric, chosen))).toEqual(chosen);
    expect(fromScores(undefined)).toEqual({});
  });
  it('finds a score and averages reviewers who scored', () => {
    const reviews = [
      { reviewer: { id: '1', name: 'A' }, role: 'manager' as const, scores: [{ criterion_id: 'opens', score: 3 }], submitted_at: null },
      { reviewer: { id: '2', name: 'B' }, role: 'peer' as const, scores: [{ criterion_id: 'opens', score: 4 }], submitted_at: null },
      { reviewer: { id: '3', name: 'C' }, role: 'peer' as const, submitted_at: null },
    ];
    expect(scoreFor(reviews[0].scores, 'opens')).toBe(3);
    expect(scoreFor(reviews[0].scores, 'listens')).toBeUndefined();
    expect(reviewerMean(reviews, 'opens')).toBe(3.5);
    expect(reviewerMean(reviews, 'listens')).toBeUndefined();
  });
});

describe('words', () => {
  it('says a time limit briefly', () => {
    expect(limitWords(45)).toBe('45 s');
    expect(limitWords(120)).toBe('2 min');
    expect(limitWords(150)).toBe('2 min 30 s');
  });
  it('says a criterion gap as self against reviewer', () => {
    expect(gapWords(4, 2)).toBe('Self-score 2 points higher');
    expect(gapWords(2, 3)).toBe('Self-score 1 point lower');
    expect(gapWords(3, 3)).toBe('Same score');
    expect(gapWords(undefined, 3)).toBe('–');
  });
  it('signs a gap', () => {
    expect(signed(2)).toBe('+2');
    expect(signed(-1.26)).toBe('−1.3');
    expect(signed(0)).toBe('0');
  });
  it('reads a self-minus-observed gap in plain words', () => {
    expect(observedReading(18, 50)).toBe('You rate yourself 18 points above what reviewers observed: ask them for specific examples.');
    expect(observedReading(-12.4, 70)).toMatch(/^Reviewers observed 12 points more than you credit yourself for/);
    expect(observedReading(4, 60)).toMatch(/matches/);
    expect(observedReading(null, null)).toMatch(/No reviewed practice/);
    expect(observedReading(null, 40)).toMatch(/Take the assessment/);
  });
});
