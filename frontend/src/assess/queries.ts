import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

/** assessKeys are the assessments' cache keys; invalidate both after an attempt is submitted. */
export const assessKeys = {
  assessments: ['assessments'] as const,
  skills: ['skills'] as const,
};

/** useAssessments lists the instruments with where the caller stands in each. */
export function useAssessments() {
  return useQuery({ queryKey: assessKeys.assessments, queryFn: () => api.GET('/api/v1/assessments') });
}

/** useSkills is the caller's competencies, baseline against latest. */
export function useSkills() {
  return useQuery({ queryKey: assessKeys.skills, queryFn: () => api.GET('/api/v1/me/skills') });
}
