import type { Item } from './types';

/** screens groups an attempt's items: runs of up to `group` Likert statements share a screen; each
 *  scenario (sjt) or knowledge question (choice) gets its own. The attempt's order is kept. */
export function screens(items: Item[], group = 5): Item[][] {
  const out: Item[][] = [];
  let run: Item[] = [];
  for (const it of items) {
    if (it.type === 'likert') {
      run.push(it);
      if (run.length === group) {
        out.push(run);
        run = [];
      }
      continue;
    }
    if (run.length) {
      out.push(run);
      run = [];
    }
    out.push([it]);
  }
  if (run.length) out.push(run);
  return out;
}

/** answered reports whether a stored value is a complete answer for the item. */
export function answered(item: Item, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (item.type === 'sjt') return Array.isArray(value) && value.length === item.options.length && value.every((v) => typeof v === 'number' && v >= 1);
  return true;
}
