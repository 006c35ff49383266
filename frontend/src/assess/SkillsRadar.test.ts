import { describe, expect, it } from 'vitest';
import { radarLabel, radarOrder } from './SkillsRadar';

describe('the shared radar', () => {
  it('puts competencies in the instrument order on every chart, unknown keys last', () => {
    const keys = ['stakeholder_mapping', 'zeta', 'consensus_building', 'self_awareness', 'alpha', 'social_awareness'];
    expect(radarOrder(keys.map((competency) => ({ competency }))).map((a) => a.competency)).toEqual([
      'self_awareness', 'social_awareness', 'consensus_building', 'stakeholder_mapping', 'alpha', 'zeta',
    ]);
  });

  it('wraps labels to their longest word', () => {
    expect(radarLabel('Relationship management')).toEqual(['Relationship', 'management']);
    expect(radarLabel('Self-awareness')).toEqual(['Self-', 'awareness']);
    expect(radarLabel('Buying-job diagnosis')).toEqual(['Buying-job', 'diagnosis']);
    expect(radarLabel('Listening')).toBe('Listening');
  });
});
