import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useAuth, type Status } from '../auth/AuthContext';

// The published catalog's queries. What the catalog answers depends on who asks (progress when
// signed in, premium lessons with entitlement), so each key ends with the viewer's sign-in status;
// the queries wait until that status is known.

/** catalogKeys are the catalog's cache keys; invalidate a prefix (modules, module, lesson) after
 *  a change that alters what learners see, for every viewer at once. */
export const catalogKeys = {
  modules: ['modules'] as const,
  module: ['module'] as const,
  lesson: ['lesson'] as const,
  modulesFor: (viewer: Status) => ['modules', viewer] as const,
  moduleFor: (slug: string, viewer: Status) => ['module', slug, viewer] as const,
  lessonFor: (slug: string, lesson: string, viewer: Status) => ['lesson', slug, lesson, viewer] as const,
  coaching: ['coaching'] as const,
  coachingFor: (slug: string, userId: string) => ['coaching', slug, userId] as const,
};

/** useModules is the published catalog (GET /api/v1/modules): one cache entry for every page
 *  that lists or counts modules. With wanted false it only reads what is cached. */
export function useModules(wanted = true) {
  const { status } = useAuth();
  return useQuery({
    queryKey: catalogKeys.modulesFor(status),
    queryFn: () => api.GET('/api/v1/modules'),
    enabled: wanted && status !== 'loading',
  });
}

/** useModule is one published module with its lessons. */
export function useModule(slug: string) {
  const { status } = useAuth();
  return useQuery({
    queryKey: catalogKeys.moduleFor(slug, status),
    queryFn: () => api.GET('/api/v1/modules/{slug}', { params: { path: { slug } } }),
    enabled: status !== 'loading',
  });
}

/** useLesson is one published lesson, with its module's title and its neighbours for the pager. */
export function useLesson(slug: string, lesson: string) {
  const { status } = useAuth();
  return useQuery({
    queryKey: catalogKeys.lessonFor(slug, lesson, status),
    queryFn: () => api.GET('/api/v1/modules/{slug}/lessons/{lesson}', { params: { path: { slug, lesson } } }),
    enabled: status !== 'loading',
  });
}

/** useCanCoach tells whether the signed-in user may read coaching guides: a manager of any team,
 *  an instructor or an admin (the server decides again on every request). */
export function useCanCoach() {
  const { me, hasRole } = useAuth();
  return !!me && (hasRole('instructor') || hasRole('admin') || me.teams.some((t) => t.role === 'manager'));
}

/** useCoaching is a module's coaching guide for managers. It asks only for users who may coach
 *  (wanted); a 404 means the module has no guide, which the panel shows as nothing. */
export function useCoaching(slug: string, wanted = true) {
  const { me } = useAuth();
  return useQuery({
    queryKey: catalogKeys.coachingFor(slug, me?.id ?? ''),
    queryFn: () => api.GET('/api/v1/modules/{slug}/coaching', { params: { path: { slug } } }),
    enabled: wanted && !!me,
  });
}
