import { describe, expect, it } from 'vitest';
import type { components } from '../api/schema';
import { studyNext, weakestCompetencies } from './studyNext';

type CompetencyKey = components['schemas']['CompetencyKey'];

const modules: { slug: string; title: string; competencies: CompetencyKey[]; lesson_count: number; minutes: number }[] = [
  { slug: 'free', title: 'Free', competencies: ['job_diagnosis'], lesson_count: 5, minutes: 40 },
  { slug: 'self', title: 'Self', competencies: ['self_awareness'], lesson_count: 4, minutes: 30 },
  { slug: 'listen', title: 'Listen', competencies: ['social_awareness', 'self_awareness'], lesson_count: 4, minutes: 30 },
  { slug: 'map', title: 'Map', competencies: ['stakeholder_mapping'], lesson_count: 3, minutes: 20 },
];
const skills = [
  { competency: 'self_awareness', latest: 40 },
  { competency: 'social_awareness', latest: 55 },
  { competency: 'stakeholder_mapping', latest: 80 },
  { competency: 'job_diagnosis', latest: null },
];
const done = (slug: string, n = 4) => ({ slug, state: 'completed' as const, completed_lessons: n, lesson_count: n });
const going = (slug: string, c = 1, n = 4) => ({ slug, state: 'in_progress' as const, completed_lessons: c, lesson_count: n });
const slugs = (r: { module: { slug: string } }[]) => r.map((p) => p.module.slug);

describe('studyNext', () => {
  it('orders the weakest competencies from the lowest score and skips unassessed ones', () => {
    expect(weakestCompetencies(skills)).toEqual(['self_awareness', 'social_awareness', 'stakeholder_mapping']);
  });

  it('recommends modules for the weakest competency first', () => {
    const r = studyNext(modules, skills, []);
    expect(slugs(r)).toEqual(['self', 'listen', 'map']);
    expect(r[0]).toMatchObject({ reason: 'weakest', competency: 'self_awareness' });
  });

  it('puts a module in progress first, even with no lesson completed yet', () => {
    const r = studyNext(modules, skills, [going('map', 0)]);
    expect(slugs(r)).toEqual(['map', 'self', 'listen']);
    expect(r[0].reason).toBe('in_progress');
  });

  it('never recommends a finished module', () => {
    const r = studyNext(modules, skills, [done('self'), done('listen')]);
    expect(slugs(r)).toEqual(['map']);
    expect(studyNext(modules, skills, modules.map((m) => done(m.slug)))).toEqual([]);
  });

  it('without a baseline suggests unfinished modules in catalog order', () => {
    const r = studyNext(modules, [], [done('free', 5), going('listen')]);
    expect(slugs(r)).toEqual(['listen', 'self', 'map']);
    expect(r.map((p) => p.reason)).toEqual(['in_progress', 'not_started', 'not_started']);
  });

  it('respects the limit', () => {
    expect(studyNext(modules, skills, [], 1)).toHaveLength(1);
  });
});
