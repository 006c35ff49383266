// One rounding rule for every score and score change a person reads (skills page, dashboard,
// team report, rep page, and the server's CSV export in internal/teams/model.go): whole points,
// halves away from zero; a change is the difference of the two rounded scores, so a row of
// baseline, latest and change always adds up.

/** roundScore rounds a 0-100 score to whole points, halves away from zero (as Go's math.Round). */
export function roundScore(x: number): number {
  const r = Math.sign(x) * Math.round(Math.abs(x));
  return r === 0 ? 0 : r; // never -0
}

/** scoreChange is the change shown between a baseline and a latest score, in whole points. */
export function scoreChange(baseline: number, latest: number): number {
  return roundScore(latest) - roundScore(baseline);
}

/** formatDelta writes a change in whole points with its sign: "+5", "−3" (a true minus sign), "0". */
export function formatDelta(points: number): string {
  const p = roundScore(points);
  if (p > 0) return `+${p}`;
  if (p < 0) return `\u2212${-p}`;
  return '0';
}

/** formatChange is formatDelta of the change between two scores. */
export function formatChange(baseline: number, latest: number): string {
  return formatDelta(scoreChange(baseline, latest));
}

/** Z of the 90% interval the server returns (latest ± 1.645·SEM) and of reliable change (95%). */
const intervalZ = 1.645;
const changeZ = 1.96;

/** intervalAround is the band where a score's true value likely lies: score ± 1.645·SEM within 0-100,
 *  as the server computes `interval` for the latest score. */
export function intervalAround(score: number, sem: number): [number, number] {
  return [Math.max(0, score - intervalZ * sem), Math.min(100, score + intervalZ * sem)];
}

/** bandIntro says once, in plain words, what the shaded bands on the skills charts mean. */
export const bandIntro =
  'The shaded band is where your true score likely lies: any single check-in can land a few points either way of it, ' +
  'so growth counts as real only when a score rises clearly beyond that.';

/** intervalWords gives one competency's numbers: the band around the latest score and the rise
 *  that counts as real growth (allowing for the practice effect of retaking the profile). */
export function intervalWords(s: {
  interval: number[];
  sem: number;
  practice_effect: number;
  reliability: { source: 'sample' | 'prior' };
}): string {
  const needed = roundScore(changeZ * Math.SQRT2 * s.sem + s.practice_effect);
  const practice = roundScore(s.practice_effect);
  let text = `Likely true score now ${roundScore(s.interval[0])}–${roundScore(s.interval[1])}. Real growth needs more than ${needed} points over your baseline`;
  text += practice > 0 ? `, ${practice} of them for what retaking alone adds.` : '.';
  if (s.reliability.source === 'prior') text += ' (Standard margins until more people have taken the profile.)';
  return text;
}
