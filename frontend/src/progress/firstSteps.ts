import type { ProgressSummary } from './types';

/** FirstStep is one item of a new learner's checklist, ticked from real data. */
export type FirstStep = { key: 'baseline' | 'lesson' | 'goal'; label: string; done: boolean; to: string };

type Input = {
  progress: Pick<ProgressSummary, 'modules' | 'week'>;
  /** From GET /api/v1/assessments: the learner has finished a baseline. */
  baselineDone: boolean;
  /** Where each step is done: the assessment, the lesson to read, the goal form. */
  links: { baseline: string; lesson: string; goal: string };
};

/** firstSteps lists the three things a new learner should do first, each with where to do it:
 *  take the baseline, finish a first lesson, choose a weekly goal. */
export function firstSteps({ progress, baselineDone, links }: Input): FirstStep[] {
  return [
    { key: 'baseline', label: 'Take your baseline skills profile', done: baselineDone, to: links.baseline },
    { key: 'lesson', label: 'Read your first lesson', done: progress.modules.some((m) => m.completed_lessons > 0), to: links.lesson },
    { key: 'goal', label: 'Set your weekly learning goal', done: progress.week.goal_set, to: links.goal },
  ];
}

/** showChecklist is true while any first step is left; once all are done the checklist goes. */
export const showChecklist = (steps: FirstStep[]) => steps.some((s) => !s.done);

/** isNewLearner is true for an account that has done nothing yet: no lesson opened, no reading
 *  time, no baseline and no goal chosen. Such a learner is greeted with "Welcome", everyone else
 *  with "Welcome back". */
export function isNewLearner(progress: Pick<ProgressSummary, 'modules' | 'week'>, baselineDone: boolean): boolean {
  return progress.modules.length === 0 && progress.week.minutes === 0 && !progress.week.goal_set && !baselineDone;
}

/** greeting is the dashboard's heading. */
export function greeting(isNew: boolean, name?: string): string {
  const first = name?.trim().split(/\s+/)[0];
  return `${isNew ? 'Welcome' : 'Welcome back'}${first ? `, ${first}` : ''}`;
}
