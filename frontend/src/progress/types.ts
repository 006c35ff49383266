export type ProgressRecord = {
  lesson_id: string;
  module_slug: string;
  status: 'started' | 'completed';
  seconds: number;
  position: string;
  started_at: string;
  completed_at: string | null;
  certificate?: { code: string } | null;
};

export type ModuleProgress = {
  slug: string;
  title: string;
  completed_lessons: number;
  lesson_count: number;
  percent: number;
  /** The server's one rule: completed when every lesson of the latest version is completed. */
  state: 'in_progress' | 'completed';
  last_lesson: { id: string; slug: string; title: string; status?: string } | null;
  next_lesson: { id: string; slug: string; title: string } | null;
};

export type ProgressSummary = {
  modules: ModuleProgress[];
  week: { minutes: number; goal_minutes: number; goal_met: boolean; goal_set: boolean; streak_weeks: number; week_start: string };
  resume: { module_slug: string; lesson_slug: string; lesson_id: string; module_title?: string; lesson_title?: string } | null;
};

export type Certificate = { code: string; user_name: string; module_slug: string; module_title: string; issued_at: string };
