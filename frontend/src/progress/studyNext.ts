import type { Schemas } from '../api/types';
import type { ModuleProgress } from './types';

/** The parts of a catalog module, a skill and a dashboard module that the recommendation needs. */
type CatalogModule = Pick<Schemas['CatalogModule'], 'slug' | 'title' | 'competencies' | 'lesson_count' | 'minutes'>;
// The contract always scores a listed competency; the recommendation also takes one without a
// score yet (null) and leaves it out.
type Skill = Pick<Schemas['Skill'], 'competency'> & { latest: Schemas['Skill']['latest'] | null };
type Progress = Pick<ModuleProgress, 'slug' | 'state' | 'completed_lessons' | 'lesson_count'>;

/** Recommendation is one recommended module with why it is recommended. */
export type Recommendation<M extends CatalogModule = CatalogModule> =
  | { module: M; reason: 'in_progress'; progress: Progress }
  | { module: M; reason: 'weakest'; competency: string }
  | { module: M; reason: 'not_started' };

/** weakestCompetencies orders the assessed competencies from the lowest latest score up. */
export function weakestCompetencies(skills: Skill[]): string[] {
  return skills
    .filter((s) => s.latest !== null)
    .sort((a, b) => (a.latest as number) - (b.latest as number) || a.competency.localeCompare(b.competency))
    .map((s) => s.competency);
}

/** studyNext recommends what to study next and never a finished module: first the modules in
 *  progress (in the order given, the dashboard's most recent activity first), then modules that
 *  build the learner's weakest competencies (lowest score first, catalog order within one),
 *  then, without a baseline, the catalog's unfinished modules in order. `progress` is the
 *  dashboard's module list, whose `state` is the server's one rule for "finished". */
export function studyNext<M extends CatalogModule>(modules: M[], skills: Skill[], progress: Progress[], limit = 3): Recommendation<M>[] {
  const bySlug = new Map(modules.map((m) => [m.slug, m]));
  const finished = new Set(progress.filter((p) => p.state === 'completed').map((p) => p.slug));
  const picks: Recommendation<M>[] = [];
  const taken = new Set<string>();
  const add = (p: Recommendation<M>) => {
    if (picks.length < limit && !taken.has(p.module.slug) && !finished.has(p.module.slug)) {
      taken.add(p.module.slug);
      picks.push(p);
    }
  };
  for (const p of progress) {
    const m = bySlug.get(p.slug);
    if (m && p.state === 'in_progress') add({ module: m, reason: 'in_progress', progress: p });
  }
  const weakest = weakestCompetencies(skills);
  for (const c of weakest) {
    for (const m of modules) if ((m.competencies as readonly string[]).includes(c)) add({ module: m, reason: 'weakest', competency: c });
  }
  if (weakest.length === 0) for (const m of modules) add({ module: m, reason: 'not_started' });
  return picks;
}
