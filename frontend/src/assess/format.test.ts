import { describe, expect, it } from 'vitest';
import { formatChange, formatDelta, roundScore, scoreChange } from './format';

// The change cases match internal/teams/format_test.go: the SPA and the CSV round alike.
describe('score changes', () => {
  it.each([
    [50, 100, '+50'],
    [25, 25, '0'],
    [40.4, 45.6, '+6'], // 40 → 46: the change adds up with the scores shown
    [45.6, 40.4, '\u22126'],
    [62.5, 62.4, '\u22121'], // halves away from zero: 63 and 62
    [10.5, 11.49, '0'],
    [0, 0.5, '+1'],
    [99.5, 100, '0'],
    [37.5, 12.5, '\u221225'],
  ])('%d → %d reads %s', (baseline, latest, want) => {
    expect(formatChange(baseline, latest)).toBe(want);
  });

  it('rounds halves away from zero, as the server does', () => {
    expect(roundScore(2.5)).toBe(3);
    expect(roundScore(-2.5)).toBe(-3);
    expect(Object.is(roundScore(-0.4), 0)).toBe(true);
  });

  it('formats an average change in whole points with a sign', () => {
    expect(formatDelta(3.4)).toBe('+3');
    expect(formatDelta(-0.5)).toBe('\u22121');
    expect(formatDelta(0.49)).toBe('0');
    expect(scoreChange(40.4, 45.6)).toBe(6);
  });
});
