import { ApiError } from '../api/client';

/** criterionError is the server's word on one criterion's score, whichever way the field is named
 *  (`scores.<id>`, `scores[<id>]`, or `scores` with the criterion in the message's field). */
export function criterionError(err: unknown, criterionId: string): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  return err.fields.find((f) => f.field.startsWith('scores') && f.field.includes(criterionId))?.message;
}

/** responseError is the server's word on the answer itself: the recording or the written text. */
export function responseError(err: unknown): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  return err.fields.find((f) => f.field === 'recording' || f.field === 'text' || f.field === 'response')?.message;
}

/** otherFieldErrors are the server's field messages that belong to no control on the page. */
export function otherFieldErrors(err: unknown, shown: (field: string) => boolean): string[] {
  if (!(err instanceof ApiError)) return [];
  return err.fields.filter((f) => !shown(f.field)).map((f) => f.message);
}
