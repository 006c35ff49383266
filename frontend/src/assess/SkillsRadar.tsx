import { Radar } from 'react-chartjs-2';
import { competencyNames } from '../catalog/types';
import { accent, brand } from './charts';

/** RadarAxis is one competency on the radar: its key, the name to show, and the two scores. */
export type RadarAxis = { competency: string; name: string; baseline: number; latest: number };

// The competency order of the shipped instrument (self to buyer), clockwise from the top.
const order = Object.keys(competencyNames);
const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);

/** radarOrder sorts axes the same way on every chart: the instrument's order, then unknown keys A–Z. */
export function radarOrder<T extends { competency: string }>(axes: T[]): T[] {
  return [...axes].sort((a, b) => rank(a.competency) - rank(b.competency) || a.competency.localeCompare(b.competency));
}

/** radarLabel breaks a name into lines so no label is wider than its longest word: at spaces, or
 *  after the hyphen of a single hyphenated word ("Self-" / "awareness"). */
export function radarLabel(name: string): string | string[] {
  const words = name.split(' ');
  if (words.length > 1) return words;
  const hyphen = name.indexOf('-');
  return hyphen > 0 && hyphen < name.length - 1 ? [name.slice(0, hyphen + 1), name.slice(hyphen + 1)] : name;
}

// Chart.js's label fitting underestimates the side labels on a narrow chart; side padding keeps
// them inside the canvas on a phone.
const narrow = 480;

/** SkillsRadar is the one radar of baseline against latest scores, shared by the learner's skills
 *  page and the team report so both read the same way: same order, first competency at the top,
 *  0–100 scale, and labels wrapped to fit a phone. */
export function SkillsRadar({ axes, baselineLabel, latestLabel, label }: {
  axes: RadarAxis[]; baselineLabel: string; latestLabel: string; label: string;
}) {
  const list = radarOrder(axes);
  return (
    <div className="radar-box">
      <Radar
        role="img"
        aria-label={label}
        data={{
          labels: list.map((a) => radarLabel(a.name)),
          datasets: [
            { label: baselineLabel, data: list.map((a) => a.baseline), borderColor: accent, backgroundColor: 'rgba(180,83,11,0.12)', pointBackgroundColor: accent },
            { label: latestLabel, data: list.map((a) => a.latest), borderColor: brand, backgroundColor: 'rgba(15,92,85,0.18)', pointBackgroundColor: brand },
          ],
        }}
        options={{
          maintainAspectRatio: false,
          layout: { padding: (ctx) => (ctx.chart.width < narrow ? { left: 24, right: 24, top: 4, bottom: 4 } : 4) },
          scales: {
            r: {
              min: 0, max: 100, startAngle: 0,
              ticks: { stepSize: 25, backdropColor: 'transparent', font: { size: 10 } },
              pointLabels: { padding: 6, font: (ctx) => ({ size: ctx.chart.width < narrow ? 11 : 12 }), color: '#1f2430' },
            },
          },
          plugins: { legend: { position: 'bottom' } },
        }}
      />
    </div>
  );
}
