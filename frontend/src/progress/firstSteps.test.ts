import { describe, expect, it } from 'vitest';
import { firstSteps, greeting, isNewLearner, showChecklist } from './firstSteps';
import type { ModuleProgress, ProgressSummary } from './types';

const week = (o: Partial<ProgressSummary['week']> = {}): ProgressSummary['week'] => ({
  minutes: 0, goal_minutes: 15, goal_met: false, goal_set: false, streak_weeks: 0, week_start: '2026-11-30', time_zone: 'UTC', ...o,
});
const mod = (completed: number, count = 5): ModuleProgress => ({
  slug: 'm', title: 'M', completed_lessons: completed, lesson_count: count, percent: Math.floor((completed * 100) / count),
  state: completed >= count ? 'completed' : 'in_progress', last_lesson: null, next_lesson: null,
  last_activity_at: '2026-12-01T09:00:00Z',
});
const links = { baseline: '/assessments/x', lesson: '/modules/free/one', goal: '#weekly-goal' };

describe('firstSteps', () => {
  it('starts with nothing ticked, each step linking to where it is done', () => {
    const steps = firstSteps({ progress: { modules: [], week: week() }, baselineDone: false, links });
    expect(steps.map((s) => [s.key, s.done, s.to])).toEqual([
      ['baseline', false, '/assessments/x'],
      ['lesson', false, '/modules/free/one'],
      ['goal', false, '#weekly-goal'],
    ]);
    expect(showChecklist(steps)).toBe(true);
  });

  it('ticks the lesson only for a completed lesson, not a started one', () => {
    const started = firstSteps({ progress: { modules: [mod(0)], week: week({ minutes: 3 }) }, baselineDone: false, links });
    expect(started.find((s) => s.key === 'lesson')?.done).toBe(false);
    const read = firstSteps({ progress: { modules: [mod(1)], week: week() }, baselineDone: false, links });
    expect(read.find((s) => s.key === 'lesson')?.done).toBe(true);
  });

  it('ticks the goal only once the learner chose one, and hides the list when all are done', () => {
    const half = firstSteps({ progress: { modules: [mod(1)], week: week() }, baselineDone: true, links });
    expect(half.map((s) => s.done)).toEqual([true, true, false]);
    expect(showChecklist(half)).toBe(true);
    const all = firstSteps({ progress: { modules: [mod(1)], week: week({ goal_set: true }) }, baselineDone: true, links });
    expect(showChecklist(all)).toBe(false);
  });
});

describe('greeting', () => {
  it('says Welcome to an account that has done nothing yet', () => {
    const isNew = isNewLearner({ modules: [], week: week() }, false);
    expect(isNew).toBe(true);
    expect(greeting(isNew, 'Rita Reader')).toBe('Welcome, Rita');
  });

  it('says Welcome back once anything is done', () => {
    expect(isNewLearner({ modules: [mod(0)], week: week() }, false)).toBe(false);
    expect(isNewLearner({ modules: [], week: week({ minutes: 2 }) }, false)).toBe(false);
    expect(isNewLearner({ modules: [], week: week({ goal_set: true }) }, false)).toBe(false);
    expect(isNewLearner({ modules: [], week: week() }, true)).toBe(false);
    expect(greeting(false, 'Rita Reader')).toBe('Welcome back, Rita');
    expect(greeting(false, '  ')).toBe('Welcome back');
  });
});
