import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Plans } from './types';

/** usePlans reads the plans and whether online payment is on (public, cached for a few minutes). */
export function usePlans() {
  return useQuery({ queryKey: ['plans'], queryFn: () => api<Plans>('/api/v1/plans'), staleTime: 5 * 60_000 });
}
