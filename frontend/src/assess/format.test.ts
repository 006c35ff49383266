import { describe, expect, it } from 'vitest';
import { bandIntro, formatChange, formatDelta, intervalAround, intervalWords, roundScore, scoreChange } from './format';

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

describe('score intervals', () => {
  it('is the score ± 1.645·SEM, clamped to 0-100', () => {
    const [lo, hi] = intervalAround(50, 10);
    expect(lo).toBeCloseTo(33.55, 10);
    expect(hi).toBeCloseTo(66.45, 10);
    expect(intervalAround(95, 10)).toEqual([78.55, 100]);
    expect(intervalAround(3, 10)[0]).toBe(0);
  });

  it('says in plain words what the band means and when growth counts', () => {
    // SEM 6.71 (SD 15, alpha .8): reliable change 1.96·√2·6.71 = 18.6 → 19 points.
    const prior = intervalWords({ interval: [49.2, 71.3], sem: 6.71, practice_effect: 0, reliability: { source: 'prior' } });
    expect(prior).toBe('Likely true score now 49–71. Real growth needs more than 19 points over your baseline. (Standard margins until more people have taken the profile.)');
    const sample = intervalWords({ interval: [40, 56], sem: 5, practice_effect: 2.4, reliability: { source: 'sample' } });
    expect(sample).toBe('Likely true score now 40–56. Real growth needs more than 16 points over your baseline, 2 of them for what retaking alone adds.');
    expect(bandIntro).toContain('The shaded band is where your true score likely lies');
  });
});
