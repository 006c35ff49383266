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
