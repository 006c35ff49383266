import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { progressKeys } from '../progress/queries';

/** reviewKeys are the review queue's cache keys. */
export const reviewKeys = {
  queue: ['review'] as const,
};

/** useReview is the caller's review queue: due checks (at most 10), how many are due, and when
 *  the next one falls due. */
export function useReview(enabled = true) {
  return useQuery({ queryKey: reviewKeys.queue, queryFn: () => api.GET('/api/v1/review'), enabled });
}

/** useAnswerCheck answers one check. The answer reschedules the check and its seconds count
 *  toward the week, so the queue and the dashboard are refetched once it is recorded. */
export function useAnswerCheck() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, optionID, seconds }: { id: string; optionID: string; seconds: number }) =>
      api.POST('/api/v1/checks/{id}/answers', { params: { path: { id } }, body: { option_id: optionID, seconds } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: reviewKeys.queue });
      void qc.invalidateQueries({ queryKey: progressKeys.progress });
    },
  });
}
