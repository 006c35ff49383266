const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** submissionID takes a practice attempt's id out of a pasted link (…/practice/submissions/<id>)
 * or the id itself; anything else is sent as typed, for the server to name the problem. */
export function submissionID(ref: string): string {
  const m = ref.trim().match(uuid);
  return m ? m[0].toLowerCase() : ref.trim();
}
