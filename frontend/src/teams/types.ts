import type { Schemas } from '../api/types';

// Teams' API shapes, as the contract names them (generated; see api/types.ts).
export type Team = Schemas['Team'];
export type TeamSummary = Schemas['TeamSummary'];
export type Invite = Schemas['Invite'];
export type Report = Schemas['Report'];
export type ReportMember = Schemas['ReportMember'];
export type Person = Schemas['Person'];
export type Assignment = Schemas['Assignment'];
export type MyAssignment = Schemas['MyAssignment'];
export type Recognition = Schemas['Recognition'];
export type RecognitionKind = Schemas['RecognitionKind'];
export type Prompt = Schemas['Prompt'];
