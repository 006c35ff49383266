import type { Schemas } from '../api/types';

// Teams' API shapes, as the contract names them (generated; see api/types.ts).
export type Team = Schemas['Team'];
export type Report = Schemas['Report'];
export type ReportMember = Schemas['ReportMember'];
export type Person = Schemas['Person'];
export type RecognitionKind = Schemas['RecognitionKind'];
