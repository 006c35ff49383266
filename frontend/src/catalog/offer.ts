import type { ModuleSummary } from './types';

/** Offer is what is free and what a subscription adds, counted from the published modules (the
 *  server's `access` field), so no page hard-codes how many modules there are. */
export type Offer = { total: number; free: ModuleSummary[]; premium: number };

export function offerOf(modules: ModuleSummary[]): Offer {
  const free = modules.filter((m) => m.access === 'free');
  return { total: modules.length, free, premium: modules.length - free.length };
}

/** freeModules names the free modules: "“The Buyer Has Changed”", "2 modules", or null. */
export function freeModules(o: Offer): string | null {
  if (o.free.length === 0) return null;
  if (o.free.length === 1) return `the module “${o.free[0].title}”`;
  return plural(o.free.length, 'module');
}

const words = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

/** plural is "one module" / "seven modules" / "14 modules" (words up to twelve, as in prose). */
export function plural(n: number, word: string): string {
  return `${words[n] ?? n} ${word}${n === 1 ? '' : 's'}`;
}

/** capitalised starts a sentence with s. */
export function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
