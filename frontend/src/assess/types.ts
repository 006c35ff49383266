import type { RequestBody, Schemas } from '../api/types';

// Assessments' API shapes, as the contract names them (generated; see api/types.ts).
export type Option = Schemas['ItemOption'];
export type Item = Schemas['Item'];
export type Attempt = Schemas['Attempt'];
export type AssessmentInfo = Schemas['AssessmentOverview'];
export type Band = Schemas['Band'];
export type Skill = Schemas['Skill'];
/** Answer is one item's answer as the server stores it: a rating, the ratings of a scenario's
 *  actions, or the chosen option's id. */
export type Answer = RequestBody<'/api/v1/attempts/{id}/responses/{item}', 'put'>['value'];

export const bandWords: Record<Band, string> = {
  significant_growth: 'Real growth',
  likely_growth: 'Likely growth',
  within_noise: 'Within the normal ups and downs',
  likely_decline: 'Likely decline',
  significant_decline: 'Real decline',
};

export const optionText = (o: Option | string) => (typeof o === 'string' ? o : o.text);
