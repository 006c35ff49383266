import type { Schemas } from '../api/types';

// Media shapes come from the contract (API.md § Media, generated into schema.d.ts).
export type MediaKind = Schemas['MediaKind'];
/** MediaUse is one lesson that shows an item, in a draft or in a published version. */
export type MediaUse = Schemas['MediaUse'];
export type MediaItem = Schemas['MediaItem'];
export type MediaPatch = Schemas['MediaPatchRequest'];
