import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

/** practiceStudioKeys are the practice Studio's cache keys; `activity` prefixes every activity's. */
export const practiceStudioKeys = {
  list: ['studio-practice'] as const,
  activity: ['studio-practice-activity'] as const,
  bySlug: (slug: string) => ['studio-practice-activity', slug] as const,
};

/** usePracticeActivities lists every activity in the learners' order. */
export function usePracticeActivities() {
  return useQuery({ queryKey: practiceStudioKeys.list, queryFn: () => api.GET('/api/v1/studio/practice') });
}

/** usePracticeActivity is one activity as instructors edit it; a new one (no slug) reads nothing. */
export function usePracticeActivity(slug: string | undefined) {
  return useQuery({
    queryKey: practiceStudioKeys.bySlug(slug ?? ''),
    queryFn: () => api.GET('/api/v1/studio/practice/{slug}', { params: { path: { slug: slug ?? '' } } }),
    enabled: !!slug,
  });
}
