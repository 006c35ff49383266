import type { Schemas } from '../../api/types';

export type Criterion = Schemas['RubricCriterion'];
export type ActivityKind = Schemas['PracticeKind'];
export type CompetencyKey = Schemas['CompetencyKey'];

/** ActivityForm is what the editor edits: the create request's fields, the optional ones as
 *  empty strings so every input is controlled. */
export type ActivityForm = {
  slug: string;
  title: string;
  module_slug: string;
  competencies: CompetencyKey[];
  kind: ActivityKind;
  brief: string;
  buyer_media_id: string;
  time_limit_seconds: number;
  rubric: Criterion[];
};

export const MIN_CRITERIA = 3;
export const MAX_CRITERIA = 6;
export const MIN_TIME_LIMIT = 30;
export const MAX_TIME_LIMIT = 600;

export const kindLabels: Record<ActivityKind, string> = {
  video: 'Video: the learner records themself on camera',
  audio: 'Audio: the learner records their voice',
  text: 'Written: the learner types their response',
};

export const blankCriterion = (competency: CompetencyKey | '' = ''): Criterion => ({
  id: '',
  competency,
  criterion: '',
  anchors: { '1': '', '3': '', '5': '' },
});

export const blankActivity = (): ActivityForm => ({
  slug: '',
  title: '',
  module_slug: '',
  competencies: [],
  kind: 'video',
  brief: '## The situation\n\n\n## Your task\n\n',
  buyer_media_id: '',
  time_limit_seconds: 90,
  rubric: [blankCriterion(), blankCriterion(), blankCriterion()],
});

/** criterionId suggests an id for a criterion from its text: its first words, lower case and
 *  hyphenated, unique within the rubric (ids are what scores point at, so they never change by
 *  themselves once set). */
export function criterionId(text: string, taken: string[]): string {
  const base =
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9\s-]/g, '')
      .split(/[\s-]+/)
      .filter(Boolean)
      .slice(0, 4)
      .join('-')
      .slice(0, 50)
      .replace(/-+$/, '') || 'criterion';
  let id = base;
  for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
  return id;
}

/** withCriterionCompetency sets criterion i's competency and lists it among the activity's
 *  competencies when it isn't yet, since every criterion must score one the activity builds. */
export function withCriterionCompetency(form: ActivityForm, i: number, competency: CompetencyKey): ActivityForm {
  const rubric = form.rubric.map((c, j) => (j === i ? { ...c, competency } : c));
  const competencies = form.competencies.includes(competency) ? form.competencies : [...form.competencies, competency];
  return { ...form, rubric, competencies };
}

/** moveCriterion moves criterion i by delta places (reviewers score in this order). */
export function moveCriterion(rubric: Criterion[], i: number, delta: -1 | 1): Criterion[] {
  const j = i + delta;
  if (j < 0 || j >= rubric.length) return rubric;
  const out = [...rubric];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

/** formatLimit says a time limit the way the learner will read it: "90 seconds" is "1 min 30 s". */
export function formatLimit(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m === 0) return `${s} s`;
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}

/** requestBody is the form as the API takes it: optional fields left out when empty. */
export function requestBody(form: ActivityForm) {
  const { slug, module_slug, buyer_media_id, ...rest } = form;
  return {
    ...rest,
    ...(module_slug ? { module_slug } : {}),
    ...(buyer_media_id ? { buyer_media_id } : {}),
    slug,
  };
}
