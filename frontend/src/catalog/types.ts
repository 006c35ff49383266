import type { Schemas } from '../api/types';

// The catalog's API shapes, as the contract names them (generated; see api/types.ts).
export type ModuleSummary = Schemas['CatalogModule'];

export type CompetencyKey = Schemas['CompetencyKey'];

export const competencyNames: Record<CompetencyKey, string> = {
  self_awareness: 'Self-awareness',
  self_management: 'Self-management',
  social_awareness: 'Social awareness',
  relationship_management: 'Relationship management',
  job_diagnosis: 'Buying-job diagnosis',
  consensus_building: 'Consensus building',
  prescriptive_guidance: 'Prescriptive guidance',
  stakeholder_mapping: 'Stakeholder mapping',
};

export const competencyName = (k: string) => competencyNames[k as CompetencyKey] ?? k;

/** The competency keys in display order. */
export const competencyKeys = Object.keys(competencyNames) as CompetencyKey[];
