import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { criterionError, otherFieldErrors, responseError, scoreFieldFor } from './errors';

const err = new ApiError(422, 'Check the fields', [
  { field: 'self_review.scores.opens', message: 'Your score for "Opens" is missing.' },
  { field: 'recording', message: 'Record your response (or write it instead) before you submit.' },
  { field: 'note', message: 'Keep the note to 1000 characters or fewer.' },
]);

describe('practice field errors', () => {
  it('puts a missing score beside its criterion, for self-reviews and reviews', () => {
    expect(criterionError(err, 'opens')).toBe('Your score for "Opens" is missing.');
    expect(criterionError(err, 'closes')).toBeUndefined();
    expect(scoreFieldFor('scores.listens', 'listens')).toBe(true);
    expect(scoreFieldFor('scores.0.score', 'listens')).toBe(false);
    expect(scoreFieldFor('scores.listens-well', 'well')).toBe(false);
  });
  it('puts the answer’s problem beside the answer, and lists the rest', () => {
    expect(responseError(err)).toMatch(/^Record your response/);
    expect(otherFieldErrors(err, (f) => f === 'recording' || scoreFieldFor(f, 'opens'))).toEqual(['Keep the note to 1000 characters or fewer.']);
    expect(otherFieldErrors(new Error('x'), () => false)).toEqual([]);
  });
});
