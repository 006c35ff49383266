import { ApiError } from '../api/client';

/** scoreFieldFor reports whether a field error names one criterion's score: the server lists a
 *  missing score as `scores.<id>` (a review) or `self_review.scores.<id>` (submitting). */
export function scoreFieldFor(field: string, criterionId: string): boolean {
  return /(^|\.)scores\./.test(field) && field.endsWith(`.${criterionId}`);
}

/** criterionError is the server's word on one criterion's score. */
export function criterionError(err: unknown, criterionId: string): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  return err.fields.find((f) => scoreFieldFor(f.field, criterionId))?.message;
}

/** responseError is the server's word on the answer itself: the recording or the written text. */
export function responseError(err: unknown): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  return err.fields.find((f) => f.field === 'recording' || f.field === 'text')?.message;
}

/** otherFieldErrors are the server's field messages that belong to no control on the page. */
export function otherFieldErrors(err: unknown, shown: (field: string) => boolean): string[] {
  if (!(err instanceof ApiError)) return [];
  return err.fields.filter((f) => !shown(f.field)).map((f) => f.message);
}
