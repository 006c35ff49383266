import { describe, expect, it } from 'vitest';
import { freeModules, offerOf, plural } from './offer';
import type { ModuleSummary } from './types';

const mod = (slug: string, access: 'free' | 'premium'): ModuleSummary => ({
  id: slug, slug, title: `Title ${slug}`, summary: '', access, competencies: [], lesson_count: 4, minutes: 20, version: 1,
});

describe('offerOf', () => {
  it('counts free and premium modules from the catalog', () => {
    const o = offerOf([mod('a', 'free'), mod('b', 'premium'), mod('c', 'premium')]);
    expect(o.total).toBe(3);
    expect(o.premium).toBe(2);
    expect(o.free.map((m) => m.slug)).toEqual(['a']);
    expect(freeModules(o)).toBe('the module “Title a”');
  });
  it('names several free modules by count, and none as null', () => {
    expect(freeModules(offerOf([mod('a', 'free'), mod('b', 'free')]))).toBe('two modules');
    expect(freeModules(offerOf([mod('b', 'premium')]))).toBeNull();
  });
  it('pluralises', () => {
    expect(plural(1, 'module')).toBe('one module');
    expect(plural(7, 'module')).toBe('seven modules');
    expect(plural(14, 'module')).toBe('14 modules');
  });
});
