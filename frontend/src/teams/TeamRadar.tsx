import { Radar } from 'react-chartjs-2';
import { accent, brand } from '../assess/charts';
import type { Report } from './types';

/** TeamRadar shows the team's average baseline against its latest average per competency. */
export function TeamRadar({ report }: { report: Report }) {
  const cs = report.team.competencies.filter((c) => c.members > 0);
  return (
    <section className="panel" aria-labelledby="team-radar-title">
      <h2 id="team-radar-title">Team skills: baseline and now</h2>
      {cs.length === 0 ? (
        <p className="muted">Once reps take their baseline skills profile, the team’s averages appear here.</p>
      ) : (
        <div className="radar-box">
          <Radar
            role="img"
            aria-label="Radar chart of the team's average baseline and latest scores"
            data={{
              labels: cs.map((c) => c.name),
              datasets: [
                { label: 'Baseline average', data: cs.map((c) => c.baseline_avg), borderColor: accent, backgroundColor: 'rgba(180,83,11,0.12)' },
                { label: 'Latest average', data: cs.map((c) => c.latest_avg), borderColor: brand, backgroundColor: 'rgba(15,92,85,0.18)' },
              ],
            }}
            options={{ maintainAspectRatio: false, scales: { r: { min: 0, max: 100, ticks: { stepSize: 25, backdropColor: 'transparent' } } }, plugins: { legend: { position: 'bottom' } } }}
          />
        </div>
      )}
    </section>
  );
}
