import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { components } from '../api/schema';

export type Pulse = components['schemas']['Pulse'];
export type PulseScores = components['schemas']['PulseScores'];
export type PulseList = components['schemas']['PulseList'];

/** pulseKeys are Buyer Pulse's cache keys. */
export const pulseKeys = {
  mine: ['pulses'] as const,
};

/** usePulses lists the caller's pulses with their summary. */
export function usePulses() {
  return useQuery({ queryKey: pulseKeys.mine, queryFn: () => api.GET('/api/v1/pulses') });
}

/** The three questions, as the rep thinks of them (the buyer's wording names the rep). */
export const questions: { id: keyof PulseScores; rep: string; low: string; high: string }[] = [
  { id: 'clarity', rep: 'How much easier is their decision after this conversation?', low: 'Not easier', high: 'Much easier' },
  { id: 'understood', rep: 'How well did you understand their situation?', low: 'Not at all', high: 'Completely' },
  { id: 'again', rep: 'How much would they welcome another conversation with you?', low: 'Not at all', high: 'Very much' },
];

/** mean is the average of a pulse's three values. */
export function mean(s: PulseScores): number {
  return Math.round(((s.clarity + s.understood + s.again) / 3) * 100) / 100;
}

/** accuracyWords turns a mean absolute error (0-4) into a sentence a rep can act on. */
export function accuracyWords(mae: number): string {
  if (mae <= 0.34) return 'Spot on';
  if (mae <= 1) return 'Close';
  if (mae <= 2) return 'Some way off';
  return 'Far off';
}
