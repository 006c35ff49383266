import { describe, expect, it } from 'vitest';
import { blankActivity, blankCriterion, criterionId, formatLimit, moveCriterion, requestBody, withCriterionCompetency } from './form';

describe('criterionId', () => {
  it('makes a short, unique id from the criterion text', () => {
    expect(criterionId('Explores what the number is compared with', [])).toBe('explores-what-the-number');
    expect(criterionId('Explores what the number is', ['explores-what-the-number'])).toBe('explores-what-the-number-2');
  });
  it('drops punctuation and accents, and never returns an empty id', () => {
    expect(criterionId('Names the “pause” — café style!', [])).toBe('names-the-pause-cafe');
    expect(criterionId('   ', [])).toBe('criterion');
    expect(criterionId('?!', ['criterion'])).toBe('criterion-2');
  });
});

describe('withCriterionCompetency', () => {
  it('lists a criterion’s competency among the activity’s, once', () => {
    const f = { ...blankActivity(), competencies: ['self_awareness' as const] };
    const g = withCriterionCompetency(f, 1, 'job_diagnosis');
    expect(g.rubric[1].competency).toBe('job_diagnosis');
    expect(g.competencies).toEqual(['self_awareness', 'job_diagnosis']);
    expect(withCriterionCompetency(g, 0, 'job_diagnosis').competencies).toEqual(['self_awareness', 'job_diagnosis']);
  });
});

describe('moveCriterion', () => {
  it('swaps neighbours and ignores moves past either end', () => {
    const r = [blankCriterion('self_awareness'), blankCriterion('job_diagnosis'), blankCriterion('stakeholder_mapping')];
    expect(moveCriterion(r, 0, 1).map((c) => c.competency)).toEqual(['job_diagnosis', 'self_awareness', 'stakeholder_mapping']);
    expect(moveCriterion(r, 0, -1)).toBe(r);
    expect(moveCriterion(r, 2, 1)).toBe(r);
  });
});

describe('formatLimit', () => {
  it('reads seconds as minutes and seconds', () => {
    expect(formatLimit(30)).toBe('30 s');
    expect(formatLimit(90)).toBe('1 min 30 s');
    expect(formatLimit(600)).toBe('10 min');
    expect(formatLimit(Number.NaN)).toBe('');
  });
});

describe('requestBody', () => {
  it('leaves out an empty module and buyer line', () => {
    const body = requestBody({ ...blankActivity(), slug: 'a' });
    expect('module_slug' in body).toBe(false);
    expect('buyer_media_id' in body).toBe(false);
    const withBoth = requestBody({ ...blankActivity(), slug: 'a', module_slug: 'build-consensus', buyer_media_id: 'x' });
    expect(withBoth.module_slug).toBe('build-consensus');
    expect(withBoth.buyer_media_id).toBe('x');
  });
});
