// Practice's words and small sums, kept pure so they can be tested.

import type { Schemas } from '../api/types';

type Kind = Schemas['PracticeKind'];
type Status = Schemas['PracticeStatus'];
type Score = Schemas['CriterionScore'];
type Criterion = Schemas['RubricCriterion'];
type Review = Schemas['Review'];

export const kindWords: Record<Kind, string> = { video: 'Video', audio: 'Audio', text: 'Written' };

export const statusWords: Record<Status, string> = {
  not_started: 'Not started',
  draft: 'Draft',
  submitted: 'Waiting for review',
  reviewed: 'Reviewed',
};

/** statusBadge is the badge class for a status: done when reviewed, brand while something is open. */
export function statusBadge(s: Status): string {
  if (s === 'reviewed') return 'badge badge-done';
  if (s === 'not_started') return 'badge badge-muted';
  return 'badge badge-brand';
}

/** limitWords is a time limit as a card shows it: "90 s", "2 min", "2 min 30 s". */
export function limitWords(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}

/** scoreFor is the score given on one criterion, if any. */
export function scoreFor(scores: Score[] | undefined, criterionId: string): number | undefined {
  return scores?.find((s) => s.criterion_id === criterionId)?.score;
}

/** missingCriteria are the rubric's criteria without a score. */
export function missingCriteria(rubric: Criterion[], scores: Record<string, number>): Criterion[] {
  return rubric.filter((c) => !(scores[c.id] >= 1 && scores[c.id] <= 5));
}

/** toScores turns the form's choices into the API's list, in rubric order. */
export function toScores(rubric: Criterion[], scores: Record<string, number>): Score[] {
  return rubric.filter((c) => scores[c.id] >= 1 && scores[c.id] <= 5).map((c) => ({ criterion_id: c.id, score: scores[c.id] }));
}

/** fromScores is the form's state from the API's list. */
export function fromScores(scores: Score[] | undefined): Record<string, number> {
  return Object.fromEntries((scores ?? []).map((s) => [s.criterion_id, s.score]));
}

/** reviewerMean is the mean submitted score on a criterion over the reviews that carry scores. */
export function reviewerMean(reviews: Review[], criterionId: string): number | undefined {
  const xs = reviews.map((r) => scoreFor(r.scores, criterionId)).filter((x): x is number => x !== undefined);
  if (xs.length === 0) return undefined;
  return Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;
}

/** gapWords says, for one criterion, how the rep's own score compares with a reviewer's. */
export function gapWords(self: number | undefined, observed: number | undefined): string {
  if (self === undefined || observed === undefined) return '–';
  const gap = Math.round((self - observed) * 10) / 10;
  if (gap === 0) return 'Same score';
  const n = Math.abs(gap);
  const points = n === 1 ? '1 point' : `${n} points`;
  return gap > 0 ? `Self-score ${points} higher` : `Self-score ${points} lower`;
}

/** signed writes a gap with its sign: +2, −1, 0. */
export function signed(n: number): string {
  const r = Math.round(n * 10) / 10;
  if (r > 0) return `+${r}`;
  if (r < 0) return `−${Math.abs(r)}`;
  return '0';
}

/** observedReading is the plain-words reading of a self-minus-observed gap (0-100 scale) on the
 *  skills page, with one thing to do about it. */
export function observedReading(gap: number | null, observed: number | null): string {
  if (observed === null) return 'No reviewed practice yet on this competency.';
  if (gap === null) return 'Take the assessment to compare your own view with what reviewers observed.';
  const n = Math.round(Math.abs(gap));
  if (n < 10) return 'Your own view matches what reviewers observed: a sign of accurate self-awareness.';
  if (gap > 0) return `You rate yourself ${n} points above what reviewers observed: ask them for specific examples.`;
  return `Reviewers observed ${n} points more than you credit yourself for: notice what you already do well.`;
}
