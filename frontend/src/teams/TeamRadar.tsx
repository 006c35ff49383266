import { SkillsRadar } from '../assess/SkillsRadar';
import type { Report } from './types';

/** TeamRadar shows the team's average baseline against its latest average per competency, on the
 *  same radar (order, orientation, scale) as each rep's own skills chart. */
export function TeamRadar({ report }: { report: Report }) {
  const cs = report.team.competencies.filter((c) => c.members > 0);
  return (
    <section className="panel" aria-labelledby="team-radar-title">
      <h2 id="team-radar-title">Team skills: baseline and now</h2>
      {cs.length === 0 ? (
        <p className="muted">Once reps take their baseline skills profile, the team’s averages appear here.</p>
      ) : (
        <SkillsRadar
          label="Radar chart of the team's average baseline and latest scores per competency"
          baselineLabel="Baseline average"
          latestLabel="Latest average"
          axes={cs.map((c) => ({ competency: c.competency, name: c.name, baseline: c.baseline_avg, latest: c.latest_avg }))}
        />
      )}
    </section>
  );
}
