import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

/** billingKeys are billing's cache keys. */
export const billingKeys = {
  plans: ['plans'] as const,
  subscription: ['subscription'] as const,
};

/** usePlans reads the plans and whether online payment is on (public, cached for a few minutes). */
export function usePlans() {
  return useQuery({ queryKey: billingKeys.plans, queryFn: () => api.GET('/api/v1/plans'), staleTime: 5 * 60_000 });
}

/** useSubscription is the caller's own subscription, or null without one. */
export function useSubscription() {
  return useQuery({ queryKey: billingKeys.subscription, queryFn: () => api.GET('/api/v1/me/subscription') });
}
