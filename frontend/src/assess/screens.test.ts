import { describe, expect, it } from 'vitest';
import { answered, screens } from './screens';
import type { Item } from './types';

const L = (id: string): Item => ({ id, type: 'likert', prompt: id, competency: 'self_awareness', options: ['1', '2', '3', '4', '5'] });
const S = (id: string): Item => ({ id, type: 'sjt', prompt: id, competency: 'self_awareness', options: [{ id: 'a', text: 'a' }, { id: 'b', text: 'b' }] });

describe('screens', () => {
  it('groups Likert runs by five and gives each scenario its own screen, keeping order', () => {
    const items = [L('1'), L('2'), S('s1'), L('3'), L('4'), L('5'), L('6'), L('7'), L('8'), S('s2')];
    expect(screens(items).map((s) => s.map((i) => i.id))).toEqual([['1', '2'], ['s1'], ['3', '4', '5', '6', '7'], ['8'], ['s2']]);
  });
});

describe('answered', () => {
  it('needs every action of a scenario rated', () => {
    expect(answered(S('s'), [3])).toBe(false);
    expect(answered(S('s'), [3, 5])).toBe(true);
    expect(answered(L('l'), 4)).toBe(true);
    expect(answered(L('l'), undefined)).toBe(false);
  });
});
