export type Plan = { id: string; name: string; interval: 'month' | 'year'; amount: number; currency: string; per_seat: boolean; trial_days: number };
export type Plans = { plans: Plan[]; billing_enabled: boolean };
export type Subscription = { status: string; plan_id: string; seats: number; current_period_end: string; cancel_at_period_end: boolean } | null;

export function money(cents: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(cents / 100);
}
