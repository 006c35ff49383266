export type Access = 'free' | 'premium';

export type ModuleSummary = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  access: Access;
  competencies: string[];
  lesson_count: number;
  minutes: number;
  progress?: { completed_lessons: number; percent: number };
};

export type LessonRef = { id: string; slug: string; title: string; minutes: number; completed?: boolean };

export type ModuleDetail = ModuleSummary & { lessons: LessonRef[] };

export type Lesson = { id: string; slug: string; title: string; minutes: number; html: string; version: number };

export const competencyNames: Record<string, string> = {
  self_awareness: 'Self-awareness',
  self_management: 'Self-management',
  social_awareness: 'Social awareness',
  relationship_management: 'Relationship management',
  job_diagnosis: 'Buying-job diagnosis',
  consensus_building: 'Consensus building',
  prescriptive_guidance: 'Prescriptive guidance',
  stakeholder_mapping: 'Stakeholder mapping',
};

export const competencyName = (k: string) => competencyNames[k] ?? k;
