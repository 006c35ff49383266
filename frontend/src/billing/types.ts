import type { Schemas } from '../api/types';

// Billing's API shapes, as the contract names them (generated; see api/types.ts).
export type Plan = Schemas['Plan'];

export function money(cents: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(cents / 100);
}
