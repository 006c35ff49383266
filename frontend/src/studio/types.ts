import type { Access } from '../catalog/types';

export type StudioModule = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  access: Access;
  competencies: string[];
  state: 'draft' | 'published' | 'unpublished';
  version: number;
  status: string;
  has_unpublished_changes: boolean;
  lesson_count: number;
  updated_at: string;
};

export type StudioLesson = { id: string; slug: string; title: string; minutes: number; markdown: string; position: number };

export type StudioModuleDetail = StudioModule & { lessons: StudioLesson[] };

export type Version = { version: number; published_at: string; published_by: string | null; lesson_count: number };

export function stateLabel(m: Pick<StudioModule, 'state' | 'version'>): string {
  if (m.state === 'published') return `Published v${m.version}`;
  if (m.state === 'unpublished') return 'Unpublished';
  return 'Draft';
}
