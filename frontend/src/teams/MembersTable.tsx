import { useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import { formatDelta, scoreChange } from '../assess/format';
import { bandWords } from '../assess/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { FormError } from '../components/Form';
import { teamKeys } from './queries';
import { RecognizeButton } from './RecognitionFeed';
import type { Report, ReportMember, Team } from './types';

type SortKey = 'name' | 'percent' | 'growth' | 'last_active';

// A rep's growth is the mean of the changes shown per competency (whole points, as everywhere).
const growth = (m: ReportMember) =>
  m.competencies.length ? m.competencies.reduce((s, c) => s + scoreChange(c.baseline, c.latest), 0) / m.competencies.length : Number.NEGATIVE_INFINITY;
const sortLabels: Record<SortKey, string> = { name: 'Name', percent: 'Progress', growth: 'Growth', last_active: 'Last active' };
const realGrowth = (m: ReportMember) => m.competencies.filter((c) => c.band === 'significant_growth').length;

/** MembersTable lists the reps with progress and growth, sortable, with drill-down and actions. */
export function MembersTable({ team, report }: { team: Team; report: Report }) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'percent', desc: true });
  const [removing, setRemoving] = useState<ReportMember | null>(null);
  const [csvError, setCsvError] = useState<unknown>(null);
  const qc = useQueryClient();
  const remove = useMutation({
    mutationFn: (userId: string) => api.DELETE('/api/v1/teams/{id}/members/{user_id}', { params: { path: { id: team.id, user_id: userId } } }),
    onSuccess: () => {
      setRemoving(null);
      qc.invalidateQueries({ queryKey: teamKeys.team(team.id) });
      qc.invalidateQueries({ queryKey: teamKeys.report(team.id) });
    },
  });
  const rows = useMemo(() => {
    const val = (m: ReportMember): number | string =>
      sort.key === 'name' ? m.name.toLowerCase() : sort.key === 'percent' ? m.percent : sort.key === 'growth' ? growth(m) : m.last_active_at ?? '';
    return [...report.members].sort((a, b) => {
      const x = val(a), y = val(b);
      const c = x < y ? -1 : x > y ? 1 : 0;
      return sort.desc ? -c : c;
    });
  }, [report.members, sort]);

  const header = (key: SortKey, label: string) => (
    <th scope="col" aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button className="sort" onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'name' }))}>
        {label} {sort.key === key ? (sort.desc ? '↓' : '↑') : ''}
      </button>
    </th>
  );

  const downloadCsv = async () => {
    setCsvError(null);
    try {
      const text = await api.text('/api/v1/teams/{id}/report', { params: { path: { id: team.id } }, headers: { Accept: 'text/csv' } });
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${team.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-report.csv`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setCsvError(e);
    }
  };

  return (
    <section className="section-block" aria-labelledby="members-title">
      <div className="section-head">
        <h2 id="members-title">Reps</h2>
        <button className="button button-secondary button-small" onClick={downloadCsv}>Download CSV</button>
      </div>
      <FormError error={csvError ?? remove.error} />
      {rows.length === 0 ? (
        <p className="muted">No reps yet. Invite your team below.</p>
      ) : (
        <div className="table-wrap">
          <div className="field field-inline cards-only">
            <label htmlFor="rep-sort">Sort reps by</label>
            <select id="rep-sort" value={`${sort.key}:${sort.desc ? 'desc' : 'asc'}`}
              onChange={(e) => { const [key, dir] = e.target.value.split(':'); setSort({ key: key as SortKey, desc: dir === 'desc' }); }}>
              {(Object.keys(sortLabels) as SortKey[]).flatMap((k) => [
                <option key={`${k}:desc`} value={`${k}:desc`}>{sortLabels[k]}{k === 'name' ? ' (Z–A)' : ' (highest first)'}</option>,
                <option key={`${k}:asc`} value={`${k}:asc`}>{sortLabels[k]}{k === 'name' ? ' (A–Z)' : ' (lowest first)'}</option>,
              ])}
            </select>
          </div>
          <table className="table table-cards">
            <caption className="visually-hidden">Reps with their progress and skill growth</caption>
            <thead>
              <tr>
                {header('name', 'Rep')}
                {header('percent', 'Progress')}
                {header('growth', 'Growth')}
                {header('last_active', 'Last active')}
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.user_id}>
                  <td className="card-title">
                    <Link to={`/teams/${team.id}/members/${m.user_id}`}>{m.name}</Link>
                    <div className="small muted wrap-anywhere">{m.email}</div>
                  </td>
                  <td data-label="Progress">
                    <div className="progress-line">
                      <div className="progress" role="progressbar" aria-label={`${m.name} progress`} aria-valuenow={m.percent} aria-valuemin={0} aria-valuemax={100}>
                        <span className="progress-fill" style={{ width: `${m.percent}%` }} />
                      </div>
                      <span className="small">{m.completed_lessons}/{m.lesson_count}</span>
                    </div>
                  </td>
                  <td data-label="Growth">
                    {m.competencies.length === 0 ? (
                      <span className="muted small">No baseline yet</span>
                    ) : realGrowth(m) > 0 ? (
                      <span className="band band-up">{bandWords.significant_growth} in {realGrowth(m)}</span>
                    ) : (
                      <span className="small" title="Average change over all competencies since the baseline">
                        {averageWords(m.competencies.every((c) => c.latest === c.baseline), formatDelta(growth(m)))}
                      </span>
                    )}
                  </td>
                  <td data-label="Last active" className="small">{m.last_active_at ? new Date(m.last_active_at).toLocaleDateString() : '–'}</td>
                  <td className="card-actions">
                    <div className="actions">
                      <RecognizeButton team={team} to={{ user_id: m.user_id, name: m.name }} />
                      <button className="link-button danger" onClick={() => setRemoving(m)}>Remove<span className="visually-hidden"> {m.name}</span></button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog open={!!removing} title={`Remove ${removing?.name ?? ''}?`} confirmLabel="Remove from team" busy={remove.isPending}
        onCancel={() => setRemoving(null)} onConfirm={() => removing && remove.mutate(removing.user_id)}>
        <p>Their seat is freed at once and they lose the access that came with it. Their own progress stays theirs.</p>
      </ConfirmDialog>
    </section>
  );
}

/** averageWords says a rep's average change in words: a rounded 0 is "level", not "0". */
function averageWords(unchanged: boolean, delta: string): string {
  if (unchanged) return 'No change yet';
  return delta === '0' ? 'Level on average' : `${delta} on average`;
}
