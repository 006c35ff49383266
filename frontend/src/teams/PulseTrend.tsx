import { useQuery } from '@tanstack/react-query';
import { Line } from 'react-chartjs-2';
import { api } from '../api/client';
import type { components } from '../api/schema';
import { accent, brand } from '../assess/charts';
import { FormError } from '../components/Form';
import { teamKeys } from './queries';
import type { Team } from './types';

type Week = components['schemas']['PulseTrendWeek'];

const series: { key: 'clarity' | 'understood' | 'again'; label: string; color: string; dash: number[] }[] = [
  { key: 'clarity', label: 'Easier decision', color: brand, dash: [] },
  { key: 'understood', label: 'Felt understood', color: '#3b5ba5', dash: [2, 3] },
  { key: 'again', label: 'Welcome again', color: '#6b4fa0', dash: [8, 4] },
];

const weekLabel = (w: Week) => new Date(`${w.week_start}T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** describeWeek is one week in words, for the chart's screen-reader summary and the table. */
function describeWeek(w: Week, min: number): string {
  const answers = `${w.responses} ${w.responses === 1 ? 'answer' : 'answers'}`;
  if (!w.averages || w.mean_abs_error == null) return w.responses === 0 ? `week of ${weekLabel(w)}: no answers` : `week of ${weekLabel(w)}: ${answers}, fewer than ${min}, so no averages`;
  const a = w.averages;
  return `week of ${weekLabel(w)}: ${answers}; easier decision ${a.clarity.toFixed(1)}, felt understood ${a.understood.toFixed(1)}, welcome again ${a.again.toFixed(1)}; predictions ${w.mean_abs_error.toFixed(2)} points off`;
}

/** PulseTrend is the team's Buyer Pulse week by week: the three answers' averages and how far the
 *  reps' predictions were off, each point from at least the minimum number of answers (a week with
 *  fewer shows as a gap with its count), so no buyer's single answer can be read off. */
export function PulseTrend({ team }: { team: Team }) {
  const trend = useQuery({
    queryKey: teamKeys.pulseTrend(team.id),
    queryFn: () => api.GET('/api/v1/teams/{id}/pulse-trend', { params: { path: { id: team.id } } }),
  });
  const weeks = trend.data?.weeks ?? [];
  const min = trend.data?.min_responses ?? 3;
  const total = weeks.reduce((n, w) => n + w.responses, 0);
  const shown = weeks.filter((w) => w.averages);
  return (
    <section className="panel" aria-labelledby="pulse-trend-title">
      <h2 id="pulse-trend-title">Buyer Pulse trend</h2>
      <p className="muted small">
        Weekly averages of the buyers’ answers (1-5) and how many points the reps’ predictions were off (0 is a perfect reading), over the last {weeks.length || 12} weeks. A week shows averages from {min} answers on.
      </p>
      <FormError error={trend.error} />
      {trend.isLoading && <p aria-busy="true">Loading the trend…</p>}
      {trend.data && total === 0 && <p className="muted">No buyer has answered a pulse of this team’s reps in the last {weeks.length} weeks.</p>}
      {trend.data && total > 0 && (
        <>
          <p>
            {total} {total === 1 ? 'answer' : 'answers'} in {weeks.length} weeks;{' '}
            {shown.length === 0 ? `no week has reached ${min} answers yet.` : `${shown.length} ${shown.length === 1 ? 'week has' : 'weeks have'} enough answers for averages.`}
          </p>
          <div className="line-box pulse-chart">
            <Line
              role="img"
              aria-label={`Buyer Pulse trend, week by week: ${weeks.filter((w) => w.responses > 0).map((w) => describeWeek(w, min)).join('; ')}`}
              data={{
                labels: weeks.map(weekLabel),
                datasets: [
                  ...series.map((s) => ({
                    label: s.label, data: weeks.map((w) => w.averages?.[s.key] ?? null), yAxisID: 'y',
                    borderColor: s.color, backgroundColor: s.color, borderDash: s.dash, spanGaps: false, tension: 0.25,
                  })),
                  {
                    label: 'Prediction off by (points)', data: weeks.map((w) => w.mean_abs_error ?? null), yAxisID: 'off',
                    borderColor: accent, backgroundColor: accent, borderDash: [6, 4], spanGaps: false, tension: 0.25,
                  },
                ],
              }}
              options={{
                maintainAspectRatio: false,
                scales: {
                  y: { min: 1, max: 5, ticks: { stepSize: 1 }, title: { display: true, text: 'Answer (1-5)' } },
                  off: { position: 'right', min: 0, max: 4, ticks: { stepSize: 1 }, grid: { drawOnChartArea: false }, title: { display: true, text: 'Points off' } },
                },
                plugins: {
                  legend: { display: true, position: 'bottom' },
                  tooltip: { callbacks: { footer: (items) => `${weeks[items[0]?.dataIndex ?? 0]?.responses ?? 0} answers that week` } },
                },
              }}
            />
          </div>
          <details>
            <summary>The trend as a table</summary>
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Buyer Pulse answers per week</caption>
                <thead>
                  <tr>
                    <th scope="col">Week of</th><th scope="col">Answers</th><th scope="col">Easier decision</th>
                    <th scope="col">Felt understood</th><th scope="col">Welcome again</th><th scope="col">Prediction off by</th>
                  </tr>
                </thead>
                <tbody>
                  {weeks.map((w) => (
                    <tr key={w.week_start}>
                      <th scope="row">{weekLabel(w)}</th>
                      <td>{w.responses}</td>
                      {w.averages && w.mean_abs_error != null ? (
                        <>
                          <td>{w.averages.clarity.toFixed(1)}</td><td>{w.averages.understood.toFixed(1)}</td>
                          <td>{w.averages.again.toFixed(1)}</td><td>{w.mean_abs_error.toFixed(2)}</td>
                        </>
                      ) : (
                        <td colSpan={4} className="muted">{w.responses === 0 ? '—' : `Fewer than ${min} answers`}</td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
