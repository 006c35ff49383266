import type { Schemas } from '../api/types';

// The studio's API shapes, as the contract names them (generated; see api/types.ts).
export type StudioModule = Schemas['StudioModule'];
export type StudioLesson = Schemas['DraftLesson'];
export type StudioModuleDetail = Schemas['StudioModuleDetail'];
/** VersionDetail is one published version, read-only. */
export type VersionDetail = Schemas['ModuleVersionDetail'];
/** VersionLesson is a lesson as a published version holds it; markdown is null for versions
 *  published before Rapport kept the source. Its id is the draft lesson's id. */
export type VersionLesson = VersionDetail['lessons'][number];

export function stateLabel(m: Pick<StudioModule, 'state' | 'version'>): string {
  if (m.state === 'published') return `Published v${m.version}`;
  if (m.state === 'unpublished') return 'Unpublished';
  return 'Draft';
}
