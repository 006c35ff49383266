import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

/** adminKeys are the admin pages' cache keys; a search's key ends with its query, under a prefix
 *  to invalidate every search at once. */
export const adminKeys = {
  grants: ['grants'] as const,
  teams: ['admin-teams'] as const,
  teamSearch: (query: string) => ['admin-teams', query] as const,
  users: ['admin-users'] as const,
  userSearch: (query: string) => ['admin-users', query] as const,
  billingEvents: ['billing-events'] as const,
};

/** Search says when a search runs and whether it keeps showing the last answer while typing. */
type Search = { enabled?: boolean; keepPrevious?: boolean };

/** useGrants lists the complimentary access grants. */
export function useGrants() {
  return useQuery({ queryKey: adminKeys.grants, queryFn: () => api.GET('/api/v1/admin/grants') });
}

/** useTeamSearch finds teams by name or manager. */
export function useTeamSearch(query: string, { enabled = true, keepPrevious = false }: Search = {}) {
  return useQuery({
    queryKey: adminKeys.teamSearch(query),
    queryFn: () => api.GET('/api/v1/admin/teams', { params: { query: { query } } }),
    enabled,
    placeholderData: keepPrevious ? keepPreviousData : undefined,
  });
}

/** useUserSearch finds accounts by name or e-mail; an empty query lists the newest. */
export function useUserSearch(query: string, { enabled = true, keepPrevious = false }: Search = {}) {
  return useQuery({
    queryKey: adminKeys.userSearch(query),
    queryFn: () => api.GET('/api/v1/admin/users', { params: { query: { query } } }),
    enabled,
    placeholderData: keepPrevious ? keepPreviousData : undefined,
  });
}

/** useBillingEvents lists Stripe's webhook events, refreshed while the page is open. */
export function useBillingEvents() {
  return useQuery({ queryKey: adminKeys.billingEvents, queryFn: () => api.GET('/api/v1/admin/billing/events'), refetchInterval: 10_000 });
}
