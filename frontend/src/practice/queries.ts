import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Schemas } from '../api/types';

export type PracticeSummary = Schemas['PracticeActivitySummary'];
export type PracticeActivity = Schemas['PracticeActivity'];
export type PracticeKind = Schemas['PracticeKind'];
export type PracticeStatus = Schemas['PracticeStatus'];
export type Criterion = Schemas['RubricCriterion'];
export type CriterionScore = Schemas['CriterionScore'];
export type Submission = Schemas['Submission'];
export type Review = Schemas['Review'];
export type ReviewComment = Schemas['ReviewComment'];
export type QueueItem = Schemas['PracticeQueueItem'];
export type ObservedCompetency = Schemas['ObservedCompetency'];

/** practiceKeys are Practice's cache keys. */
export const practiceKeys = {
  list: ['practice'] as const,
  activity: (slug: string) => ['practice', slug] as const,
  attempts: (slug: string) => ['practice', slug, 'attempts'] as const,
  submission: (id: string) => ['submission', id] as const,
  queue: ['practice-review-queue'] as const,
  observed: ['observed'] as const,
};

/** usePracticeList is every activity with the caller's status on each. */
export function usePracticeList() {
  return useQuery({ queryKey: practiceKeys.list, queryFn: () => api.GET('/api/v1/practice') });
}

/** usePracticeActivity is one activity with its brief, buyer line and rubric. */
export function usePracticeActivity(slug: string) {
  return useQuery({ queryKey: practiceKeys.activity(slug), queryFn: () => api.GET('/api/v1/practice/{slug}', { params: { path: { slug } } }) });
}

/** useAttempts are the caller's attempts at an activity, newest first. */
export function useAttempts(slug: string, enabled: boolean) {
  return useQuery({
    queryKey: practiceKeys.attempts(slug),
    queryFn: () => api.GET('/api/v1/practice/{slug}/submissions', { params: { path: { slug } } }),
    enabled,
  });
}

/** useSubmission is one submission as the caller may see it (blind until they have reviewed). */
export function useSubmission(id: string) {
  return useQuery({
    queryKey: practiceKeys.submission(id),
    queryFn: () => api.GET('/api/v1/submissions/{id}', { params: { path: { id } } }),
    // Recording links expire within the hour: a page left open fetches a fresh one.
    staleTime: 10 * 60_000,
    refetchInterval: 30 * 60_000,
  });
}

/** useReviewQueue is what awaits the caller's review. */
export function useReviewQueue() {
  return useQuery({ queryKey: practiceKeys.queue, queryFn: () => api.GET('/api/v1/reviews/queue') });
}

/** useObserved is self-assessed against observed per competency (GET /api/v1/me/observed). */
export function useObserved() {
  return useQuery({ queryKey: practiceKeys.observed, queryFn: () => api.GET('/api/v1/me/observed') });
}
