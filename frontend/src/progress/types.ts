import type { Schemas } from '../api/types';

// Progress's API shapes, as the contract names them (generated; see api/types.ts).
export type ProgressRecord = Schemas['LessonProgress'];
/** ProgressSummary is the dashboard's answer; a module's `state` is the server's one rule:
 *  completed when every lesson of the latest version is completed. */
export type ProgressSummary = Schemas['Dashboard'];
export type ModuleProgress = ProgressSummary['modules'][number];
