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

/** VersionLesson is a lesson as a published version holds it; markdown is null for versions
 *  published before Rapport kept the source. Its id is the draft lesson's id. */
export type VersionLesson = { id: string; slug: string; title: string; minutes: number; position: number; markdown: string | null; html: string };

/** VersionDetail is one published version, read-only. */
export type VersionDetail = Version & {
  slug: string;
  title: string;
  summary: string;
  access: Access;
  competencies: string[];
  minutes: number;
  lessons: VersionLesson[];
};

export function stateLabel(m: Pick<StudioModule, 'state' | 'version'>): string {
  if (m.state === 'published') return `Published v${m.version}`;
  if (m.state === 'unpublished') return 'Unpublished';
  return 'Draft';
}
