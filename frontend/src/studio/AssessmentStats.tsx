import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api/client';
import { competencyName } from '../catalog/types';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';

type ItemStat = { id: string; competency: string; type: string; n: number; mean: number | null; sd: number | null; item_total_r: number | null; flagged: boolean };
type ScaleStat = { competency: string; n: number; alpha: number; alpha_source: 'sample' | 'prior' };
type Stats = { items: ItemStat[]; competencies: ScaleStat[] };

const fmt = (v: number | null, d = 2) => (v === null || v === undefined ? '–' : v.toFixed(d));

/** AssessmentStats shows instructors item and scale statistics, flagging weak items. */
export function AssessmentStats() {
  const { slug = 'sales-eq-profile' } = useParams();
  usePageTitle('Assessment statistics');
  const q = useQuery({ queryKey: ['assess-stats', slug], queryFn: () => api<Stats>(`/api/v1/studio/assessments/${slug}/stats`) });
  const flagged = q.data?.items.filter((i) => i.flagged).length ?? 0;
  return (
    <div className="container page">
      <p><Link to="/studio">← Studio</Link></p>
      <h1>Assessment statistics</h1>
      <p className="muted">
        Computed from learners’ baseline answers. Reliability (Cronbach’s alpha) uses the sample once 30 learners have a
        baseline; before that the configured prior is used. Items whose corrected item-total correlation is below .30 are flagged
        for review.
      </p>
      <FormError error={q.error} />
      {q.data && (
        <>
          <h2 className="section-title-sm">Scales</h2>
          <div className="table-wrap">
            <table className="table">
              <thead><tr><th scope="col">Competency</th><th scope="col">Learners (n)</th><th scope="col">Alpha</th><th scope="col">Source</th></tr></thead>
              <tbody>
                {q.data.competencies.map((c) => (
                  <tr key={c.competency}>
                    <td>{competencyName(c.competency)}</td><td>{c.n}</td><td>{fmt(c.alpha)}</td>
                    <td>{c.alpha_source === 'sample' ? 'sample' : 'prior (n < 30)'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2 className="section-title-sm">Items {flagged > 0 && <span className="badge badge-premium">{flagged} flagged</span>}</h2>
          <div className="table-wrap">
            <table className="table">
              <thead><tr><th scope="col">Item</th><th scope="col">Competency</th><th scope="col">Type</th><th scope="col">n</th><th scope="col">Mean</th><th scope="col">SD</th><th scope="col">Item-total r</th></tr></thead>
              <tbody>
                {q.data.items.map((i) => (
                  <tr key={i.id} className={i.flagged ? 'row-flagged' : undefined}>
                    <td>{i.id}{i.flagged && <span className="visually-hidden"> (flagged)</span>}</td>
                    <td>{competencyName(i.competency)}</td><td>{i.type}</td><td>{i.n}</td>
                    <td>{fmt(i.mean)}</td><td>{fmt(i.sd)}</td><td>{i.flagged ? <strong>{fmt(i.item_total_r)}</strong> : fmt(i.item_total_r)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
