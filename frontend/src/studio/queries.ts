import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

/** studioKeys are the studio's cache keys; `module` is the prefix of every module's key. */
export const studioKeys = {
  modules: ['studio-modules'] as const,
  module: ['studio-module'] as const,
  moduleBySlug: (slug: string) => ['studio-module', slug] as const,
  versions: (slug: string) => ['studio-versions', slug] as const,
  version: (slug: string, version: string) => ['studio-version', slug, version] as const,
  stats: (slug: string) => ['assess-stats', slug] as const,
};

/** useStudioModules lists every module with its publishing state. */
export function useStudioModules() {
  return useQuery({ queryKey: studioKeys.modules, queryFn: () => api.GET('/api/v1/studio/modules') });
}

/** useStudioModule is one module's drafts; a new module (no slug yet) reads nothing. */
export function useStudioModule(slug: string | undefined) {
  return useQuery({
    queryKey: studioKeys.moduleBySlug(slug ?? ''),
    queryFn: () => api.GET('/api/v1/studio/modules/{slug}', { params: { path: { slug: slug ?? '' } } }),
    enabled: !!slug,
  });
}

/** useVersions lists a module's published versions. */
export function useVersions(slug: string) {
  return useQuery({
    queryKey: studioKeys.versions(slug),
    queryFn: () => api.GET('/api/v1/studio/modules/{slug}/versions', { params: { path: { slug } } }),
  });
}

/** useVersion is one published version; it never changes, so it is read once. */
export function useVersion(slug: string, version: string) {
  return useQuery({
    queryKey: studioKeys.version(slug, version),
    queryFn: () => api.GET('/api/v1/studio/modules/{slug}/versions/{version}', { params: { path: { slug, version } } }),
    staleTime: Infinity,
  });
}

/** useAssessmentStats is an instrument's item and scale statistics. */
export function useAssessmentStats(slug: string) {
  return useQuery({
    queryKey: studioKeys.stats(slug),
    queryFn: () => api.GET('/api/v1/studio/assessments/{slug}/stats', { params: { path: { slug } } }),
  });
}
