import type { Schemas } from '../api/types';

// The catalog's API shapes, as the contract names them (generated; see api/types.ts).
export type ModuleSummary = Schemas['CatalogModule'];

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
