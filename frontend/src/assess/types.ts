export type Option = { id: string; text: string };

export type Item = {
  id: string;
  type: 'likert' | 'sjt' | 'choice';
  prompt: string;
  options: (Option | string)[];
  competency?: string;
};

export type Attempt = {
  id: string;
  kind: 'baseline' | 'progress';
  items: Item[];
  responses?: Record<string, unknown>;
  likert_labels?: string[];
  sjt_instruction?: string;
  submitted_at?: string | null;
};

export type AssessmentInfo = {
  slug: string;
  title: string;
  description?: string;
  competencies: { key: string; name: string; description: string }[];
  can_start: boolean;
  item_count?: number;
  baseline_done: boolean;
  next_due_at: string | null;
  in_progress_attempt_id?: string | null;
};

export type Band = 'significant_growth' | 'likely_growth' | 'within_noise' | 'likely_decline' | 'significant_decline';

export type Skill = {
  competency: string;
  name?: string;
  baseline: number | null;
  latest: number | null;
  delta: number | null;
  rci?: number | null;
  band: Band | null;
  significant: boolean;
  history: { at: string; score: number }[];
};

export type Skills = { competencies: Skill[]; assessed_at?: string | null };

export const bandWords: Record<Band, string> = {
  significant_growth: 'Real growth',
  likely_growth: 'Likely growth',
  within_noise: 'Within the normal ups and downs',
  likely_decline: 'Likely decline',
  significant_decline: 'Real decline',
};

export const optionText = (o: Option | string) => (typeof o === 'string' ? o : o.text);
