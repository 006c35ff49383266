/** reviewLine is the dashboard's summary: "6 to review, about 4 minutes". */
export function reviewLine(count: number, minutes: number): string {
  const m = Math.max(1, minutes);
  return `${count} to review, about ${m} ${m === 1 ? 'minute' : 'minutes'}`;
}

/** nextReviewText says when the next review is due, in the reader's words: "later today",
 *  "tomorrow", or a weekday and date. */
export function nextReviewText(next: string | null | undefined, now = new Date()): string {
  if (!next) return 'Answer the checks at the end of a lesson and the ones worth revisiting will come back here.';
  const at = new Date(next);
  const day = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((day(at) - day(now)) / 86_400_000);
  const time = at.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
  if (days <= 0) return `Your next review is due later today, at ${time}.`;
  if (days === 1) return `Your next review is due tomorrow, at ${time}.`;
  return `Your next review is due on ${at.toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric' })}.`;
}

/** answerSeconds is the time spent on a check, capped at what the server accepts (600). */
export function answerSeconds(startedAt: number, now = Date.now()): number {
  return Math.min(600, Math.max(0, Math.round((now - startedAt) / 1000)));
}
